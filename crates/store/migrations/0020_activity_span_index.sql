-- "What overlaps this span" and "the newest first": the calendar reads a bounded
-- range of starts and tests each row's end, owner, clearance, deletion and status;
-- the pillar-wide lists read starts newest first and test owner and clearance.
-- With those columns in the index SQLite rejects a row it will not show without
-- reading it: a month at 1,000,000 activities reads ~19,000 index entries and a
-- few hundred rows (3 ms instead of 45 ms for one agency's reader). It replaces
-- activities_start (starts_at, id), whose order it keeps; it does not lead with
-- deleted_at, which misleads SQLite's planner (see 0009).
DROP INDEX activities_start;
CREATE INDEX activities_span ON activities (starts_at, ends_at, owner_agency_id, classification, deleted_at, status, pillar, type_code, id);
