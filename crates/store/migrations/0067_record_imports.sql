-- Records brought in from the spreadsheets agencies kept before Kiềng: which
-- file and row each came from, and how precisely its date is known (a year
-- alone for old records). One row per imported record, by kind.
CREATE TABLE record_imports (
    record_kind TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    file_name TEXT NOT NULL,
    row_number INTEGER NOT NULL,
    -- day, month or year.
    date_precision TEXT NOT NULL,
    imported_at {ts} NOT NULL,
    imported_by {uuid},
    PRIMARY KEY (record_kind, record_id)
);
