//! Writing plans: create and edit a plan (version-checked), move its status,
//! add and edit tasks (the plan's writers anywhere in the tree; a task's lead
//! agency below its own task, to agencies it writes for), and progress
//! reports by the lead agency citing records the reporter may see.
//!
//! Copies kept here, in the transaction of the write that changes them:
//! `plan_tasks.plan_owner_id` (the plan's issuing agency), every row of
//! `plan_task_agencies` (a task's own agencies and those above it, with the
//! task's deadline, progress, classification and deletion), and a parent
//! task's progress (the weighted mean of its sub-tasks', `roll_up`). A
//! sub-task carries its parent's classification; a task is never below its
//! plan's.

use super::{ABOVE, COORDINATING, ENTITY, LEAD, TASK_ENTITY};
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{
    plan, plan_evidence, plan_indicator_value, plan_progress, plan_task, plan_task_agency as pta,
    plan_template, plan_template_task,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::plan::{
    Move, PlanForm, PlanInput, ProgressForm, ProgressInput, Status, TaskForm, TaskInput, roll_up,
};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors, Msg, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use std::collections::HashSet;
use uuid::Uuid;

/// How deep sub-tasks go below a top-level task.
pub const MAX_DEPTH: usize = 6;

pub(super) fn snapshot<T: serde::Serialize>(m: &T) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or(serde_json::Value::Null)
}

/// Rewrite `plan_agencies` for a plan (`None`: every plan) from its live rows
/// of `plan_task_agencies`: each agency with the lowest classification among
/// the plan's live tasks it is on.
pub async fn plan_agencies_refresh<C: ConnectionTrait>(
    db: &C,
    plan: Option<Uuid>,
) -> Result<(), StoreError> {
    use sea_orm::Statement;
    let backend = db.get_database_backend();
    let p = if backend == sea_orm::DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let (only_delete, only_insert, values) = match plan {
        Some(id) => (
            format!(" WHERE plan_id = {p}"),
            format!(" AND plan_id = {p}"),
            vec![sea_orm::Value::from(id)],
        ),
        None => (String::new(), String::new(), Vec::new()),
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("DELETE FROM plan_agencies{only_delete}"),
        values.clone(),
    ))
    .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "INSERT INTO plan_agencies (plan_id, agency_id, classification)
             SELECT plan_id, agency_id, MIN(classification) FROM plan_task_agencies
             WHERE deleted_at IS NULL{only_insert} GROUP BY plan_id, agency_id"
        ),
        values,
    ))
    .await?;
    Ok(())
}

/// What every write to a plan's tasks ends with, in its transaction: the
/// plan's agencies rewritten and the kept plan lists told.
pub(super) async fn plan_written<C: ConnectionTrait>(db: &C, plan: Uuid) -> Result<(), StoreError> {
    plan_agencies_refresh(db, Some(plan)).await?;
    crate::counters::bump(db, crate::counters::PLANS).await
}

/// A progress report as its audit entry keeps it, with the figures it gives.
fn progress_snapshot(
    m: &plan_progress::Model,
    actuals: &[plan_indicator_value::Model],
) -> serde_json::Value {
    let mut v = snapshot(m);
    if !actuals.is_empty()
        && let Some(o) = v.as_object_mut()
    {
        o.insert(
            "actuals".into(),
            actuals
                .iter()
                .map(|a| serde_json::json!({"indicator_id": a.indicator_id, "actual": a.actual}))
                .collect(),
        );
    }
    v
}

fn not_allowed() -> StoreError {
    StoreError::forbidden()
}

/// A task form resolved against the directory.
pub(super) struct ResolvedTask {
    pub input: TaskInput,
    pub lead: Uuid,
    pub coordinating: Vec<Uuid>,
    pub class: Classification,
    pub secret_item: Option<Uuid>,
}

