-- "The newest activities I may see" reads each agency in scope newest first and
-- counts its activities: with start, id, deletion, clearance and pillar in the
-- owner index, SQLite counts an agency's five thousand activities from the index
-- alone and takes its newest fifty without a sort. It replaces activities_owner
-- (owner_agency_id, starts_at), whose order it keeps.
DROP INDEX activities_owner;
CREATE INDEX activities_owner ON activities (owner_agency_id, starts_at, id, deleted_at, classification, pillar);
