-- Crises: an event that puts many citizens in one area at risk at once, with
-- the registry of the citizens in the area. A crisis is seen through the
-- mission (or agency) in charge, as a case is.
CREATE TABLE crises (
    id {uuid} PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    phase TEXT NOT NULL,
    is_open {bool} NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries(alpha2),
    area TEXT NOT NULL,
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    -- The officer coordinating the registry: on its team.
    officer_id {uuid} REFERENCES users(id),
    started_on {date} NOT NULL,
    closed_at {ts},
    note TEXT,
    -- When retention removed the registry's personal data (counts stay).
    personal_purged_at {ts},
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts}
);
CREATE INDEX crises_agency ON crises (agency_id, started_on);
CREATE INDEX crises_closed ON crises (closed_at);

-- The registry. `sealed` is the person's data, encrypted as a case's people
-- are; `status`, `place` (a city, district or shelter, never an address) and
-- `transport` (the flight or bus out) are what the boards count, in clear.
-- `passport_key` and `name_key` are keyed digests (never the values) that
-- find the same person twice. A merged entry points at the one it was folded
-- into and is no longer counted.
CREATE TABLE crisis_people (
    id {uuid} PRIMARY KEY,
    crisis_id {uuid} NOT NULL REFERENCES crises(id),
    status TEXT NOT NULL,
    place TEXT NOT NULL,
    transport TEXT NOT NULL,
    sealed TEXT NOT NULL,
    passport_key TEXT,
    name_key TEXT,
    merged {bool} NOT NULL,
    merged_into {uuid},
    case_id {uuid} REFERENCES protection_cases(id),
    source TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid}
);
-- The counts: one crisis's entries by status and place, from the index alone.
CREATE INDEX crisis_people_counts ON crisis_people (crisis_id, merged, status, place);
CREATE INDEX crisis_people_passport ON crisis_people (crisis_id, passport_key);
CREATE INDEX crisis_people_name ON crisis_people (crisis_id, name_key);
CREATE INDEX crisis_people_transport ON crisis_people (crisis_id, merged, transport);
-- One person across every crisis (the data-subject export).
CREATE INDEX crisis_people_passport_any ON crisis_people (passport_key);
CREATE INDEX crisis_people_name_any ON crisis_people (name_key);

-- Colleagues named on a crisis's team: they see the registry's personal data.
CREATE TABLE crisis_team (
    crisis_id {uuid} NOT NULL REFERENCES crises(id),
    user_id {uuid} NOT NULL REFERENCES users(id),
    added_at {ts} NOT NULL,
    added_by {uuid},
    PRIMARY KEY (crisis_id, user_id)
);
CREATE INDEX crisis_team_user ON crisis_team (user_id);

-- Every opening of the registry's personal data (a page of it, or a
-- manifest): who, when, what.
CREATE TABLE crisis_openings (
    id {uuid} PRIMARY KEY,
    crisis_id {uuid} NOT NULL REFERENCES crises(id),
    user_id {uuid} NOT NULL,
    user_name TEXT NOT NULL,
    what TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX crisis_openings_crisis ON crisis_openings (crisis_id, at);

-- The widest list (a reader who sees every case), newest first.
CREATE INDEX protection_cases_opened ON protection_cases (opened_at);

-- A commitment may come from a protection case (promised to the foreign
-- authority, or to be raised with the country).
ALTER TABLE commitments ADD COLUMN protection_case_id {uuid} REFERENCES protection_cases(id);

-- A line the next meeting with the case's country should raise, written by
-- the team for the country's briefing (no personal data).
ALTER TABLE protection_cases ADD COLUMN talking_point TEXT;

-- Keyed digests of the names and document numbers of cases' people, so the
-- team finds a case by a person's full name or passport without the search
-- index or this table holding either.
CREATE TABLE protection_lookup (
    digest TEXT NOT NULL,
    person_id {uuid} NOT NULL REFERENCES protection_people(id),
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    PRIMARY KEY (digest, person_id)
);
CREATE INDEX protection_lookup_person ON protection_lookup (person_id);
CREATE INDEX protection_lookup_case ON protection_lookup (case_id);
