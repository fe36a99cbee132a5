-- Provincial agreements by signing date, with what the visibility rule tests:
-- the coordinator's board reads the legal steps of those signed in the past
-- year (and those not signed yet) without walking every agreement.
CREATE INDEX agreements_provincial ON agreements (provincial, signed_on, owner_agency_id, classification, deleted_at, id);
