-- A provider's own account on a vendor, authorised by the provider (user-level OAuth: authorization
-- code with PKCE), next to the practice-level connection. Both tokens are sealed with AES-256-GCM
-- (SecretBox) bound to practice + provider + vendor; neither is ever stored in clear. Zoom rotates
-- the refresh token on every refresh: the row is locked (select ... for update) while it is spent,
-- and the new one is stored in the same transaction as the new access token.
create table provider_token (
    practice_id       uuid                     not null references practice (id),
    provider_id       uuid                     not null references staff (id),
    kind              varchar(16)              not null,
    -- the vendor's id of the authorising user (Zoom user id)
    account_ref       varchar(200)             not null,
    refresh_sealed    varchar(8000)            not null,
    access_sealed     varchar(8000)            not null,
    access_expires_at timestamp with time zone not null,
    status            varchar(24)              not null,
    status_reason     varchar(500),
    authorized_at     timestamp with time zone not null,
    refreshed_at      timestamp with time zone,
    updated_at        timestamp with time zone not null,
    primary key (practice_id, provider_id, kind),
    constraint provider_token_kind_known check (kind in ('ZOOM', 'MICROSOFT')),
    constraint provider_token_status_known check (status in ('CONNECTED', 'NEEDS_REAUTHORIZATION'))
);

-- Authorisations in flight. The state travels through the provider's browser and comes back on the
-- callback, where it is the only credential: stored as a hash, single use (used_at), ten minutes.
-- The PKCE code verifier never leaves the hub; it is sealed here until the callback spends it.
create table oauth_state (
    state_hash      varchar(64)              primary key,
    practice_id     uuid                     not null references practice (id),
    provider_id     uuid                     not null references staff (id),
    kind            varchar(16)              not null,
    verifier_sealed varchar(1000)            not null,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    used_at         timestamp with time zone
);
create index oauth_state_by_expiry on oauth_state (expires_at);
