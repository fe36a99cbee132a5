//! Importing a plan's tasks from a spreadsheet: every row is checked first
//! (the preview names each problem's row and column), then every new task is
//! written in one transaction, or none is. A row repeating a task the plan
//! already has (the same title under the same parent) is shown as existing
//! and skipped, so importing a file twice, or the plan's own export, adds
//! nothing. Only the plan's writers import; new tasks take the classification
//! of the plan, or of the existing task they go under.

use super::write::{ResolvedTask, insert_task, refresh_up};
use crate::audit::from_rank;
use crate::entity::{agency, import_batch, plan, plan_task};
use crate::{Ctx, Store, StoreError};
use kieng_domain::import::Problem;
use kieng_domain::plan::import::{Column, Line, TaskLayout, tree};
use kieng_domain::plan::{Status, TaskForm, TaskInput};
use kieng_domain::text::fold;
use kieng_domain::{Classification, Msg};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    New,
    /// The plan already has this task: the row is skipped.
    Exists,
    Invalid,
}

/// One data row as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub row: usize,
    /// As the file numbers it.
    pub number: String,
    pub title: String,
    /// The lead agency found for the row's name.
    pub lead: Option<String>,
    pub deadline: Option<String>,
    pub status: RowStatus,
    /// For `exists`: the plan's task; once applied: the new task.
    pub task: Option<Uuid>,
}

/// The result of checking (and, if asked and clean, applying) an import.
#[derive(Debug, Clone, Serialize)]
pub struct TaskImport {
    pub applied: bool,
    pub new: usize,
    pub existing: usize,
    pub problems: Vec<Problem>,
    pub rows: Vec<TaskRow>,
}

impl TaskImport {
    fn failed(problems: Vec<Problem>) -> Self {
        Self {
            applied: false,
            new: 0,
            existing: 0,
            problems,
            rows: vec![],
        }
    }
}

/// Where a row's task goes.
#[derive(Clone, Copy)]
enum Under {
    Top,
    /// A task the plan already has.
    Task(Uuid),
    /// The new task of an earlier row (its index among the planned).
    Row(usize),
}

/// A row that will create a task.
struct Planned {
    /// The spreadsheet row.
    row: usize,
    under: Under,
    task: ResolvedTask,
}

/// The agencies a name as officials write it may mean, within the reader's
/// clearance: its code, its Vietnamese or English name or its abbreviation
/// (case, diacritics and punctuation ignored); working agencies first.
struct AgencyIndex<'a> {
    by_key: HashMap<String, Vec<&'a agency::Model>>,
}

impl<'a> AgencyIndex<'a> {
    fn new(rows: &'a [agency::Model], clearance: Classification) -> Self {
        let mut by_key: HashMap<String, Vec<&agency::Model>> = HashMap::new();
        for a in rows
            .iter()
            .filter(|a| a.deleted_at.is_none() && from_rank(a.classification) <= clearance)
        {
            let keys = [
                Some(a.code.as_str()),
                Some(a.name_vi.as_str()),
                a.name_en.as_deref(),
                a.abbreviation.as_deref(),
            ];
            let mut mine: Vec<String> = keys.into_iter().flatten().map(fold).collect();
            mine.sort();
            mine.dedup();
            for k in mine.into_iter().filter(|k| !k.is_empty()) {
                by_key.entry(k).or_default().push(a);
            }
        }
        for v in by_key.values_mut() {
            v.sort_by_key(|a| a.status != "active");
        }
        Self { by_key }
    }

