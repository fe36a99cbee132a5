//! Programme and plan pages: the list, one plan with the tree of its tasks
//! (filtered by agency, status or lateness) and its timeline, the forms of a
//! plan and of a task, one task with its progress reports, and "my agency's
//! tasks" across every plan.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::i18n::Lang;
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, Saved, choices, render, render_status, saved, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::activity::HeadLevel;
use kieng_domain::plan::delegation::Direction;
use kieng_domain::plan::indicator::IndicatorForm;
use kieng_domain::plan::{Kind, PlanForm, ProgressForm, State as TaskState, Status, TaskForm};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::plans::{
    DelegationBoard, MyTaskRow, MyTasksFilter, PlanFilter, PlanRow, PlanView, TaskNode, TaskView,
};
use serde::Deserialize;
use uuid::Uuid;

fn en(me: &Me) -> bool {
    me.lang == Lang::En
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<PlanRow>,
    export_query: String,
    pager: Pager,
    filter: FormState,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    can_create: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    year: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

fn filter_of(a: &ListArgs) -> PlanFilter {
    PlanFilter {
        q: a.q.clone(),
        kind: a.kind.clone(),
        status: a.status.clone(),
        year: a
            .year
            .as_deref()
            .and_then(|y| y.trim().parse::<i32>().ok())
            .filter(|y| (1945..=2200).contains(y)),
        agency: None,
        page: a.page,
    }
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    let f = filter_of(&a);
    let res = state.store.plan_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", a.q.as_deref()),
        ("kind", a.kind.as_deref()),
        ("status", a.status.as_deref()),
        ("year", a.year.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [
        ("q", &a.q),
        ("kind", &a.kind),
        ("status", &a.status),
        ("year", &a.year),
    ] {
        filter.set_opt(k, v);
    }
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/plans", "nav.programmes")
            .with_marking(res.items.iter().map(|r| r.plan.classification)),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items,
        filter,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
        can_create: kieng_store::Store::may_record_activities(&me.ctx),
    }))
}

async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = PlanFilter {
        page: None,
        ..filter_of(a)
    };
    let rows = state.store.plan_export_rows(&me.ctx, &f).await?;
    crate::export::list_download(
        "plans",
        crate::i18n::t(me.lang, "nav.programmes"),
        &crate::export::plan_headings(me.lang),
        &crate::export::plan_lines(&rows, me.lang),
        &[(0, 28.0), (1, 60.0), (2, 36.0), (3, 18.0), (4, 24.0)],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, false).await
}

