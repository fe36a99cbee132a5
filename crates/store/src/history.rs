//! A record's history, read from the audit trail. Each record type says how to
//! check that the reader may see the record; later modules add their type here.

use crate::audit::AuditEntry;
use crate::{Ctx, Store, StoreError};
use sea_orm::{EntityTrait, QueryFilter};
use uuid::Uuid;

impl Store {
    /// Every audited change of one record, newest first, within the reader's clearance.
    pub async fn record_history(
        &self,
        ctx: &Ctx,
        entity_type: &str,
        id: Uuid,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        match entity_type {
            crate::agencies::ENTITY => {
                // Seeing the agency today is the condition for seeing its past.
                self.agency_get_quiet(ctx, id).await?;
            }
            crate::activities::ENTITY => {
                Self::visible_activity(&self.db, ctx, id).await?;
            }
            crate::partners::ENTITY => {
                self.partner_get_quiet(ctx, id).await?;
            }
            crate::agreements::ENTITY => {
                Self::visible_agreement(&self.db, ctx, id).await?;
            }
            crate::commitments::ENTITY => {
                Self::visible_commitment(&self.db, ctx, id).await?;
            }
            crate::reports::ENTITY => {
                Self::visible_report(&self.db, ctx, id).await?;
            }
            crate::plans::ENTITY => {
                Self::visible_plan(&self.db, ctx, id).await?;
            }
            crate::plans::TASK_ENTITY => {
                Self::visible_task(&self.db, ctx, id).await?;
            }
            crate::plans::DELEGATION_ENTITY => {
                crate::entity::plan_delegation::Entity::find_by_id(id)
                    .filter(Self::delegation_visible(ctx))
                    .one(&self.db)
                    .await?
                    .ok_or(StoreError::NotFound)?;
            }
            crate::protection::crisis::ENTITY => {
                Self::visible_crisis(&self.db, ctx, id).await?;
            }
            crate::protection::ENTITY => {
                Self::visible_case(&self.db, ctx, id).await?;
            }
            crate::multilateral::CANDIDACY_ENTITY => {
                Self::visible_candidacy(&self.db, ctx, id).await?;
            }
            _ => return Err(StoreError::NotFound),
        }
        let rows = self
            .audit_of(&ctx.actor, entity_type, &id.to_string())
            .await?;
        let rows = rows.into_iter().filter(|r| r.action != "read").collect();
        self.audit_shown(&ctx.actor, rows).await
    }
}
