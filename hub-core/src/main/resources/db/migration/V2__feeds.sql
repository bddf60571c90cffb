-- ICS subscription feeds and the practice settings they need.

-- Where in-person sessions happen, and how provider feeds label clients (minimum necessary).
alter table practice add column location varchar(500);
alter table practice add column feed_client_label varchar(16) default 'INITIALS' not null;
alter table practice add constraint practice_feed_client_label_known
    check (feed_client_label in ('INITIALS', 'REFERENCE', 'NONE'));

-- A secret subscription URL. Only the SHA-256 of the secret is stored; a revoked feed keeps its row
-- so its URL answers 410 Gone (calendar apps then stop polling) instead of 404.
create table feed (
    id          uuid primary key,
    practice_id uuid                     not null references practice (id),
    owner_kind  varchar(16)              not null,
    owner_id    uuid                     not null,
    secret_hash varchar(64)              not null,
    label       varchar(100),
    created_at  timestamp with time zone not null,
    revoked_at  timestamp with time zone,
    constraint feed_owner_kind_known check (owner_kind in ('PROVIDER', 'CLIENT')),
    constraint feed_secret_hash_unique unique (secret_hash)
);
create index feed_by_owner on feed (practice_id, owner_kind, owner_id);

-- When location or labelling last changed: feeds date their content from it.
alter table practice add column settings_updated_at timestamp with time zone;
