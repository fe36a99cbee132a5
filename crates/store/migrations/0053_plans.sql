-- Programmes and plans: templates of the key tasks a plan may be copied
-- from (the external line's, shipped by migration 54, and those an
-- administrator adds); a plan (strategy, programme, đề án, the yearly
-- external-affairs programme or delegation plan, an implementation plan)
-- issued by an agency; the tree of its tasks, each led by one agency with
-- others coordinating; progress reported by the lead agency for a period,
-- citing Kiềng's records as evidence.
CREATE TABLE plan_templates (
    id {uuid} PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at {ts} NOT NULL,
    retired_at {ts}
);

CREATE TABLE plan_template_tasks (
    id {uuid} PRIMARY KEY,
    template_id {uuid} NOT NULL REFERENCES plan_templates(id),
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    source_quote TEXT
);
CREATE INDEX plan_template_tasks_template ON plan_template_tasks (template_id, position);

CREATE TABLE plans (
    id {uuid} PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    owner_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    decision_number TEXT,
    decision_date {date},
    period_from {date} NOT NULL,
    period_to {date} NOT NULL,
    summary TEXT,
    status TEXT NOT NULL,
    status_note TEXT,
    template_id {uuid} REFERENCES plan_templates(id),
    classification SMALLINT NOT NULL,
    secret_item_id {uuid} REFERENCES secret_items(id),
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX plans_owner ON plans (owner_agency_id, period_from);
CREATE INDEX plans_period ON plans (period_from, id);

-- `plan_owner_id` copies the plan's issuing agency (a task is seen through
-- it); a plan's deletion sets `deleted_at` on its tasks at the same instant.
CREATE TABLE plan_tasks (
    id {uuid} PRIMARY KEY,
    plan_id {uuid} NOT NULL REFERENCES plans(id),
    parent_id {uuid} REFERENCES plan_tasks(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    output TEXT,
    source_quote TEXT,
    lead_agency_id {uuid} NOT NULL REFERENCES agencies(id),
    plan_owner_id {uuid} NOT NULL REFERENCES agencies(id),
    deadline_kind TEXT NOT NULL,
    due_on {date} NOT NULL,
    weight INTEGER NOT NULL,
    progress SMALLINT NOT NULL,
    reported_at {ts},
    cancelled {bool} NOT NULL,
    cancel_reason TEXT,
    classification SMALLINT NOT NULL,
    secret_item_id {uuid} REFERENCES secret_items(id),
    version INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    created_by {uuid},
    updated_at {ts} NOT NULL,
    updated_by {uuid},
    deleted_at {ts},
    deleted_by {uuid}
);
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id, position);
CREATE INDEX plan_tasks_parent ON plan_tasks (parent_id);

-- Every agency a task is seen through (its lead, role 'lead', and its
-- coordinating agencies), with copies of the task's plan, deadline,
-- progress, classification and deletion, rewritten with every write of the
-- task: "my agency's tasks" and a plan seen through its tasks read only this.
CREATE TABLE plan_task_agencies (
    task_id {uuid} NOT NULL REFERENCES plan_tasks(id),
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL,
    plan_id {uuid} NOT NULL REFERENCES plans(id),
    due_on {date} NOT NULL,
    progress SMALLINT NOT NULL,
    cancelled {bool} NOT NULL,
    classification SMALLINT NOT NULL,
    deleted_at {ts},
    PRIMARY KEY (task_id, agency_id)
);
-- Covering "my agency's tasks": its count and its page read the index alone.
CREATE INDEX plan_task_agencies_agency ON plan_task_agencies
    (agency_id, due_on, task_id, role, deleted_at, classification, progress, cancelled, plan_id);
CREATE INDEX plan_task_agencies_plan ON plan_task_agencies (plan_id, agency_id);

CREATE TABLE plan_progress (
    id {uuid} PRIMARY KEY,
    task_id {uuid} NOT NULL REFERENCES plan_tasks(id),
    period_kind TEXT NOT NULL,
    period_end {date} NOT NULL,
    percent SMALLINT NOT NULL,
    done TEXT NOT NULL,
    problems TEXT,
    agency_id {uuid} NOT NULL REFERENCES agencies(id),
    at {ts} NOT NULL,
    actor_id {uuid}
);
CREATE INDEX plan_progress_task ON plan_progress (task_id, at);

CREATE TABLE plan_evidence (
    progress_id {uuid} NOT NULL REFERENCES plan_progress(id),
    kind TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    PRIMARY KEY (progress_id, kind, record_id)
);
CREATE INDEX plan_evidence_record ON plan_evidence (record_id);
