-- When an administrator last corrected a shipped reference fact. A later
-- reference migration updates only rows where this is empty, so a correction
-- is kept across upgrades (`migrate::reship`); the audit log keeps who and what.
ALTER TABLE communes ADD COLUMN corrected_at {ts};
ALTER TABLE provinces ADD COLUMN corrected_at {ts};
ALTER TABLE countries ADD COLUMN corrected_at {ts};
