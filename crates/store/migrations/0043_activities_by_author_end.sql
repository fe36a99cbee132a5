-- An author's reports owed, in end order (the home page): with the end before
-- the status, one index range gives this author's ended activities in order.
-- With the status second (migration 37), SQLite 3.51 chose to walk every
-- author's approved activities of the year in end order (`activities_due`)
-- rather than sort this author's few.
CREATE INDEX activities_by_author_end ON activities (created_by, ends_at, status);
DROP INDEX activities_by_author;
