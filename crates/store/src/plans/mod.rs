//! Programmes and plans: the list, one plan with the tree of its tasks, one
//! task with its progress reports, and "my agency's tasks" across every plan.
//! Writing lives in `write`.
//!
//! Visibility (`visibility::plans`): a plan is seen through its issuing
//! agency and its tasks' agencies; a task through its plan's issuing agency,
//! its lead and coordinating agencies, and those of the tasks above it. A
//! task's progress and status are computed by the domain's rule
//! (`kieng_domain::plan`) from what the reader sees.

mod delegations;
mod due;
mod import;
mod indicators;
mod templates;
mod trash;
mod write;

pub use write::plan_agencies_refresh;

pub use delegations::{
    ActivityLink, DELEGATION_ENTITY, DecideForm, DelegationBoard, DelegationCounts, DelegationRow,
    PartnerPlanned,
};
pub use import::{RowStatus as TaskRowStatus, TaskImport, TaskRow};
pub use indicators::{Actual, IndicatorView};
pub use templates::{TEMPLATE_ENTITY, TemplateRow, TemplateView};

use crate::agencies::AgencyRef;
use crate::audit::rank;
use crate::entity::{plan, plan_evidence, plan_progress, plan_task, plan_task_agency as pta};
use crate::{Ctx, Page, Store, StoreError};
use chrono::NaiveDate;
use kieng_domain::plan::{Deadline, DeadlineKind, EvidenceKind, Move, State, Status, roll_up};
use kieng_domain::text::fold;
use kieng_domain::{Classification, Msg};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub const ENTITY: &str = "plan";
pub const TASK_ENTITY: &str = "plan_task";
pub const PER_PAGE: u64 = 50;

/// Roles of an agency on a task, as `plan_task_agencies.role` holds them.
pub const LEAD: &str = "lead";
pub const COORDINATING: &str = "coordinating";
/// An agency of a task above it, through which the task is seen.
pub const ABOVE: &str = "above";

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
pub struct PlanFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Plans whose period touches this year.
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    pub year: Option<i32>,
    /// The issuing agency.
    pub agency: Option<Uuid>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// Who asks for which plan list page: read agencies (`None`: all), clearance
/// rank, the filter as given, and the day its standings are computed for.
pub type PlanListKey = (Option<Vec<Uuid>>, i16, PlanFilter, NaiveDate);

/// A plan list page as read at (`plans_rev`, `agencies_rev`).
pub struct KeptPlans {
    revs: (i64, i64),
    page: Page<PlanRow>,
}

impl crate::kept::Weigh for KeptPlans {
    fn rev(&self) -> i64 {
        self.revs.0
    }
    fn bytes(&self) -> usize {
        self.page
            .items
            .iter()
            .map(|r| 400 + r.plan.title.len() + r.plan.summary.as_ref().map_or(0, String::len))
            .sum()
    }
}

/// Plan list pages: 512, 4 MB.
pub type PlanLists = crate::kept::Kept<PlanListKey, KeptPlans, 512, { 4 << 20 }>;

/// One plan as lists show it, with its progress computed from the tasks the
/// reader sees.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    #[serde(flatten)]
    pub plan: plan::Model,
    pub owner: Option<AgencyRef>,
    pub progress: u8,
    pub state: State,
    /// Its top-level tasks the reader sees (its progress is theirs, weighted).
    pub tasks: usize,
}

/// One task in a tree or a list.
#[derive(Debug, Clone, Serialize)]
pub struct TaskNode {
    #[serde(flatten)]
    pub task: plan_task::Model,
    /// "1", "1.2", "2.3.1": its place among the tasks the reader sees.
    pub number: String,
    pub depth: usize,
    pub lead: Option<AgencyRef>,
    pub coordinating: Vec<AgencyRef>,
    pub deadline: String,
    pub state: State,
    pub has_children: bool,
}

/// One plan, whole.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    #[serde(flatten)]
    pub row: PlanRow,
    /// Its tasks in the tree's order (each parent before its sub-tasks).
    pub tasks: Vec<TaskNode>,
    pub moves: Vec<Move>,
    pub can_edit: bool,
}

