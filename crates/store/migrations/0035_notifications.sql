-- Notifications inside Kiềng (issue 26): one row per user and event, read or
-- not. A row names its record by kind and id only; what it shows is read
-- through the visibility rule. `dedupe` keeps one row per user and event
-- however many servers or ticks notice it.
CREATE TABLE notifications (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    note TEXT,
    actor_id {uuid},
    dedupe TEXT NOT NULL,
    created_at {ts} NOT NULL,
    read_at {ts}
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (user_id, dedupe);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
