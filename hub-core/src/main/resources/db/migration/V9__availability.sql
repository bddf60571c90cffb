-- Providers' weekly working hours: sections of a week in the provider's own time zone (staff.time_zone),
-- each for in-person sessions, telehealth or both. Availability is these sections minus booked
-- sessions minus busy time from linked calendars; once a provider has sections, bookings outside them
-- are refused unless the practice forces them (docs/AVAILABILITY.md).

create table working_section (
    id          uuid primary key,
    practice_id uuid                     not null references practice (id),
    provider_id uuid                     not null references staff (id),
    -- ISO day of week: 1 = Monday ... 7 = Sunday
    day_of_week smallint                 not null,
    -- wall-clock times in the provider's zone; a section ends on the day it starts
    start_time  time                     not null,
    end_time    time                     not null,
    modality    varchar(16)              not null,
    -- the video services offered in the section, comma-separated; null = all the provider's services
    platforms   varchar(500),
    created_at  timestamp with time zone not null,
    constraint working_section_day_known check (day_of_week between 1 and 7),
    constraint working_section_ends_after_start check (end_time > start_time),
    constraint working_section_modality_known check (modality in ('IN_PERSON', 'TELEHEALTH', 'BOTH'))
);

create index working_section_by_provider on working_section (practice_id, provider_id, day_of_week);

