//! Files attached to a record — an activity, an agreement (its texts in each
//! language), a commitment (evidence): checked by `domain::attachment` (kind from
//! the content, size limit), stored with their SHA-256, listed and served only to
//! readers of the record, added and removed by its writers, audited on the record.

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

/// The kinds of record that hold files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Activity,
    Agreement,
    Commitment,
}

impl Holder {
    /// The holder a page or API path names (`/activities/…`, `/api/v1/agreements/…`).
    pub fn from_path(path: &str) -> Option<Self> {
        let p = path.strip_prefix("/api/v1").unwrap_or(path);
        [
            ("/activities/", Self::Activity),
            ("/agreements/", Self::Agreement),
            ("/commitments/", Self::Commitment),
        ]
        .into_iter()
        .find(|(prefix, _)| p.starts_with(prefix))
        .map(|(_, h)| h)
    }

    pub fn entity(self) -> &'static str {
        match self {
            Self::Activity => super::ENTITY,
            Self::Agreement => crate::agreements::ENTITY,
            Self::Commitment => crate::commitments::ENTITY,
        }
    }
}

/// A record that holds files, as the rules need it.
struct Held {
    owner_agency_id: Uuid,
    classification: kieng_domain::Classification,
    writable: bool,
}

impl Store {
    /// The record if the reader may see it, with whether they may change its files.
    async fn held(&self, ctx: &Ctx, h: Holder, id: Uuid) -> Result<Held, StoreError> {
        Ok(match h {
            Holder::Activity => {
                let a = Self::visible_activity(&self.db, ctx, id).await?;
                let class = from_rank(a.classification);
                Held {
                    owner_agency_id: a.owner_agency_id,
                    classification: class,
                    writable: ctx.actor.can_write(a.lead_agency_id, class),
                }
            }
            Holder::Agreement => {
                let a = Self::visible_agreement(&self.db, ctx, id).await?;
                let class = from_rank(a.classification);
                Held {
                    owner_agency_id: a.owner_agency_id,
                    classification: class,
                    writable: ctx.actor.can_write(a.owner_agency_id, class),
                }
            }
            Holder::Commitment => {
                let c = Self::visible_commitment(&self.db, ctx, id).await?;
                Held {
                    owner_agency_id: c.owner_agency_id,
                    classification: from_rank(c.classification),
                    writable: self.may_edit_commitment(ctx, &c),
                }
            }
        })
    }

    /// Attach a file to a record the actor may edit.
    pub async fn attachment_add(
        &self,
        ctx: &Ctx,
        holder: Holder,
        activity_id: Uuid,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<attachment::Model, StoreError> {
        let a = self.held(ctx, holder, activity_id).await?;
        if !a.writable {
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
            entity_type: holder.entity().into(),
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
        let tx = self.begin_write().await?;
        attachment::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: a.classification,
                after: Some(serde_json::json!({"attachment": m.id, "file_name": m.file_name, "size": m.size, "sha256": m.sha256})),
                ..Change::new(holder.entity(), activity_id, "attach")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The record's files (no content), oldest first.
    pub async fn attachments_of(
        &self,
        ctx: &Ctx,
        holder: Holder,
        activity_id: Uuid,
    ) -> Result<Vec<AttachmentMeta>, StoreError> {
        self.held(ctx, holder, activity_id).await?;
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
            .filter(attachment::Column::EntityType.eq(holder.entity()))
            .filter(attachment::Column::EntityId.eq(activity_id))
            .filter(attachment::Column::DeletedAt.is_null())
            .order_by_asc(attachment::Column::CreatedAt)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// One file with its content, for a reader of its record.
    pub async fn attachment_get(
        &self,
        ctx: &Ctx,
        holder: Holder,
        activity_id: Uuid,
        id: Uuid,
    ) -> Result<attachment::Model, StoreError> {
        self.held(ctx, holder, activity_id).await?;
        attachment::Entity::find_by_id(id)
            .filter(attachment::Column::EntityType.eq(holder.entity()))
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
        holder: Holder,
        activity_id: Uuid,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let a = self.held(ctx, holder, activity_id).await?;
        if !a.writable {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let res = attachment::Entity::update_many()
            .col_expr(attachment::Column::DeletedAt, Expr::value(now()))
            .col_expr(
                attachment::Column::DeletedBy,
                Expr::value(ctx.actor.user_id),
            )
            .filter(attachment::Column::Id.eq(id))
            .filter(attachment::Column::EntityType.eq(holder.entity()))
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
                classification: a.classification,
                before: Some(serde_json::json!({"attachment": id})),
                ..Change::new(holder.entity(), activity_id, "detach")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
