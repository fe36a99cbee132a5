//! Activities in the trash. Only what was never decided (draft, returned) or was
//! called off (cancelled) may be deleted, by a writer whose scope covers the lead
//! agency; anything else is an official record and is cancelled instead.
//!
//! The invariant of `by_partner`: an activity's partner links live in
//! `activity_partners` exactly while the activity does. Deleting moves them to
//! `activity_partners_trashed`; restoring moves them back (to the surviving
//! partner when one was merged meanwhile) — each in the deletion's or
//! restoration's own transaction, with its audit entry. The participations
//! (`activity_agencies`) stay, their copy of the deletion set and cleared with it.

use super::ENTITY;
use super::write::{save_versioned, snapshot};
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{activity, activity_agency, activity_partner, partner};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::Msg;
use kieng_domain::activity::Status;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use uuid::Uuid;

/// The most deleted activities the trash page lists.
pub const TRASH_LIMIT: u64 = 200;

/// The participations keep their activity's deletion (`activity_agencies`
/// carries it for the lists' counts): set on deletion, cleared on restoration.
async fn mark_participations<C: ConnectionTrait>(
    tx: &C,
    id: Uuid,
    deleted_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), StoreError> {
    activity_agency::Entity::update_many()
        .col_expr(
            activity_agency::Column::DeletedAt,
            sea_orm::sea_query::Expr::value(deleted_at),
        )
        .filter(activity_agency::Column::ActivityId.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

impl Store {
    /// Move an activity to the trash (version-checked).
    pub async fn activity_delete(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let before = Self::visible_activity(&tx, ctx, id).await?;
        if !ctx
            .actor
            .can_write(before.lead_agency_id, from_rank(before.classification))
        {
            return Err(StoreError::forbidden());
        }
        if !Status::parse(&before.status).is_some_and(Status::may_trash) {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ xóa được hoạt động dự thảo, bị trả lại hoặc đã hủy; hoạt động đã trình, đã duyệt hay đã thực hiện thì hủy kèm lý do.",
                "Only a draft, returned or cancelled activity can be deleted; one submitted, approved or held is cancelled, with a reason.",
            )));
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut after = before.clone();
        after.deleted_at = Some(now());
        after.deleted_by = Some(ctx.actor.user_id);
        after.version += 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        mark_participations(&tx, id, after.deleted_at).await?;
        let backend = tx.get_database_backend();
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO activity_partners_trashed (activity_id, partner_id)
             SELECT activity_id, partner_id FROM activity_partners WHERE activity_id = $1",
            [id.into()],
        ))
        .await?;
        activity_partner::Entity::delete_many()
            .filter(activity_partner::Column::ActivityId.eq(id))
            .exec(&tx)
            .await?;
        super::relink_participants(&tx, &[id]).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: from_rank(after.classification),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Take an activity out of the trash, its partner links with it.
    pub async fn activity_restore(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<activity::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = activity::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .filter(|a| {
                a.deleted_at.is_some()
                    && ctx
                        .actor
                        .can_see(a.owner_agency_id, from_rank(a.classification))
            })
            .ok_or(StoreError::NotFound)?;
        if !ctx
            .actor
            .can_write(before.lead_agency_id, from_rank(before.classification))
        {
            return Err(StoreError::forbidden());
        }
        let mut after = before.clone();
        after.deleted_at = None;
        after.deleted_by = None;
        after.version += 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        mark_participations(&tx, id, None).await?;
        let backend = tx.get_database_backend();
        let parked = tx
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT partner_id FROM activity_partners_trashed WHERE activity_id = $1",
                [id.into()],
            ))
            .await?;
        let mut partners = Vec::new();
        for row in parked {
            let mut p: Uuid = row.try_get("", "partner_id")?;
            // A partner merged while the activity was in the trash: its survivor.
            for _ in 0..16 {
                match partner::Entity::find_by_id(p).one(&tx).await? {
                    Some(m) => match m.merged_into_id {
                        Some(s) => p = s,
                        None => break,
                    },
                    None => break,
                }
            }
            if !partners.contains(&p) {
                partners.push(p);
            }
        }
        if !partners.is_empty() {
            activity_partner::Entity::insert_many(
                partners
                    .iter()
                    .map(|p| super::link(&after, *p).into_active_model()),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        super::relink_participants(&tx, &[id]).await?;
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM activity_partners_trashed WHERE activity_id = $1",
            [id.into()],
        ))
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: from_rank(after.classification),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, "restore")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deleted activities the reader could restore, most recently deleted first.
    pub async fn activity_trash(&self, ctx: &Ctx) -> Result<Vec<activity::Model>, StoreError> {
        let rows = activity::Entity::find()
            .filter(activity::Column::DeletedAt.is_not_null())
            .filter(activity::Column::Classification.lte(rank(ctx.actor.clearance)))
            .order_by_desc(activity::Column::DeletedAt)
            .limit(TRASH_LIMIT * 5)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|a| ctx.actor.write.contains(a.lead_agency_id))
            .take(TRASH_LIMIT as usize)
            .collect())
    }
}
