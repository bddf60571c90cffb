-- What Google answered to events.watch for the link's current channel: the resource id that
-- channels.stop needs and when the channel expires. The calendar-channels route opens a new channel
-- well before that and then stops the old one, whose id and resource id wait here until it is
-- stopped. channel_due_at is when the route looks at the link again: a short lease while a node
-- works on it, the backoff after a failure.
alter table calendar_link add column channel_resource_id varchar(256);
alter table calendar_link add column channel_expires_at timestamp with time zone;
alter table calendar_link add column old_channel_id varchar(64);
alter table calendar_link add column old_channel_resource_id varchar(256);
alter table calendar_link add column channel_due_at timestamp with time zone;
alter table calendar_link add column channel_attempts int default 0 not null;
alter table calendar_link add column channel_error varchar(1000);
create index calendar_link_channel_expiry on calendar_link (channel_expires_at);