/// A progress report as a task's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressEntry {
    #[serde(flatten)]
    pub progress: plan_progress::Model,
    pub period: String,
    pub agency: Option<AgencyRef>,
    /// The records it cites that the reader may see: (kind, id, title).
    pub evidence: Vec<(EvidenceKind, Uuid, String)>,
    /// The indicators' figures it gives: (indicator, figure and unit as the reader writes them).
    pub actuals: Vec<(String, String)>,
}

/// One task, whole.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    #[serde(flatten)]
    pub node: TaskNode,
    pub plan: plan::Model,
    /// The task above it, if the reader sees it: (id, title).
    pub parent: Option<(Uuid, String)>,
    pub children: Vec<TaskNode>,
    /// Newest first.
    pub reports: Vec<ProgressEntry>,
    pub indicators: Vec<IndicatorView>,
    /// May change the task and add sub-tasks (the plan's writers, and the
    /// writers of the task's lead agency for its sub-tasks).
    pub can_edit: bool,
    pub can_assign: bool,
    pub can_report: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MyTasksFilter {
    /// The agency whose tasks are listed (default: the reader's own).
    pub agency: Option<Uuid>,
    /// lead or coordinating; empty: both.
    pub role: Option<String>,
    /// overdue, soon, open or done.
    pub due: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
    /// A dashboard's drill-down: instead of one agency's tasks, those led by
    /// every agency the reader reads (the reader narrowed to the dashboard's
    /// scope by `report_reader`), as the dashboard counts them.
    #[serde(skip)]
    pub in_scope: bool,
}

/// One of an agency's tasks.
#[derive(Debug, Clone, Serialize)]
pub struct MyTaskRow {
    #[serde(flatten)]
    pub node: TaskNode,
    pub role: String,
    pub plan_title: String,
}

/// A deadline as stored, in the reader's words.
pub fn deadline_label(kind: &str, due: NaiveDate) -> Msg {
    Deadline {
        kind: DeadlineKind::parse(kind).unwrap_or(DeadlineKind::Day),
        due,
    }
    .label()
}

/// A task as trees and lists show it, with its status computed today.
#[allow(clippy::too_many_arguments)]
fn node_of(
    dir: &crate::cache::Directory,
    t: plan_task::Model,
    roles: &[(Uuid, String)],
    number: String,
    depth: usize,
    has_children: bool,
    start: NaiveDate,
    lang_en: bool,
) -> TaskNode {
    let label = deadline_label(&t.deadline_kind, t.due_on);
    TaskNode {
        number,
        depth,
        lead: crate::agency_ref(dir, t.lead_agency_id),
        coordinating: roles
            .iter()
            .filter(|(_, r)| r == COORDINATING)
            .filter_map(|(a, _)| crate::agency_ref(dir, *a))
            .collect(),
        deadline: if lang_en { label.en } else { label.vi },
        state: kieng_domain::plan::state(
            t.progress.clamp(0, 100) as u8,
            t.cancelled,
            start,
            t.due_on,
            crate::today(),
        ),
        has_children,
        task: t,
    }
}

