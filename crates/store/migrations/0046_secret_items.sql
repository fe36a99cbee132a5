-- The state-secrets catalogue items a classified record is based on:
-- under the Law on Protection of State Secrets 2025 (Law 117/2025/QH15, in
-- force 1 March 2026) information not on a secrets catalogue may not be
-- classified, so a record above "none" names the item it falls under. The
-- administrator keeps the list (the catalogues are issued by decision); an
-- item is retired, never deleted, because records keep naming it. `level` is
-- the classification's rank the catalogue gives the item.
-- A staged import keeps the item its rows will name, as it keeps their level.
CREATE TABLE secret_items (
    id {uuid} PRIMARY KEY,
    code TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    title TEXT NOT NULL,
    level SMALLINT NOT NULL,
    retired_at {ts},
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX secret_items_code ON secret_items (code);
ALTER TABLE activities ADD COLUMN secret_item_id {uuid};
ALTER TABLE agreements ADD COLUMN secret_item_id {uuid};
ALTER TABLE commitments ADD COLUMN secret_item_id {uuid};
ALTER TABLE partners ADD COLUMN secret_item_id {uuid};
ALTER TABLE agencies ADD COLUMN secret_item_id {uuid};
ALTER TABLE import_batches ADD COLUMN secret_item TEXT;
