-- Citizen protection cases. A case is owned by the mission (or agency) in
-- charge and seen also through the agency that took it in (the hotline's);
-- both are on the row, as a commitment's owner and source are. Nothing
-- personal is held here in clear: names, birth dates, document numbers,
-- contacts and health are in `protection_people.sealed`, encrypted with a key
-- held outside the database.
CREATE TABLE protection_cases (
    id {uuid} PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    intake_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    source TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    is_open {bool} NOT NULL,
    summary TEXT NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries(alpha2),
    place TEXT,
    authority_partner_id {uuid} REFERENCES partners(id),
    legal_entity TEXT,
    officer_id {uuid} REFERENCES users(id),
    opened_at {ts} NOT NULL,
    first_contact_due {ts} NOT NULL,
    first_contact_at {ts},
    next_action TEXT,
    next_action_due {date},
    closed_at {ts},
    -- A legal hold keeps the personal data past the retention period.
    legal_hold {bool} NOT NULL,
    -- When retention removed its people's personal data (the case stays).
    personal_purged_at {ts},
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
-- The lists: a scope's open cases by intake, newest first.
CREATE INDEX protection_cases_agency ON protection_cases (agency_id, opened_at);
CREATE INDEX protection_cases_intake ON protection_cases (intake_agency_id, opened_at);
CREATE INDEX protection_cases_open ON protection_cases (is_open, first_contact_due);
CREATE INDEX protection_cases_country ON protection_cases (country_code, is_open);
CREATE INDEX protection_cases_officer ON protection_cases (officer_id, is_open);
-- Retention: closed cases by when they closed.
CREATE INDEX protection_cases_closed ON protection_cases (closed_at);

-- The people of a case; `sealed` is their personal data, encrypted
-- (`store::protection::seal`): "<key id>.<base64 of nonce and ciphertext>".
CREATE TABLE protection_people (
    id {uuid} PRIMARY KEY,
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    sealed TEXT NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    deleted_at {ts}
);
CREATE INDEX protection_people_case ON protection_people (case_id, position);

-- Colleagues named on a case's team (beside its officer and the leaders in
-- charge): they see its personal data.
CREATE TABLE protection_team (
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    user_id {uuid} NOT NULL REFERENCES users(id),
    added_at {ts} NOT NULL,
    added_by {uuid},
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX protection_team_user ON protection_team (user_id);

-- The timeline: what was done, when, by whom.
CREATE TABLE protection_actions (
    id {uuid} PRIMARY KEY,
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    kind TEXT NOT NULL,
    at {ts} NOT NULL,
    note TEXT NOT NULL,
    first_contact {bool} NOT NULL,
    move TEXT,
    by_user {uuid},
    by_name TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX protection_actions_case ON protection_actions (case_id, at);

-- Every opening of a case's personal data: who, when (the audit chain
-- carries each too, as action "open_personal").
CREATE TABLE protection_openings (
    id {uuid} PRIMARY KEY,
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    user_id {uuid} NOT NULL,
    user_name TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX protection_openings_case ON protection_openings (case_id, at);

-- The citizen protection fund on a case: advances, payments, repayments.
-- Amounts are exact, in ten-thousandths of their currency; `amount_vnd_e4` is
-- the value in VND the totals add up. `approval` says which limit applied
-- ('mission' or 'consular') and `rule` the regulation cited for it then.
CREATE TABLE protection_fund (
    id {uuid} PRIMARY KEY,
    case_id {uuid} NOT NULL REFERENCES protection_cases(id),
    kind TEXT NOT NULL,
    amount_e4 BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_vnd_e4 BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    refundable {bool} NOT NULL,
    approved_by {uuid} REFERENCES users(id),
    approval TEXT,
    rule TEXT NOT NULL,
    on_date {date} NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid}
);
CREATE INDEX protection_fund_case ON protection_fund (case_id, on_date);
CREATE INDEX protection_fund_day ON protection_fund (on_date);

-- The personal-data keys this database was sealed with: each key's id and a
-- check value, so a server given another key refuses to start instead of
-- writing what no other server can read.
CREATE TABLE sealing_keys (
    key_id TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at {ts} NOT NULL
);

INSERT INTO counters (name, value) VALUES ('protection_rev', 0);
