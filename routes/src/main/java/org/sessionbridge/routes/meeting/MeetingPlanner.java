package org.sessionbridge.routes.meeting;

import java.util.Set;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * The outbox handler of the meeting route: records what each appointment version wants (a meeting
 * on Zoom, none, another one). Only database writes, inside the delivery transaction, so each
 * version is planned exactly once; the platform calls happen later in {@link MeetingRoute}.
 */
public final class MeetingPlanner implements AppointmentChangeHandler {

  public static final String NAME = "meeting-plan";

  private final MeetingStore store;
  private final Set<VideoPlatform> managed;

  public MeetingPlanner(MeetingStore store, Set<VideoPlatform> managed) {
    this.store = store;
    this.managed = Set.copyOf(managed);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onChange(AppointmentChange change) {
    store.plan(change, managed);
  }
}