/// The tree's filters: an agency (lead or coordinating), a status, late only.
#[derive(Debug, Default, Deserialize)]
pub struct TreeArgs {
    pub(crate) agency: Option<String>,
    state: Option<String>,
    overdue: Option<String>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/show.html")]
pub(crate) struct ShowPage {
    page: PageCtx,
    v: PlanView,
    /// Each task with whether the filters keep it (a kept task's parents stay, dimmed).
    rows: Vec<(TaskNode, bool)>,
    filtered: bool,
    filter: FormState,
    agencies: Vec<AgencyRef>,
    task_states: Vec<Choice>,
    timeline: String,
    rule: String,
    form: FormState,
    basis: crate::ui::Basis,
    /// A delegation plan's planned delegations against what happened.
    delegations: Option<DelegationBoard>,
    /// The form adding a planned delegation, or deciding on one.
    dform: FormState,
    directions: Vec<Choice>,
    head_levels: Vec<Choice>,
    /// An administrator may save an unclassified plan's tasks as a template.
    can_template: bool,
    /// The template form as typed, with its problems.
    pub(crate) tform: FormState,
}

/// Which tasks the tree's filters keep, and the tasks above each kept one.
fn tree_rows(tasks: &[TaskNode], a: &TreeArgs) -> (Vec<(TaskNode, bool)>, bool) {
    let agency = a.agency.as_deref().filter(|s| !s.is_empty());
    let wanted = a.state.as_deref().and_then(TaskState::parse);
    let overdue = a.overdue.as_deref() == Some("1");
    let filtered = agency.is_some() || wanted.is_some() || overdue;
    let keeps = |n: &TaskNode| {
        agency.is_none_or(|code| {
            n.lead.as_ref().is_some_and(|l| l.code == code)
                || n.coordinating.iter().any(|c| c.code == code)
        }) && wanted.is_none_or(|s| n.state == s)
            && (!overdue || n.state == TaskState::Late)
    };
    let mut kept: Vec<bool> = tasks.iter().map(keeps).collect();
    if filtered {
        // The tree is in depth-first order: a task's ancestors are the
        // nearest earlier tasks of each smaller depth.
        let mut shown = vec![false; tasks.len()];
        let mut path: Vec<usize> = Vec::new();
        for (i, n) in tasks.iter().enumerate() {
            path.truncate(n.depth);
            if kept[i] {
                shown[i] = true;
                for p in &path {
                    shown[*p] = true;
                }
            }
            path.push(i);
        }
        let rows = tasks
            .iter()
            .cloned()
            .zip(kept.iter().copied())
            .enumerate()
            .filter(|(i, _)| shown[*i])
            .map(|(_, r)| r)
            .collect();
        return (rows, true);
    }
    kept.iter_mut().for_each(|k| *k = true);
    (tasks.iter().cloned().zip(kept).collect(), false)
}

pub(crate) async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    a: &TreeArgs,
    form: FormState,
    dform: Option<FormState>,
) -> WebResult<ShowPage> {
    let v = state.store.plan_get(&me.ctx, id, en(me)).await?;
    let delegations = if v.row.plan.kind == Kind::DelegationPlan.as_str() {
        Some(state.store.delegation_board(&me.ctx, id).await?)
    } else {
        None
    };
    let (rows, filtered) = tree_rows(&v.tasks, a);
    let mut agencies: Vec<AgencyRef> = v
        .tasks
        .iter()
        .flat_map(|n| n.lead.iter().chain(n.coordinating.iter()))
        .cloned()
        .collect();
    agencies.sort_by(|x, y| x.name_vi.cmp(&y.name_vi));
    agencies.dedup_by(|x, y| x.id == y.id);
    let mut filter = FormState::new(me.lang);
    for (k, val) in [
        ("agency", &a.agency),
        ("state", &a.state),
        ("overdue", &a.overdue),
    ] {
        filter.set_opt(k, val);
    }
    let timeline = crate::charts::plan_timeline(
        &rows.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        v.row.plan.period_from,
        v.row.plan.period_to,
        kieng_store::today(),
        me.lang,
    );
    let basis =
        crate::ui::basis(state, v.row.plan.classification, v.row.plan.secret_item_id).await?;
    Ok(ShowPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/{id}"),
            "nav.programmes",
        )
        .with_title(v.row.plan.title.clone())
        .with_notice(a.ok.as_deref())
        .with_marking(
            std::iter::once(v.row.plan.classification)
                .chain(v.tasks.iter().map(|n| n.task.classification)),
        ),
        rows,
        filtered,
        filter,
        agencies,
        task_states: choices(TaskState::ALL, TaskState::as_str, TaskState::label, me.lang),
        timeline,
        rule: kieng_domain::plan::rule().get(me.lang.code()).to_string(),
        form,
        basis,
        delegations,
        dform: dform.unwrap_or_else(|| FormState::new(me.lang)),
        directions: choices(Direction::ALL, Direction::as_str, Direction::label, me.lang),
        head_levels: choices(HeadLevel::ALL, HeadLevel::as_str, HeadLevel::label, me.lang),
        can_template: me.ctx.actor.role == kieng_domain::Role::Admin
            && v.row.plan.classification == 0
            && !v.tasks.is_empty(),
        tform: FormState::new(me.lang),
        v,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<TreeArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    Ok(render(
        &show_page(&state, &me, id, &a, FormState::new(me.lang), None).await?,
    ))
}

#[derive(Template)]
#[template(path = "plans/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    owners: Vec<AgencyRef>,
    kinds: Vec<Choice>,
    /// (code, title, source, tasks) of the templates a new plan may copy.
    templates: Vec<(String, String, String, u64)>,
    marking: crate::ui::Marking,
    conflict: bool,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
) -> WebResult<FormPage> {
    Ok(FormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &action,
            if editing { "plan.edit" } else { "plan.new" },
        ),
        action,
        editing,
        owners: state.store.agency_choices(&me.ctx).await?,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        templates: if editing {
            Vec::new()
        } else {
            state.store.plan_templates().await?
        },
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        form,
    })
}

fn plan_state(f: &PlanForm, lang: Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("kind", &f.kind)
        .with("title", &f.title)
        .with("owner_agency", &f.owner_agency)
        .with("period_from", &f.period_from)
        .with("period_to", &f.period_to);
    for (k, v) in [
        ("decision_number", &f.decision_number),
        ("decision_date", &f.decision_date),
        ("summary", &f.summary),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
        ("template", &f.template),
    ] {
        s.set_opt(k, v);
    }
    s
}

