-- Live agreements by expiry date, with what the visibility rule tests: the
-- board's expiring agreements and the list's "expiring" filter (both ask for
-- the live statuses). From the expiry date alone both databases walked every
-- agreement that had already expired before the first live one (PostgreSQL,
-- national scope, 50,000 agreements: 27 ms; SQLite read a pillar's every
-- agreement to sort them: 20 ms). From this index, each live status's stretch
-- up to the watch window's end: SQLite ~1 ms, PostgreSQL 5 ms. It replaces
-- the expiry date's own index, which no query needs without the status.
DROP INDEX agreements_expiry;
CREATE INDEX agreements_watch ON agreements (status, expires_on, owner_agency_id, classification, deleted_at, id);
