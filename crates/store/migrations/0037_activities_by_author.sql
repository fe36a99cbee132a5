-- An author's own activities by status and end (issue 26: the home page's
-- drafts, returned proposals and owed reports), read without scanning every
-- activity.
CREATE INDEX activities_by_author ON activities (created_by, status, ends_at);
