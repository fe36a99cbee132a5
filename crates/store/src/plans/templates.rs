//! Plan templates: the key tasks a new plan may be copied from. The external
//! line's ship with Kiềng (migration 54); an administrator adds a later one
//! (the 14th Congress's) by saving an unclassified plan's task tree as a
//! template, typically after importing it from the spreadsheet, and retires
//! one no longer offered. Templates are offered to every agency, so one holds
//! only unclassified tasks.

use crate::audit::{Change, append};
use crate::entity::{plan_task, plan_template, plan_template_task};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::plan::{TemplateForm, TemplateInput};
use kieng_domain::{Classification, FieldErrors, Msg, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

pub const TEMPLATE_ENTITY: &str = "plan_template";

/// A template as the list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateRow {
    #[serde(flatten)]
    pub template: plan_template::Model,
    pub tasks: i64,
}

/// A template with its tasks in order.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateView {
    #[serde(flatten)]
    pub template: plan_template::Model,
    pub tasks: Vec<plan_template_task::Model>,
}

impl Store {
    /// Every template, those in use first, each with its number of tasks.
    pub async fn template_list(&self) -> Result<Vec<TemplateRow>, StoreError> {
        let templates = plan_template::Entity::find()
            .order_by_asc(plan_template::Column::Code)
            .all(&self.db)
            .await?;
        let counts: HashMap<Uuid, i64> = plan_template_task::Entity::find()
            .select_only()
            .column(plan_template_task::Column::TemplateId)
            .column_as(plan_template_task::Column::Id.count(), "n")
            .group_by(plan_template_task::Column::TemplateId)
            .into_tuple::<(Uuid, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut rows: Vec<TemplateRow> = templates
            .into_iter()
            .map(|t| TemplateRow {
                tasks: counts.get(&t.id).copied().unwrap_or(0),
                template: t,
            })
            .collect();
        rows.sort_by_key(|r| r.template.retired_at.is_some());
        Ok(rows)
    }

    /// One template with its tasks.
    pub async fn template_get(&self, id: Uuid) -> Result<TemplateView, StoreError> {
        let template = plan_template::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let tasks = plan_template_task::Entity::find()
            .filter(plan_template_task::Column::TemplateId.eq(id))
            .order_by_asc(plan_template_task::Column::Position)
            .all(&self.db)
            .await?;
        Ok(TemplateView { template, tasks })
    }

    /// Save a plan's task tree as a new template (administrators): the
    /// plan's live, not cancelled, unclassified tasks with their numbers,
    /// titles and source sentences; a task left out takes its sub-tasks with it.
    pub async fn template_from_plan(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        form: &TemplateForm,
    ) -> Result<plan_template::Model, StoreError> {
        if ctx.actor.role != Role::Admin {
            return Err(StoreError::forbidden());
        }
        let p = Self::visible_plan(&self.db, ctx, plan_id).await?;
        let input = TemplateInput::parse(form)?;
        if p.classification != 0 {
            return Err(FieldErrors::single(
                "code",
                Msg::new(
                    "Mẫu được dùng chung cho mọi cơ quan: chỉ lập mẫu từ kế hoạch không mật.",
                    "Templates are offered to every agency: save one only from an unclassified plan.",
                ),
            )
            .into());
        }
        let tasks = plan_task::Entity::find()
            .filter(plan_task::Column::PlanId.eq(p.id))
            .filter(plan_task::Column::DeletedAt.is_null())
            .filter(plan_task::Column::Cancelled.eq(false))
            .filter(plan_task::Column::Classification.eq(0))
            .limit(kieng_domain::plan::MAX_TASKS as u64)
            .all(&self.db)
            .await?;
        let numbered = numbered(tasks);
        if numbered.is_empty() {
            return Err(FieldErrors::single(
                "code",
                Msg::new(
                    "Kế hoạch chưa có nhiệm vụ không mật nào để lập mẫu.",
                    "The plan has no unclassified task to save as a template.",
                ),
            )
            .into());
        }
        let tx = self.begin_write().await?;
        let taken = plan_template::Entity::find()
            .filter(plan_template::Column::Code.eq(input.code.clone()))
            .one(&tx)
            .await?
            .is_some();
        if taken {
            return Err(FieldErrors::single(
                "code",
                Msg::new(
                    "Đã có mẫu mang mã này.",
                    "A template already has this code.",
                ),
            )
            .into());
        }
        let m = plan_template::Model {
            id: Uuid::now_v7(),
            code: input.code,
            title: input.title,
            source: input.source,
            created_at: now(),
            retired_at: None,
        };
        plan_template::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        let rows: Vec<plan_template_task::ActiveModel> = numbered
            .iter()
            .enumerate()
            .map(|(i, (number, t))| {
                plan_template_task::Model {
                    id: Uuid::now_v7(),
                    template_id: m.id,
                    position: i as i32 + 1,
                    number: number.clone(),
                    title: t.title.clone(),
                    source_quote: t.source_quote.clone(),
                }
                .into_active_model()
            })
            .collect();
        for chunk in rows.chunks(500) {
            plan_template_task::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&tx)
                .await?;
        }
        let mut after = super::write::snapshot(&m);
        if let Some(o) = after.as_object_mut() {
            o.insert("plan_id".into(), p.id.to_string().into());
            o.insert("tasks".into(), numbered.len().into());
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                classification: Classification::None,
                after: Some(after),
                ..Change::new(TEMPLATE_ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Stop offering a template to new plans (`retire`), or offer it again.
    pub async fn template_retire(
        &self,
        ctx: &Ctx,
        id: Uuid,
        retire: bool,
    ) -> Result<plan_template::Model, StoreError> {
        if ctx.actor.role != Role::Admin {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let before = plan_template::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut m = before.clone();
        m.retired_at = if retire {
            Some(before.retired_at.unwrap_or_else(now))
        } else {
            None
        };
        m.clone()
            .into_active_model()
            .reset_all()
            .update(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                classification: Classification::None,
                before: Some(super::write::snapshot(&before)),
                after: Some(super::write::snapshot(&m)),
                ..Change::new(
                    TEMPLATE_ENTITY,
                    id,
                    if retire { "retire" } else { "restore" },
                )
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}

/// Tasks in the tree's order with their numbers ("2.1"); a task whose parent
/// is not among them is left out with everything below it.
fn numbered(tasks: Vec<plan_task::Model>) -> Vec<(String, plan_task::Model)> {
    let mut kids: HashMap<Option<Uuid>, Vec<plan_task::Model>> = HashMap::new();
    for t in tasks {
        kids.entry(t.parent_id).or_default().push(t);
    }
    for v in kids.values_mut() {
        v.sort_by_key(|t| (t.position, t.id));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(plan_task::Model, String)> = kids
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, t)| (t, (i + 1).to_string()))
        .collect();
    while let Some((t, number)) = stack.pop() {
        for (i, k) in kids
            .remove(&Some(t.id))
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .rev()
        {
            stack.push((k, format!("{number}.{}", i + 1)));
        }
        out.push((number, t));
    }
    out
}
