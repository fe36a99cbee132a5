-- A second pillar an agency also serves (the Ministry of Foreign Affairs
-- carries out the Party's external work since 2025): a user with a pillar's
-- scope reads every agency serving a pillar their own agency serves.
ALTER TABLE agencies ADD COLUMN also_pillar TEXT;
