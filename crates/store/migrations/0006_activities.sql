-- Activities of the three pillars (issue 4).

CREATE TABLE activity_types (
    code TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    builtin {bool} NOT NULL,
    created_at {ts} NOT NULL
);

CREATE TABLE activities (
    id {uuid} PRIMARY KEY,
    type_code TEXT NOT NULL REFERENCES activity_types(code),
    title TEXT NOT NULL,
    -- Title, places and people folded (diacritics and case removed), for the list filter.
    text_fold TEXT NOT NULL,
    pillar TEXT NOT NULL,
    lead_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    head_name TEXT,
    head_level TEXT,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    -- IANA zone the times were given in (the calendar shows them there).
    time_zone TEXT NOT NULL,
    country_code TEXT REFERENCES countries(alpha2),
    city TEXT,
    purpose TEXT,
    programme TEXT,
    inviting_party TEXT,
    funding TEXT,
    authority TEXT,
    decision_number TEXT,
    decision_date {date},
    approver TEXT,
    status TEXT NOT NULL,
    -- The reason of the last return or cancellation.
    status_note TEXT,
    submitted_at {ts},
    outcome TEXT,
    reported_at {ts},
    -- iCalendar SEQUENCE: raised on every change that a calendar shows.
    sequence INTEGER NOT NULL,
    owner_agency_id {uuid} NOT NULL,
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX activities_recent ON activities (deleted_at, starts_at, id);
CREATE INDEX activities_owner ON activities (owner_agency_id, starts_at);
CREATE INDEX activities_due ON activities (status, ends_at);

CREATE TABLE activity_agencies (
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (activity_id, agency_id)
);
CREATE INDEX activity_agencies_agency ON activity_agencies (agency_id);

-- The activity's span is copied here so "this partner's activities around a date"
-- is one index range.
CREATE TABLE activity_partners (
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    PRIMARY KEY (activity_id, partner_id)
);
CREATE INDEX activity_partners_partner ON activity_partners (partner_id, starts_at);

-- The head of delegation and the members, keyed by folded name to find double bookings.
CREATE TABLE activity_people (
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    name_key TEXT NOT NULL,
    name TEXT NOT NULL,
    position TEXT,
    head {bool} NOT NULL,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    PRIMARY KEY (activity_id, name_key)
);
CREATE INDEX activity_people_name ON activity_people (name_key, starts_at);

-- Every move in the workflow, with its reason.
CREATE TABLE activity_events (
    id {uuid} PRIMARY KEY,
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    transition TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX activity_events_activity ON activity_events (activity_id, at);

-- A coordinator's acknowledgement of one coordination warning, with a note.
CREATE TABLE warning_acks (
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    -- kind:other-activity-id (or kind alone), stable across recomputation.
    warning_key TEXT NOT NULL,
    note TEXT NOT NULL,
    at {ts} NOT NULL,
    actor_id {uuid},
    PRIMARY KEY (activity_id, warning_key)
);
