//! One partner's activities, read from the partner's side. `activity_partners`
//! keeps beside each link the activity's start, pillar, owner, classification and
//! start year in Vietnam, so the dossier's engagement tallies are an index-only
//! count and its timeline walks the partner's links newest first, testing each
//! link's visibility on the link itself — instead of intersecting everything the
//! reader may see with everything linked to the partner (250 ms for a partner
//! with 11,600 activities at 400,000; see BENCHMARKS.md).
//!
//! Invariant: a link's copied columns equal its activity's. Every create and edit
//! rewrites the links (`write::write_links` builds them with [`link`]), a merge
//! moves them whole, and a soft delete of activities, when one is built, must
//! remove and restore the links in its own transaction (the tallies do not read
//! `activities.deleted_at`; the timeline does).

use super::{ActivityRow, LARGE_SCOPE, PER_PAGE, vn_date, vn_midnight};
use crate::audit::rank;
use crate::entity::{activity, activity_agency, activity_partner, activity_partner_agency};
use crate::visibility::Links;
use crate::{Ctx, Page, Store, StoreError};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// The link between an activity and a partner, with the activity's columns copied.
pub fn link(a: &activity::Model, partner: Uuid) -> activity_partner::Model {
    activity_partner::Model {
        activity_id: a.id,
        partner_id: partner,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        pillar: a.pillar.clone(),
        owner_agency_id: a.owner_agency_id,
        classification: a.classification,
        vn_year: chrono::Datelike::year(&vn_date(a.starts_at)),
    }
}

/// Rebuild the `activity_partner_agencies` rows of these activities from their
/// partner links and participating agencies (after a trash, restore or merge
/// moved their links; a create or edit writes them with the links).
pub(crate) async fn relink_participants<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    for chunk in ids.chunks(500) {
        activity_partner_agency::Entity::delete_many()
            .filter(activity_partner_agency::Column::ActivityId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
        let select = Query::select()
            .column((
                activity_partner::Entity,
                activity_partner::Column::PartnerId,
            ))
            .column((activity_agency::Entity, activity_agency::Column::AgencyId))
            .column((
                activity_partner::Entity,
                activity_partner::Column::ActivityId,
            ))
            .from(activity_partner::Entity)
            .inner_join(
                activity_agency::Entity,
                Expr::col((activity_agency::Entity, activity_agency::Column::ActivityId)).equals((
                    activity_partner::Entity,
                    activity_partner::Column::ActivityId,
                )),
            )
            .and_where(
                Expr::col((
                    activity_partner::Entity,
                    activity_partner::Column::ActivityId,
                ))
                .is_in(chunk.to_vec()),
            )
            .to_owned();
        let insert = Query::insert()
            .into_table(activity_partner_agency::Entity)
            .columns([
                activity_partner_agency::Column::PartnerId,
                activity_partner_agency::Column::AgencyId,
                activity_partner_agency::Column::ActivityId,
            ])
            .select_from(select)
            .map_err(|e| StoreError::Internal(e.to_string()))?
            .to_owned();
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}

/// Which of a partner's activities a list wants.
#[derive(Debug, Clone, Default)]
pub struct PartnerSlice {
    pub pillar: Option<String>,
    /// Starting in this calendar year (Vietnam's time).
    pub year: Option<i32>,
    /// Starting on or after this day (Vietnam's time).
    pub from: Option<chrono::NaiveDate>,
    /// Starting on or before this day (Vietnam's time).
    pub to: Option<chrono::NaiveDate>,
    pub page: Option<u64>,
}

/// The dossier's timeline page and the tallies its chart and count come from.
#[derive(Debug, Clone)]
pub struct PartnerTimeline {
    pub page: Page<ActivityRow>,
    /// (year in Vietnam, pillar, activities), oldest year first.
    pub by_year: Vec<(i32, String, u32)>,
}

impl PartnerSlice {
    fn condition(&self, ctx: &Ctx, partner: Uuid) -> Condition {
        let mut c = Condition::all()
            .add(activity_partner::Column::PartnerId.eq(partner))
            .add(crate::visibility::link_visible(ctx, partner));
        if let Some(p) = self.pillar.as_deref().filter(|p| !p.is_empty()) {
            c = c.add(activity_partner::Column::Pillar.eq(p));
        }
        if let Some(y) = self.year
            && let (Some(a), Some(b)) = (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1),
            )
        {
            c = c
                .add(activity_partner::Column::StartsAt.gte(vn_midnight(a)))
                .add(activity_partner::Column::StartsAt.lt(vn_midnight(b)));
        }
        if let Some(d) = self.from {
            c = c.add(activity_partner::Column::StartsAt.gte(vn_midnight(d)));
        }
        if let Some(d) = self.to {
            c = c.add(activity_partner::Column::StartsAt.lt(super::day_after(d)));
        }
        c
    }

    /// The rows of the tallies this slice covers (no `from`: tallies are by year).
    fn counts(&self, t: &(i32, String, u32)) -> bool {
        self.year.is_none_or(|y| y == t.0)
            && self
                .pillar
                .as_deref()
                .filter(|p| !p.is_empty())
                .is_none_or(|p| p == t.1)
    }
}

impl Store {
    /// How many activities with this partner the reader may see, per year (in
    /// Vietnam) and pillar, oldest year first: the dossier's engagement chart.
    pub async fn partner_engagements_by_year(
        &self,
        ctx: &Ctx,
        partner: Uuid,
    ) -> Result<Vec<(i32, String, u32)>, StoreError> {
        // Kept per reader scope and partner on the activity scope change log,
        // like the lists (see `cache`): true until a change touches the scope.
        let key = (ctx.actor.read.ids(), rank(ctx.actor.clearance), partner);
        let rev = self.scope_position().await?;
        let kept = self.caches.tallies_latest(&key);
        if let Some(t) = self.still_true(kept, key.0.as_deref(), rev).await? {
            return Ok(t.rows.clone());
        }
        let rows = self.partner_tallies_read(ctx, partner).await?;
        self.caches
            .tallies_put(key, crate::kept::CachedTallies::new(rev, rows.clone()));
        Ok(rows)
    }

