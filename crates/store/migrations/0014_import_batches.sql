-- Imports waiting for confirmation: the sheet a user uploaded and saw in the
-- preview, kept until it is applied or a day old, so that whichever server of
-- the deployment receives the confirmation applies exactly what was previewed.
CREATE TABLE import_batches (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sheet TEXT NOT NULL,
    classification TEXT,
    created_at {ts} NOT NULL
);
CREATE INDEX import_batches_created ON import_batches (created_at);
