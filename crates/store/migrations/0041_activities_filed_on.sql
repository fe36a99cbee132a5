-- The day a hosted conference's dossier reached its approver (issue 27): the
-- lead time of Decision 06/2020/QĐ-TTg counts from it, as the officer records
-- it, not from when the proposal was submitted inside Kiềng.
ALTER TABLE activities ADD COLUMN filed_on {date};
