-- The yearly delegation plan's planned delegations: outgoing or incoming, a
-- partner, the head's level, a month and the lead agency; matched by an
-- officer to the activity that carried it out (`activity_id`), or dropped
-- with a reason. A planned delegation is part of its plan: whoever sees the
-- plan sees it, within its classification (never below the plan's, nor below
-- its partner's or its matched activity's).
CREATE TABLE plan_delegations (
    id {uuid} PRIMARY KEY,
    plan_id {uuid} NOT NULL REFERENCES plans(id),
    direction TEXT NOT NULL,
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    head_level TEXT,
    month {date} NOT NULL,
    lead_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    purpose TEXT,
    activity_id {uuid} REFERENCES activities(id),
    matched_by {uuid},
    matched_at {ts},
    dropped {bool} NOT NULL,
    drop_reason TEXT,
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX plan_delegations_plan ON plan_delegations (plan_id, month);
CREATE INDEX plan_delegations_activity ON plan_delegations (activity_id);
