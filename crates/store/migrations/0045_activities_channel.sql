-- The external-relations channel beyond the three pillars (issue 27): defence,
-- public security, the National Assembly. Empty: the pillar's own.
ALTER TABLE activities ADD COLUMN channel TEXT;
