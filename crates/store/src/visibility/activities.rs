//! Activities: the rule's SQL shapes over the activity row (lists, spans) and
//! over a partner link's copies of it (a partner's activities).

use crate::activities::LARGE_SCOPE;
use crate::audit::rank;
use crate::entity::{activity, activity_agency, activity_partner, activity_partner_agency};
use crate::{Ctx, Store};
use sea_orm::sea_query::{Expr, ExprTrait, Query, UnionType};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

impl Store {
    /// The condition "the reader may see this activity": clearance, then the lead
    /// agency or a participating agency within the reader's scope.
    ///
    /// Shaped for SQLite's planner, which has no statistics: a small scope is a UNION
    /// of two indexed lookups; a large one (a pillar) scans by start with the agency
    /// test unindexed (`+`), so "the newest 50" stops after a few hundred rows.
    /// Measured at 100,000 activities: a pillar's newest 50 in 2 ms (95 ms as a
    /// UNION), one agency's in 2 ms (68 ms as an OR).
    pub(crate) fn visible(ctx: &Ctx, backend: sea_orm::DbBackend) -> Condition {
        Self::visible_shaped(ctx, backend, None)
    }

    /// `visible`, for a query that reads the range `starts` of starts (a calendar
    /// span): the per-row test suits any scope, since the range, not the scope,
    /// bounds the rows read (on PostgreSQL the UNION form made a coordinator's
    /// month take 1.6 s at 1M activities).
    pub(crate) fn visible_in_span(
        ctx: &Ctx,
        backend: sea_orm::DbBackend,
        starts: (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>),
    ) -> Condition {
        Self::visible_shaped(ctx, backend, Some(starts))
    }

    /// `bounded`: the range `[from, to)` of starts the query reads, if any.
    fn visible_shaped(
        ctx: &Ctx,
        backend: sea_orm::DbBackend,
        bounded: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    ) -> Condition {
        let c = Condition::all()
            .add(activity::Column::DeletedAt.is_null())
            .add(activity::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        let participating = |ids: Vec<Uuid>| {
            Query::select()
                .column(activity_agency::Column::ActivityId)
                .from(activity_agency::Entity)
                .and_where(activity_agency::Column::AgencyId.is_in(ids))
                .to_owned()
        };
        let small = ids.len() <= LARGE_SCOPE;
        if let Some((from, to)) = bounded {
            // The participations in the same range of starts (their links carry the
            // start): one index range per agency, whatever the scope's history.
            let shared = Query::select()
                .column(activity_agency::Column::ActivityId)
                .from(activity_agency::Entity)
                .and_where(activity_agency::Column::AgencyId.is_in(ids.clone()))
                .and_where(activity_agency::Column::StartsAt.gte(from))
                .and_where(activity_agency::Column::StartsAt.lt(to))
                .to_owned();
            // A small scope reads the range through the owner index (one agency's
            // month: 0.2 ms instead of 5 ms on SQLite); a large one scans the range
            // with the owner test unindexed.
            let owner = if backend == sea_orm::DbBackend::Sqlite && !small {
                Expr::cust("+\"activities\".\"owner_agency_id\"").is_in(ids)
            } else {
                Expr::col((activity::Entity, activity::Column::OwnerAgencyId)).is_in(ids)
            };
            return c.add(
                Condition::any()
                    .add(owner)
                    .add(activity::Column::Id.in_subquery(shared)),
            );
        }
        if backend == sea_orm::DbBackend::Sqlite && !small {
            return c.add(
                Condition::any()
                    .add(Expr::cust("+\"activities\".\"owner_agency_id\"").is_in(ids.clone()))
                    .add(activity::Column::Id.in_subquery(participating(ids))),
            );
        }
        c.add(
            activity::Column::Id.in_subquery(
                Query::select()
                    .column(activity::Column::Id)
                    .from(activity::Entity)
                    .and_where(activity::Column::OwnerAgencyId.is_in(ids.clone()))
                    .union(UnionType::All, participating(ids))
                    .to_owned(),
            ),
        )
    }
}

/// "The reader may see this link's activity", on the link's own columns: within
/// clearance, and owned by an agency in scope or with one taking part. Those
/// taking part are read once from `activity_partner_agencies` (one index range
/// per agency in scope), not probed link by link.
pub(crate) fn link_visible(ctx: &Ctx, partner: Uuid) -> Condition {
    let c = Condition::all()
        .add(activity_partner::Column::Classification.lte(rank(ctx.actor.clearance)));
    let Some(ids) = ctx.actor.read.ids() else {
        return c;
    };
    c.add(
        Condition::any()
            .add(activity_partner::Column::OwnerAgencyId.is_in(ids.clone()))
            .add(
                Expr::col((
                    activity_partner::Entity,
                    activity_partner::Column::ActivityId,
                ))
                .in_subquery(
                    Query::select()
                        .column(activity_partner_agency::Column::ActivityId)
                        .from(activity_partner_agency::Entity)
                        .and_where(activity_partner_agency::Column::PartnerId.eq(partner))
                        .and_where(activity_partner_agency::Column::AgencyId.is_in(ids))
                        .to_owned(),
                ),
            ),
    )
}

/// "With a partner the reader may see from this place": a country (ISO
/// alpha-2), or with `region` a top-level region of `regions.csv`. A partner
/// above the reader's clearance, or deleted, places nothing: the filter answers
/// as if its links were not there.
pub(crate) fn with_partner_in(ctx: &Ctx, code: &str, region: bool) -> Condition {
    use crate::entity::{country_region, partner};
    let mut partners = Query::select();
    partners
        .column(partner::Column::Id)
        .from(partner::Entity)
        .and_where(partner::Column::DeletedAt.is_null())
        .and_where(partner::Column::Classification.lte(rank(ctx.actor.clearance)));
    if region {
        partners.and_where(
            partner::Column::CountryCode.in_subquery(
                Query::select()
                    .column(country_region::Column::Alpha2)
                    .from(country_region::Entity)
                    .and_where(country_region::Column::Region.eq(code))
                    .to_owned(),
            ),
        );
    } else {
        partners.and_where(partner::Column::CountryCode.eq(code));
    }
    Condition::all().add(
        activity::Column::Id.in_subquery(
            Query::select()
                .column(activity_partner::Column::ActivityId)
                .from(activity_partner::Entity)
                .and_where(activity_partner::Column::PartnerId.in_subquery(partners.to_owned()))
                .to_owned(),
        ),
    )
}
