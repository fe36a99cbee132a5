-- A participating agency's link carries what its activity is seen and listed
-- by — owner, classification, pillar and deletion — as it carries the start
-- (migration 22) and as the partner links do (migration 15). The plain list's
-- total counts "activities shared with this scope, owned outside it" from this
-- index alone; it had read each activity's row to test it: an agency with a
-- thousand participations took 6–7 ms on SQLite at 1,000,000 activities, the
-- largest share of the first read of "the newest activities I may see". Every
-- write of an activity rewrites its links, and the trash sets and clears the
-- deletion on them, so the copy follows the activity. Run with the change
-- logs' triggers dropped and put back (`Step::Quiet`): no record changes, so
-- no server re-indexes a shared activity or drops a kept list for it.
ALTER TABLE activity_agencies ADD COLUMN owner_agency_id {uuid};
ALTER TABLE activity_agencies ADD COLUMN classification SMALLINT;
ALTER TABLE activity_agencies ADD COLUMN pillar TEXT;
ALTER TABLE activity_agencies ADD COLUMN deleted_at {ts};
UPDATE activity_agencies SET
    owner_agency_id = (SELECT a.owner_agency_id FROM activities a WHERE a.id = activity_agencies.activity_id),
    classification = (SELECT a.classification FROM activities a WHERE a.id = activity_agencies.activity_id),
    pillar = (SELECT a.pillar FROM activities a WHERE a.id = activity_agencies.activity_id),
    deleted_at = (SELECT a.deleted_at FROM activities a WHERE a.id = activity_agencies.activity_id);
DROP INDEX activity_agencies_span;
CREATE INDEX activity_agencies_span ON activity_agencies
    (agency_id, starts_at, activity_id, owner_agency_id, classification, deleted_at, pillar);
