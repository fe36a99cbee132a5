-- A participating agency's link carries its activity's start, as the partner
-- links do (migration 15): "activities shared with these agencies in this span"
-- is then one index range per agency. Without it a calendar span tested every
-- participation the scope ever had (a pillar's month with one activity in five
-- shared: 130 ms on SQLite at 1,000,000 activities). Every write of an activity
-- rewrites its links, so the copy follows the activity.
ALTER TABLE activity_agencies ADD COLUMN starts_at {ts};
UPDATE activity_agencies SET starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = activity_agencies.activity_id);
DROP INDEX activity_agencies_agency;
CREATE INDEX activity_agencies_span ON activity_agencies (agency_id, starts_at, activity_id);
