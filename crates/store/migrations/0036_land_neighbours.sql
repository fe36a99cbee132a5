-- Vietnam's land neighbours flagged in the partner registry (issue 26): China,
-- Laos and Cambodia, the countries that share its land border. The registry
-- of migration 5 left every country unflagged.
UPDATE partners SET neighbour = TRUE
WHERE kind = 'country' AND code IN ('CN', 'LA', 'KH') AND neighbour = FALSE;
