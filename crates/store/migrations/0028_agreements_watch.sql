-- Live agreements by expiry date, with what the visibility rule tests: the
-- board's expiring agreements. With the expiry date alone SQLite walked every
-- agreement of a pillar's scope (or every expired one) to sort the fifty
-- nearest: 20 ms for a coordinator at 50,000 agreements; from this index,
-- each live status's stretch up to the watch window's end, ~1 ms.
CREATE INDEX agreements_watch ON agreements (status, expires_on, owner_agency_id, classification, deleted_at, id);
