-- One partner's activities for a reader's scope are read agency by agency
-- (activities::partner_scope): each agency's links with the partner, newest
-- first, with what the tallies, counts and visibility read, from the index alone.
CREATE INDEX activity_partners_owner ON activity_partners (partner_id, owner_agency_id, starts_at, activity_id, classification, pillar, vn_year);
