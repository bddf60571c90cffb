-- A provider can link calendars that only count as busy time (a family or second work calendar)
-- next to the one that receives their sessions. Existing links receive sessions, as before.
alter table calendar_link add column receives_sessions boolean default true not null;

-- The same calendar linked twice would receive every session twice.
create unique index calendar_link_once on calendar_link (provider_id, kind, calendar_id);

-- After consenting on Google's screen a provider picks the calendars the hub uses. The page's form
-- carries this single-use token (stored as a hash, thirty minutes), the only credential of the
-- choice: it names the provider it was issued for.
create table calendar_choice (
    token_hash  varchar(64)              primary key,
    practice_id uuid                     not null references practice (id),
    provider_id uuid                     not null references staff (id),
    kind        varchar(16)              not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index calendar_choice_by_expiry on calendar_choice (expires_at);
