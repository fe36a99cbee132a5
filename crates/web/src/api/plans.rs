//! Programmes and plans over JSON: the list, one plan with its tree of tasks,
//! the plan's workflow, tasks, progress reports, and an agency's tasks across
//! every plan. Status and progress are computed by the domain's rule from
//! what the reader sees.

use super::dto::{AgencyLink, ErrorBody, class};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::plan::{PlanForm, ProgressForm, TaskForm};
use kieng_store::plans::{MyTasksFilter, PlanFilter, PlanRow, PlanView, TaskNode, TaskView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A plan as lists show it.
#[derive(Serialize, ToSchema)]
pub struct PlanSummary {
    pub id: Uuid,
    /// strategy | programme | plan | project | yearly_programme | delegation_plan | implementation
    pub kind: String,
    pub title: String,
    pub issuer: Option<AgencyLink>,
    pub decision_number: Option<String>,
    pub decision_date: Option<chrono::NaiveDate>,
    pub period_from: chrono::NaiveDate,
    pub period_to: chrono::NaiveDate,
    /// draft | issued | in_progress | closed
    pub status: String,
    /// The weighted progress of the top-level tasks the reader sees, in percent.
    pub progress: u8,
    /// not_started | on_track | at_risk | late | done | cancelled
    pub state: String,
    /// Its top-level tasks the reader sees.
    pub tasks: usize,
    pub classification: String,
    pub version: i32,
}

impl From<PlanRow> for PlanSummary {
    fn from(r: PlanRow) -> Self {
        let p = r.plan;
        Self {
            id: p.id,
            kind: p.kind,
            title: p.title,
            issuer: r.owner.map(Into::into),
            decision_number: p.decision_number,
            decision_date: p.decision_date,
            period_from: p.period_from,
            period_to: p.period_to,
            status: p.status,
            progress: r.progress,
            state: r.state.as_str().into(),
            tasks: r.tasks,
            classification: class(p.classification),
            version: p.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlanPage {
    pub items: Vec<PlanSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A task in a tree or a list.
#[derive(Serialize, ToSchema)]
pub struct Task {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub parent_id: Option<Uuid>,
    /// "1.2": its place among the tasks the reader sees (empty in an agency's list).
    pub number: String,
    pub depth: usize,
    pub title: String,
    pub output: Option<String>,
    pub source_quote: Option<String>,
    pub lead: Option<AgencyLink>,
    pub coordinating: Vec<AgencyLink>,
    /// day | month | quarter | year
    pub deadline_kind: String,
    /// The last day the deadline allows.
    pub due_on: chrono::NaiveDate,
    /// The deadline as set: "quý III/2026".
    pub deadline: String,
    pub weight: i32,
    pub progress: i16,
    pub state: String,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub classification: String,
    pub version: i32,
}

impl From<TaskNode> for Task {
    fn from(n: TaskNode) -> Self {
        let t = n.task;
        Self {
            id: t.id,
            plan_id: t.plan_id,
            parent_id: t.parent_id,
            number: n.number,
            depth: n.depth,
            title: t.title,
            output: t.output,
            source_quote: t.source_quote,
            lead: n.lead.map(Into::into),
            coordinating: n.coordinating.into_iter().map(Into::into).collect(),
            deadline_kind: t.deadline_kind,
            due_on: t.due_on,
            deadline: n.deadline,
            weight: t.weight,
            progress: t.progress,
            state: n.state.as_str().into(),
            cancelled: t.cancelled,
            cancel_reason: t.cancel_reason,
            classification: class(t.classification),
            version: t.version,
        }
    }
}

/// One plan with the tree of the tasks the reader sees, parents first.
#[derive(Serialize, ToSchema)]
pub struct PlanDetail {
    #[serde(flatten)]
    pub summary: PlanSummary,
    pub summary_text: Option<String>,
    pub status_note: Option<String>,
    pub tasks: Vec<Task>,
    /// The moves the reader may make now.
    pub moves: Vec<String>,
}

impl From<PlanView> for PlanDetail {
    fn from(v: PlanView) -> Self {
        Self {
            summary_text: v.row.plan.summary.clone(),
            status_note: v.row.plan.status_note.clone(),
            moves: v.moves.iter().map(|m| m.as_str().to_string()).collect(),
            tasks: v.tasks.into_iter().map(Into::into).collect(),
            summary: v.row.into(),
        }
    }
}

/// A record cited as evidence.
#[derive(Serialize, ToSchema)]
pub struct Evidence {
    /// activity | agreement | commitment
    pub kind: String,
    pub id: Uuid,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressReport {
    pub id: Uuid,
    /// The period reported on: "quý III/2026".
    pub period: String,
    pub percent: i16,
    pub done: String,
    pub problems: Option<String>,
    pub agency: Option<AgencyLink>,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The cited records the reader may see.
    pub evidence: Vec<Evidence>,
    /// The indicators' figures it gives.
    pub actuals: Vec<ReportedFigure>,
}

/// An indicator's figure a progress report gives.
#[derive(Serialize, ToSchema)]
pub struct ReportedFigure {
    /// The indicator's name.
    pub indicator: String,
    /// The figure and unit as written for the reader: "42 cơ quan".
    pub figure: String,
}

/// An indicator's figure for one period.
#[derive(Serialize, ToSchema)]
pub struct IndicatorActual {
    /// The period: "quý III/2026".
    pub period: String,
    /// A decimal, "1250.75".
    pub value: String,
}

/// A task's indicator ("chỉ tiêu") with its figures, the latest period first.
#[derive(Serialize, ToSchema)]
pub struct Indicator {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    /// Decimals, "1250.75".
    pub baseline: Option<String>,
    pub target: String,
    pub version: i32,
    pub actuals: Vec<IndicatorActual>,
    /// The latest figure against the target, from the baseline (0) to the target (100).
    pub achieved: Option<u32>,
}

impl From<kieng_store::plans::IndicatorView> for Indicator {
    fn from(v: kieng_store::plans::IndicatorView) -> Self {
        Self {
            id: v.indicator.id,
            name: v.indicator.name,
            unit: v.indicator.unit,
            baseline: v.indicator.baseline,
            target: v.indicator.target,
            version: v.indicator.version,
            actuals: v
                .actuals
                .into_iter()
                .map(|a| IndicatorActual {
                    period: a.period,
                    value: a.value.canonical(),
                })
                .collect(),
            achieved: v.achieved,
        }
    }
}

/// One task with its sub-tasks and progress reports (newest first).
#[derive(Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: Task,
    pub plan_title: String,
    pub children: Vec<Task>,
    pub reports: Vec<ProgressReport>,
    pub indicators: Vec<Indicator>,
    pub can_edit: bool,
    pub can_assign: bool,
    pub can_report: bool,
}

impl From<TaskView> for TaskDetail {
    fn from(v: TaskView) -> Self {
        Self {
            plan_title: v.plan.title,
            children: v.children.into_iter().map(Into::into).collect(),
            reports: v
                .reports
                .into_iter()
                .map(|r| ProgressReport {
                    id: r.progress.id,
                    period: r.period,
                    percent: r.progress.percent,
                    done: r.progress.done,
                    problems: r.progress.problems,
                    agency: r.agency.map(Into::into),
                    at: r.progress.at,
                    evidence: r
                        .evidence
                        .into_iter()
                        .map(|(k, id, title)| Evidence {
                            kind: k.as_str().into(),
                            id,
                            title,
                        })
                        .collect(),
                    actuals: r
                        .actuals
                        .into_iter()
                        .map(|(indicator, figure)| ReportedFigure { indicator, figure })
                        .collect(),
                })
                .collect(),
            indicators: v.indicators.into_iter().map(Into::into).collect(),
            can_edit: v.can_edit,
            can_assign: v.can_assign,
            can_report: v.can_report,
            task: v.node.into(),
        }
    }
}

/// One of an agency's tasks.
#[derive(Serialize, ToSchema)]
pub struct AgencyTask {
    #[serde(flatten)]
    pub task: Task,
    /// lead | coordinating
    pub role: String,
    pub plan_title: String,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyTaskPage {
    pub items: Vec<AgencyTask>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A plan as sent: the form's fields, and `version` when editing.
#[derive(Deserialize, ToSchema)]
pub struct PlanInput {
    pub kind: String,
    pub title: String,
    /// The issuing agency's code or id.
    pub owner_agency: String,
    pub decision_number: Option<String>,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub decision_date: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub summary: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    /// On creation: the code of a template whose tasks the plan starts with
    /// ("XIII-DOI-NGOAI": the nine key tasks of the external line).
    pub template: Option<String>,
    pub version: Option<i32>,
}

impl PlanInput {
    fn form(&self) -> PlanForm {
        PlanForm {
            kind: self.kind.clone(),
            title: self.title.clone(),
            owner_agency: self.owner_agency.clone(),
            decision_number: self.decision_number.clone(),
            decision_date: self.decision_date.clone(),
            period_from: self.period_from.clone(),
            period_to: self.period_to.clone(),
            summary: self.summary.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
            template: self.template.clone(),
        }
    }
}

/// A task as sent.
#[derive(Deserialize, ToSchema)]
pub struct TaskInput {
    pub title: String,
    pub output: Option<String>,
    /// The lead agency's code or id.
    pub lead_agency: String,
    /// Coordinating agencies' codes.
    #[serde(default)]
    pub coordinating: Vec<String>,
    /// "30/06/2026", "6/2026", "quý III/2026", "2026".
    pub deadline: String,
    pub weight: Option<u32>,
    /// The task it goes under (on creation only).
    pub parent: Option<Uuid>,
    pub source_quote: Option<String>,
    #[serde(default)]
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    pub version: Option<i32>,
}

impl TaskInput {
    fn form(&self) -> TaskForm {
        TaskForm {
            title: self.title.clone(),
            output: self.output.clone(),
            lead_agency: self.lead_agency.clone(),
            coordinating: Some(self.coordinating.join(",")),
            deadline: self.deadline.clone(),
            weight: self.weight.map(|w| w.to_string()),
            parent: self.parent.map(|p| p.to_string()),
            source_quote: self.source_quote.clone(),
            cancelled: self.cancelled.then(|| "on".into()),
            cancel_reason: self.cancel_reason.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

/// A progress report as sent.
#[derive(Deserialize, ToSchema)]
pub struct ProgressInput {
    pub percent: u8,
    /// The period reported on, as a deadline is written: "quý III/2026".
    pub period: String,
    pub done: String,
    pub problems: Option<String>,
    /// Records cited, each {"kind": "activity", "id": …}.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
    /// The task's indicators' figures for the period.
    #[serde(default)]
    pub actuals: Vec<ActualInput>,
}

#[derive(Deserialize, ToSchema)]
pub struct ActualInput {
    pub indicator: Uuid,
    /// A decimal as written: "12", "12,5", "1.250".
    pub value: String,
}

/// An indicator to add or change; `version` when changing.
#[derive(Deserialize, ToSchema)]
pub struct IndicatorInput {
    pub name: String,
    /// What is counted: "đoàn", "văn kiện", "triệu USD".
    pub unit: String,
    /// A decimal as written; none: counted from zero.
    pub baseline: Option<String>,
    pub target: String,
    pub version: Option<i32>,
}

impl IndicatorInput {
    fn form(&self) -> kieng_domain::plan::indicator::IndicatorForm {
        kieng_domain::plan::indicator::IndicatorForm {
            name: self.name.clone(),
            unit: self.unit.clone(),
            baseline: self.baseline.clone(),
            target: self.target.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct EvidenceRef {
    /// activity | agreement | commitment
    pub kind: String,
    pub id: Uuid,
}

#[derive(Deserialize, ToSchema)]
pub struct MoveInput {
    /// issue | start | close | reopen
    #[serde(rename = "move")]
    pub mv: String,
    pub note: Option<String>,
    pub version: i32,
}

fn en(me: &Me) -> bool {
    me.lang == crate::i18n::Lang::En
}

/// Plans the reader may see, latest period first.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans",
    params(("q" = Option<String>, Query), ("kind" = Option<String>, Query), ("status" = Option<String>, Query),
        ("year" = Option<i32>, Query), ("agency" = Option<Uuid>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = PlanPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PlanFilter>,
) -> WebResult<Json<PlanPage>> {
    let p = state.store.plan_list(&me.ctx, &f).await?;
    Ok(Json(PlanPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Record a plan (a draft).
#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = PlanInput,
    responses((status = 201, body = PlanDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<PlanInput>,
) -> WebResult<(StatusCode, Json<PlanDetail>)> {
    let p = state.store.plan_create(&me.ctx, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.plan_get(&me.ctx, p.id, en(&me)).await?.into()),
    ))
}

/// One plan with the tree of its tasks.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanDetail), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<PlanDetail>> {
    Ok(Json(
        state
            .store
            .plan_get(&me.ctx, ids.uuid(0)?, en(&me))
            .await?
            .into(),
    ))
}

/// Change a plan's particulars; send the `version` read.
#[utoipa::path(put, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = Uuid, Path)), request_body = PlanInput,
    responses((status = 200, body = PlanDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<PlanInput>,
) -> WebResult<Json<PlanDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    state
        .store
        .plan_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(
        state.store.plan_get(&me.ctx, id, en(&me)).await?.into(),
    ))
}

/// Move a plan: issue (needs the decision's number and date), start, close, reopen (with a note).
#[utoipa::path(post, path = "/api/v1/plans/{id}/move", tag = "plans", params(("id" = Uuid, Path)), request_body = MoveInput,
    responses((status = 200, body = PlanDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MoveInput>,
) -> WebResult<Json<PlanDetail>> {
    let id = ids.uuid(0)?;
    state
        .store
        .plan_move(&me.ctx, id, b.version, &b.mv, b.note.as_deref())
        .await?;
    Ok(Json(
        state.store.plan_get(&me.ctx, id, en(&me)).await?.into(),
    ))
}

/// Add a task to a plan, at the top or under `parent`.
#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks", tag = "plans", params(("id" = Uuid, Path)), request_body = TaskInput,
    responses((status = 201, body = TaskDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn task_create(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<TaskInput>,
) -> WebResult<(StatusCode, Json<TaskDetail>)> {
    let t = state
        .store
        .task_create(&me.ctx, ids.uuid(0)?, &b.form())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.task_get(&me.ctx, t.id, en(&me)).await?.into()),
    ))
}

/// One task with its sub-tasks and progress reports.
#[utoipa::path(get, path = "/api/v1/plans/tasks/{id}", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody)))]
pub async fn task_get(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<TaskDetail>> {
    Ok(Json(
        state
            .store
            .task_get(&me.ctx, ids.uuid(0)?, en(&me))
            .await?
            .into(),
    ))
}

/// Change a task; send the `version` read.
#[utoipa::path(put, path = "/api/v1/plans/tasks/{id}", tag = "plans", params(("id" = Uuid, Path)), request_body = TaskInput,
    responses((status = 200, body = TaskDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn task_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<TaskInput>,
) -> WebResult<Json<TaskDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    state
        .store
        .task_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(
        state.store.task_get(&me.ctx, id, en(&me)).await?.into(),
    ))
}

/// Report a task's progress for a period, citing records as evidence.
#[utoipa::path(post, path = "/api/v1/plans/tasks/{id}/progress", tag = "plans", params(("id" = Uuid, Path)), request_body = ProgressInput,
    responses((status = 201, body = TaskDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<ProgressInput>,
) -> WebResult<(StatusCode, Json<TaskDetail>)> {
    let id = ids.uuid(0)?;
    let f = ProgressForm {
        percent: b.percent.to_string(),
        period: b.period,
        done: b.done,
        problems: b.problems,
        evidence: Some(
            b.evidence
                .iter()
                .map(|e| format!("{}:{}", e.kind, e.id))
                .collect::<Vec<_>>()
                .join(","),
        ),
        actuals: b
            .actuals
            .iter()
            .take(kieng_domain::plan::indicator::MAX_INDICATORS + 1)
            .map(|a| (a.indicator.to_string(), a.value.clone()))
            .collect(),
    };
    state.store.progress_add(&me.ctx, id, &f).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.task_get(&me.ctx, id, en(&me)).await?.into()),
    ))
}

/// Add an indicator to a task (the plan's writers and the task's lead agency's).
#[utoipa::path(post, path = "/api/v1/plans/tasks/{id}/indicators", tag = "plans", params(("id" = Uuid, Path)), request_body = IndicatorInput,
    responses((status = 201, body = TaskDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn indicator_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<IndicatorInput>,
) -> WebResult<(StatusCode, Json<TaskDetail>)> {
    let id = ids.uuid(0)?;
    state.store.indicator_add(&me.ctx, id, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.task_get(&me.ctx, id, en(&me)).await?.into()),
    ))
}

/// Change an indicator; send the `version` read.
#[utoipa::path(put, path = "/api/v1/plans/indicators/{id}", tag = "plans", params(("id" = Uuid, Path)), request_body = IndicatorInput,
    responses((status = 200, body = TaskDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn indicator_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<IndicatorInput>,
) -> WebResult<Json<TaskDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    let m = state
        .store
        .indicator_update(&me.ctx, id, version, Some(&b.form()))
        .await?;
    Ok(Json(
        state
            .store
            .task_get(&me.ctx, m.task_id, en(&me))
            .await?
            .into(),
    ))
}

/// Remove an indicator (`?version=` read); the figures reported stay in the reports' history.
#[utoipa::path(delete, path = "/api/v1/plans/indicators/{id}", tag = "plans", params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 200, body = TaskDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn indicator_delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<super::agencies::VersionQuery>,
) -> WebResult<Json<TaskDetail>> {
    let id = ids.uuid(0)?;
    let version = a.version.ok_or_else(super::version_required)?;
    let m = state
        .store
        .indicator_update(&me.ctx, id, version, None)
        .await?;
    Ok(Json(
        state
            .store
            .task_get(&me.ctx, m.task_id, en(&me))
            .await?
            .into(),
    ))
}

/// The tasks an agency (default: the reader's own) leads or coordinates,
/// across every plan, nearest deadline first; `due=open|overdue|soon`.
#[utoipa::path(get, path = "/api/v1/plans/tasks", tag = "plans",
    params(("agency" = Option<Uuid>, Query), ("role" = Option<String>, Query), ("due" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = AgencyTaskPage)))]
pub async fn mine(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<MyTasksFilter>,
) -> WebResult<Json<AgencyTaskPage>> {
    let p = state.store.my_tasks(&me.ctx, &f, en(&me)).await?;
    Ok(Json(AgencyTaskPage {
        items: p
            .items
            .into_iter()
            .map(|r| AgencyTask {
                task: r.node.into(),
                role: r.role,
                plan_title: r.plan_title,
            })
            .collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct TaskImportArgs {
    pub dry_run: Option<bool>,
}

/// What a task import did or would do.
#[derive(Serialize, ToSchema)]
pub struct TaskImportReport {
    /// Whether the new tasks were written.
    pub applied: bool,
    /// Rows that create a task.
    pub new: usize,
    /// Rows naming a task the plan already has (skipped).
    pub existing: usize,
    /// Every problem; with any, nothing is written.
    pub problems: Vec<super::partner_import::ImportProblem>,
    pub rows: Vec<TaskImportRow>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskImportRow {
    pub row: usize,
    /// As the file numbers it: "1", "1.2".
    pub number: String,
    pub title: String,
    /// The lead agency the row's name was found to be.
    pub lead: Option<String>,
    pub deadline: Option<String>,
    /// new | exists | invalid
    pub status: String,
    /// The plan's task (exists) or the task created (once applied).
    pub task: Option<Uuid>,
}

/// Import a plan's tasks from an XLSX or CSV file (the body): headings as in
/// the plan's task export, levels by number ("1", "1.1"), agencies by name,
/// abbreviation or code. All new tasks are created in one transaction, or
/// none; tasks the plan already has are skipped. Only the plan's writers import.
#[utoipa::path(post, path = "/api/v1/plans/{id}/tasks/import", tag = "plans",
    params(("id" = Uuid, Path), ("dry_run" = Option<bool>, Query)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = TaskImportReport), (status = 422, body = TaskImportReport),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn task_import(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(q): QueryArgs<TaskImportArgs>,
    body: axum::body::Bytes,
) -> WebResult<(StatusCode, Json<TaskImportReport>)> {
    let id = ids.uuid(0)?;
    let sheet = crate::sheet::read_off_thread(body.to_vec())
        .await
        .map_err(|m| {
            kieng_store::StoreError::Invalid(kieng_domain::FieldErrors::single("file", m))
        })?;
    let r = state
        .store
        .plan_task_import(&me.ctx, id, &sheet, !q.dry_run.unwrap_or(false))
        .await?;
    let lang = me.lang.code();
    let status = if r.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        Json(TaskImportReport {
            applied: r.applied,
            new: r.new,
            existing: r.existing,
            problems: super::partner_import::ImportProblem::all(r.problems, lang),
            rows: r
                .rows
                .into_iter()
                .map(|x| TaskImportRow {
                    row: x.row,
                    number: x.number,
                    title: x.title,
                    lead: x.lead,
                    deadline: x.deadline,
                    status: serde_json::to_value(x.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    task: x.task,
                })
                .collect(),
        }),
    ))
}

/// A planned delegation as sent.
#[derive(Deserialize, ToSchema)]
pub struct DelegationInput {
    /// outgoing_delegation | incoming_delegation
    pub direction: String,
    /// The partner's id or name.
    pub partner: String,
    /// The head of delegation's level (an activity's `head_level` code).
    pub head_level: Option<String>,
    /// "6/2026" or "tháng 6/2026".
    pub month: String,
    /// The lead agency's code or id; the plan's issuing agency if none.
    pub lead_agency: Option<String>,
    pub purpose: Option<String>,
}

/// An officer's decision on a planned delegation.
#[derive(Deserialize, ToSchema)]
pub struct DelegationDecision {
    /// match | unmatch | drop | restore | delete
    pub action: String,
    /// For `match`: the activity that carried it out.
    pub activity: Option<Uuid>,
    /// For `drop`: why it will not go ahead.
    pub reason: Option<String>,
    /// The version read.
    pub version: i32,
}

/// An activity as the comparison shows it.
#[derive(Serialize, ToSchema)]
pub struct DelegationActivity {
    pub id: Uuid,
    pub title: String,
    /// outgoing_delegation | incoming_delegation
    pub type_code: String,
    pub starts_on: chrono::NaiveDate,
    pub status: String,
    pub head_level: Option<String>,
    pub partners: Vec<String>,
    /// For a suggestion: 4 the planned month and level, 3 the month, 1–2 a month either side.
    pub fit: u8,
}

/// A planned delegation with what became of it.
#[derive(Serialize, ToSchema)]
pub struct PlannedDelegation {
    pub id: Uuid,
    pub direction: String,
    pub partner_id: Uuid,
    pub partner: String,
    pub head_level: Option<String>,
    /// The first day of the planned month.
    pub month: chrono::NaiveDate,
    pub lead: Option<AgencyLink>,
    pub purpose: Option<String>,
    /// held | pending | not_held | dropped
    pub outcome: String,
    pub drop_reason: Option<String>,
    /// The activity confirmed, when the reader may see it.
    pub activity: Option<DelegationActivity>,
    /// Activities that may have carried it out, best first.
    pub suggestions: Vec<DelegationActivity>,
    pub classification: String,
    pub version: i32,
}

/// Planned vs actual for a yearly delegation plan.
#[derive(Serialize, ToSchema)]
pub struct DelegationBoard {
    pub planned: usize,
    pub held: usize,
    pub pending: usize,
    pub not_held: usize,
    pub dropped: usize,
    /// Delegations of the plan's agencies in its period outside the plan.
    pub outside_count: usize,
    pub delegations: Vec<PlannedDelegation>,
    pub outside: Vec<DelegationActivity>,
}

impl From<kieng_store::plans::ActivityLink> for DelegationActivity {
    fn from(a: kieng_store::plans::ActivityLink) -> Self {
        Self {
            id: a.id,
            title: a.title,
            type_code: a.type_code,
            starts_on: a.starts_on,
            status: a.status,
            head_level: a.head_level,
            partners: a.partners,
            fit: a.fit,
        }
    }
}

impl From<kieng_store::plans::DelegationBoard> for DelegationBoard {
    fn from(b: kieng_store::plans::DelegationBoard) -> Self {
        Self {
            planned: b.counts.planned,
            held: b.counts.held,
            pending: b.counts.pending,
            not_held: b.counts.not_held,
            dropped: b.counts.dropped,
            outside_count: b.counts.outside,
            delegations: b
                .rows
                .into_iter()
                .map(|r| PlannedDelegation {
                    id: r.d.id,
                    direction: r.d.direction,
                    partner_id: r.d.partner_id,
                    partner: r.partner,
                    head_level: r.d.head_level,
                    month: r.d.month,
                    lead: r.lead.map(Into::into),
                    purpose: r.d.purpose,
                    outcome: r.outcome.as_str().into(),
                    drop_reason: r.d.drop_reason,
                    activity: r.activity.map(Into::into),
                    suggestions: r.suggestions.into_iter().map(Into::into).collect(),
                    classification: class(r.d.classification),
                    version: r.d.version,
                })
                .collect(),
            outside: b.outside.into_iter().map(Into::into).collect(),
        }
    }
}

/// A yearly delegation plan against what happened: each planned delegation
/// with its outcome, the activity confirmed or those suggested, and the
/// delegations done outside the plan, all within what the reader sees.
#[utoipa::path(get, path = "/api/v1/plans/{id}/delegations", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = DelegationBoard), (status = 404, body = ErrorBody)))]
pub async fn delegations(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<DelegationBoard>> {
    Ok(Json(
        state
            .store
            .delegation_board(&me.ctx, ids.uuid(0)?)
            .await?
            .into(),
    ))
}

/// Add a planned delegation to a yearly delegation plan.
#[utoipa::path(post, path = "/api/v1/plans/{id}/delegations", tag = "plans", params(("id" = Uuid, Path)),
    request_body = DelegationInput,
    responses((status = 201, body = DelegationBoard), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delegation_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<DelegationInput>,
) -> WebResult<(StatusCode, Json<DelegationBoard>)> {
    let id = ids.uuid(0)?;
    let form = kieng_domain::plan::delegation::DelegationForm {
        direction: b.direction,
        partner: b.partner,
        head_level: b.head_level,
        month: b.month,
        lead_agency: b.lead_agency,
        purpose: b.purpose,
        classification: None,
    };
    state.store.delegation_add(&me.ctx, id, &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.delegation_board(&me.ctx, id).await?.into()),
    ))
}

/// Decide on a planned delegation: confirm the activity that carried it out
/// (`match`), undo that (`unmatch`), record that it will not go ahead
/// (`drop`, with the reason), take that back (`restore`), or `delete` it.
#[utoipa::path(post, path = "/api/v1/plans/delegations/{id}", tag = "plans", params(("id" = Uuid, Path)),
    request_body = DelegationDecision,
    responses((status = 200, body = DelegationBoard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delegation_decide(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<DelegationDecision>,
) -> WebResult<Json<DelegationBoard>> {
    let id = ids.uuid(0)?;
    let plan = state.store.delegation_plan_of(&me.ctx, id).await?;
    let form = kieng_store::plans::DecideForm {
        action: b.action,
        activity: b.activity.map(|a| a.to_string()),
        reason: b.reason,
        version: b.version,
    };
    state.store.delegation_decide(&me.ctx, id, &form).await?;
    Ok(Json(
        state.store.delegation_board(&me.ctx, plan).await?.into(),
    ))
}

/// A plan template: the key tasks a new plan may be copied from.
#[derive(Serialize, ToSchema)]
pub struct Template {
    pub id: Uuid,
    /// What a new plan names it by (`template` of the plan form).
    pub code: String,
    pub title: String,
    /// The document its tasks carry out.
    pub source: String,
    /// Set once it is no longer offered to new plans.
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
    pub tasks: i64,
}

/// A template's task.
#[derive(Serialize, ToSchema)]
pub struct TemplateTask {
    /// "1", "1.2".
    pub number: String,
    pub title: String,
    /// The sentence of the source document it carries out.
    pub source_quote: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TemplateDetail {
    #[serde(flatten)]
    pub template: Template,
    pub items: Vec<TemplateTask>,
}

fn template_of(t: kieng_store::entity::plan_template::Model, tasks: i64) -> Template {
    Template {
        id: t.id,
        code: t.code,
        title: t.title,
        source: t.source,
        retired_at: t.retired_at,
        tasks,
    }
}

/// Every plan template, those in use first.
#[utoipa::path(get, path = "/api/v1/plans/templates", tag = "plans",
    responses((status = 200, body = Vec<Template>)))]
pub async fn templates(State(state): State<AppState>, _me: Me) -> WebResult<Json<Vec<Template>>> {
    Ok(Json(
        state
            .store
            .template_list()
            .await?
            .into_iter()
            .map(|r| template_of(r.template, r.tasks))
            .collect(),
    ))
}

/// One template with its tasks.
#[utoipa::path(get, path = "/api/v1/plans/templates/{id}", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateDetail), (status = 404, body = ErrorBody)))]
pub async fn template(
    State(state): State<AppState>,
    _me: Me,
    ids: Ids,
) -> WebResult<Json<TemplateDetail>> {
    let v = state.store.template_get(ids.uuid(0)?).await?;
    let n = v.tasks.len() as i64;
    Ok(Json(TemplateDetail {
        template: template_of(v.template, n),
        items: v
            .tasks
            .into_iter()
            .map(|t| TemplateTask {
                number: t.number,
                title: t.title,
                source_quote: t.source_quote,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateInput {
    /// Letters without diacritics, digits and hyphens, kept in capitals: "XIV-DOI-NGOAI".
    pub code: String,
    pub title: String,
    pub source: String,
}

/// Save an unclassified plan's live tasks as a new template (administrators).
#[utoipa::path(post, path = "/api/v1/plans/{id}/template", tag = "plans", params(("id" = Uuid, Path)), request_body = TemplateInput,
    responses((status = 201, body = TemplateDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn template_from_plan(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<TemplateInput>,
) -> WebResult<(StatusCode, Json<TemplateDetail>)> {
    let form = kieng_domain::plan::TemplateForm {
        code: b.code,
        title: b.title,
        source: b.source,
    };
    let t = state
        .store
        .template_from_plan(&me.ctx, ids.uuid(0)?, &form)
        .await?;
    let Json(d) = template(State(state), me, Ids(vec![t.id.to_string()])).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateRetireInput {
    /// true: no longer offered to new plans; false: offered again.
    pub retired: bool,
}

/// Retire a template, or offer it again (administrators).
#[utoipa::path(post, path = "/api/v1/plans/templates/{id}/retire", tag = "plans", params(("id" = Uuid, Path)), request_body = TemplateRetireInput,
    responses((status = 200, body = Template), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn template_retire(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<TemplateRetireInput>,
) -> WebResult<Json<Template>> {
    let id = ids.uuid(0)?;
    let m = state.store.template_retire(&me.ctx, id, b.retired).await?;
    let n = state.store.template_get(id).await?.tasks.len() as i64;
    Ok(Json(template_of(m, n)))
}

/// Move a draft plan and its tasks to the trash (`?version=` read); an issued
/// plan is closed instead (422).
#[utoipa::path(delete, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<super::agencies::VersionQuery>,
) -> WebResult<StatusCode> {
    let version = a.version.ok_or_else(super::version_required)?;
    state
        .store
        .plan_delete(&me.ctx, ids.uuid(0)?, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take a plan out of the trash, with the tasks deleted with it.
#[utoipa::path(post, path = "/api/v1/plans/{id}/restore", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanDetail), (status = 404, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<PlanDetail>> {
    let id = ids.uuid(0)?;
    state.store.plan_restore(&me.ctx, id).await?;
    Ok(Json(
        state.store.plan_get(&me.ctx, id, en(&me)).await?.into(),
    ))
}