/// Write a new task at `position` among its siblings, its agencies' rows and
/// its audit entry (the caller refreshes the progress above it).
pub(super) async fn insert_task<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    p: &plan::Model,
    parent_id: Option<Uuid>,
    position: i32,
    r: &ResolvedTask,
) -> Result<plan_task::Model, StoreError> {
    let t = now();
    let m = plan_task::Model {
        id: Uuid::now_v7(),
        plan_id: p.id,
        parent_id,
        position,
        title_fold: fold(&r.input.title),
        title: r.input.title.clone(),
        output: r.input.output.clone(),
        source_quote: r.input.source_quote.clone(),
        lead_agency_id: r.lead,
        plan_owner_id: p.owner_agency_id,
        deadline_kind: r.input.deadline.kind.as_str().into(),
        due_on: r.input.deadline.due,
        weight: r.input.weight as i32,
        progress: 0,
        reported_at: None,
        cancelled: r.input.cancelled,
        cancel_reason: r.input.cancel_reason.clone(),
        classification: rank(r.class),
        secret_item_id: r.secret_item,
        version: 1,
        created_at: t,
        created_by: Some(ctx.actor.user_id),
        updated_at: t,
        updated_by: Some(ctx.actor.user_id),
        deleted_at: None,
        deleted_by: None,
    };
    plan_task::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(tx)
        .await?;
    rewrite_agencies(tx, &m, Some(&r.coordinating)).await?;
    append(
        tx,
        &ctx.into(),
        Change {
            owner_agency_id: Some(m.lead_agency_id),
            classification: r.class,
            after: Some(snapshot(&m)),
            ..Change::new(TASK_ENTITY, m.id, "create")
        },
    )
    .await?;
    Ok(m)
}

impl Store {
    async fn resolve_plan(
        &self,
        ctx: &Ctx,
        form: &PlanForm,
        previous: Option<Uuid>,
    ) -> Result<(PlanInput, Uuid, Classification, Option<Uuid>), StoreError> {
        let mut e = FieldErrors::new();
        let class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret = self
            .secret_basis(&mut e, class, form.secret_item.as_deref(), previous)
            .await?;
        let input = match PlanInput::parse(form) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let dir = self.directory().await?;
        let owner = crate::agency_named(&dir, ctx, &input.owner_agency).map(|a| a.id);
        match owner {
            None => e.add(
                "owner_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(o) if !ctx.actor.can_write(o, class) => e.add(
                "owner_agency",
                Msg::new(
                    "Bạn không được ghi kế hoạch của cơ quan này.",
                    "You may not record plans for this agency.",
                ),
            ),
            _ => {}
        }
        match owner {
            Some(o) if e.is_empty() => Ok((input, o, class, secret)),
            _ => Err(e.into()),
        }
    }

