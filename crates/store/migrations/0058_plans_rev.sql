-- Plan list pages are kept per reader scope; every write to a plan or its
-- tasks (progress included) bumps this revision in its transaction (see
-- cache.rs).
INSERT INTO counters (name, value) VALUES ('plans_rev', 0);
