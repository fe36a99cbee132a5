-- Activities: order by start without a leading deleted_at. Nearly every row has
-- deleted_at NULL, so an index led by it made SQLite's planner scan the table for
-- "the activities of these agencies" (measured at 100,000 activities: 260 ms →
-- 5 ms for the count, 210 ms → 2 ms for the newest 50; the month 4 ms).
DROP INDEX activities_recent;
CREATE INDEX activities_start ON activities (starts_at, id);
