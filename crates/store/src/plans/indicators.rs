//! A task's indicators: added, changed and removed by those who may assign
//! the task (the plan's writers and the task's lead agency's), each change
//! version-checked and audited on the task; the actual figures come with
//! progress reports (`write::progress_add`). An indicator is read only
//! through its task (`visible_task`), so it is seen by whoever sees the task.

use super::TASK_ENTITY;
use crate::audit::{Change, append};
use crate::entity::{plan, plan_indicator, plan_indicator_value, plan_progress, plan_task};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::plan::Status;
use kieng_domain::plan::indicator::{
    Figure, IndicatorForm, IndicatorInput, MAX_INDICATORS, achieved,
};
use kieng_domain::{FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One reported figure: the period it is for and the figure as the reader writes it.
#[derive(Debug, Clone, Serialize)]
pub struct Actual {
    pub period: String,
    pub period_end: chrono::NaiveDate,
    pub value: Figure,
    pub shown: String,
}

/// An indicator as a task's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    #[serde(flatten)]
    pub indicator: plan_indicator::Model,
    pub baseline_shown: Option<String>,
    pub target_shown: String,
    /// Each period's latest figure, the latest period first.
    pub actuals: Vec<Actual>,
    /// The latest period's figure against the target (`achieved`), in percent.
    pub achieved: Option<u32>,
}

fn figure(s: &str) -> Figure {
    Figure::parse(s).unwrap_or_default()
}

impl Store {
    /// A task's live indicators with their figures, reported period by
    /// period (a later report for the same period replaces the earlier).
    pub(super) async fn indicator_views<C: ConnectionTrait>(
        db: &C,
        task_id: Uuid,
        lang_en: bool,
    ) -> Result<Vec<IndicatorView>, StoreError> {
        let rows = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::TaskId.eq(task_id))
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .order_by_asc(plan_indicator::Column::Position)
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let reports = plan_progress::Entity::find()
            .filter(plan_progress::Column::TaskId.eq(task_id))
            .order_by_asc(plan_progress::Column::At)
            .order_by_asc(plan_progress::Column::Id)
            .all(db)
            .await?;
        let values = plan_indicator_value::Entity::find()
            .filter(
                plan_indicator_value::Column::IndicatorId
                    .is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        let by_report: HashMap<Uuid, &plan_progress::Model> =
            reports.iter().map(|r| (r.id, r)).collect();
        let order: HashMap<Uuid, usize> =
            reports.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        Ok(rows
            .into_iter()
            .map(|ind| {
                // (period kind, period end) → (report order, figure): the latest report wins.
                let mut per: HashMap<(String, chrono::NaiveDate), (usize, Figure)> = HashMap::new();
                for v in values.iter().filter(|v| v.indicator_id == ind.id) {
                    let Some(r) = by_report.get(&v.progress_id) else {
                        continue;
                    };
                    let at = order[&v.progress_id];
                    let e = per
                        .entry((r.period_kind.clone(), r.period_end))
                        .or_insert((at, figure(&v.actual)));
                    if at >= e.0 {
                        *e = (at, figure(&v.actual));
                    }
                }
                let mut actuals: Vec<Actual> = per
                    .into_iter()
                    .map(|((kind, end), (_, value))| Actual {
                        period: super::deadline_label(&kind, end)
                            .get(lang(lang_en))
                            .to_string(),
                        period_end: end,
                        value,
                        shown: value.display(lang_en),
                    })
                    .collect();
                actuals.sort_by_key(|a| std::cmp::Reverse(a.period_end));
                let baseline = ind.baseline.as_deref().map(figure);
                let target = figure(&ind.target);
                IndicatorView {
                    baseline_shown: baseline.map(|b| b.display(lang_en)),
                    target_shown: target.display(lang_en),
                    achieved: actuals.first().map(|a| achieved(baseline, target, a.value)),
                    actuals,
                    indicator: ind,
                }
            })
            .collect())
    }

