//! Citizen protection cases: the rule's SQL shape over the case row, which
//! carries both agencies it is seen through (the mission in charge, the
//! agency that took it in), and the same rule by id. Who on a case's readers
//! sees its personal data is a second rule on top (`protection::on_team`).

use crate::audit::{from_rank, rank};
use crate::entity::protection_case;
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait};
use uuid::Uuid;

impl Store {
    /// The condition "the reader may see this case".
    pub(crate) fn case_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(protection_case::Column::DeletedAt.is_null())
            .add(protection_case::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        c.add(
            Condition::any()
                .add(protection_case::Column::AgencyId.is_in(ids.clone()))
                .add(protection_case::Column::IntakeAgencyId.is_in(ids)),
        )
    }

    /// The case if the reader may see it.
    pub(crate) async fn visible_case<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<protection_case::Model, StoreError> {
        protection_case::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                ctx.actor.sees(&Seen {
                    owner: c.agency_id,
                    through: &[c.intake_agency_id],
                    classification: from_rank(c.classification),
                    deleted: c.deleted_at.is_some(),
                })
            })
            .ok_or(StoreError::NotFound)
    }
}
