//! A draft plan to the trash and back. A plan once issued is an official
//! record: it is closed, never deleted. Its tasks (and their rows in
//! `plan_task_agencies`) go with it, marked at the same instant, so a
//! restore brings back exactly those.

use super::ENTITY;
use super::write::snapshot;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{plan, plan_task, plan_task_agency as pta};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::plan::Status;
use kieng_domain::{FieldErrors, Msg, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// Deleted plans the trash lists at most.
pub const TRASH_LIMIT: u64 = 200;

impl Store {
    /// Move a draft plan (at `version`) and its tasks to the trash.
    pub async fn plan_delete(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
    ) -> Result<plan::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = self.plan_for_write(&tx, ctx, id, Some(version)).await?;
        if before.status != Status::Draft.as_str() {
            return Err(FieldErrors::single(
                "move",
                Msg::new(
                    "Kế hoạch đã ban hành là văn bản chính thức: kết thúc kế hoạch thay vì xóa.",
                    "An issued plan is an official record: close it instead of deleting it.",
                ),
            )
            .into());
        }
        let m = self
            .set_deleted(&tx, ctx, before, Some(now()), "delete")
            .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Take a plan out of the trash, with the tasks deleted with it.
    pub async fn plan_restore(&self, ctx: &Ctx, id: Uuid) -> Result<plan::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = plan::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .filter(|p| p.deleted_at.is_some())
            .ok_or(StoreError::NotFound)?;
        if !self.may_restore(ctx, &before) {
            return Err(StoreError::NotFound);
        }
        let m = self.set_deleted(&tx, ctx, before, None, "restore").await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Set a plan's deletion to `to` (none: live) with the tasks that share
    /// its present one, audited as `action`, inside the caller's transaction.
    async fn set_deleted<C: sea_orm::ConnectionTrait>(
        &self,
        tx: &C,
        ctx: &Ctx,
        before: plan::Model,
        to: Option<chrono::DateTime<chrono::Utc>>,
        action: &'static str,
    ) -> Result<plan::Model, StoreError> {
        let by = to.map(|_| ctx.actor.user_id);
        let mut m = before.clone();
        m.deleted_at = to;
        m.deleted_by = by;
        m.version += 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        m.clone().into_active_model().reset_all().update(tx).await?;
        self.mark_tasks(tx, m.id, before.deleted_at, to, by).await?;
        append(
            tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: from_rank(m.classification),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, m.id, action)
            },
        )
        .await?;
        super::write::plan_written(tx, m.id).await?;
        Ok(m)
    }

    /// A deleted plan comes back only for those who could delete it.
    fn may_restore(&self, ctx: &Ctx, p: &plan::Model) -> bool {
        ctx.actor.role != Role::Viewer
            && p.classification <= rank(ctx.actor.clearance)
            && self.may_edit_plan(ctx, p)
    }

    /// Set the deletion of a plan's tasks that are at `from` (none: live)
    /// to `to`, on the tasks and on their `plan_task_agencies` copies.
    async fn mark_tasks<C: sea_orm::ConnectionTrait>(
        &self,
        tx: &C,
        plan_id: Uuid,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
        by: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let at = match from {
            Some(t) => plan_task::Column::DeletedAt.eq(t),
            None => plan_task::Column::DeletedAt.is_null(),
        };
        let ids: Vec<Uuid> = plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::Id)
            .filter(plan_task::Column::PlanId.eq(plan_id))
            .filter(at)
            .into_tuple()
            .all(tx)
            .await?;
        for chunk in ids.chunks(500) {
            plan_task::Entity::update_many()
                .col_expr(plan_task::Column::DeletedAt, Expr::value(to))
                .col_expr(plan_task::Column::DeletedBy, Expr::value(by))
                .filter(plan_task::Column::Id.is_in(chunk.to_vec()))
                .exec(tx)
                .await?;
            pta::Entity::update_many()
                .col_expr(pta::Column::DeletedAt, Expr::value(to))
                .filter(pta::Column::TaskId.is_in(chunk.to_vec()))
                .exec(tx)
                .await?;
        }
        Ok(())
    }

    /// Deleted plans the reader could take out of the trash, latest first.
    pub async fn plan_trash(&self, ctx: &Ctx) -> Result<Vec<plan::Model>, StoreError> {
        let rows = plan::Entity::find()
            .filter(plan::Column::DeletedAt.is_not_null())
            .filter(plan::Column::Classification.lte(rank(ctx.actor.clearance)))
            .order_by_desc(plan::Column::DeletedAt)
            .limit(TRASH_LIMIT * 5)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|p| self.may_restore(ctx, p))
            .take(TRASH_LIMIT as usize)
            .collect())
    }
}
