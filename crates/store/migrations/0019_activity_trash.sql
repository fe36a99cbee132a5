-- Partner links of activities in the trash. A deleted activity's links leave
-- activity_partners (which every partner-side list, tally and warning reads), so
-- nothing counts it; they wait here and go back on restore, in the same transaction.
CREATE TABLE activity_partners_trashed (
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    PRIMARY KEY (activity_id, partner_id)
);
CREATE INDEX activities_trash ON activities (deleted_at) WHERE deleted_at IS NOT NULL;