    /// The task for a change of its indicators: visible, its plan open, and
    /// the reader one who may assign it.
    async fn task_for_indicators(
        &self,
        ctx: &Ctx,
        task_id: Uuid,
    ) -> Result<plan_task::Model, StoreError> {
        let t = Self::visible_task(&self.db, ctx, task_id).await?;
        let p = plan::Entity::find_by_id(t.plan_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !self.may_assign(ctx, &p, Some(&t)) {
            return Err(StoreError::forbidden());
        }
        if p.status == Status::Closed.as_str() {
            return Err(FieldErrors::single(
                "name",
                Msg::new(
                    "Kế hoạch đã kết thúc: mở lại kế hoạch trước khi sửa.",
                    "The plan is closed: reopen it before changing it.",
                ),
            )
            .into());
        }
        Ok(t)
    }

    /// Add an indicator to a task.
    pub async fn indicator_add(
        &self,
        ctx: &Ctx,
        task_id: Uuid,
        form: &IndicatorForm,
    ) -> Result<plan_indicator::Model, StoreError> {
        let t = self.task_for_indicators(ctx, task_id).await?;
        let input = IndicatorInput::parse(form)?;
        let tx = self.begin_write().await?;
        let count = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::TaskId.eq(task_id))
            .count(&tx)
            .await?;
        let live = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::TaskId.eq(task_id))
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .count(&tx)
            .await?;
        if live as usize >= MAX_INDICATORS {
            return Err(FieldErrors::single(
                "name",
                Msg::new(
                    format!("Mỗi nhiệm vụ có nhiều nhất {MAX_INDICATORS} chỉ tiêu."),
                    format!("A task has at most {MAX_INDICATORS} indicators."),
                ),
            )
            .into());
        }
        let at = now();
        let m = plan_indicator::Model {
            id: Uuid::now_v7(),
            task_id,
            position: count as i32 + 1,
            name: input.name,
            unit: input.unit,
            baseline: input.baseline.map(|b| b.canonical()),
            target: input.target.canonical(),
            version: 1,
            created_at: at,
            created_by: Some(ctx.actor.user_id),
            updated_at: at,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
        };
        plan_indicator::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(t.lead_agency_id),
                classification: Self::task_class(&t),
                after: Some(super::write::snapshot(&m)),
                ..Change::new(TASK_ENTITY, task_id, "indicator_add")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Change an indicator (at `version`), or remove it (`form` None): its
    /// reported figures stay in the reports' history.
    pub async fn indicator_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: Option<&IndicatorForm>,
    ) -> Result<plan_indicator::Model, StoreError> {
        let found = plan_indicator::Entity::find_by_id(id)
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let t = self.task_for_indicators(ctx, found.task_id).await?;
        let input = form.map(IndicatorInput::parse).transpose()?;
        let tx = self.begin_write().await?;
        let before = plan_indicator::Entity::find_by_id(id)
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: super::write::snapshot(&before),
            });
        }
        let mut m = before.clone();
        let at = now();
        let action = match input {
            Some(i) => {
                m.name = i.name;
                m.unit = i.unit;
                m.baseline = i.baseline.map(|b| b.canonical());
                m.target = i.target.canonical();
                "indicator_update"
            }
            None => {
                m.deleted_at = Some(at);
                "indicator_delete"
            }
        };
        m.version += 1;
        m.updated_at = at;
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
                owner_agency_id: Some(t.lead_agency_id),
                classification: Self::task_class(&t),
                before: Some(super::write::snapshot(&before)),
                after: Some(super::write::snapshot(&m)),
                ..Change::new(TASK_ENTITY, t.id, action)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The task an indicator belongs to, if the reader sees it.
    pub async fn indicator_task(&self, ctx: &Ctx, id: Uuid) -> Result<Uuid, StoreError> {
        let found = plan_indicator::Entity::find_by_id(id)
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Self::visible_task(&self.db, ctx, found.task_id).await?.id)
    }

    /// Check a report's figures against the task's live indicators.
    pub(super) async fn check_actuals(
        &self,
        task_id: Uuid,
        actuals: &[(Uuid, Figure)],
    ) -> Result<(), StoreError> {
        if actuals.is_empty() {
            return Ok(());
        }
        let live: Vec<Uuid> = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::TaskId.eq(task_id))
            .filter(plan_indicator::Column::DeletedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect();
        for (id, _) in actuals {
            if !live.contains(id) {
                return Err(FieldErrors::single(
                    &kieng_domain::plan::actual_field(*id),
                    Msg::new(
                        "Nhiệm vụ không có chỉ tiêu này.",
                        "The task has no such indicator.",
                    ),
                )
                .into());
            }
        }
        Ok(())
    }
}

fn lang(en: bool) -> &'static str {
    if en { "en" } else { "vi" }
}
