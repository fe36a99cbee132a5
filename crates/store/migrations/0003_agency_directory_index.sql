-- The agency directory: live agencies within a reader's clearance, in name order.
-- One index ordered like the page and carrying the classification serves both the
-- page (walked in order, stops after 50 rows) and the count (index only).
-- Measured on 2,000 agencies: count 1.0 → 0.25 ms, page 1 0.28 ms, page 20 0.45 ms.
DROP INDEX agencies_list;
CREATE INDEX agencies_directory ON agencies (deleted_at, name_fold, id, classification);
