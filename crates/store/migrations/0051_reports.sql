-- Review reports: a scope and a period whose figures are computed from the
-- records, narrative parts kept revision by revision, and the workflow draft
-- → submitted → approved. A submission freezes the figures and parts it was
-- made with (`report_snapshots`); the approved report shows its snapshot for
-- ever. An approved report takes the next number of its issuing agency's
-- register for the year (`document_numbers`, one sequence per agency and
-- year, as Decree 30/2020 numbers documents).
CREATE TABLE reports (
    id {uuid} PRIMARY KEY,
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_from {date} NOT NULL,
    period_to {date} NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_ref TEXT,
    recipients TEXT NOT NULL,
    signer_position TEXT NOT NULL,
    signer_name TEXT,
    copies_to TEXT NOT NULL,
    urgency TEXT,
    status TEXT NOT NULL,
    status_note TEXT,
    snapshot_id {uuid},
    number_year INTEGER,
    number_seq INTEGER,
    number_symbol TEXT,
    approved_at {ts},
    approved_by {uuid},
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
CREATE INDEX reports_owner ON reports (owner_agency_id, period_from);
CREATE INDEX reports_period ON reports (period_from, id);

CREATE TABLE report_texts (
    id {uuid} PRIMARY KEY,
    report_id {uuid} NOT NULL REFERENCES reports(id),
    part TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE UNIQUE INDEX report_texts_revision ON report_texts (report_id, part, revision);

CREATE TABLE report_snapshots (
    id {uuid} PRIMARY KEY,
    report_id {uuid} NOT NULL REFERENCES reports(id),
    figures TEXT NOT NULL,
    texts TEXT NOT NULL,
    holds SMALLINT NOT NULL,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX report_snapshots_report ON report_snapshots (report_id, at);

CREATE TABLE document_numbers (
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    title TEXT NOT NULL,
    issued_on {date} NOT NULL,
    classification SMALLINT NOT NULL,
    at {ts} NOT NULL,
    actor_id {uuid},
    PRIMARY KEY (agency_id, year, seq)
);
