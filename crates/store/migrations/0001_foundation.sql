-- Kiềng foundation schema. Written once for both databases: {uuid} {ts} {date}
-- {bigint} {bool} are replaced per backend by migrate.rs. Never edit an applied
-- migration; add a new file.

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value {bigint} NOT NULL
);

CREATE TABLE countries (
    alpha2 TEXT PRIMARY KEY,
    alpha3 TEXT NOT NULL UNIQUE,
    numeric TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_fold TEXT NOT NULL
);

CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    valid_from {date},
    valid_to {date},
    successor_code TEXT REFERENCES provinces(code),
    iso_code TEXT,
    name_fold TEXT NOT NULL
);

CREATE TABLE agencies (
    id {uuid} PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    abbreviation TEXT,
    name_fold TEXT NOT NULL,
    pillar TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id {uuid} REFERENCES agencies(id),
    country_code TEXT REFERENCES countries(alpha2),
    province_code TEXT REFERENCES provinces(code),
    status TEXT NOT NULL,
    successor_id {uuid} REFERENCES agencies(id),
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
CREATE INDEX agencies_list ON agencies (deleted_at, name_fold);
CREATE INDEX agencies_parent ON agencies (parent_id);

CREATE TABLE agency_lineage (
    id {uuid} PRIMARY KEY,
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    kind TEXT NOT NULL,
    effective_date {date} NOT NULL,
    related_agency_id {uuid} REFERENCES agencies(id),
    old_name_vi TEXT,
    new_name_vi TEXT,
    new_name_en TEXT,
    note TEXT,
    created_at {ts} NOT NULL,
    created_by {uuid}
);
CREATE INDEX agency_lineage_agency ON agency_lineage (agency_id, effective_date);
CREATE INDEX agency_lineage_related ON agency_lineage (related_agency_id);

CREATE TABLE users (
    id {uuid} PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    clearance SMALLINT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password {bool} NOT NULL,
    locale TEXT NOT NULL,
    disabled_at {ts},
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid}
);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_seen_at {ts} NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    revoked_at {ts}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start {ts} NOT NULL,
    locked_until {ts}
);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq {bigint} NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq {bigint} PRIMARY KEY,
    id {uuid} NOT NULL UNIQUE,
    at {ts} NOT NULL,
    actor_id {uuid},
    actor_name TEXT,
    actor_agency_id {uuid},
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    owner_agency_id {uuid},
    classification SMALLINT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT,
    ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_at ON audit_log (at);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
INSERT INTO counters (name, value) VALUES ('agencies_rev', 0);
