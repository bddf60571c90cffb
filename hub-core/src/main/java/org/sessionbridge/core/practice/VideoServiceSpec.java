package org.sessionbridge.core.practice;

import org.jspecify.annotations.Nullable;

/**
 * A video service as the practice describes it, before it is stored: the platform, the contact the
 * platform needs, the join instructions in both wordings, and whether it becomes the provider's
 * default.
 */
public record VideoServiceSpec(
    VideoPlatform platform,
    @Nullable String url,
    @Nullable String skypeId,
    @Nullable String phone,
    @Nullable String clientInstructions,
    @Nullable String providerInstructions,
    @Nullable String hostAccount,
    boolean makeDefault) {

  @Override
  public String toString() {
    return "VideoServiceSpec[platform=" + platform + ", makeDefault=" + makeDefault + "]";
  }
}
