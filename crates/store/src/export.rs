//! The way out: the ids of every record of a kind a reader may see, in id
//! order, a page at a time (`kieng export`). Each record is then read through
//! its own `*_get`, so what an export holds is what the reader's pages show —
//! hidden partners blanked, classified reads logged — and nothing else.

use crate::audit::rank;
use crate::entity::{activity, agreement, commitment, partner};
use crate::{Ctx, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

kieng_domain::code_enum!(
    /// What `kieng export` writes, a file each.
    ExportKind {
        Agencies = "agencies", "Cơ quan, đơn vị", "Agencies";
        Partners = "partners", "Đối tác", "Partners";
        Activities = "activities", "Hoạt động", "Activities";
        Agreements = "agreements", "Thỏa thuận, điều ước", "Agreements";
        Commitments = "commitments", "Cam kết", "Commitments";
    }
);

impl Store {
    /// Up to `limit` ids of `kind` the reader may see, after `after`, in order.
    pub async fn export_ids(
        &self,
        ctx: &Ctx,
        kind: ExportKind,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<Uuid>, StoreError> {
        let backend = self.db.get_database_backend();
        let ids: Vec<Uuid> = match kind {
            ExportKind::Agencies => {
                let dir = self.directory().await?;
                let clearance = rank(ctx.actor.clearance);
                let mut ids: Vec<Uuid> = dir
                    .rows
                    .iter()
                    .filter(|a| a.classification <= clearance)
                    .map(|a| a.id)
                    .filter(|id| after.is_none_or(|x| *id > x))
                    .collect();
                ids.sort();
                ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                ids
            }
            ExportKind::Partners => {
                let mut q = partner::Entity::find()
                    .select_only()
                    .column(partner::Column::Id)
                    .filter(partner::Column::DeletedAt.is_null())
                    .filter(partner::Column::MergedIntoId.is_null())
                    .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)));
                if let Some(a) = after {
                    q = q.filter(partner::Column::Id.gt(a));
                }
                q.order_by_asc(partner::Column::Id)
                    .limit(limit)
                    .into_tuple()
                    .all(&self.db)
                    .await?
            }
            ExportKind::Activities => {
                let mut q = activity::Entity::find()
                    .select_only()
                    .column(activity::Column::Id)
                    .filter(Self::visible(ctx, backend));
                if let Some(a) = after {
                    q = q.filter(activity::Column::Id.gt(a));
                }
                q.order_by_asc(activity::Column::Id)
                    .limit(limit)
                    .into_tuple()
                    .all(&self.db)
                    .await?
            }
            ExportKind::Agreements => {
                let mut q = agreement::Entity::find()
                    .select_only()
                    .column(agreement::Column::Id)
                    .filter(Self::agreement_visible(ctx));
                if let Some(a) = after {
                    q = q.filter(agreement::Column::Id.gt(a));
                }
                q.order_by_asc(agreement::Column::Id)
                    .limit(limit)
                    .into_tuple()
                    .all(&self.db)
                    .await?
            }
            ExportKind::Commitments => {
                let mut q = commitment::Entity::find()
                    .select_only()
                    .column(commitment::Column::Id)
                    .filter(Self::commitment_visible(ctx));
                if let Some(a) = after {
                    q = q.filter(commitment::Column::Id.gt(a));
                }
                q.order_by_asc(commitment::Column::Id)
                    .limit(limit)
                    .into_tuple()
                    .all(&self.db)
                    .await?
            }
        };
        Ok(ids)
    }

    /// Note in the audit trail that `ctx`'s reader exported these counts.
    pub async fn export_noted(
        &self,
        ctx: &Ctx,
        counts: &[(ExportKind, u64)],
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let after: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(k, n)| (k.as_str().to_string(), (*n).into()))
            .collect();
        crate::audit::append(
            &tx,
            &ctx.into(),
            crate::audit::Change {
                after: Some(after.into()),
                ..crate::audit::Change::new("export", ctx.actor.user_id, "export")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
