-- Providers' Google accounts (calendar links) keep their refresh token in provider_token, sealed
-- like Zoom's. Google does not rotate refresh tokens; the row lock still makes one refresh serve
-- every thread and node.
alter table provider_token drop constraint provider_token_kind_known;
alter table provider_token add constraint provider_token_kind_known
    check (kind in ('ZOOM', 'MICROSOFT', 'GOOGLE'));

-- The push channel (events.watch) of a link: Google echoes our channel id and token on every
-- notification to /webhooks/google. The token is a secret: only its SHA-256 is kept.
alter table calendar_link add column channel_id varchar(64);
alter table calendar_link add column channel_token_hash varchar(64);
create unique index calendar_link_by_channel on calendar_link (channel_id);
