-- Connected vendor accounts of a practice (Zoom Server-to-Server app, Microsoft 365 tenant). The
-- client secret is sealed with AES-256-GCM (SecretBox) bound to this row; never stored in clear.
create table connection (
    practice_id   uuid                     not null references practice (id),
    kind          varchar(16)              not null,
    account_ref   varchar(200)             not null,
    client_id     varchar(200)             not null,
    secret_sealed varchar(2000)            not null,
    status        varchar(24)              not null,
    checked_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null,
    primary key (practice_id, kind),
    constraint connection_kind_known check (kind in ('ZOOM', 'MICROSOFT'))
);
