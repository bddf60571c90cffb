-- A Teams meeting is read under its organizer: the hub keeps "{organizer}/{Graph meeting id}",
-- which runs to about 190 characters (Zoom's ids fit in 64).
alter table meeting alter column meeting_id set data type varchar(512);
alter table meeting_audit alter column meeting_id set data type varchar(512);
