-- Agreements, the commitments that follow from them, and the days that do not
-- follow the ordinary working week (issue 5).

-- Holidays and compensating working days, kept by administrators year by year.
CREATE TABLE calendar_days (
    day {date} PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid}
);

CREATE TABLE agreements (
    id {uuid} PRIMARY KEY,
    kind TEXT NOT NULL,
    title_vi TEXT NOT NULL,
    title_en TEXT,
    -- Both titles folded (diacritics and case removed), for the list filter.
    title_fold TEXT NOT NULL,
    -- The agency that signed it or keeps the record: scope is decided on it.
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    -- Signed by a province or a provincial body: the Law of 2020's steps apply.
    provincial {bool} NOT NULL,
    signatory TEXT,
    signatory_level TEXT,
    place TEXT,
    -- The latest entry of the history, and the dates read from it.
    status TEXT NOT NULL,
    status_on {date} NOT NULL,
    signed_on {date},
    in_force_on {date},
    expires_on {date},
    term TEXT,
    renewal TEXT NOT NULL,
    legal_basis TEXT,
    notes TEXT,
    activity_id {uuid} REFERENCES activities(id),
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX agreements_owner ON agreements (owner_agency_id, signed_on);
CREATE INDEX agreements_expiry ON agreements (expires_on);
CREATE INDEX agreements_activity ON agreements (activity_id);

CREATE TABLE agreement_partners (
    agreement_id {uuid} NOT NULL REFERENCES agreements(id),
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    PRIMARY KEY (agreement_id, partner_id)
);
CREATE INDEX agreement_partners_partner ON agreement_partners (partner_id);

CREATE TABLE agreement_agencies (
    agreement_id {uuid} NOT NULL REFERENCES agreements(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (agreement_id, agency_id)
);
CREATE INDEX agreement_agencies_agency ON agreement_agencies (agency_id);

-- The dated status history (oldest first by on_date, then by at).
CREATE TABLE agreement_statuses (
    id {uuid} PRIMARY KEY,
    agreement_id {uuid} NOT NULL REFERENCES agreements(id),
    status TEXT NOT NULL,
    on_date {date} NOT NULL,
    note TEXT,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX agreement_statuses_agreement ON agreement_statuses (agreement_id, on_date);

-- Steps of a provincial agreement: opinions requested and answered, the decision
-- to sign, the report to the Prime Minister.
CREATE TABLE agreement_steps (
    id {uuid} PRIMARY KEY,
    agreement_id {uuid} NOT NULL REFERENCES agreements(id),
    kind TEXT NOT NULL,
    body TEXT,
    requested_on {date},
    done_on {date},
    reference TEXT,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX agreement_steps_agreement ON agreement_steps (agreement_id);

CREATE TABLE commitments (
    id {uuid} PRIMARY KEY,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    detail TEXT,
    source TEXT NOT NULL,
    activity_id {uuid} REFERENCES activities(id),
    agreement_id {uuid} REFERENCES agreements(id),
    plan TEXT,
    partner_id {uuid} REFERENCES partners(id),
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    -- The agency owning the activity or agreement it came from: its readers see it too.
    source_agency_id {uuid} REFERENCES agencies(id),
    responsible TEXT,
    responsible_user_id {uuid} REFERENCES users(id),
    due_on {date} NOT NULL,
    status TEXT NOT NULL,
    -- Open or in progress: the board reads open commitments by deadline on one index.
    is_open {bool} NOT NULL,
    status_note TEXT,
    done_on {date},
    classification SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
-- The board: open commitments by deadline, covering what it groups by (owner,
-- partner) and filters on (clearance), so its counts never read the table.
CREATE INDEX commitments_open ON commitments (is_open, due_on, classification, owner_agency_id, partner_id)
    WHERE deleted_at IS NULL;
CREATE INDEX commitments_owner ON commitments (owner_agency_id, is_open, due_on);
CREATE INDEX commitments_source_agency ON commitments (source_agency_id, is_open, due_on);
CREATE INDEX commitments_user ON commitments (responsible_user_id, is_open, due_on);
CREATE INDEX commitments_activity ON commitments (activity_id);
CREATE INDEX commitments_agreement ON commitments (agreement_id);
CREATE INDEX commitments_partner ON commitments (partner_id, is_open, due_on);

-- Dated progress notes, status changes among them.
CREATE TABLE commitment_notes (
    id {uuid} PRIMARY KEY,
    commitment_id {uuid} NOT NULL REFERENCES commitments(id),
    note TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX commitment_notes_commitment ON commitment_notes (commitment_id, at);