    /// Record a plan (a draft).
    pub async fn plan_create(&self, ctx: &Ctx, form: &PlanForm) -> Result<plan::Model, StoreError> {
        if ctx.actor.role == Role::Viewer {
            return Err(not_allowed());
        }
        let (input, owner, class, secret) = self.resolve_plan(ctx, form, None).await?;
        let t = now();
        let m = plan::Model {
            id: Uuid::now_v7(),
            kind: input.kind.as_str().into(),
            title_fold: fold(&input.title),
            title: input.title,
            owner_agency_id: owner,
            decision_number: input.decision_number,
            decision_date: input.decision_date,
            period_from: input.period_from,
            period_to: input.period_to,
            summary: input.summary,
            status: Status::Draft.as_str().into(),
            status_note: None,
            template_id: None,
            classification: rank(class),
            secret_item_id: secret,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        let template = match form.template.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(
                // Codes are kept in capitals (`TemplateInput`); typed in any case.
                plan_template::Entity::find()
                    .filter(plan_template::Column::Code.eq(code.to_uppercase()))
                    .filter(plan_template::Column::RetiredAt.is_null())
                    .one(&self.db)
                    .await?
                    .ok_or_else(|| {
                        StoreError::from(FieldErrors::single(
                            "template",
                            Msg::new("Không có mẫu mang mã này.", "No template has this code."),
                        ))
                    })?,
            ),
        };
        let mut m = m;
        m.template_id = template.as_ref().map(|t| t.id);
        let tx = self.begin_write().await?;
        plan::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        if let Some(t) = &template {
            copy_template(&tx, ctx, &m, t.id).await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(owner),
                classification: class,
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        plan_written(&tx, m.id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The plan for a write: visible, writable by the reader, at `version`.
    pub(super) async fn plan_for_write<C: ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        id: Uuid,
        version: Option<i32>,
    ) -> Result<plan::Model, StoreError> {
        let p = Self::visible_plan(db, ctx, id).await?;
        if !self.may_edit_plan(ctx, &p) {
            return Err(not_allowed());
        }
        if let Some(v) = version
            && p.version != v
        {
            return Err(StoreError::Conflict {
                current_version: p.version,
                current: snapshot(&p),
            });
        }
        Ok(p)
    }

    /// Change a plan's particulars. Its tasks follow a new issuing agency and
    /// are raised to a higher classification.
    pub async fn plan_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &PlanForm,
    ) -> Result<plan::Model, StoreError> {
        let previous: Option<Uuid> = plan::Entity::find_by_id(id)
            .select_only()
            .column(plan::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let (input, owner, class, secret) = self.resolve_plan(ctx, form, previous).await?;
        let tx = self.begin_write().await?;
        let before = self.plan_for_write(&tx, ctx, id, Some(version)).await?;
        if before.status == Status::Closed.as_str() {
            return Err(closed());
        }
        let mut m = before.clone();
        m.kind = input.kind.as_str().into();
        m.title_fold = fold(&input.title);
        m.title = input.title;
        m.owner_agency_id = owner;
        m.decision_number = input.decision_number;
        m.decision_date = input.decision_date;
        m.period_from = input.period_from;
        m.period_to = input.period_to;
        m.summary = input.summary;
        m.classification = rank(class);
        m.secret_item_id = secret;
        m.version += 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        m.clone()
            .into_active_model()
            .reset_all()
            .update(&tx)
            .await?;
        if before.owner_agency_id != owner {
            plan_task::Entity::update_many()
                .col_expr(plan_task::Column::PlanOwnerId, Expr::value(owner))
                .filter(plan_task::Column::PlanId.eq(id))
                .exec(&tx)
                .await?;
        }
        if m.classification > before.classification {
            plan_task::Entity::update_many()
                .col_expr(
                    plan_task::Column::Classification,
                    Expr::value(m.classification),
                )
                .filter(plan_task::Column::PlanId.eq(id))
                .filter(plan_task::Column::Classification.lt(m.classification))
                .exec(&tx)
                .await?;
            pta::Entity::update_many()
                .col_expr(pta::Column::Classification, Expr::value(m.classification))
                .filter(pta::Column::PlanId.eq(id))
                .filter(pta::Column::Classification.lt(m.classification))
                .exec(&tx)
                .await?;
            crate::entity::plan_delegation::Entity::update_many()
                .col_expr(
                    crate::entity::plan_delegation::Column::Classification,
                    Expr::value(m.classification),
                )
                .filter(crate::entity::plan_delegation::Column::PlanId.eq(id))
                .filter(crate::entity::plan_delegation::Column::Classification.lt(m.classification))
                .exec(&tx)
                .await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(owner),
                classification: class,
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        plan_written(&tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Move a plan's status (issue, start, close, reopen). Issuing needs the
    /// decision's number and date.
    pub async fn plan_move(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        mv: &str,
        note: Option<&str>,
    ) -> Result<plan::Model, StoreError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 2000) {
            return Err(
                FieldErrors::single("note", kieng_domain::error::msgs::too_long(2000)).into(),
            );
        }
        let mv = Move::parse(mv).ok_or_else(|| {
            StoreError::from(FieldErrors::single(
                "move",
                kieng_domain::error::msgs::invalid_choice(),
            ))
        })?;
        let tx = self.begin_write().await?;
        let before = self.plan_for_write(&tx, ctx, id, Some(version)).await?;
        let from = Status::parse(&before.status).unwrap_or(Status::Draft);
        let to = mv
            .apply(from, note)
            .map_err(|m| StoreError::from(FieldErrors::single("move", m)))?;
        if mv == Move::Issue && (before.decision_number.is_none() || before.decision_date.is_none())
        {
            return Err(FieldErrors::single(
                "move",
                Msg::new(
                    "Ghi số và ngày của văn bản ban hành trước khi ban hành kế hoạch.",
                    "Record the issuing decision's number and date before issuing the plan.",
                ),
            )
            .into());
        }
        let mut m = before.clone();
        m.status = to.as_str().into();
        m.status_note = note.map(String::from);
        m.version += 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        m.clone()
            .into_active_model()
            .reset_all()
            .update(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: from_rank(m.classification),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, id, mv.as_str())
            },
        )
        .await?;
        crate::counters::bump(&tx, crate::counters::PLANS).await?;
        tx.commit().await?;
        Ok(m)
    }

    async fn resolve_task(
        &self,
        ctx: &Ctx,
        form: &TaskForm,
        plan: &plan::Model,
        parent: Option<&plan_task::Model>,
        previous: Option<Uuid>,
    ) -> Result<ResolvedTask, StoreError> {
        let mut e = FieldErrors::new();
        // A sub-task carries its parent's classification; a top-level task
        // its own, never below its plan's.
        let class = match parent {
            Some(p) => Self::task_class(p),
            None => Classification::parse_for_record(
                &mut e,
                form.classification.as_deref(),
                self.config.max_classification,
                ctx.actor.clearance,
            )
            .max(from_rank(plan.classification)),
        };
        let secret = if parent.is_some() || class == from_rank(plan.classification) {
            None
        } else {
            self.secret_basis(&mut e, class, form.secret_item.as_deref(), previous)
                .await?
        };
        let input = match TaskInput::parse(form) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let dir = self.directory().await?;
        let lead = crate::agency_named(&dir, ctx, &input.lead_agency).map(|a| a.id);
        if lead.is_none() {
            e.add(
                "lead_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            );
        }
        let mut coordinating = Vec::new();
        for c in &input.coordinating {
            match crate::agency_named(&dir, ctx, c) {
                Some(a) if Some(a.id) != lead && !coordinating.contains(&a.id) => {
                    coordinating.push(a.id)
                }
                Some(_) => {}
                None => {
                    e.add(
                        "coordinating",
                        Msg::new(
                            format!("Không có cơ quan mang mã «{c}»."),
                            format!("No agency has the code \"{c}\"."),
                        ),
                    );
                    break;
                }
            }
        }
        // The plan's writers assign to any agency; a task's lead agency splits
        // its task only among agencies it writes for (its own units).
        if let Some(l) = lead
            && !self.may_edit_plan(ctx, plan)
            && !ctx.actor.can_write(l, class)
        {
            e.add(
                "lead_agency",
                Msg::new(
                    "Chỉ giao nhiệm vụ con cho cơ quan, đơn vị của mình.",
                    "Assign sub-tasks only to your own agency and its units.",
                ),
            );
        }
        match lead {
            Some(lead) if e.is_empty() => Ok(ResolvedTask {
                input,
                lead,
                coordinating,
                class,
                secret_item: secret,
            }),
            _ => Err(e.into()),
        }
    }

    /// May the reader add or change tasks under `parent` in this plan: the
    /// plan's writers anywhere, a task's lead agency's writers below it.
    pub(super) fn may_assign(
        &self,
        ctx: &Ctx,
        plan: &plan::Model,
        parent: Option<&plan_task::Model>,
    ) -> bool {
        ctx.actor.role != Role::Viewer
            && (self.may_edit_plan(ctx, plan)
                || parent
                    .is_some_and(|p| ctx.actor.can_write(p.lead_agency_id, Self::task_class(p))))
    }

    /// Add a task to a plan (under `form.parent`, or at the top).
    pub async fn task_create(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        form: &TaskForm,
    ) -> Result<plan_task::Model, StoreError> {
        let p = Self::visible_plan(&self.db, ctx, plan_id).await?;
        if p.status == Status::Closed.as_str() {
            return Err(closed());
        }
        let parent_id = TaskInput::parse(form)
            .ok()
            .and_then(|i| i.parent)
            .or_else(|| {
                form.parent
                    .as_deref()
                    .and_then(|s| s.trim().parse::<Uuid>().ok())
            });
        let parent = match parent_id {
            Some(id) => {
                let t = Self::visible_task(&self.db, ctx, id)
                    .await
                    .map_err(|_| parent_unknown())?;
                if t.plan_id != plan_id {
                    return Err(parent_unknown());
                }
                Some(t)
            }
            None => None,
        };
        if !self.may_assign(ctx, &p, parent.as_ref()) {
            return Err(not_allowed());
        }
        if let Some(par) = &parent
            && self.depth_of(par).await? >= MAX_DEPTH
        {
            return Err(FieldErrors::single(
                "parent",
                Msg::new(
                    format!("Nhiệm vụ chỉ chia nhỏ đến {MAX_DEPTH} cấp."),
                    format!("Tasks are split at most {MAX_DEPTH} levels deep."),
                ),
            )
            .into());
        }
        let r = self
            .resolve_task(ctx, form, &p, parent.as_ref(), None)
            .await?;
        let tx = self.begin_write().await?;
        let count: u64 = self
            .count_rows(
                plan_task::Entity::find()
                    .select_only()
                    .column(plan_task::Column::Id)
                    .filter(plan_task::Column::PlanId.eq(plan_id))
                    .limit(kieng_domain::plan::MAX_TASKS as u64 + 1)
                    .into_query(),
            )
            .await?;
        if count >= kieng_domain::plan::MAX_TASKS as u64 {
            return Err(FieldErrors::single(
                "title",
                Msg::new(
                    format!(
                        "Một kế hoạch có nhiều nhất {} nhiệm vụ.",
                        kieng_domain::plan::MAX_TASKS
                    ),
                    format!(
                        "A plan holds at most {} tasks.",
                        kieng_domain::plan::MAX_TASKS
                    ),
                ),
            )
            .into());
        }
        let last: Option<i32> = plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::Position)
            .filter(plan_task::Column::PlanId.eq(plan_id))
            .filter(match parent_id {
                Some(pid) => plan_task::Column::ParentId.eq(pid),
                None => plan_task::Column::ParentId.is_null(),
            })
            .order_by_desc(plan_task::Column::Position)
            .into_tuple::<i32>()
            .one(&tx)
            .await?;
        let m = insert_task(&tx, ctx, &p, parent_id, last.unwrap_or(0) + 1, &r).await?;
        refresh_up(&tx, m.parent_id).await?;
        plan_written(&tx, p.id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// How many tasks are above this one, plus one.
    async fn depth_of(&self, t: &plan_task::Model) -> Result<usize, StoreError> {
        let mut depth = 1;
        let mut cur = t.parent_id;
        while let Some(id) = cur {
            depth += 1;
            if depth > MAX_DEPTH + 1 {
                break;
            }
            cur = plan_task::Entity::find_by_id(id)
                .select_only()
                .column(plan_task::Column::ParentId)
                .into_tuple::<Option<Uuid>>()
                .one(&self.db)
                .await?
                .flatten();
        }
        Ok(depth)
    }

    /// Change a task's particulars (its place in the tree stays).
    pub async fn task_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &TaskForm,
    ) -> Result<plan_task::Model, StoreError> {
        let before = Self::visible_task(&self.db, ctx, id).await?;
        let p = plan::Entity::find_by_id(before.plan_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if p.status == Status::Closed.as_str() {
            return Err(closed());
        }
        let parent = match before.parent_id {
            Some(pid) => plan_task::Entity::find_by_id(pid).one(&self.db).await?,
            None => None,
        };
        if !self.may_assign(ctx, &p, parent.as_ref()) {
            return Err(not_allowed());
        }
        let r = self
            .resolve_task(ctx, form, &p, parent.as_ref(), before.secret_item_id)
            .await?;
        let tx = self.begin_write().await?;
        let before = plan_task::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut m = before.clone();
        m.title_fold = fold(&r.input.title);
        m.title = r.input.title.clone();
        m.output = r.input.output.clone();
        m.source_quote = r.input.source_quote.clone();
        m.lead_agency_id = r.lead;
        m.deadline_kind = r.input.deadline.kind.as_str().into();
        m.due_on = r.input.deadline.due;
        m.weight = r.input.weight as i32;
        m.cancelled = r.input.cancelled;
        m.cancel_reason = r.input.cancel_reason.clone();
        m.classification = rank(r.class);
        m.secret_item_id = r.secret_item;
        m.version += 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        m.clone()
            .into_active_model()
            .reset_all()
            .update(&tx)
            .await?;
        if m.classification != before.classification {
            // Its sub-tasks carry its classification.
            plan_task::Entity::update_many()
                .col_expr(
                    plan_task::Column::Classification,
                    Expr::value(m.classification),
                )
                .filter(plan_task::Column::Id.is_in(subtree(&tx, id).await?))
                .exec(&tx)
                .await?;
        }
        rewrite_agencies(&tx, &m, Some(&r.coordinating)).await?;
        if m.weight != before.weight || m.cancelled != before.cancelled {
            refresh_up(&tx, m.parent_id).await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.lead_agency_id),
                classification: r.class,
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(TASK_ENTITY, id, "update")
            },
        )
        .await?;
        plan_written(&tx, m.plan_id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Report a task's progress for a period. The first report on an issued
    /// plan starts it; a task with sub-tasks keeps their weighted progress.
    pub async fn progress_add(
        &self,
        ctx: &Ctx,
        task_id: Uuid,
        form: &ProgressForm,
    ) -> Result<plan_progress::Model, StoreError> {
        let t = Self::visible_task(&self.db, ctx, task_id).await?;
        let p = plan::Entity::find_by_id(t.plan_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let class = Self::task_class(&t);
        let lead_writer =
            ctx.actor.role != Role::Viewer && ctx.actor.can_write(t.lead_agency_id, class);
        if !lead_writer && !self.may_edit_plan(ctx, &p) {
            return Err(not_allowed());
        }
        let status = Status::parse(&p.status).unwrap_or(Status::Draft);
        if !matches!(status, Status::Issued | Status::InProgress) {
            return Err(FieldErrors::single(
                "percent",
                Msg::new(
                    "Chỉ báo cáo tiến độ khi kế hoạch đã ban hành và chưa kết thúc.",
                    "Progress is reported once the plan is issued and until it is closed.",
                ),
            )
            .into());
        }
        let input = ProgressInput::parse(form)?;
        for (kind, id) in &input.evidence {
            if self.evidence_title(ctx, *kind, *id).await?.is_none() {
                return Err(FieldErrors::single(
                    "evidence",
                    Msg::new(
                        "Không tìm thấy hồ sơ được chọn làm bằng chứng (hoặc bạn không được xem).",
                        "A record picked as evidence is not one you may see.",
                    ),
                )
                .into());
            }
        }
        self.check_actuals(task_id, &input.actuals).await?;
        let at = now();
        let m = plan_progress::Model {
            id: Uuid::now_v7(),
            task_id,
            period_kind: input.period.kind.as_str().into(),
            period_end: input.period.due,
            percent: i16::from(input.percent),
            done: input.done.clone(),
            problems: input.problems.clone(),
            agency_id: if lead_writer {
                t.lead_agency_id
            } else {
                p.owner_agency_id
            },
            at,
            actor_id: Some(ctx.actor.user_id),
        };
        let tx = self.begin_write().await?;
        plan_progress::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        for (kind, id) in &input.evidence {
            plan_evidence::Entity::insert(
                plan_evidence::Model {
                    progress_id: m.id,
                    kind: kind.as_str().into(),
                    record_id: *id,
                }
                .into_active_model(),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        let actuals: Vec<plan_indicator_value::Model> = input
            .actuals
            .iter()
            .map(|(indicator, value)| plan_indicator_value::Model {
                progress_id: m.id,
                indicator_id: *indicator,
                actual: value.canonical(),
            })
            .collect();
        if !actuals.is_empty() {
            plan_indicator_value::Entity::insert_many(
                actuals
                    .iter()
                    .cloned()
                    .map(IntoActiveModel::into_active_model),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        // The task's own progress: its sub-tasks' weighted progress, or,
        // without any, this report's (the latest); then the tasks above it.
        let rolled = roll_up(live_kids(&tx, task_id).await?);
        let progress = i16::from(rolled.unwrap_or(input.percent));
        plan_task::Entity::update_many()
            .col_expr(plan_task::Column::ReportedAt, Expr::value(at))
            .col_expr(plan_task::Column::Progress, Expr::value(progress))
            .filter(plan_task::Column::Id.eq(task_id))
            .exec(&tx)
            .await?;
        pta::Entity::update_many()
            .col_expr(pta::Column::Progress, Expr::value(progress))
            .filter(pta::Column::TaskId.eq(task_id))
            .exec(&tx)
            .await?;
        refresh_up(&tx, t.parent_id).await?;
        if status == Status::Issued {
            let mut started = p.clone();
            started.status = Status::InProgress.as_str().into();
            started.version += 1;
            started.updated_at = at;
            started.updated_by = Some(ctx.actor.user_id);
            started
                .clone()
                .into_active_model()
                .reset_all()
                .update(&tx)
                .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(p.owner_agency_id),
                    classification: from_rank(p.classification),
                    before: Some(snapshot(&p)),
                    after: Some(snapshot(&started)),
                    ..Change::new(ENTITY, p.id, "start")
                },
            )
            .await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(t.lead_agency_id),
                classification: class,
                after: Some(progress_snapshot(&m, &actuals)),
                ..Change::new(TASK_ENTITY, task_id, "progress")
            },
        )
        .await?;
        crate::counters::bump(&tx, crate::counters::PLANS).await?;
        tx.commit().await?;
        Ok(m)
    }
}

/// A template's tasks copied into a new plan as its tree: each led by the
/// plan's issuing agency, due at the plan's end, citing its source sentence.
async fn copy_template<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    p: &plan::Model,
    template: Uuid,
) -> Result<(), StoreError> {
    use chrono::Datelike;
    use kieng_domain::plan::DeadlineKind;
    let rows = plan_template_task::Entity::find()
        .filter(plan_template_task::Column::TemplateId.eq(template))
        .order_by_asc(plan_template_task::Column::Position)
        .limit(kieng_domain::plan::MAX_TASKS as u64)
        .all(db)
        .await?;
    let whole_year = p.period_from.year() == p.period_to.year()
        && p.period_to.month() == 12
        && p.period_to.day() == 31;
    let kind = if whole_year {
        DeadlineKind::Year
    } else {
        DeadlineKind::Day
    };
    let t = now();
    // Each number's task, to find a row's parent by its number's prefix.
    let mut by_number: std::collections::HashMap<Vec<u32>, Uuid> = Default::default();
    let mut positions: std::collections::HashMap<Option<Uuid>, i32> = Default::default();
    let mut made = Vec::new();
    for r in rows {
        let number = kieng_domain::plan::parse_number(&r.number).unwrap_or_default();
        let parent = number
            .split_last()
            .and_then(|(_, up)| by_number.get(up).copied());
        let position = positions.entry(parent).or_insert(0);
        *position += 1;
        let m = plan_task::Model {
            id: Uuid::now_v7(),
            plan_id: p.id,
            parent_id: parent,
            position: *position,
            title_fold: fold(&r.title),
            title: r.title,
            output: None,
            source_quote: r.source_quote,
            lead_agency_id: p.owner_agency_id,
            plan_owner_id: p.owner_agency_id,
            deadline_kind: kind.as_str().into(),
            due_on: p.period_to,
            weight: 1,
            progress: 0,
            reported_at: None,
            cancelled: false,
            cancel_reason: None,
            classification: p.classification,
            secret_item_id: None,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        if !number.is_empty() {
            by_number.insert(number, m.id);
        }
        plan_task::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(db)
            .await?;
        made.push(m);
    }
    for m in made.iter().filter(|m| m.parent_id.is_none()) {
        rewrite_agencies(db, m, Some(&[])).await?;
    }
    Ok(())
}

fn closed() -> StoreError {
    FieldErrors::single(
        "title",
        Msg::new(
            "Kế hoạch đã kết thúc: mở lại kế hoạch trước khi sửa.",
            "The plan is closed: reopen it before changing it.",
        ),
    )
    .into()
}

fn parent_unknown() -> StoreError {
    FieldErrors::single(
        "parent",
        Msg::new(
            "Không có nhiệm vụ này trong kế hoạch (hoặc bạn không được xem).",
            "No task you may see in this plan has this id.",
        ),
    )
    .into()
}

/// A task and every task below it, the task first.
async fn subtree<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let mut out = vec![id];
    let mut level = vec![id];
    while !level.is_empty() && out.len() <= kieng_domain::plan::MAX_TASKS {
        level = plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::Id)
            .filter(plan_task::Column::ParentId.is_in(level))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(level.iter().copied());
    }
    Ok(out)
}

/// Rewrite `plan_task_agencies` for a task and every task below it: each
/// task's lead, its coordinating agencies (`coordinating` for the task
/// itself; the rows it had for those below) and, as `above`, every agency of
/// the tasks above it, with the copies of the task's columns.
async fn rewrite_agencies<C: ConnectionTrait>(
    db: &C,
    task: &plan_task::Model,
    coordinating: Option<&[Uuid]>,
) -> Result<(), StoreError> {
    let inherited: Vec<Uuid> = match task.parent_id {
        Some(p) => {
            pta::Entity::find()
                .select_only()
                .column(pta::Column::AgencyId)
                .filter(pta::Column::TaskId.eq(p))
                .into_tuple()
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let mut queue = vec![(task.clone(), inherited, coordinating.map(<[Uuid]>::to_vec))];
    while let Some((t, inherited, coord)) = queue.pop() {
        let coord = match coord {
            Some(c) => c,
            None => {
                pta::Entity::find()
                    .select_only()
                    .column(pta::Column::AgencyId)
                    .filter(pta::Column::TaskId.eq(t.id))
                    .filter(pta::Column::Role.eq(COORDINATING))
                    .into_tuple()
                    .all(db)
                    .await?
            }
        };
        pta::Entity::delete_many()
            .filter(pta::Column::TaskId.eq(t.id))
            .exec(db)
            .await?;
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        let roles = std::iter::once((t.lead_agency_id, LEAD))
            .chain(coord.iter().map(|a| (*a, COORDINATING)))
            .chain(inherited.iter().map(|a| (*a, ABOVE)));
        for (agency, role) in roles {
            if seen.insert(agency) {
                rows.push(
                    pta::Model {
                        task_id: t.id,
                        agency_id: agency,
                        role: role.into(),
                        plan_id: t.plan_id,
                        due_on: t.due_on,
                        progress: t.progress,
                        cancelled: t.cancelled,
                        classification: t.classification,
                        deleted_at: t.deleted_at,
                    }
                    .into_active_model(),
                );
            }
        }
        let all: Vec<Uuid> = seen.into_iter().collect();
        pta::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
        let kids = plan_task::Entity::find()
            .filter(plan_task::Column::ParentId.eq(t.id))
            .all(db)
            .await?;
        for k in kids {
            queue.push((k, all.clone(), None));
        }
    }
    Ok(())
}

/// The (weight, progress) of a task's sub-tasks that count: not cancelled, not deleted.
async fn live_kids<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Vec<(u32, u8)>, StoreError> {
    let kids: Vec<(i32, i16)> = plan_task::Entity::find()
        .select_only()
        .columns([plan_task::Column::Weight, plan_task::Column::Progress])
        .filter(plan_task::Column::ParentId.eq(id))
        .filter(plan_task::Column::DeletedAt.is_null())
        .filter(plan_task::Column::Cancelled.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    Ok(kids
        .into_iter()
        .map(|(w, p)| (w.max(0) as u32, p.clamp(0, 100) as u8))
        .collect())
}

/// Recompute the progress of `start` and every task above it: the weighted
/// mean of its sub-tasks' (cancelled and deleted ones left out), or, for a
/// task without any, its latest report.
pub(super) async fn refresh_up<C: ConnectionTrait>(
    db: &C,
    start: Option<Uuid>,
) -> Result<(), StoreError> {
    let mut cur = start;
    for _ in 0..=MAX_DEPTH + 1 {
        let Some(id) = cur else { break };
        // The task and its sub-tasks in one read.
        let rows: Vec<(Uuid, Option<Uuid>, i32, i16, bool, bool)> = plan_task::Entity::find()
            .select_only()
            .columns([
                plan_task::Column::Id,
                plan_task::Column::ParentId,
                plan_task::Column::Weight,
                plan_task::Column::Progress,
                plan_task::Column::Cancelled,
            ])
            .expr(plan_task::Column::DeletedAt.is_not_null())
            .filter(
                sea_orm::Condition::any()
                    .add(plan_task::Column::Id.eq(id))
                    .add(plan_task::Column::ParentId.eq(id)),
            )
            .into_tuple()
            .all(db)
            .await?;
        let Some(&(_, parent, _, before, _, _)) = rows.iter().find(|r| r.0 == id) else {
            break;
        };
        let rolled = roll_up(
            rows.iter()
                .filter(|r| r.0 != id && r.1 == Some(id) && !r.4 && !r.5)
                .map(|r| (r.2.max(0) as u32, r.3.clamp(0, 100) as u8)),
        );
        let progress = match rolled {
            Some(p) => i16::from(p),
            None => plan_progress::Entity::find()
                .select_only()
                .column(plan_progress::Column::Percent)
                .filter(plan_progress::Column::TaskId.eq(id))
                .order_by_desc(plan_progress::Column::At)
                .order_by_desc(plan_progress::Column::Id)
                .into_tuple::<i16>()
                .one(db)
                .await?
                .unwrap_or(0),
        };
        // Every task's progress is its sub-tasks' roll-up, so a task that
        // keeps its progress changes nothing above it.
        if progress == before {
            break;
        }
        plan_task::Entity::update_many()
            .col_expr(plan_task::Column::Progress, Expr::value(progress))
            .filter(plan_task::Column::Id.eq(id))
            .exec(db)
            .await?;
        pta::Entity::update_many()
            .col_expr(pta::Column::Progress, Expr::value(progress))
            .filter(pta::Column::TaskId.eq(id))
            .exec(db)
            .await?;
        cur = parent;
    }
    Ok(())
}