impl Store {
    /// The plans the filter selects, within the reader's visibility.
    fn plan_query(ctx: &Ctx, f: &PlanFilter) -> sea_orm::Select<plan::Entity> {
        let mut q = plan::Entity::find().filter(Self::plan_visible(ctx));
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        if !text.is_empty() {
            q = q.filter(plan::Column::TitleFold.contains(text));
        }
        if let Some(k) = f.kind.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(plan::Column::Kind.eq(k));
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(plan::Column::Status.eq(s));
        }
        if let Some(y) = f.year
            && let (Some(a), Some(b)) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            )
        {
            q = q
                .filter(plan::Column::PeriodFrom.lte(b))
                .filter(plan::Column::PeriodTo.gte(a));
        }
        if let Some(a) = f.agency {
            q = q.filter(plan::Column::OwnerAgencyId.eq(a));
        }
        q
    }

    /// Plans the reader may see, latest period first. A page is kept per
    /// reader scope, clearance, filter and day, and answers again while no
    /// plan, task or progress report was written (`plans_rev`, bumped by
    /// every such write) and the directory stands (`agencies_rev`).
    pub async fn plan_list(&self, ctx: &Ctx, f: &PlanFilter) -> Result<Page<PlanRow>, StoreError> {
        let revs = (
            crate::counters::value(&self.db, crate::counters::PLANS).await?,
            crate::counters::value(&self.db, crate::counters::AGENCIES).await?,
        );
        let key: PlanListKey = (
            ctx.actor.read.ids(),
            rank(ctx.actor.clearance),
            f.clone(),
            crate::today(),
        );
        let kept = self
            .caches
            .plan_lists
            .lock()
            .ok()
            .and_then(|mut g| g.latest(&key));
        if let Some(k) = kept
            && k.revs == revs
        {
            return Ok(k.page.clone());
        }
        let page = self.plan_list_now(ctx, f).await?;
        if let Ok(mut g) = self.caches.plan_lists.lock() {
            g.put(
                key,
                KeptPlans {
                    revs,
                    page: page.clone(),
                },
            );
        }
        Ok(page)
    }

    /// `plan_list` read from the database.
    async fn plan_list_now(&self, ctx: &Ctx, f: &PlanFilter) -> Result<Page<PlanRow>, StoreError> {
        let q = Self::plan_query(ctx, f);
        let total = self.capped_count(q.clone(), plan::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(plan::Column::PeriodFrom)
            .order_by_asc(plan::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: self.plan_rows(ctx, rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Every plan the filter selects, up to what lists count: the export.
    pub async fn plan_export_rows(
        &self,
        ctx: &Ctx,
        f: &PlanFilter,
    ) -> Result<Vec<PlanRow>, StoreError> {
        crate::all_pages(PER_PAGE, |page| {
            let f = PlanFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.plan_list_now(ctx, &f).await }
        })
        .await
    }

    /// List rows: each plan's issuing agency and its progress over the
    /// top-level tasks the reader sees (as its page computes it).
    async fn plan_rows(
        &self,
        ctx: &Ctx,
        rows: Vec<plan::Model>,
    ) -> Result<Vec<PlanRow>, StoreError> {
        let dir = self.directory().await?;
        let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
        let mut tops: HashMap<Uuid, Vec<(u32, u8)>> = HashMap::new();
        let mut counts: HashMap<Uuid, usize> = HashMap::new();
        if !ids.is_empty() {
            // The page's top-level tasks, then those the reader sees: one
            // read of their agencies rather than a probe per task.
            let tasks = plan_task::Entity::find()
                .filter(plan_task::Column::PlanId.is_in(ids))
                .filter(plan_task::Column::ParentId.is_null())
                .filter(plan_task::Column::DeletedAt.is_null())
                .filter(plan_task::Column::Classification.lte(rank(ctx.actor.clearance)))
                .all(&self.db)
                .await?;
            let seen = Self::tasks_seen(&self.db, ctx, &tasks).await?;
            for t in tasks.into_iter().filter(|t| seen.contains(&t.id)) {
                let (plan_id, weight, progress, cancelled) =
                    (t.plan_id, t.weight, t.progress, t.cancelled);
                *counts.entry(plan_id).or_default() += 1;
                if !cancelled {
                    tops.entry(plan_id)
                        .or_default()
                        .push((weight.max(0) as u32, progress.clamp(0, 100) as u8));
                }
            }
        }
        let today = crate::today();
        Ok(rows
            .into_iter()
            .map(|p| {
                let progress = roll_up(tops.remove(&p.id).unwrap_or_default()).unwrap_or(0);
                PlanRow {
                    owner: crate::agency_ref(&dir, p.owner_agency_id),
                    state: kieng_domain::plan::state(
                        progress,
                        false,
                        p.period_from,
                        p.period_to,
                        today,
                    ),
                    tasks: counts.get(&p.id).copied().unwrap_or(0),
                    progress,
                    plan: p,
                }
            })
            .collect())
    }

    /// The agencies of these tasks by role: (task, agency, role) for lead
    /// and coordinating agencies.
    async fn task_agencies(
        &self,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<(Uuid, String)>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<(Uuid, String)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(Uuid, Uuid, String)> = pta::Entity::find()
                .select_only()
                .columns([
                    pta::Column::TaskId,
                    pta::Column::AgencyId,
                    pta::Column::Role,
                ])
                .filter(pta::Column::TaskId.is_in(chunk.to_vec()))
                .filter(pta::Column::Role.ne(ABOVE))
                .into_tuple()
                .all(&self.db)
                .await?;
            for (t, a, r) in rows {
                out.entry(t).or_default().push((a, r));
            }
        }
        Ok(out)
    }

    /// Tasks in the tree's order with their numbers among the tasks given
    /// (a task whose parent is not among them is a top-level one).
    async fn task_nodes(
        &self,
        tasks: Vec<plan_task::Model>,
        start: NaiveDate,
        lang_en: bool,
    ) -> Result<Vec<TaskNode>, StoreError> {
        let dir = self.directory().await?;
        let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
        let mut agencies = self.task_agencies(&ids).await?;
        let present: std::collections::HashSet<Uuid> = ids.iter().copied().collect();
        let mut kids: HashMap<Option<Uuid>, Vec<plan_task::Model>> = HashMap::new();
        for t in tasks {
            let parent = t.parent_id.filter(|p| present.contains(p));
            kids.entry(parent).or_default().push(t);
        }
        for v in kids.values_mut() {
            v.sort_by_key(|t| (t.position, t.id));
        }
        let mut out = Vec::with_capacity(ids.len());
        // (task, number, depth), walked depth first without recursion.
        let mut stack: Vec<(plan_task::Model, String, usize)> = kids
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, t)| (t, (i + 1).to_string(), 0))
            .collect();
        while let Some((t, number, depth)) = stack.pop() {
            let below = kids.remove(&Some(t.id)).unwrap_or_default();
            let has_children = !below.is_empty();
            for (i, k) in below.into_iter().enumerate().rev() {
                stack.push((k, format!("{number}.{}", i + 1), depth + 1));
            }
            let roles = agencies.remove(&t.id).unwrap_or_default();
            out.push(node_of(
                &dir,
                t,
                &roles,
                number,
                depth,
                has_children,
                start,
                lang_en,
            ));
        }
        Ok(out)
    }

    /// One plan with the tree of the tasks the reader sees.
    pub async fn plan_get(
        &self,
        ctx: &Ctx,
        id: Uuid,
        lang_en: bool,
    ) -> Result<PlanView, StoreError> {
        let p = Self::visible_plan(&self.db, ctx, id).await?;
        let tasks = plan_task::Entity::find()
            .filter(plan_task::Column::PlanId.eq(id))
            .filter(Self::task_visible(ctx))
            .order_by_asc(plan_task::Column::Position)
            .limit(kieng_domain::plan::MAX_TASKS as u64)
            .all(&self.db)
            .await?;
        let start = p.period_from;
        let nodes = self.task_nodes(tasks, start, lang_en).await?;
        let progress = roll_up(
            nodes
                .iter()
                .filter(|n| n.task.parent_id.is_none() && !n.task.cancelled)
                .map(|n| {
                    (
                        n.task.weight.max(0) as u32,
                        n.task.progress.clamp(0, 100) as u8,
                    )
                }),
        )
        .unwrap_or(0);
        let dir = self.directory().await?;
        let can_edit = self.may_edit_plan(ctx, &p);
        let status = Status::parse(&p.status).unwrap_or(Status::Draft);
        Ok(PlanView {
            row: PlanRow {
                owner: crate::agency_ref(&dir, p.owner_agency_id),
                state: kieng_domain::plan::state(
                    progress,
                    false,
                    p.period_from,
                    p.period_to,
                    crate::today(),
                ),
                tasks: nodes.iter().filter(|n| n.task.parent_id.is_none()).count(),
                progress,
                plan: p,
            },
            tasks: nodes,
            moves: if can_edit {
                Move::open_from(status)
            } else {
                Vec::new()
            },
            can_edit,
        })
    }

    /// May the reader change this plan (its particulars, status and tasks)?
    pub(crate) fn may_edit_plan(&self, ctx: &Ctx, p: &plan::Model) -> bool {
        ctx.actor.role != kieng_domain::Role::Viewer
            && ctx
                .actor
                .can_write(p.owner_agency_id, crate::audit::from_rank(p.classification))
    }

    /// One task with its sub-tasks and progress reports.
    pub async fn task_get(
        &self,
        ctx: &Ctx,
        id: Uuid,
        lang_en: bool,
    ) -> Result<TaskView, StoreError> {
        let t = Self::visible_task(&self.db, ctx, id).await?;
        let p = plan::Entity::find_by_id(t.plan_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let parent = match t.parent_id {
            Some(pid) => Self::visible_task(&self.db, ctx, pid)
                .await
                .ok()
                .map(|x| (x.id, x.title)),
            None => None,
        };
        let children = plan_task::Entity::find()
            .filter(plan_task::Column::ParentId.eq(id))
            .filter(Self::task_visible(ctx))
            .order_by_asc(plan_task::Column::Position)
            .all(&self.db)
            .await?;
        let mut children = self.task_nodes(children, p.period_from, lang_en).await?;
        let mut node = self
            .task_nodes(vec![t.clone()], p.period_from, lang_en)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        // Its number among the tasks the reader sees; its sub-tasks' continue it.
        node.number = self.task_number(ctx, &t).await?;
        for c in &mut children {
            c.number = format!("{}.{}", node.number, c.number);
        }
        let reports = self.progress_entries(ctx, id, lang_en).await?;
        let indicators = Self::indicator_views(&self.db, id, lang_en).await?;
        let open = matches!(
            Status::parse(&p.status),
            Some(Status::Issued | Status::InProgress | Status::Draft)
        );
        let writer = |a: Uuid| {
            ctx.actor.role != kieng_domain::Role::Viewer
                && ctx
                    .actor
                    .can_write(a, crate::audit::from_rank(t.classification))
        };
        let plan_writer = self.may_edit_plan(ctx, &p);
        let parent_lead = match t.parent_id {
            Some(pid) => plan_task::Entity::find_by_id(pid)
                .one(&self.db)
                .await?
                .map(|x| x.lead_agency_id),
            None => None,
        };
        let reporting = matches!(
            Status::parse(&p.status),
            Some(Status::Issued | Status::InProgress)
        );
        Ok(TaskView {
            node: TaskNode {
                has_children: !children.is_empty(),
                ..node
            },
            parent,
            children,
            reports,
            indicators,
            can_edit: open && (plan_writer || parent_lead.is_some_and(writer)),
            can_assign: open && (plan_writer || writer(t.lead_agency_id)),
            can_report: reporting && (plan_writer || writer(t.lead_agency_id)),
            plan: p,
        })
    }

    /// A task's number in its plan among the tasks the reader sees ("2.1").
    async fn task_number(&self, ctx: &Ctx, t: &plan_task::Model) -> Result<String, StoreError> {
        let mut parts = Vec::new();
        let mut cur = t.clone();
        for _ in 0..64 {
            let siblings: Vec<(Uuid, i32)> = plan_task::Entity::find()
                .select_only()
                .columns([plan_task::Column::Id, plan_task::Column::Position])
                .filter(plan_task::Column::PlanId.eq(cur.plan_id))
                .filter(match cur.parent_id {
                    Some(p) => plan_task::Column::ParentId.eq(p),
                    None => plan_task::Column::ParentId.is_null(),
                })
                .filter(Self::task_visible(ctx))
                .into_tuple()
                .all(&self.db)
                .await?;
            let place = siblings
                .iter()
                .filter(|(id, pos)| (*pos, *id) < (cur.position, cur.id))
                .count()
                + 1;
            parts.push(place.to_string());
            match cur.parent_id {
                Some(pid) => match Self::visible_task(&self.db, ctx, pid).await {
                    Ok(p) => cur = p,
                    Err(_) => break,
                },
                None => break,
            }
        }
        parts.reverse();
        Ok(parts.join("."))
    }

    /// A task's progress reports, newest first, with the evidence the reader may see.
    async fn progress_entries(
        &self,
        ctx: &Ctx,
        task: Uuid,
        lang_en: bool,
    ) -> Result<Vec<ProgressEntry>, StoreError> {
        use crate::entity::{plan_indicator, plan_indicator_value};
        let dir = self.directory().await?;
        let rows = plan_progress::Entity::find()
            .filter(plan_progress::Column::TaskId.eq(task))
            .order_by_desc(plan_progress::Column::At)
            .limit(200)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let evidence = if ids.is_empty() {
            Vec::new()
        } else {
            plan_evidence::Entity::find()
                .filter(plan_evidence::Column::ProgressId.is_in(ids.clone()))
                .all(&self.db)
                .await?
        };
        let names: HashMap<Uuid, (String, String)> = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::TaskId.eq(task))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| (i.id, (i.name, i.unit)))
            .collect();
        let mut actuals: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
        if !names.is_empty() && !ids.is_empty() {
            for v in plan_indicator_value::Entity::find()
                .filter(plan_indicator_value::Column::ProgressId.is_in(ids.clone()))
                .all(&self.db)
                .await?
            {
                if let Some((name, unit)) = names.get(&v.indicator_id) {
                    let shown = kieng_domain::plan::indicator::Figure::parse(&v.actual)
                        .unwrap_or_default()
                        .display(lang_en);
                    actuals
                        .entry(v.progress_id)
                        .or_default()
                        .push((name.clone(), format!("{shown} {unit}")));
                }
            }
        }
        let mut by_report: HashMap<Uuid, Vec<(EvidenceKind, Uuid, String)>> = HashMap::new();
        for e in evidence {
            let Some(kind) = EvidenceKind::parse(&e.kind) else {
                continue;
            };
            if let Some(title) = self.evidence_title(ctx, kind, e.record_id).await? {
                by_report
                    .entry(e.progress_id)
                    .or_default()
                    .push((kind, e.record_id, title));
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| ProgressEntry {
                period: deadline_label(&r.period_kind, r.period_end)
                    .get(if lang_en { "en" } else { "vi" })
                    .to_string(),
                agency: crate::agency_ref(&dir, r.agency_id),
                evidence: by_report.remove(&r.id).unwrap_or_default(),
                actuals: actuals.remove(&r.id).unwrap_or_default(),
                progress: r,
            })
            .collect())
    }

    /// The title of a record cited as evidence, if the reader may see it.
    pub(crate) async fn evidence_title(
        &self,
        ctx: &Ctx,
        kind: EvidenceKind,
        id: Uuid,
    ) -> Result<Option<String>, StoreError> {
        Ok(match kind {
            EvidenceKind::Activity => Self::visible_activity(&self.db, ctx, id)
                .await
                .ok()
                .map(|a| a.title),
            EvidenceKind::Agreement => Self::visible_agreement(&self.db, ctx, id)
                .await
                .ok()
                .map(|a| a.title_vi),
            EvidenceKind::Commitment => Self::visible_commitment(&self.db, ctx, id)
                .await
                .ok()
                .map(|c| c.title),
        })
    }

    /// The rows of `my_tasks` for `f`, unordered.
    fn my_tasks_query(&self, ctx: &Ctx, f: &MyTasksFilter) -> sea_orm::Select<pta::Entity> {
        let today = crate::today();
        let mut q = pta::Entity::find()
            .filter(pta::Column::DeletedAt.is_null())
            .filter(pta::Column::Classification.lte(rank(ctx.actor.clearance)));
        let agency = f.agency.unwrap_or(ctx.actor.agency_id);
        if f.in_scope {
            // A task is counted once, by its lead agency; one the reader reads
            // makes the task visible.
            q = q.filter(pta::Column::Role.eq(LEAD));
            if let Some(ids) = ctx.actor.read.ids() {
                q = q.filter(pta::Column::AgencyId.is_in(ids));
            }
        } else {
            q = q
                .filter(pta::Column::AgencyId.eq(agency))
                .filter(pta::Column::Role.ne(ABOVE));
        }
        // The agency's own tasks are seen by its readers; another agency's
        // through the reader's scope, as any task is.
        if !f.in_scope && !ctx.actor.read.contains(agency) {
            q = q.filter(
                pta::Column::TaskId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(plan_task::Column::Id)
                        .from(plan_task::Entity)
                        .cond_where(Self::task_visible(ctx))
                        .to_owned(),
                ),
            );
        }
        if let Some(r) = f
            .role
            .as_deref()
            .filter(|r| [LEAD, COORDINATING].contains(r))
        {
            q = q.filter(pta::Column::Role.eq(r));
        }
        match f.due.as_deref() {
            Some("overdue") => {
                q = q
                    .filter(pta::Column::DueOn.lt(today))
                    .filter(pta::Column::Progress.lt(100))
                    .filter(pta::Column::Cancelled.eq(false))
            }
            Some("soon") => {
                q = q
                    .filter(pta::Column::DueOn.gte(today))
                    .filter(pta::Column::DueOn.lte(self.soon_until()))
                    .filter(pta::Column::Progress.lt(100))
                    .filter(pta::Column::Cancelled.eq(false))
            }
            Some("open") => {
                q = q
                    .filter(pta::Column::Progress.lt(100))
                    .filter(pta::Column::Cancelled.eq(false))
            }
            Some("done") => {
                q = q
                    .filter(pta::Column::Progress.eq(100))
                    .filter(pta::Column::Cancelled.eq(false))
            }
            _ => {}
        }
        q
    }

    /// How many tasks `my_tasks` lists for `f` (capped as every list's total).
    pub async fn my_tasks_count(&self, ctx: &Ctx, f: &MyTasksFilter) -> Result<u64, StoreError> {
        self.capped_count(self.my_tasks_query(ctx, f), pta::Column::TaskId)
            .await
    }

    /// The tasks an agency leads or coordinates, across every plan the
    /// reader may see, nearest deadline first.
    pub async fn my_tasks(
        &self,
        ctx: &Ctx,
        f: &MyTasksFilter,
        lang_en: bool,
    ) -> Result<Page<MyTaskRow>, StoreError> {
        let q = self.my_tasks_query(ctx, f);
        let total = self.capped_count(q.clone(), pta::Column::TaskId).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let links = q
            .order_by_asc(pta::Column::DueOn)
            .order_by_asc(pta::Column::TaskId)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = links.iter().map(|l| l.task_id).collect();
        let mut tasks: HashMap<Uuid, plan_task::Model> = plan_task::Entity::find()
            .filter(plan_task::Column::Id.is_in(ids.clone()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let plan_ids: Vec<Uuid> = links.iter().map(|l| l.plan_id).collect();
        let plans: HashMap<Uuid, (String, NaiveDate)> = plan::Entity::find()
            .select_only()
            .columns([
                plan::Column::Id,
                plan::Column::Title,
                plan::Column::PeriodFrom,
            ])
            .filter(plan::Column::Id.is_in(plan_ids))
            .into_tuple::<(Uuid, String, NaiveDate)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, t, s)| (id, (t, s)))
            .collect();
        let mut roles = self.task_agencies(&ids).await?;
        let dir = self.directory().await?;
        let mut items = Vec::with_capacity(links.len());
        for l in links {
            let Some(t) = tasks.remove(&l.task_id) else {
                continue;
            };
            let (plan_title, start) = plans
                .get(&l.plan_id)
                .cloned()
                .unwrap_or_else(|| (String::new(), t.due_on));
            let r = roles.remove(&t.id).unwrap_or_default();
            let node = node_of(&dir, t, &r, String::new(), 0, false, start, lang_en);
            items.push(MyTaskRow {
                node,
                role: l.role,
                plan_title,
            });
        }
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Records a progress report on a task led by `agency` may cite: the
    /// latest activities, agreements and commitments of that agency and of
    /// the reporter's own that the reader may see (kind, id, title), 30 of
    /// each at most.
    pub async fn evidence_choices(
        &self,
        ctx: &Ctx,
        agency: Uuid,
    ) -> Result<Vec<(EvidenceKind, Uuid, String)>, StoreError> {
        use crate::entity::{activity, agreement, commitment};
        let backend = self.db.get_database_backend();
        let mut whose = vec![agency];
        if ctx.actor.agency_id != agency {
            whose.push(ctx.actor.agency_id);
        }
        let mut out: Vec<(EvidenceKind, Uuid, String)> = Vec::new();
        let acts: Vec<(Uuid, String)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::Id, activity::Column::Title])
            .filter(Self::visible(ctx, backend))
            .filter(activity::Column::OwnerAgencyId.is_in(whose.clone()))
            .order_by_desc(activity::Column::StartsAt)
            .limit(30)
            .into_tuple()
            .all(&self.db)
            .await?;
        out.extend(
            acts.into_iter()
                .map(|(i, t)| (EvidenceKind::Activity, i, t)),
        );
        let agrs: Vec<(Uuid, String)> = agreement::Entity::find()
            .select_only()
            .columns([agreement::Column::Id, agreement::Column::TitleVi])
            .filter(Self::agreement_visible(ctx))
            .filter(agreement::Column::OwnerAgencyId.is_in(whose.clone()))
            .order_by_desc(agreement::Column::CreatedAt)
            .limit(30)
            .into_tuple()
            .all(&self.db)
            .await?;
        out.extend(
            agrs.into_iter()
                .map(|(i, t)| (EvidenceKind::Agreement, i, t)),
        );
        let coms: Vec<(Uuid, String)> = commitment::Entity::find()
            .select_only()
            .columns([commitment::Column::Id, commitment::Column::Title])
            .filter(Self::commitment_visible(ctx))
            .filter(commitment::Column::OwnerAgencyId.is_in(whose))
            .order_by_desc(commitment::Column::CreatedAt)
            .limit(30)
            .into_tuple()
            .all(&self.db)
            .await?;
        out.extend(
            coms.into_iter()
                .map(|(i, t)| (EvidenceKind::Commitment, i, t)),
        );
        Ok(out)
    }

    /// The templates a plan may be copied from: (code, title, source, tasks).
    pub async fn plan_templates(&self) -> Result<Vec<(String, String, String, u64)>, StoreError> {
        use crate::entity::{plan_template, plan_template_task};
        let templates = plan_template::Entity::find()
            .filter(plan_template::Column::RetiredAt.is_null())
            .order_by_asc(plan_template::Column::Code)
            .all(&self.db)
            .await?;
        let mut out = Vec::new();
        for t in templates {
            let n = plan_template_task::Entity::find()
                .filter(plan_template_task::Column::TemplateId.eq(t.id))
                .count(&self.db)
                .await?;
            out.push((t.code, t.title, t.source, n));
        }
        Ok(out)
    }

    /// An agency's (default: the reader's own) open tasks due from `from` to
    /// `to`, as the reader may see them, with their plans' titles: the
    /// deadlines the iCalendar feeds carry (at most 500, nearest first).
    pub async fn task_deadlines(
        &self,
        ctx: &Ctx,
        agency: Option<Uuid>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(plan_task::Model, String)>, StoreError> {
        let agency = agency.unwrap_or(ctx.actor.agency_id);
        let mut q = pta::Entity::find()
            .select_only()
            .column(pta::Column::TaskId)
            .filter(pta::Column::AgencyId.eq(agency))
            .filter(pta::Column::Role.ne(ABOVE))
            .filter(pta::Column::DeletedAt.is_null())
            .filter(pta::Column::Classification.lte(rank(ctx.actor.clearance)))
            .filter(pta::Column::Progress.lt(100))
            .filter(pta::Column::Cancelled.eq(false))
            .filter(pta::Column::DueOn.gte(from))
            .filter(pta::Column::DueOn.lte(to));
        if !ctx.actor.read.contains(agency) {
            q = q.filter(
                pta::Column::TaskId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(plan_task::Column::Id)
                        .from(plan_task::Entity)
                        .cond_where(Self::task_visible(ctx))
                        .to_owned(),
                ),
            );
        }
        let ids: Vec<Uuid> = q
            .order_by_asc(pta::Column::DueOn)
            .limit(500)
            .into_tuple()
            .all(&self.db)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let tasks = plan_task::Entity::find()
            .filter(plan_task::Column::Id.is_in(ids))
            .order_by_asc(plan_task::Column::DueOn)
            .all(&self.db)
            .await?;
        let mut plan_ids: Vec<Uuid> = tasks.iter().map(|t| t.plan_id).collect();
        plan_ids.sort();
        plan_ids.dedup();
        let titles: HashMap<Uuid, String> = plan::Entity::find()
            .select_only()
            .columns([plan::Column::Id, plan::Column::Title])
            .filter(plan::Column::Id.is_in(plan_ids))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(tasks
            .into_iter()
            .map(|t| {
                let title = titles.get(&t.plan_id).cloned().unwrap_or_default();
                (t, title)
            })
            .collect())
    }

    /// The classification a task's sub-tasks carry.
    pub(crate) fn task_class(t: &plan_task::Model) -> Classification {
        crate::audit::from_rank(t.classification)
    }
}
