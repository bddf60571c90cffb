package org.sessionbridge.core.practice;

/**
 * Video services a provider can offer. {@code hubManaged} platforms get a meeting created and
 * guarded by the hub (waiting room / lobby enforced); the others are links the provider supplies.
 */
public enum VideoPlatform {
  ZOOM(true, true, false),
  TEAMS(true, true, false),
  DOXY(false, true, false),
  VSEE(false, true, false),
  ZOOM_PERSONAL_LINK(false, true, false),
  GOOGLE_MEET(false, true, false),
  SKYPE(false, false, false),
  WHATSAPP(false, false, false),
  FACETIME(false, false, true);

  private final boolean hubManaged;
  private final boolean baaCapable;
  private final boolean appleOnly;

  VideoPlatform(boolean hubManaged, boolean baaCapable, boolean appleOnly) {
    this.hubManaged = hubManaged;
    this.baaCapable = baaCapable;
    this.appleOnly = appleOnly;
  }

  /**
   * The hub creates the meeting through the practice's connected account and enforces its waiting
   * room.
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

  /** Link services need the provider's URL; hub-managed ones get theirs from the meeting. */
  public boolean needsUrl() {
    return !hubManaged;
  }
}