    /// The one agency a name means, or what to tell the reader.
    fn one(&self, name: &str) -> Result<&'a agency::Model, Msg> {
        let all = self
            .by_key
            .get(&fold(name))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let working: Vec<_> = all.iter().filter(|a| a.status == "active").collect();
        match (working.as_slice(), all) {
            ([a], _) => Ok(a),
            ([], [a]) => Ok(a),
            ([], []) => Err(Msg::new(
                format!("Không có cơ quan «{name}»; ghi tên, tên viết tắt hoặc mã của cơ quan."),
                format!("No agency «{name}»; give the agency's name, abbreviation or code."),
            )),
            _ => {
                let many = if working.is_empty() {
                    all.iter().collect::<Vec<_>>()
                } else {
                    working
                };
                let names = many
                    .iter()
                    .take(5)
                    .map(|a| format!("{} ({})", a.name_vi, a.code))
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(Msg::new(
                    format!("«{name}» trùng nhiều cơ quan: {names}; ghi mã của cơ quan."),
                    format!("«{name}» fits several agencies: {names}; give the agency's code."),
                ))
            }
        }
    }
}

impl Store {
    /// Check a sheet of tasks for plan `plan_id`; with `apply`, and only when
    /// no row has a problem, create every new task in one transaction.
    pub async fn plan_task_import(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        sheet: &kieng_domain::import::Sheet,
        apply: bool,
    ) -> Result<TaskImport, StoreError> {
        self.task_import_inner(ctx, plan_id, sheet, apply, None)
            .await
    }

    /// The staging kind of a plan's task sheets.
    pub fn task_import_kind(plan_id: Uuid) -> String {
        format!("plan_tasks:{plan_id}")
    }

    /// The staged task sheet `batch` of this user for this plan: its file
    /// name and the check of it (applied when asked and clean).
    pub async fn plan_task_import_staged(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        batch: Uuid,
        apply: bool,
    ) -> Result<(String, TaskImport), StoreError> {
        let (file_name, sheet, _) = self
            .staged(ctx, batch, &Self::task_import_kind(plan_id))
            .await?;
        let r = self
            .task_import_inner(ctx, plan_id, &sheet, apply, Some(batch))
            .await?;
        Ok((file_name, r))
    }

