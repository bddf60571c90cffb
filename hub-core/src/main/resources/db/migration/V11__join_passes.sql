-- Time-boxed join links: each participant of a telehealth session gets /join/{token}, which sends
-- them to the platform's join URL only around the session. The token is kept in clear: it guards
-- the meeting URL (kept in clear in meeting.join_url) and must be written again into every feed
-- and reminder, which a hash would not allow. One token per participant per appointment.
create table join_pass (
    token            varchar(64)              primary key,
    practice_id      uuid                     not null references practice (id),
    appointment_id   uuid                     not null references appointment (id),
    participant_kind varchar(16)              not null,
    participant_id   uuid                     not null,
    created_at       timestamp with time zone not null,
    constraint join_pass_kind_known check (participant_kind in ('CLIENT', 'PROVIDER')),
    constraint join_pass_once unique (appointment_id, participant_kind, participant_id)
);
