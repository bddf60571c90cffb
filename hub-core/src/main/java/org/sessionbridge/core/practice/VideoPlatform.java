package org.sessionbridge.core.practice;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Video services a provider can offer. {@code hubManaged} platforms get a meeting created and
 * guarded by the hub (waiting room / lobby enforced); the others are links or contacts the provider
 * supplies. Each platform needs one kind of {@link Contact} and has one kind of {@link
 * WaitingRoom}; both are facts about the platform that the compliance policy builds on.
 */
public enum VideoPlatform {
  ZOOM(true, true, false, Contact.HUB_MEETING, WaitingRoom.HUB_ENFORCED),
  TEAMS(true, true, false, Contact.HUB_MEETING, WaitingRoom.HUB_ENFORCED),
  DOXY(false, true, false, Contact.URL, WaitingRoom.BUILT_IN),
  VSEE(false, true, false, Contact.URL, WaitingRoom.BUILT_IN),
  ZOOM_PERSONAL_LINK(false, true, false, Contact.URL, WaitingRoom.UNVERIFIED),
  GOOGLE_MEET(false, true, false, Contact.URL, WaitingRoom.UNVERIFIED),
  SKYPE(false, false, false, Contact.SKYPE_ID, WaitingRoom.UNVERIFIED),
  WHATSAPP(false, false, false, Contact.PHONE, WaitingRoom.UNVERIFIED),
  FACETIME(false, false, true, Contact.PHONE, WaitingRoom.UNVERIFIED);

  /** What the provider must give for the platform to be joinable. */
  public enum Contact {
    /** Nothing: the hub creates each meeting through a connected account. */
    HUB_MEETING,
    /** The provider's own https room link ({@code url}). */
    URL,
    /** The provider's Skype ID ({@code skypeId}). */
    SKYPE_ID,
    /** The provider's phone number in E.164 form ({@code phone}). */
    PHONE
  }

  /** Whether clients wait until the provider admits them, and who makes sure of it. */
  public enum WaitingRoom {
    /** The hub turns the waiting room / lobby on for every meeting, reads it back, puts it back. */
    HUB_ENFORCED,
    /** The service always has a waiting room / check-in that the provider cannot turn off. */
    BUILT_IN,
    /** A static personal room or a contact: the hub cannot see or enforce any waiting room. */
    UNVERIFIED
  }

  private final boolean hubManaged;
  private final boolean baaCapable;
  private final boolean appleOnly;
  private final Contact contact;
  private final WaitingRoom waitingRoom;

  VideoPlatform(
      boolean hubManaged,
      boolean baaCapable,
      boolean appleOnly,
      Contact contact,
      WaitingRoom waitingRoom) {
    this.hubManaged = hubManaged;
    this.baaCapable = baaCapable;
    this.appleOnly = appleOnly;
    this.contact = contact;
    this.waitingRoom = waitingRoom;
  }

  /**
   * The hub creates the meeting through the practice's connected account (or the provider's own,
   * for Zoom) and enforces its waiting room.
   */
  public boolean hubManaged() {
    return hubManaged;
  }

  /** The vendor offers a BAA / HIPAA-capable plan. */
  public boolean baaCapable() {
    return baaCapable;
  }

  /** Only people with Apple devices can join. */
  public boolean appleOnly() {
    return appleOnly;
  }

  public Contact contact() {
    return contact;
  }

  public WaitingRoom waitingRoom() {
    return waitingRoom;
  }

  /** Link services need the provider's https URL; hub-managed and contact ones do not. */
  public boolean needsUrl() {
    return contact == Contact.URL;
  }

  /** The platforms whose vendor offers a BAA: the default of a practice's BAA-covered list. */
  public static Set<VideoPlatform> baaCapablePlatforms() {
    EnumSet<VideoPlatform> set = EnumSet.noneOf(VideoPlatform.class);
    Arrays.stream(values()).filter(VideoPlatform::baaCapable).forEach(set::add);
    return set;
  }
}
