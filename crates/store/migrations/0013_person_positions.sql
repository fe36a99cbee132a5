-- People in the partner registry (partners of kind 'person'): the positions they
-- held over time, each at a partner (organisation, country, party…) when known.
CREATE TABLE person_positions (
    id {uuid} PRIMARY KEY,
    person_id {uuid} NOT NULL REFERENCES partners(id),
    organisation_id {uuid} REFERENCES partners(id),
    title TEXT NOT NULL,
    from_date {date},
    from_precision TEXT,
    to_date {date},
    to_precision TEXT,
    source TEXT,
    note TEXT,
    created_at {ts} NOT NULL,
    created_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX person_positions_person ON person_positions (person_id);
CREATE INDEX person_positions_organisation ON person_positions (organisation_id);