    async fn task_import_inner(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        sheet: &kieng_domain::import::Sheet,
        apply: bool,
        batch: Option<Uuid>,
    ) -> Result<TaskImport, StoreError> {
        let p = Self::visible_plan(&self.db, ctx, plan_id).await?;
        if !self.may_edit_plan(ctx, &p) {
            return Err(StoreError::forbidden());
        }
        if p.status == Status::Closed.as_str() {
            return Ok(TaskImport::failed(vec![Problem {
                row: sheet.heading_row,
                column: None,
                message: Msg::new(
                    "Kế hoạch đã kết thúc: mở lại kế hoạch trước khi nhập nhiệm vụ.",
                    "The plan is closed: reopen it before importing tasks.",
                ),
            }]));
        }
        let layout = match TaskLayout::read(&sheet.headings) {
            Ok(l) => l,
            Err(mut problems) => {
                for x in &mut problems {
                    x.row = sheet.heading_row;
                }
                return Ok(TaskImport::failed(problems));
            }
        };
        if let Some(x) = sheet.too_long() {
            return Ok(TaskImport::failed(vec![x]));
        }
        let mut problems = Vec::new();
        let mut lines: Vec<(usize, Option<Line>)> = Vec::new();
        for (i, cells) in sheet.rows.iter().enumerate() {
            let row = sheet.row_number(i);
            match layout.task_line(row, cells) {
                None => {}
                Some(Ok(l)) => lines.push((row, Some(l))),
                Some(Err(e)) => {
                    problems.extend(e);
                    lines.push((row, None));
                }
            }
        }
        let numbers: Vec<(usize, &[u32])> = lines
            .iter()
            .filter_map(|(row, l)| l.as_ref().map(|l| (*row, l.number.as_slice())))
            .collect();
        let (parents, tree_problems) = tree(&layout, &numbers, super::write::MAX_DEPTH);
        problems.extend(tree_problems);

        // The plan's tasks the importer sees, by (parent, folded title).
        let existing = self.plan_get(ctx, plan_id, false).await?.tasks;
        let mut known: HashMap<(Option<Uuid>, String), &plan_task::Model> = HashMap::new();
        for n in &existing {
            known
                .entry((n.task.parent_id, n.task.title_fold.clone()))
                .or_insert(&n.task);
        }
        let dir = self.directory().await?;
        let agencies = AgencyIndex::new(&dir.rows, ctx.actor.clearance);
        let plan_class = from_rank(p.classification);

        let mut rows: Vec<TaskRow> = Vec::new();
        let mut planned: Vec<Planned> = Vec::new();
        // For each valid line (in order): where a sub-task of it goes.
        let mut placed: Vec<Option<Under>> = Vec::new();
        let valid = lines.iter().filter_map(|(_, l)| l.as_ref());
        for (k, line) in valid.enumerate() {
            let number = line
                .number
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".");
            let mut report = TaskRow {
                row: line.row,
                number,
                title: line.title.clone(),
                lead: None,
                deadline: None,
                status: RowStatus::Invalid,
                task: None,
            };
            let under = match parents[k] {
                None if line.number.len() <= 1 => Some(Under::Top),
                None => None,
                Some(j) => placed[j],
            };
            let mut row_problems = Vec::new();
            let lead = match line.lead.as_str() {
                "" => None,
                name => agencies
                    .one(name)
                    .map_err(|m| row_problems.push(layout.problem(line.row, Column::Lead, m)))
                    .ok(),
            };
            report.lead = lead.map(|a| a.name_vi.clone());
            let mut coordinating = Vec::new();
            for c in &line.coordinating {
                match agencies.one(c) {
                    Ok(a) => coordinating.push(a.code.clone()),
                    Err(m) => row_problems.push(layout.problem(line.row, Column::Coordinating, m)),
                }
            }
            let form = TaskForm {
                title: line.title.clone(),
                output: line.output.clone(),
                lead_agency: lead
                    .map(|a| a.code.clone())
                    .unwrap_or_else(|| line.lead.clone()),
                coordinating: Some(coordinating.join(",")),
                deadline: line.deadline.clone(),
                weight: line.weight.clone(),
                source_quote: line.source.clone(),
                ..Default::default()
            };
            let input = TaskInput::parse(&form);
            if let Ok(i) = &input {
                report.deadline = Some(i.deadline.label().get("vi").to_string());
            }
            let input = match input {
                Ok(i) => Some(i),
                Err(fe) => {
                    // The agency's name was the problem, already said.
                    let mut fe = fe;
                    if lead.is_none() && !line.lead.is_empty() {
                        fe.0.remove("lead_agency");
                    }
                    row_problems.extend(layout.field_problems(line.row, &fe));
                    None
                }
            };
            // An existing task under the same parent with the same title.
            let parent_task = match under {
                Some(Under::Top) => Some(None),
                Some(Under::Task(id)) => Some(Some(id)),
                _ => None,
            };
            let same = parent_task
                .and_then(|pt| known.get(&(pt, fold(&line.title))))
                .copied();
            let mut here = None;
            match (input, lead, under, same) {
                (Some(_), Some(_), Some(_), Some(t)) if row_problems.is_empty() => {
                    report.status = RowStatus::Exists;
                    report.task = Some(t.id);
                    here = Some(Under::Task(t.id));
                }
                (Some(input), Some(lead), Some(under), None) if row_problems.is_empty() => {
                    let class = match under {
                        Under::Top => plan_class,
                        Under::Task(id) => existing
                            .iter()
                            .find(|n| n.task.id == id)
                            .map_or(plan_class, |n| Self::task_class(&n.task)),
                        Under::Row(j) => planned[j].task.class,
                    };
                    let coordinating = input
                        .coordinating
                        .iter()
                        .filter_map(|c| crate::agency_named(&dir, ctx, c).map(|a| a.id))
                        .filter(|id| *id != lead.id)
                        .fold(Vec::new(), |mut v, id| {
                            if !v.contains(&id) {
                                v.push(id);
                            }
                            v
                        });
                    report.status = RowStatus::New;
                    planned.push(Planned {
                        row: line.row,
                        under,
                        task: ResolvedTask {
                            input,
                            lead: lead.id,
                            coordinating,
                            class,
                            secret_item: None,
                        },
                    });
                    here = Some(Under::Row(planned.len() - 1));
                }
                _ => problems.extend(row_problems),
            }
            placed.push(here);
            rows.push(report);
        }
        // Rows that failed on their own are listed too, in file order.
        for (row, l) in &lines {
            if l.is_none() {
                rows.push(TaskRow {
                    row: *row,
                    number: String::new(),
                    title: String::new(),
                    lead: None,
                    deadline: None,
                    status: RowStatus::Invalid,
                    task: None,
                });
            }
        }
        rows.sort_by_key(|r| r.row);

