//! Plans and their tasks: the rule over a task row — seen through its plan's
//! issuing agency (`plan_owner_id`, a copy) and through every agency in
//! `plan_task_agencies` for it: its lead, its coordinating agencies and those
//! of every task above it, so whoever sees a task sees the tasks below it
//! (and, since sub-tasks carry their parent's classification, every one of
//! them: a parent's progress, the weighted mean of its sub-tasks', counts
//! nothing its reader cannot see). A plan is seen through its issuing agency
//! and through the agencies of any task in it the reader may see, read from
//! `plan_agencies` (each agency on the plan's live tasks with the lowest
//! classification among them).

use crate::audit::{from_rank, rank};
use crate::entity::{
    plan, plan_agency as pa, plan_delegation as pd, plan_task, plan_task_agency as pta,
};
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

impl Store {
    /// The condition on `plan_task_agencies` rows a reader's scope and
    /// clearance accept.
    fn pta_seen(ctx: &Ctx, ids: Vec<Uuid>) -> Condition {
        Condition::all()
            .add(pta::Column::AgencyId.is_in(ids))
            .add(pta::Column::DeletedAt.is_null())
            .add(pta::Column::Classification.lte(rank(ctx.actor.clearance)))
    }

    /// The condition "the reader may see this plan".
    pub(crate) fn plan_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(plan::Column::DeletedAt.is_null())
            .add(plan::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        // The reader's agencies' rows of `plan_agencies` (a copy of the
        // plans' task agencies, ~100 a agency at national size) read through
        // its (agency, classification, plan) index.
        let through = Query::select()
            .column(pa::Column::PlanId)
            .from(pa::Entity)
            .and_where(pa::Column::AgencyId.is_in(ids.clone()))
            .and_where(pa::Column::Classification.lte(rank(ctx.actor.clearance)))
            .to_owned();
        c.add(
            Condition::any()
                .add(plan::Column::OwnerAgencyId.is_in(ids))
                .add(plan::Column::Id.in_subquery(through)),
        )
    }

    /// The condition "the reader may see this planned delegation": it is part
    /// of its plan, seen by whoever sees the plan, within its own
    /// classification (never below the plan's).
    pub(crate) fn delegation_visible(ctx: &Ctx) -> Condition {
        let plan_seen = Query::select()
            .expr(Expr::val(1))
            .from(plan::Entity)
            .and_where(
                Expr::col((plan::Entity, plan::Column::Id))
                    .equals((pd::Entity, pd::Column::PlanId)),
            )
            .cond_where(Self::plan_visible(ctx))
            .to_owned();
        Condition::all()
            .add(pd::Column::DeletedAt.is_null())
            .add(pd::Column::Classification.lte(rank(ctx.actor.clearance)))
            .add(Expr::exists(plan_seen))
    }

    /// The condition "the reader may see this task".
    pub(crate) fn task_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(plan_task::Column::DeletedAt.is_null())
            .add(plan_task::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        // Correlated: each task probes its own few rows by primary key.
        let through = Query::select()
            .expr(Expr::val(1))
            .from(pta::Entity)
            .and_where(
                Expr::col((pta::Entity, pta::Column::TaskId))
                    .equals((plan_task::Entity, plan_task::Column::Id)),
            )
            .cond_where(Self::pta_seen(ctx, ids.clone()))
            .to_owned();
        c.add(
            Condition::any()
                .add(plan_task::Column::PlanOwnerId.is_in(ids))
                .add(Expr::exists(through)),
        )
    }

    /// The plan if the reader may see it.
    pub(crate) async fn visible_plan<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<plan::Model, StoreError> {
        let p = plan::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let through: Vec<Uuid> = if ctx.actor.read.contains(p.owner_agency_id) {
            Vec::new()
        } else {
            pa::Entity::find()
                .select_only()
                .column(pa::Column::AgencyId)
                .filter(pa::Column::PlanId.eq(id))
                .filter(pa::Column::Classification.lte(rank(ctx.actor.clearance)))
                .into_tuple()
                .all(db)
                .await?
        };
        ctx.actor
            .sees(&Seen {
                owner: p.owner_agency_id,
                through: &through,
                classification: from_rank(p.classification),
                deleted: p.deleted_at.is_some(),
            })
            .then_some(p)
            .ok_or(StoreError::NotFound)
    }

    /// The agencies a task is seen through, besides its plan's issuing agency.
    pub(crate) async fn task_through<C: ConnectionTrait>(
        db: &C,
        id: Uuid,
    ) -> Result<Vec<Uuid>, StoreError> {
        Ok(pta::Entity::find()
            .select_only()
            .column(pta::Column::AgencyId)
            .filter(pta::Column::TaskId.eq(id))
            .into_tuple()
            .all(db)
            .await?)
    }

    /// The task if the reader may see it.
    pub(crate) async fn visible_task<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<plan_task::Model, StoreError> {
        let t = plan_task::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let through = if ctx.actor.read.contains(t.plan_owner_id) {
            Vec::new()
        } else {
            Self::task_through(db, id).await?
        };
        ctx.actor
            .sees(&Seen {
                owner: t.plan_owner_id,
                through: &through,
                classification: from_rank(t.classification),
                deleted: t.deleted_at.is_some(),
            })
            .then_some(t)
            .ok_or(StoreError::NotFound)
    }

    /// Which of these task rows the reader sees: the rule of `visible_task`
    /// for many at once, with one read of `plan_task_agencies` for those not
    /// seen through their plan's issuing agency.
    pub(crate) async fn tasks_seen<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        tasks: &[plan_task::Model],
    ) -> Result<std::collections::HashSet<Uuid>, StoreError> {
        let pending: Vec<Uuid> = tasks
            .iter()
            .filter(|t| !ctx.actor.read.contains(t.plan_owner_id))
            .map(|t| t.id)
            .collect();
        let mut through: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
        for chunk in pending.chunks(1000) {
            let rows: Vec<(Uuid, Uuid)> = pta::Entity::find()
                .select_only()
                .columns([pta::Column::TaskId, pta::Column::AgencyId])
                .filter(pta::Column::TaskId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            for (t, a) in rows {
                through.entry(t).or_default().push(a);
            }
        }
        Ok(tasks
            .iter()
            .filter(|t| {
                ctx.actor.sees(&Seen {
                    owner: t.plan_owner_id,
                    through: through.get(&t.id).map_or(&[], Vec::as_slice),
                    classification: from_rank(t.classification),
                    deleted: t.deleted_at.is_some(),
                })
            })
            .map(|t| t.id)
            .collect())
    }

    /// Those of these plans and tasks the reader may see (a search hit's
    /// check, by id: the rule of `visible_plan` and `visible_task`).
    pub(crate) async fn seen_plans(
        &self,
        plans: Vec<Uuid>,
        tasks: Vec<Uuid>,
        ctx: &Ctx,
    ) -> Result<Vec<Uuid>, StoreError> {
        let mut out = Vec::new();
        for id in plans {
            if Self::visible_plan(&self.db, ctx, id).await.is_ok() {
                out.push(id);
            }
        }
        for id in tasks {
            if Self::visible_task(&self.db, ctx, id).await.is_ok() {
                out.push(id);
            }
        }
        Ok(out)
    }
}
