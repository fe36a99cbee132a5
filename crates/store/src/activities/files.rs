//! Files attached to an activity: checked by `domain::attachment` (kind from the
//! content, size limit), stored with their SHA-256, listed and served only to
//! readers of the activity, added and removed by its writers, audited.

use crate::audit::{Change, append, from_rank};
use crate::entity::attachment;
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::attachment::{check, clean_name};
use kieng_domain::{FieldErrors, Msg};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// An attachment without its content, for lists.
pub type AttachmentMeta = (
    Uuid,
    String,
    String,
    i64,
    String,
    chrono::DateTime<chrono::Utc>,
);

impl Store {
    /// Attach a file to an activity the actor may edit.
    pub async fn attachment_add(
        &self,
        ctx: &Ctx,
        activity_id: Uuid,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<attachment::Model, StoreError> {
        let a = Self::visible_activity(&self.db, ctx, activity_id).await?;
        if !ctx
            .actor
            .can_write(a.lead_agency_id, from_rank(a.classification))
        {
            return Err(StoreError::forbidden());
        }
        let name = clean_name(file_name);
        if name.is_empty() {
            return Err(
                FieldErrors::single("file", Msg::new("Chọn một tệp.", "Choose a file.")).into(),
            );
        }
        let content_type = check(&name, &bytes).map_err(|m| FieldErrors::single("file", m))?;
        let m = attachment::Model {
            id: Uuid::now_v7(),
            entity_type: super::ENTITY.into(),
            entity_id: activity_id,
            file_name: name,
            content_type: content_type.into(),
            size: bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&bytes)),
            content: bytes,
            created_at: now(),
            created_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        let tx = crate::db::begin_write(&self.db).await?;
        attachment::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: from_rank(a.classification),
                after: Some(serde_json::json!({"attachment": m.id, "file_name": m.file_name, "size": m.size, "sha256": m.sha256})),
                ..Change::new(super::ENTITY, activity_id, "attach")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The activity's files (no content), oldest first.
    pub async fn attachments_of(
        &self,
        ctx: &Ctx,
        activity_id: Uuid,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        Self::visible_activity(&self.db, ctx, activity_id).await?;
        Ok(attachment::Entity::find()
            .select_only()
            .columns([
                attachment::Column::Id,
                attachment::Column::FileName,
                attachment::Column::ContentType,
                attachment::Column::Size,
                attachment::Column::Sha256,
                attachment::Column::CreatedAt,
            ])
            .filter(attachment::Column::EntityType.eq(super::ENTITY))
            .filter(attachment::Column::EntityId.eq(activity_id))
            .filter(attachment::Column::DeletedAt.is_null())
            .order_by_asc(attachment::Column::CreatedAt)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// One file with its content, for a reader of its activity.
    pub async fn attachment_get(
        &self,
        ctx: &Ctx,
        activity_id: Uuid,
        id: Uuid,
    ) -> Result<attachment::Model, StoreError> {
        Self::visible_activity(&self.db, ctx, activity_id).await?;
        attachment::Entity::find_by_id(id)
            .filter(attachment::Column::EntityType.eq(super::ENTITY))
            .filter(attachment::Column::EntityId.eq(activity_id))
            .filter(attachment::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Remove a file (kept, marked deleted, audited).
    pub async fn attachment_remove(
        &self,
        ctx: &Ctx,
        activity_id: Uuid,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let a = Self::visible_activity(&self.db, ctx, activity_id).await?;
        if !ctx
            .actor
            .can_write(a.lead_agency_id, from_rank(a.classification))
        {
            return Err(StoreError::forbidden());
        }
        let tx = crate::db::begin_write(&self.db).await?;
        let res = attachment::Entity::update_many()
            .col_expr(attachment::Column::DeletedAt, Expr::value(now()))
            .col_expr(
                attachment::Column::DeletedBy,
                Expr::value(ctx.actor.user_id),
            )
            .filter(attachment::Column::Id.eq(id))
            .filter(attachment::Column::EntityId.eq(activity_id))
            .filter(attachment::Column::DeletedAt.is_null())
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: from_rank(a.classification),
                before: Some(serde_json::json!({"attachment": id})),
                ..Change::new(super::ENTITY, activity_id, "detach")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
