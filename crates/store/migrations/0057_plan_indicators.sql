-- A task's indicators ("chỉ tiêu"): a name, the unit counted, the baseline
-- and the target; each progress report may give the actual figure of each
-- indicator for its period. Figures are exact decimals kept as text in their
-- canonical form ("1250.75"), read and compared by the domain's `Figure`.
-- An indicator belongs to its task: whoever sees the task sees it.
CREATE TABLE plan_indicators (
    id {uuid} PRIMARY KEY,
    task_id {uuid} NOT NULL REFERENCES plan_tasks(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    baseline TEXT,
    target TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts}
);
CREATE INDEX plan_indicators_task ON plan_indicators (task_id, position);

CREATE TABLE plan_indicator_values (
    progress_id {uuid} NOT NULL REFERENCES plan_progress(id),
    indicator_id {uuid} NOT NULL REFERENCES plan_indicators(id),
    actual TEXT NOT NULL,
    PRIMARY KEY (progress_id, indicator_id)
);
CREATE INDEX plan_indicator_values_indicator ON plan_indicator_values (indicator_id);