        let total = self.plan_task_count(plan_id).await?;
        if total + planned.len() > kieng_domain::plan::MAX_TASKS {
            problems.push(Problem {
                row: sheet.heading_row,
                column: None,
                message: Msg::new(
                    format!(
                        "Một kế hoạch có nhiều nhất {} nhiệm vụ; kế hoạch này đã có {total}.",
                        kieng_domain::plan::MAX_TASKS
                    ),
                    format!(
                        "A plan holds at most {} tasks; this one has {total}.",
                        kieng_domain::plan::MAX_TASKS
                    ),
                ),
            });
        }
        problems.sort_by_key(|x| x.row);
        let mut report = TaskImport {
            applied: false,
            new: rows.iter().filter(|r| r.status == RowStatus::New).count(),
            existing: rows
                .iter()
                .filter(|r| r.status == RowStatus::Exists)
                .count(),
            problems,
            rows,
        };
        if !apply || !report.problems.is_empty() {
            return Ok(report);
        }
        self.write_tasks(ctx, &p, planned, batch, &mut report)
            .await?;
        Ok(report)
    }

    /// Tasks of a plan, every one (positions and the limit count hidden ones).
    async fn plan_task_count(&self, plan_id: Uuid) -> Result<usize, StoreError> {
        Ok(plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::Id)
            .filter(plan_task::Column::PlanId.eq(plan_id))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .len())
    }

    /// Write the checked tasks in one transaction, each after its siblings.
    async fn write_tasks(
        &self,
        ctx: &Ctx,
        p: &plan::Model,
        planned: Vec<Planned>,
        batch: Option<Uuid>,
        report: &mut TaskImport,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let mut last: HashMap<Option<Uuid>, i32> = HashMap::new();
        for (parent, position) in plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::ParentId)
            .column(plan_task::Column::Position)
            .filter(plan_task::Column::PlanId.eq(p.id))
            .into_tuple::<(Option<Uuid>, i32)>()
            .all(&tx)
            .await?
        {
            let e = last.entry(parent).or_insert(0);
            *e = (*e).max(position);
        }
        let mut created: Vec<Uuid> = Vec::with_capacity(planned.len());
        let mut touched: Vec<Uuid> = Vec::new();
        for x in &planned {
            let parent = match x.under {
                Under::Top => None,
                Under::Task(id) => {
                    if !touched.contains(&id) {
                        touched.push(id);
                    }
                    Some(id)
                }
                Under::Row(j) => Some(created[j]),
            };
            let position = last.entry(parent).or_insert(0);
            *position += 1;
            let m = insert_task(&tx, ctx, p, parent, *position, &x.task).await?;
            if let Some(r) = report.rows.iter_mut().find(|r| r.row == x.row) {
                r.task = Some(m.id);
            }
            created.push(m.id);
        }
        for id in touched {
            refresh_up(&tx, Some(id)).await?;
        }
        if let Some(id) = batch {
            import_batch::Entity::delete_by_id(id).exec(&tx).await?;
        }
        super::write::plan_written(&tx, p.id).await?;
        tx.commit().await?;
        report.applied = true;
        Ok(())
    }
}
