-- Every agency a plan is seen through by way of its tasks, with the lowest
-- classification among the plan's live tasks it is on (as `plan_task_agencies`
-- holds them): a plan list reads a reader's agencies' rows here instead of
-- probing every plan's task rows. Rewritten for the plan in the transaction
-- of every write that changes its tasks' agencies, classification or deletion.
CREATE TABLE plan_agencies (
    plan_id {uuid} NOT NULL REFERENCES plans(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    classification SMALLINT NOT NULL,
    PRIMARY KEY (plan_id, agency_id)
);
CREATE INDEX plan_agencies_agency ON plan_agencies (agency_id, classification, plan_id);

INSERT INTO plan_agencies (plan_id, agency_id, classification)
    SELECT plan_id, agency_id, MIN(classification) FROM plan_task_agencies
    WHERE deleted_at IS NULL GROUP BY plan_id, agency_id;

-- A plan list page reads its plans' top-level tasks.
CREATE INDEX plan_tasks_top ON plan_tasks (plan_id, parent_id, position);