#[derive(Debug, Default, Deserialize)]
pub struct NewArgs {
    /// A template's code, chosen beforehand.
    template: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NewArgs>,
) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let year = kieng_store::today().format("%Y").to_string();
    let form = FormState::new(me.lang)
        .with("kind", Kind::YearlyProgramme.as_str())
        .with("owner_agency", own)
        .with("period_from", format!("{year}-01-01"))
        .with("period_to", format!("{year}-12-31"))
        .with("classification", "none")
        .with(
            "template",
            a.template
                .as_deref()
                .map(|t| t.chars().take(40).collect::<String>())
                .unwrap_or_default(),
        );
    Ok(render(
        &form_page(&state, &me, form, "/plans".into(), false).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<PlanForm>,
) -> WebResult<Response> {
    match state.store.plan_create(&me.ctx, &f).await {
        Ok(p) => Ok(see_other(&format!("/plans/{}", p.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = plan_state(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, "/plans".into(), false).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.plan_get(&me.ctx, id, en(&me)).await?;
    if !v.can_edit {
        return Err(StoreError::forbidden().into());
    }
    let p = &v.row.plan;
    let f = PlanForm {
        kind: p.kind.clone(),
        title: p.title.clone(),
        owner_agency: v
            .row
            .owner
            .as_ref()
            .map(|o| o.code.clone())
            .unwrap_or_default(),
        decision_number: p.decision_number.clone(),
        decision_date: p.decision_date.map(|d| d.format("%Y-%m-%d").to_string()),
        period_from: p.period_from.format("%Y-%m-%d").to_string(),
        period_to: p.period_to.format("%Y-%m-%d").to_string(),
        summary: p.summary.clone(),
        classification: Some(crate::api::dto::class(p.classification)),
        secret_item: p.secret_item_id.map(|i| i.to_string()),
        template: None,
    };
    let form = plan_state(&f, me.lang).with("version", p.version);
    Ok(render(
        &form_page(&state, &me, form, format!("/plans/{id}"), true).await?,
    ))
}

#[derive(Deserialize)]
pub struct PlanEdit {
    #[serde(flatten)]
    form: PlanForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<PlanEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state.store.plan_update(&me.ctx, id, version, &b.form).await;
    let (status, form, current) = match saved(res, || plan_state(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/plans/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(&state, &me, form, format!("/plans/{id}"), true).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct MoveBody {
    #[serde(default, rename = "move")]
    mv: String,
    note: Option<String>,
    #[serde(default)]
    version: String,
}

pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<MoveBody>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    match state
        .store
        .plan_move(&me.ctx, id, version, &b.mv, b.note.as_deref())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/plans/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("move", &b.mv);
            form.set_opt("note", &b.note);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, &TreeArgs::default(), form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.plan_get(&me.ctx, id, en(&me)).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::plans::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/{id}/history"),
            "history.title",
        ),
        base: "/plans",
        id,
        name: v.row.plan.title.clone(),
        version: v.row.plan.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "plans/task_form.html")]
struct TaskFormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    plan_id: Uuid,
    plan_title: String,
    /// The task it goes under: (id, title).
    parent: Option<(Uuid, String)>,
    owners: Vec<AgencyRef>,
    marking: crate::ui::Marking,
    conflict: bool,
}

#[allow(clippy::too_many_arguments)]
async fn task_form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
    plan_id: Uuid,
    parent: Option<(Uuid, String)>,
) -> WebResult<TaskFormPage> {
    let plan = state.store.plan_get(&me.ctx, plan_id, en(me)).await?;
    Ok(TaskFormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &action,
            if editing { "task.edit" } else { "task.new" },
        ),
        action,
        editing,
        plan_id,
        plan_title: plan.row.plan.title,
        parent,
        owners: state.store.agency_choices(&me.ctx).await?,
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        form,
    })
}

fn task_state(f: &TaskForm, lang: Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("title", &f.title)
        .with("lead_agency", &f.lead_agency)
        .with("deadline", &f.deadline);
    for (k, v) in [
        ("output", &f.output),
        ("coordinating", &f.coordinating),
        ("weight", &f.weight),
        ("parent", &f.parent),
        ("source_quote", &f.source_quote),
        ("cancelled", &f.cancelled),
        ("cancel_reason", &f.cancel_reason),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    s
}

#[derive(Debug, Default, Deserialize)]
pub struct NewTaskArgs {
    parent: Option<String>,
}

pub async fn task_new(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<NewTaskArgs>,
) -> WebResult<Response> {
    let plan_id = ids.uuid(0)?;
    let parent = match a.parent.as_deref().and_then(|p| p.parse::<Uuid>().ok()) {
        Some(pid) => {
            let t = state.store.task_get(&me.ctx, pid, en(&me)).await?;
            Some((pid, t.node.task.title))
        }
        None => None,
    };
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let mut form = FormState::new(me.lang)
        .with("lead_agency", own)
        .with("weight", "1")
        .with("classification", "none");
    if let Some((pid, _)) = &parent {
        form = form.with("parent", pid);
    }
    Ok(render(
        &task_form_page(
            &state,
            &me,
            form,
            format!("/plans/{plan_id}/tasks"),
            false,
            plan_id,
            parent,
        )
        .await?,
    ))
}

pub async fn task_create(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<TaskForm>,
) -> WebResult<Response> {
    let plan_id = ids.uuid(0)?;
    match state.store.task_create(&me.ctx, plan_id, &f).await {
        Ok(t) => Ok(see_other(&format!("/plans/tasks/{}", t.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let parent = match f.parent.as_deref().and_then(|p| p.parse::<Uuid>().ok()) {
                Some(pid) => state
                    .store
                    .task_get(&me.ctx, pid, en(&me))
                    .await
                    .ok()
                    .map(|t| (pid, t.node.task.title)),
                None => None,
            };
            let mut form = task_state(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &task_form_page(
                    &state,
                    &me,
                    form,
                    format!("/plans/{plan_id}/tasks"),
                    false,
                    plan_id,
                    parent,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "plans/task.html")]
struct TaskPage {
    page: PageCtx,
    v: TaskView,
    form: FormState,
    rule: String,
    /// Records the reporter may cite, most recent first: (value "kind:id", label).
    evidence: Vec<crate::ui::Choice2>,
    /// The indicator form as typed, and the indicator it changes (none: a new one).
    iform: FormState,
    iedit: Option<Uuid>,
}

impl TaskPage {
    /// The progress form's field of an indicator's figure.
    fn actual_field(&self, id: &Uuid) -> String {
        kieng_domain::plan::actual_field(*id)
    }

    /// Whether the indicator form as typed is this indicator's.
    fn editing(&self, id: &Uuid) -> bool {
        self.iedit == Some(*id)
    }
}

async fn task_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<TaskPage> {
    task_page_with(state, me, id, form, notice, FormState::new(me.lang), None).await
}

async fn task_page_with(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
    iform: FormState,
    iedit: Option<Uuid>,
) -> WebResult<TaskPage> {
    let v = state.store.task_get(&me.ctx, id, en(me)).await?;
    let evidence = if v.can_report {
        state
            .store
            .evidence_choices(&me.ctx, v.node.task.lead_agency_id)
            .await?
            .into_iter()
            .map(|(kind, rid, title)| crate::ui::Choice2 {
                value: format!("{}:{rid}", kind.as_str()),
                label: format!("{}: {title}", kind.label().get(me.lang.code())),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(TaskPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/tasks/{id}"),
            "nav.programmes",
        )
        .with_title(v.node.task.title.clone())
        .with_notice(notice)
        .with_marking([v.node.task.classification]),
        rule: kieng_domain::plan::rule().get(me.lang.code()).to_string(),
        v,
        form,
        evidence,
        iform,
        iedit,
    })
}

pub async fn task_show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let mut form = FormState::new(me.lang);
    // The period now being reported on: this quarter.
    let today = kieng_store::today();
    use chrono::Datelike;
    let quarter = kieng_domain::plan::Deadline::parse(&format!(
        "q{}/{}",
        (today.month() - 1) / 3 + 1,
        today.year()
    ))
    .map(|d| d.label().get(me.lang.code()).to_string())
    .unwrap_or_default();
    form = form.with("period", quarter);
    Ok(render(
        &task_page(&state, &me, id, form, ok.ok.as_deref()).await?,
    ))
}

pub async fn task_edit_form(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.task_get(&me.ctx, id, en(&me)).await?;
    if !v.can_edit {
        return Err(StoreError::forbidden().into());
    }
    let t = &v.node.task;
    let f = TaskForm {
        title: t.title.clone(),
        output: t.output.clone(),
        lead_agency: v
            .node
            .lead
            .as_ref()
            .map(|l| l.code.clone())
            .unwrap_or_default(),
        coordinating: Some(
            v.node
                .coordinating
                .iter()
                .map(|c| c.code.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        deadline: v.node.deadline.clone(),
        weight: Some(t.weight.to_string()),
        parent: t.parent_id.map(|p| p.to_string()),
        source_quote: t.source_quote.clone(),
        cancelled: t.cancelled.then(|| "on".to_string()),
        cancel_reason: t.cancel_reason.clone(),
        classification: Some(crate::api::dto::class(t.classification)),
        secret_item: t.secret_item_id.map(|i| i.to_string()),
    };
    let form = task_state(&f, me.lang).with("version", t.version);
    Ok(render(
        &task_form_page(
            &state,
            &me,
            form,
            format!("/plans/tasks/{id}"),
            true,
            t.plan_id,
            v.parent.clone(),
        )
        .await?,
    ))
}

#[derive(Deserialize)]
pub struct TaskEdit {
    #[serde(flatten)]
    form: TaskForm,
    #[serde(default)]
    version: String,
}

pub async fn task_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<TaskEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state.store.task_update(&me.ctx, id, version, &b.form).await;
    let (status, form, current) = match saved(res, || task_state(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/plans/tasks/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let v = state.store.task_get(&me.ctx, id, en(&me)).await?;
    let mut page = task_form_page(
        &state,
        &me,
        form,
        format!("/plans/tasks/{id}"),
        true,
        v.node.task.plan_id,
        v.parent,
    )
    .await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

/// The progress form as posted, pair by pair: the evidence picked arrives
/// as repeated `evidence` fields.
fn progress_form(pairs: Vec<(String, String)>) -> ProgressForm {
    let mut f = ProgressForm::default();
    let mut evidence = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "percent" => f.percent = v,
            "period" => f.period = v,
            "done" => f.done = v,
            "problems" => f.problems = Some(v),
            // Each pick is one "kind:id"; what is not one is the form's error.
            "evidence" if evidence.len() <= kieng_domain::plan::MAX_EVIDENCE => {
                evidence.push(v.replace([',', ' ', '\n'], ""))
            }
            // An indicator's figure; one left empty is not reported.
            k if k.starts_with("actual_")
                && !v.trim().is_empty()
                && f.actuals.len() <= kieng_domain::plan::indicator::MAX_INDICATORS =>
            {
                f.actuals.push((k["actual_".len()..].to_string(), v))
            }
            _ => {}
        }
    }
    f.evidence = Some(evidence.join(","));
    f
}

pub async fn progress(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let f = progress_form(pairs);
    match state.store.progress_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/plans/tasks/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("percent", &f.percent)
                .with("period", &f.period)
                .with("done", &f.done)
                .with("evidence", f.evidence.clone().unwrap_or_default());
            form.set_opt("problems", &f.problems);
            for (id, v) in &f.actuals {
                form = form.with(&format!("actual_{id}"), v);
            }
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &task_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn indicator_state(f: &IndicatorForm, lang: Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("name", &f.name)
        .with("unit", &f.unit)
        .with("target", &f.target);
    s.set_opt("baseline", &f.baseline);
    s
}

pub async fn indicator_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<IndicatorForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.indicator_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/plans/tasks/{id}#indicators"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut iform = indicator_state(&f, me.lang);
            iform.errors = errors;
            let page =
                task_page_with(&state, &me, id, FormState::new(me.lang), None, iform, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct IndicatorChange {
    #[serde(flatten)]
    form: IndicatorForm,
    #[serde(default)]
    version: String,
    /// "delete" removes the indicator; anything else saves the form.
    action: Option<String>,
}

/// Change or remove an indicator from its task's page.
pub async fn indicator_change(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(c): FormBody<IndicatorChange>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let task = state.store.indicator_task(&me.ctx, id).await?;
    let version = c.version.trim().parse::<i32>().unwrap_or(0);
    let delete = c.action.as_deref() == Some("delete");
    let form = (!delete).then_some(&c.form);
    match state
        .store
        .indicator_update(&me.ctx, id, version, form)
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/plans/tasks/{task}#indicators"),
            "saved",
        )),
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict { .. })) => {
            let status = if matches!(e, StoreError::Conflict { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut iform = indicator_state(&c.form, me.lang);
            match e {
                StoreError::Invalid(errors) => iform.errors = errors,
                _ => iform.errors.add(
                    "name",
                    kieng_domain::Msg::new(
                        "Chỉ tiêu vừa được người khác sửa: xem lại bản hiện tại rồi lưu lại.",
                        "Someone changed the indicator meanwhile: check the current one and save again.",
                    ),
                ),
            }
            let page = task_page_with(
                &state,
                &me,
                task,
                FormState::new(me.lang),
                None,
                iform,
                Some(id),
            )
            .await?;
            Ok(render_status(status, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    version: String,
}

/// Move a draft plan to the trash (`Store::plan_delete`).
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<DeleteForm>,
) -> WebResult<Response> {
    let version = f.version.trim().parse::<i32>().unwrap_or(-1);
    state
        .store
        .plan_delete(&me.ctx, ids.uuid(0)?, version)
        .await?;
    Ok(see_other("/plans", "deleted"))
}

/// Take a plan out of the trash.
pub async fn restore(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.plan_restore(&me.ctx, id).await?;
    Ok(see_other(&format!("/plans/{id}"), "restored"))
}

pub async fn task_history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.task_get(&me.ctx, id, en(&me)).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::plans::TASK_ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/tasks/{id}/history"),
            "history.title",
        ),
        base: "/plans/tasks",
        id,
        name: v.node.task.title.clone(),
        version: v.node.task.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "plans/mine.html")]
struct MinePage {
    page: PageCtx,
    rows: Vec<MyTaskRow>,
    pager: Pager,
    filter: FormState,
    agency: Option<AgencyRef>,
    /// Opened from the dashboard: the tasks led within its scope.
    drill: crate::ui::pieces::DrillView,
}

#[derive(Debug, Default, Deserialize)]
pub struct MineArgs {
    agency: Option<String>,
    role: Option<String>,
    due: Option<String>,
    /// A dashboard's drill-down (see `pieces::Drill`): the tasks led by the
    /// agencies of the scope instead of one agency's.
    scope: Option<String>,
    scope_ref: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

pub async fn mine(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<MineArgs>,
) -> WebResult<Response> {
    let agency = match a.agency.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(code) => Some(
            state
                .store
                .agency_by_code(code)
                .await?
                .filter(|x| {
                    kieng_store::audit::from_rank(x.classification) <= me.ctx.actor.clearance
                })
                .map(|x| AgencyRef::from(&x))
                .ok_or(StoreError::NotFound)?,
        ),
        None => None,
    };
    let in_scope = a.scope.as_deref().is_some_and(|s| !s.trim().is_empty());
    let (ctx, mut drill) = crate::ui::pieces::Drill {
        scope: a.scope.clone(),
        scope_ref: a.scope_ref.clone(),
        ..Default::default()
    }
    .apply(&state, &me, "/plans/tasks")
    .await?;
    if in_scope && drill.hidden.is_empty() {
        // "All": everything the reader reads, kept through the filter form.
        drill.hidden.push(("scope", "all".to_string()));
        drill.label = kieng_domain::report::ScopeKind::All
            .label()
            .get(me.lang.code())
            .to_string();
    }
    let f = MyTasksFilter {
        agency: agency.as_ref().map(|x| x.id),
        role: a.role.clone(),
        due: a.due.clone(),
        page: a.page,
        in_scope,
    };
    let res = state.store.my_tasks(&ctx, &f, en(&me)).await?;
    let base = query_string(&[
        ("agency", a.agency.as_deref()),
        ("role", a.role.as_deref()),
        ("due", a.due.as_deref()),
        ("scope", a.scope.as_deref()),
        ("scope_ref", a.scope_ref.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [("agency", &a.agency), ("role", &a.role), ("due", &a.due)] {
        filter.set_opt(k, v);
    }
    let own = match agency {
        _ if in_scope => None,
        Some(x) => Some(x),
        None => Some(AgencyRef {
            id: me.p.actor.agency_id,
            code: state
                .store
                .agency_get_quiet_code(me.p.actor.agency_id)
                .await?,
            name_vi: state.store.agency_get_name(me.p.actor.agency_id).await?,
            status: String::new(),
        }),
    };
    Ok(render(&MinePage {
        page: PageCtx::new(me.lang, Some(&me.p), "/plans/tasks", "task.mine")
            .with_marking(res.items.iter().map(|r| r.node.task.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items,
        filter,
        agency: own,
        drill,
    }))
}
