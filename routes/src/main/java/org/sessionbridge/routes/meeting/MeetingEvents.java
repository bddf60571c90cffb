package org.sessionbridge.routes.meeting;

import java.util.UUID;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.practice.VideoPlatform;

/** What the meeting route tells the rest of the hub. Called outside any transaction. */
public interface MeetingEvents {

  /** The appointment's join link appeared, changed or went away (feeds must be re-rendered). */
  void joinLinkChanged(MeetingWork work);

  /** The practice's connection to {@code platform} was refused: the practice must reconnect. */
  void connectionRefused(UUID practiceId, VideoPlatform platform, String reason);

  MeetingEvents NONE =
      new MeetingEvents() {
        @Override
        public void joinLinkChanged(MeetingWork work) {}

        @Override
        public void connectionRefused(UUID practiceId, VideoPlatform platform, String reason) {}
      };
}
