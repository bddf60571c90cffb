package org.sessionbridge.core.practice;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A video service a provider offers, with the contact its platform needs ({@link
 * VideoPlatform#contact()}): a link service carries the provider's https {@code url}, Skype a
 * {@code skypeId}, WhatsApp and FaceTime a {@code phone}; hub-managed platforms none.
 *
 * @param joinInstructions the client wording of the join instructions (the field's historic name)
 * @param hostAccount for hub-managed platforms, the provider's account there when it is not their
 *     e-mail (a Zoom user id); {@code null} means the provider's e-mail
 * @param providerInstructions the provider wording; {@code null} means the client wording serves
 *     both
 * @param updatedAt the last change of this service (its creation until changed)
 */
public record VideoService(
    UUID id,
    UUID providerId,
    VideoPlatform platform,
    @Nullable String url,
    @Nullable String joinInstructions,
    boolean isDefault,
    Instant createdAt,
    @Nullable String hostAccount,
    @Nullable String skypeId,
    @Nullable String phone,
    @Nullable String providerInstructions,
    Instant updatedAt) {

  /** The join instructions clients read. */
  public @Nullable String clientInstructions() {
    return joinInstructions;
  }

  /**
   * What the audience reads next to the join link: the instructions in its wording, after the
   * contact for platforms joined by contact rather than link ("Skype: live:drchen").
   */
  public @Nullable String instructionsFor(boolean provider) {
    String words =
        provider && providerInstructions != null ? providerInstructions : joinInstructions;
    String contact =
        switch (platform.contact()) {
          case SKYPE_ID -> skypeId == null ? null : "Skype: " + skypeId;
          case PHONE ->
              phone == null
                  ? null
                  : (platform == VideoPlatform.WHATSAPP ? "WhatsApp video call: " : "FaceTime: ")
                      + phone;
          default -> null;
        };
    if (contact == null) {
      return words;
    }
    return words == null ? contact : contact + "\n" + words;
  }

  /**
   * The https link that opens the provider's room, when the platform has one the provider gives:
   * the {@code url} of link services, {@code https://wa.me/<number>} for WhatsApp. Hub-managed
   * platforms get theirs from the meeting; Skype IDs and FaceTime numbers have none (their contact
   * travels in {@link #instructionsFor}).
   */
  public @Nullable String joinLink() {
    return switch (platform.contact()) {
      case URL -> url;
      case PHONE ->
          platform == VideoPlatform.WHATSAPP && phone != null
              ? "https://wa.me/" + phone.substring(1)
              : null;
      default -> null;
    };
  }

  @Override
  public String toString() {
    // Join links and contacts stay out of logs.
    return "VideoService[id="
        + id
        + ", providerId="
        + providerId
        + ", platform="
        + platform
        + ", isDefault="
        + isDefault
        + "]";
  }
}
