-- Plan list pages are kept per reader scope; every write to a plan or its
-- tasks (progress included) bumps this revision in its transaction (see
-- cache.rs).
INSERT INTO counters (name, value) VALUES ('plans_rev', 0);

-- A partner's dossier lists the planned delegations with it.
CREATE INDEX plan_delegations_partner ON plan_delegations (partner_id, month);
