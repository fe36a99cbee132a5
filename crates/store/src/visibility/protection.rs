//! Citizen protection cases and crises: the rule's SQL shape over the case
//! row, which carries both agencies it is seen through (the mission in
//! charge, the agency that took it in), over the crisis row (its mission),
//! and the same rules by id. Who on a case's readers sees its personal data
//! is a second rule on top (`protection::on_team`), here also as SQL for the
//! searches that only the team may make (`case_team_condition`).

use crate::audit::{from_rank, rank};
use crate::entity::{crisis, protection_case, protection_team};
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::sea_query::Query;
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

    /// The condition "the reader is on this case's team" (`on_team` as SQL):
    /// its officer, a named colleague, or a leader of the mission in charge
    /// or of the consular department (`consular`).
    pub(crate) fn case_team_condition(ctx: &Ctx, consular: Option<Uuid>) -> Condition {
        let a = &ctx.actor;
        let mut c = Condition::any()
            .add(protection_case::Column::OfficerId.eq(a.user_id))
            .add(
                protection_case::Column::Id.in_subquery(
                    Query::select()
                        .column(protection_team::Column::CaseId)
                        .from(protection_team::Entity)
                        .and_where(protection_team::Column::UserId.eq(a.user_id))
                        .to_owned(),
                ),
            );
        if a.role == kieng_domain::Role::Leader {
            if consular == Some(a.agency_id) {
                return Condition::all();
            }
            c = c.add(protection_case::Column::AgencyId.eq(a.agency_id));
        }
        c
    }

    /// The condition "the reader may see this crisis".
    pub(crate) fn crisis_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(crisis::Column::DeletedAt.is_null())
            .add(crisis::Column::Classification.lte(rank(ctx.actor.clearance)));
        match ctx.actor.read.ids() {
            None => c,
            Some(ids) => c.add(crisis::Column::AgencyId.is_in(ids)),
        }
    }

    /// The crisis if the reader may see it.
    pub(crate) async fn visible_crisis<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<crisis::Model, StoreError> {
        crisis::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                ctx.actor.sees(&Seen {
                    owner: c.agency_id,
                    through: &[],
                    classification: from_rank(c.classification),
                    deleted: c.deleted_at.is_some(),
                })
            })
            .ok_or(StoreError::NotFound)
    }
}
