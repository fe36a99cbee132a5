-- In whose name an agreement is signed (issue 27): the procedure of the Law on
-- International Agreements 2020 (Articles 18–19) applies to agreements in the
-- name of a provincial People's Council or Committee only, not to every
-- provincial agency's. Agreements already followed as provincial keep their
-- steps, now said to be in the name of the provincial People's Committee; the
-- owner corrects that where it was a department or another body.
ALTER TABLE agreements ADD COLUMN signed_for TEXT;
UPDATE agreements SET signed_for = 'provincial_committee' WHERE provincial;
