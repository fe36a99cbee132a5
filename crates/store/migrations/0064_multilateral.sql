-- Multilateral diplomacy: mechanisms as a tree (reference data with a source
-- for every membership date, kept by administrators), the roles Vietnam has
-- held in them, candidacies seen through the agency leading the campaign,
-- and every country's pledge, seen by whoever sees the candidacy within the
-- pledge's own classification (never below the candidacy's).
CREATE TABLE mechanisms (
    id {uuid} PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    parent_id {uuid} REFERENCES mechanisms(id),
    kind TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    abbreviation TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    standing TEXT NOT NULL,
    -- Since when Vietnam belongs, as precisely as known (year, month, day).
    since_on {date},
    since_precision TEXT,
    -- Where the membership and its date are stated.
    source TEXT NOT NULL,
    -- The partner record of the organisation, where one exists.
    partner_id {uuid} REFERENCES partners(id),
    note TEXT,
    -- Shipped with Kiềng (`data/reference/mechanisms.csv`), or added here.
    shipped {bool} NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    retired_at {ts}
);
CREATE INDEX mechanisms_parent ON mechanisms (parent_id);
CREATE INDEX mechanisms_partner ON mechanisms (partner_id);

-- Roles held: chair or host, seats with terms, committee chairs, posts held
-- by Vietnamese nationals. A hosted event may have its organising committee
-- (an agency) and its programme (a plan).
CREATE TABLE mechanism_roles (
    id {uuid} PRIMARY KEY,
    mechanism_id {uuid} NOT NULL REFERENCES mechanisms(id),
    kind TEXT NOT NULL,
    title_vi TEXT NOT NULL,
    title_en TEXT NOT NULL,
    starts_on {date} NOT NULL,
    starts_precision TEXT NOT NULL,
    ends_on {date},
    ends_precision TEXT,
    holder TEXT,
    source TEXT NOT NULL,
    agency_id {uuid} REFERENCES agencies(id),
    plan_id {uuid} REFERENCES plans(id),
    shipped {bool} NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts}
);
CREATE INDEX mechanism_roles_mechanism ON mechanism_roles (mechanism_id, starts_on);
CREATE INDEX mechanism_roles_starts ON mechanism_roles (starts_on);

-- Candidacies: a post sought in a mechanism, led by an agency.
CREATE TABLE candidacies (
    id {uuid} PRIMARY KEY,
    mechanism_id {uuid} NOT NULL REFERENCES mechanisms(id),
    post TEXT NOT NULL,
    post_fold TEXT NOT NULL,
    term TEXT,
    election_on {date},
    method TEXT,
    -- "un": the UN's members vote; "other": `electorate_size` voters.
    electorate TEXT NOT NULL,
    electorate_size INTEGER NOT NULL,
    votes_needed INTEGER NOT NULL,
    -- The competing candidates, a JSON list of names.
    competitors TEXT NOT NULL,
    status TEXT NOT NULL,
    status_note TEXT,
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    note TEXT,
    classification SMALLINT NOT NULL,
    secret_item_id {uuid} REFERENCES secret_items(id),
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX candidacies_owner ON candidacies (owner_agency_id, election_on);
CREATE INDEX candidacies_mechanism ON candidacies (mechanism_id);

-- Pledges: each word a country gave, to Vietnam's candidate (`competitor`
-- empty) or to a competitor; the board counts each country's latest.
-- `classification` is never below the candidacy's (a copy of its floor).
CREATE TABLE pledges (
    id {uuid} PRIMARY KEY,
    candidacy_id {uuid} NOT NULL REFERENCES candidacies(id),
    country_code TEXT NOT NULL REFERENCES countries(alpha2),
    partner_id {uuid} REFERENCES partners(id),
    support TEXT NOT NULL,
    given_on {date} NOT NULL,
    channel TEXT,
    activity_id {uuid} REFERENCES activities(id),
    competitor TEXT NOT NULL,
    note TEXT,
    classification SMALLINT NOT NULL,
    secret_item_id {uuid} REFERENCES secret_items(id),
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX pledges_board ON pledges (candidacy_id, classification);
CREATE INDEX pledges_country ON pledges (country_code, given_on);
CREATE INDEX pledges_activity ON pledges (activity_id);

-- Meetings of a mechanism: activities linked to it.
CREATE TABLE mechanism_activities (
    mechanism_id {uuid} NOT NULL REFERENCES mechanisms(id),
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    PRIMARY KEY (mechanism_id, activity_id)
);
CREATE INDEX mechanism_activities_activity ON mechanism_activities (activity_id);

-- Outcomes: documents adopted and Vietnam's initiatives, seen through the
-- agency that recorded them.
CREATE TABLE mechanism_outcomes (
    id {uuid} PRIMARY KEY,
    mechanism_id {uuid} NOT NULL REFERENCES mechanisms(id),
    activity_id {uuid} REFERENCES activities(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    adopted_on {date} NOT NULL,
    note TEXT,
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts}
);
CREATE INDEX mechanism_outcomes_mechanism ON mechanism_outcomes (mechanism_id, adopted_on);

-- A commitment made in a forum, or promised in return for a pledge.
ALTER TABLE commitments ADD COLUMN mechanism_id {uuid} REFERENCES mechanisms(id);
ALTER TABLE commitments ADD COLUMN pledge_id {uuid} REFERENCES pledges(id);
CREATE INDEX commitments_pledge ON commitments (pledge_id);
CREATE INDEX commitments_mechanism ON commitments (mechanism_id);
-- The UN's members, with their date of admission (`data/reference/un-members.csv`).
ALTER TABLE countries ADD COLUMN un_admitted {date};
