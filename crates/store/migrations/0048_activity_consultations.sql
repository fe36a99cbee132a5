-- The bodies consulted before a hosted international conference is approved
-- (Decision 06/2020/QĐ-TTg, Art. 5): each answers in writing within 15 days of
-- receiving the request. A row is one request and its answer; it is corrected
-- in place and removed when recorded by mistake, every change audited on the
-- activity.
CREATE TABLE activity_consultations (
    id {uuid} PRIMARY KEY,
    activity_id {uuid} NOT NULL REFERENCES activities(id),
    body TEXT NOT NULL,
    requested_on {date} NOT NULL,
    received_on {date},
    answered_on {date},
    reference TEXT,
    note TEXT,
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX activity_consultations_activity ON activity_consultations (activity_id, requested_on);
