-- iCalendar feeds behind secret, revocable URLs (issue 4). Only the token's
-- digest is kept; the filter is the calendar page's query string.

CREATE TABLE calendar_feeds (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    filter TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    revoked_at {ts}
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
