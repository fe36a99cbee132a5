//! Multilateral diplomacy: a candidacy is seen through the agency leading
//! the campaign, within its classification; a pledge is part of its
//! candidacy, seen by whoever sees the candidacy within the pledge's own
//! classification (never below the candidacy's: `pledges.classification`
//! carries the candidacy's floor). An outcome recorded at a meeting is seen
//! through the agency that recorded it, within its classification; the
//! meetings themselves are activities, seen by the activities' rule.
//! Mechanisms and roles held are public reference for every signed-in user.

use crate::audit::{from_rank, rank};
use crate::entity::{candidacy, mechanism_outcome, pledge};
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait};
use uuid::Uuid;

impl Store {
    /// The condition "the reader may see this candidacy".
    pub(crate) fn candidacy_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(candidacy::Column::DeletedAt.is_null())
            .add(candidacy::Column::Classification.lte(rank(ctx.actor.clearance)));
        match ctx.actor.read.ids() {
            None => c,
            Some(ids) => c.add(candidacy::Column::OwnerAgencyId.is_in(ids)),
        }
    }

    /// The candidacy if the reader may see it.
    pub(crate) async fn visible_candidacy<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<candidacy::Model, StoreError> {
        candidacy::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                ctx.actor.sees(&Seen {
                    owner: c.owner_agency_id,
                    through: &[],
                    classification: from_rank(c.classification),
                    deleted: c.deleted_at.is_some(),
                })
            })
            .ok_or(StoreError::NotFound)
    }

    /// The condition "the reader may see this pledge".
    pub(crate) fn pledge_visible(ctx: &Ctx) -> Condition {
        let seen = Query::select()
            .expr(Expr::val(1))
            .from(candidacy::Entity)
            .and_where(
                Expr::col((candidacy::Entity, candidacy::Column::Id))
                    .equals((pledge::Entity, pledge::Column::CandidacyId)),
            )
            .cond_where(Self::candidacy_visible(ctx))
            .to_owned();
        Condition::all()
            .add(pledge::Column::DeletedAt.is_null())
            .add(pledge::Column::Classification.lte(rank(ctx.actor.clearance)))
            .add(Expr::exists(seen))
    }

    /// The pledges of one candidacy the reader may see, once the candidacy
    /// itself is known to be visible (`visible_candidacy`): its rows within
    /// clearance, read from the board's index.
    pub(crate) fn pledges_of_seen(ctx: &Ctx, candidacy: Uuid) -> Condition {
        Condition::all()
            .add(pledge::Column::CandidacyId.eq(candidacy))
            .add(pledge::Column::Classification.lte(rank(ctx.actor.clearance)))
            .add(pledge::Column::DeletedAt.is_null())
    }

    /// The condition "the reader may see this outcome".
    pub(crate) fn outcome_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(mechanism_outcome::Column::DeletedAt.is_null())
            .add(mechanism_outcome::Column::Classification.lte(rank(ctx.actor.clearance)));
        match ctx.actor.read.ids() {
            None => c,
            Some(ids) => c.add(mechanism_outcome::Column::OwnerAgencyId.is_in(ids)),
        }
    }
}