    /// `partner_engagements_by_year` read from the database.
    async fn partner_tallies_read(
        &self,
        ctx: &Ctx,
        partner: Uuid,
    ) -> Result<Vec<(i32, String, u32)>, StoreError> {
        // A small scope: read agency by agency (see `partner_scope`). A pillar's
        // sixty agencies read more that way than in one walk of the partner's links.
        if let Some(ids) = ctx.actor.read.ids().filter(|ids| ids.len() <= LARGE_SCOPE) {
            return self.scoped_tallies(ctx, partner, &ids).await;
        }
        let rows: Vec<(i32, String, i64)> = activity_partner::Entity::find()
            .select_only()
            .column(activity_partner::Column::VnYear)
            .column(activity_partner::Column::Pillar)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(activity_partner::Column::PartnerId.eq(partner))
            .filter(crate::visibility::link_visible(ctx, partner))
            .group_by(activity_partner::Column::VnYear)
            .group_by(activity_partner::Column::Pillar)
            .order_by_asc(activity_partner::Column::VnYear)
            .order_by_asc(activity_partner::Column::Pillar)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(y, p, n)| (y, p, n.clamp(0, u32::MAX as i64) as u32))
            .collect())
    }

    /// One page of a partner's activities the reader may see, newest first, and
    /// how many there are (exact from the tallies; capped with a `from` day).
    pub async fn partner_activities(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        slice: &PartnerSlice,
        tallies: Option<&[(i32, String, u32)]>,
    ) -> Result<Page<ActivityRow>, StoreError> {
        let cond = slice.condition(ctx, partner);
        let ids = ctx.actor.read.ids().filter(|ids| ids.len() <= LARGE_SCOPE);
        let links = Links::of(slice);
        let total = match (tallies, slice.from.or(slice.to), &ids) {
            (Some(t), None, _) => t
                .iter()
                .filter(|x| slice.counts(x))
                .map(|x| u64::from(x.2))
                .sum(),
            (_, _, Some(ids)) => self.scoped_count(ctx, partner, ids, &links).await?,
            (_, _, None) => {
                self.capped_count(
                    activity_partner::Entity::find().filter(cond.clone()),
                    activity_partner::Column::ActivityId,
                )
                .await?
            }
        };
        let page = Ord::clamp(
            slice.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        // A small scope: its agencies' newest links, then those rows.
        if let Some(ids) = ids {
            let window = self
                .scoped_window(ctx, partner, &ids, &links, (page - 1) * PER_PAGE, PER_PAGE)
                .await?;
            let rows = activity::Entity::find()
                .filter(activity::Column::Id.is_in(window.into_iter().map(|w| w.0)))
                .filter(activity::Column::DeletedAt.is_null())
                .order_by_desc(activity::Column::StartsAt)
                .order_by_desc(activity::Column::Id)
                .all(&self.db)
                .await?;
            return Ok(Page {
                items: self.rows_of(rows).await?,
                total,
                page,
                per_page: PER_PAGE,
            });
        }
        let stmt = Query::select()
            .column((activity::Entity, Asterisk))
            .from(activity_partner::Entity)
            .inner_join(
                activity::Entity,
                Expr::col((activity::Entity, activity::Column::Id)).equals((
                    activity_partner::Entity,
                    activity_partner::Column::ActivityId,
                )),
            )
            .cond_where(cond.add(activity::Column::DeletedAt.is_null()))
            .order_by(
                (activity_partner::Entity, activity_partner::Column::StartsAt),
                Order::Desc,
            )
            .order_by(
                (
                    activity_partner::Entity,
                    activity_partner::Column::ActivityId,
                ),
                Order::Desc,
            )
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
            .to_owned();
        let rows = activity::Entity::find()
            .from_raw_sql(self.db.get_database_backend().build(&stmt))
            .all(&self.db)
            .await?;
        Ok(Page {
            items: self.rows_of(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// When the `index`-th (from 0) of a partner's activities in the slice starts.
    pub(crate) async fn partner_activity_start(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        slice: &PartnerSlice,
        index: u64,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        if let Some(ids) = ctx.actor.read.ids().filter(|ids| ids.len() <= LARGE_SCOPE) {
            let l = Links::of(slice);
            let w = self.scoped_window(ctx, partner, &ids, &l, index, 1).await?;
            return Ok(w.first().map(|w| w.1));
        }
        Ok(activity_partner::Entity::find()
            .select_only()
            .column(activity_partner::Column::StartsAt)
            .filter(slice.condition(ctx, partner))
            .order_by_desc(activity_partner::Column::StartsAt)
            .order_by_desc(activity_partner::Column::ActivityId)
            .offset(index)
            .limit(1)
            .into_tuple()
            .one(&self.db)
            .await?)
    }

    /// The dossier's timeline: a page of activities and the tallies by year and pillar.
    pub async fn partner_timeline(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        slice: &PartnerSlice,
    ) -> Result<PartnerTimeline, StoreError> {
        let by_year = self.partner_engagements_by_year(ctx, partner).await?;
        let page = self
            .partner_activities(ctx, partner, slice, Some(&by_year))
            .await?;
        Ok(PartnerTimeline { page, by_year })
    }
}
