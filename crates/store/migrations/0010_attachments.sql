-- Files attached to records (activities first). Kept in the database: one backup,
-- one transaction with the audit entry, and every server of a cluster sees them.

CREATE TABLE attachments (
    id {uuid} PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id {uuid} NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size {bigint} NOT NULL,
    sha256 TEXT NOT NULL,
    content {bytes} NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX attachments_entity ON attachments (entity_type, entity_id);
