-- Which agencies take part in the activities with a partner: one row per partner
-- link and participating agency (the lead's own agency is on the link itself).
-- A partner's dossier read "links owned in scope, or with an agency in scope
-- taking part" by probing activity_agencies once per link: ~25,000 probes for a
-- busy partner once one activity in five is shared (dossier p99 20 → 104 ms on
-- SQLite at 1,000,000 activities). With this table the shared ones are one index
-- range (partner, agency) per agency in scope, read once per query.
-- Kept by every write of an activity's links (create, edit, trash, restore,
-- partner merge); trashed activities have no partner links, so no rows here.
CREATE TABLE activity_partner_agencies (
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    PRIMARY KEY (partner_id, agency_id, activity_id)
);
CREATE INDEX activity_partner_agencies_activity ON activity_partner_agencies (activity_id);
INSERT INTO activity_partner_agencies (partner_id, agency_id, activity_id)
    SELECT ap.partner_id, aa.agency_id, ap.activity_id
    FROM activity_partners ap JOIN activity_agencies aa ON aa.activity_id = ap.activity_id;
