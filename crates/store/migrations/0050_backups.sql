-- The backups taken of this database (`kieng backup`, by hand or on the
-- configured schedule): when, where, how large, how long it took and how many
-- rows it holds. The administrator's health page shows the last one.
CREATE TABLE backups (
    id {uuid} PRIMARY KEY,
    at {ts} NOT NULL,
    path TEXT NOT NULL,
    bytes {bigint} NOT NULL,
    took_ms {bigint} NOT NULL,
    rows_copied {bigint} NOT NULL
);
CREATE INDEX backups_at ON backups (at);
