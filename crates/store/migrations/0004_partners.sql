-- Partners and relationship frameworks (issue 3).

CREATE TABLE framework_levels (
    code TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- Higher is closer; orders the levels in lists and charts.
    rank INTEGER NOT NULL,
    created_at {ts} NOT NULL
);

CREATE TABLE partners (
    id {uuid} PRIMARY KEY,
    kind TEXT NOT NULL,
    -- ISO alpha-2 for a country partner (unique), an organisation's code (EU, ASEAN…), else NULL.
    code TEXT UNIQUE,
    -- The country itself for a country partner; the home country of a party, locality, NGO…
    country_code TEXT REFERENCES countries(alpha2),
    name_vi TEXT NOT NULL,
    name_en TEXT,
    abbreviation TEXT,
    -- Every name and alias, folded (diacritics and case removed), for search.
    name_fold TEXT NOT NULL,
    neighbour {bool} NOT NULL,
    traditional_friend {bool} NOT NULL,
    notes TEXT,
    merged_into_id {uuid} REFERENCES partners(id),
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
CREATE INDEX partners_directory ON partners (deleted_at, name_fold, id, classification);
CREATE INDEX partners_country ON partners (country_code);

-- One row per name a partner answers to, keyed for duplicate detection.
CREATE TABLE partner_names (
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    -- name_vi | name_en | abbreviation | alias | iso
    source TEXT NOT NULL,
    PRIMARY KEY (partner_id, name_key)
);
CREATE INDEX partner_names_key ON partner_names (name_key);

CREATE TABLE partner_frameworks (
    id {uuid} PRIMARY KEY,
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    level_code TEXT NOT NULL REFERENCES framework_levels(code),
    since_date {date},
    since_precision TEXT,
    official_name TEXT,
    source TEXT,
    note TEXT,
    created_at {ts} NOT NULL,
    created_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX partner_frameworks_partner ON partner_frameworks (partner_id);
CREATE INDEX partner_frameworks_level ON partner_frameworks (level_code);

-- Vietnam's missions accredited to a partner, resident or concurrent.
CREATE TABLE partner_missions (
    partner_id {uuid} NOT NULL REFERENCES partners(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    resident {bool} NOT NULL,
    PRIMARY KEY (partner_id, agency_id)
);

INSERT INTO counters (name, value) VALUES ('partners_rev', 0);
