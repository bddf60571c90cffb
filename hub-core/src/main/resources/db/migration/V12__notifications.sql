-- Notifications (docs/NOTIFICATIONS.md): confirmations, reschedule and cancellation notices and
-- reminders, one row per appointment, recipient, purpose, channel and the appointment version it
-- was planned for. The outbox handler plans rows (exactly once per version); the notification
-- route sends due rows one node at a time under a lease. Contents are rendered at send time and
-- never stored: the rows hold no names, addresses or text.

create table notification (
    id                  uuid primary key,
    practice_id         uuid                     not null references practice (id),
    appointment_id      uuid                     not null references appointment (id),
    recipient_kind      varchar(16)              not null,
    recipient_id        uuid                     not null,
    purpose             varchar(16)              not null,
    channel             varchar(8)               not null,
    -- the appointment version the row was planned (or last re-timed) for
    appointment_version bigint                   not null,
    -- the session start the row was planned for (a reminder follows it; a move re-times it)
    session_start       timestamp with time zone not null,
    due_at              timestamp with time zone not null,
    state               varchar(16)              not null,
    -- sends begun: raised and committed before each send (the intent), so a crash is visible
    attempts            int                      not null,
    attempted_at        timestamp with time zone,
    lease_owner         varchar(64),
    lease_until         timestamp with time zone,
    last_error          varchar(500),
    sent_at             timestamp with time zone,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    constraint notification_recipient_known check (recipient_kind in ('CLIENT', 'PROVIDER')),
    constraint notification_purpose_known
        check (purpose in ('CONFIRMATION', 'RESCHEDULED', 'CANCELLED', 'REMINDER')),
    constraint notification_channel_known check (channel in ('EMAIL', 'SMS')),
    constraint notification_state_known
        check (state in ('PENDING', 'SENT', 'SKIPPED', 'FAILED', 'SUPERSEDED')),
    -- one plan per version: a replayed or repeated planning cannot add a second row
    constraint notification_once
        unique (appointment_id, recipient_kind, recipient_id, purpose, channel, appointment_version)
);

create index notification_due on notification (state, due_at);
create index notification_by_appointment on notification (appointment_id, created_at);

-- The newest appointment version the planner has seen: older versions (a replayed dead letter)
-- plan nothing, and the sender waits while a newer version is not planned yet.
create table notification_plan (
    appointment_id  uuid primary key references appointment (id),
    planned_version bigint                   not null,
    updated_at      timestamp with time zone not null
);

-- Per-practice reminder settings; a practice without a row has the defaults (20 minutes, no SMS).
create table notification_settings (
    practice_id      uuid primary key references practice (id),
    reminder_minutes int                      not null,
    sms_enabled      boolean                  not null,
    updated_at       timestamp with time zone not null,
    constraint notification_settings_minutes check (reminder_minutes between 15 and 30)
);
