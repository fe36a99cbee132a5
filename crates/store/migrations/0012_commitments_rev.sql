-- The commitments board's grouped counts are cached per reader scope; every
-- change to a commitment bumps this revision in its transaction (see cache.rs).
INSERT INTO counters (name, value) VALUES ('commitments_rev', 0);
