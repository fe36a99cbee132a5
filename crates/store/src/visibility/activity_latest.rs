//! "The newest activities I may see": the activity list without search words or
//! row filters beyond pillar and dates — the page every user opens first. Read
//! per agency in scope instead of as one set, so a page costs what it shows:
//!
//! - rows: a small scope takes, for each agency, its newest owned activities and
//!   its newest participations (each an index range read newest first, stopping
//!   at the page's end), then the page of their union; a large one (a pillar)
//!   walks all activities newest first and keeps those owned in scope or with a
//!   participant in scope, which for a pillar stops after a few hundred.
//! - total: owned activities in scope counted from the owner index alone (owner,
//!   start, deletion, clearance and pillar are in it), then — only while under the
//!   cap — the distinct participations owned outside the scope, from the
//!   participation index alone (the participations copy those columns too).
//!   Capped at `COUNT_CAP` like every list.
//!
//! The same rule as `Store::visible`; the integration tests compare the two.

use crate::activities::{ActivityRow, LARGE_SCOPE, PER_PAGE};
use crate::audit::rank;
use crate::entity::{activity, activity_agency};
use crate::{COUNT_CAP, Ctx, Page, Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// The filters this path takes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Latest {
    pub pillar: Option<String>,
    /// Starts in `[from, to)`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub page: u64,
}

/// The row tests every branch applies to the activity itself.
fn row_test(ctx: &Ctx, f: &Latest) -> Condition {
    let mut c = Condition::all()
        .add(Expr::col((activity::Entity, activity::Column::DeletedAt)).is_null())
        .add(
            Expr::col((activity::Entity, activity::Column::Classification))
                .lte(rank(ctx.actor.clearance)),
        );
    if let Some(p) = &f.pillar {
        c = c.add(Expr::col((activity::Entity, activity::Column::Pillar)).eq(p.as_str()));
    }
    c
}

/// The start range on a table's `starts_at`.
fn starts(
    table: impl sea_orm::sea_query::IntoIden + Copy,
    col: impl sea_orm::sea_query::IntoIden + Copy,
    f: &Latest,
) -> Condition {
    let mut c = Condition::all();
    if let Some(from) = f.from {
        c = c.add(Expr::col((table, col)).gte(from));
    }
    if let Some(to) = f.to {
        c = c.add(Expr::col((table, col)).lt(to));
    }
    c
}

/// `FROM activity_agencies`: participations with the row tests on their copy of
/// the activity's columns (migration 29) and the start range — one range of
/// `activity_agencies_span` per agency, read from the index alone. (Joined to
/// the activities for those tests, the total of an agency with a thousand
/// participations read a thousand rows: 6–7 ms at 1,000,000 activities.)
fn participations(ctx: &Ctx, f: &Latest) -> SelectStatement {
    let mut q = Query::select()
        .from(activity_agency::Entity)
        .and_where(
            Expr::col((activity_agency::Entity, activity_agency::Column::DeletedAt)).is_null(),
        )
        .and_where(
            Expr::col((
                activity_agency::Entity,
                activity_agency::Column::Classification,
            ))
            .lte(rank(ctx.actor.clearance)),
        )
        .cond_where(starts(
            activity_agency::Entity,
            activity_agency::Column::StartsAt,
            f,
        ))
        .to_owned();
    if let Some(p) = &f.pillar {
        q.and_where(
            Expr::col((activity_agency::Entity, activity_agency::Column::Pillar)).eq(p.as_str()),
        );
    }
    q
}

/// `SELECT id, starts_at FROM (inner) AS name`: an arm of a union that keeps
/// its own order and limit on both databases.
fn arm(inner: SelectStatement, name: String) -> SelectStatement {
    Query::select()
        .column(Alias::new("id"))
        .column(Alias::new("starts_at"))
        .from_subquery(inner, Alias::new(name))
        .to_owned()
}

impl Store {
    /// The page and capped total of the plain list for a scope of these agencies.
    pub(crate) async fn latest_in_scope(
        &self,
        ctx: &Ctx,
        ids: &[Uuid],
        f: &Latest,
    ) -> Result<Page<ActivityRow>, StoreError> {
        let (rows, total) = tokio::try_join!(
            self.latest_rows(ctx, ids, f),
            self.latest_total(ctx, ids, f)
        )?;
        let pages = Ord::max(total.div_ceil(PER_PAGE), 1);
        // Past the last page: the last page, as every list answers.
        let (rows, page) = if f.page > pages {
            let last = Latest {
                page: pages,
                ..f.clone()
            };
            (self.latest_rows(ctx, ids, &last).await?, pages)
        } else {
            (rows, f.page)
        };
        Ok(Page {
            items: self.rows_of(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    async fn latest_rows(
        &self,
        ctx: &Ctx,
        ids: &[Uuid],
        f: &Latest,
    ) -> Result<Vec<activity::Model>, StoreError> {
        let end = Ord::max(f.page, 1) * PER_PAGE;
        let q = activity::Entity::find();
        let q = if ids.len() > LARGE_SCOPE {
            // Newest first over every activity; each is kept if owned in scope or
            // if one of its participants is (a seek in the participation key).
            let owner = if self.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
                // Unindexed: SQLite must walk the start order, not the owner index.
                Expr::cust("+\"activities\".\"owner_agency_id\"").is_in(ids.to_vec())
            } else {
                Expr::col((activity::Entity, activity::Column::OwnerAgencyId)).is_in(ids.to_vec())
            };
            // A scalar subquery, not `EXISTS`: PostgreSQL turns an `EXISTS` under `OR`
            // into a hash of every participation in scope (67,000 for a pillar:
            // 24 ms), where this is one key seek per row read (0.8 ms); SQLite
            // runs it in 1 ms against 3.
            let shared = Query::select()
                .expr(Expr::val(1))
                .from(activity_agency::Entity)
                .and_where(
                    Expr::col((activity_agency::Entity, activity_agency::Column::ActivityId))
                        .equals((activity::Entity, activity::Column::Id)),
                )
                .and_where(activity_agency::Column::AgencyId.is_in(ids.to_vec()))
                .limit(1)
                .to_owned();
            let shared = Expr::SubQuery(None, Box::new(shared.into())).is_not_null();
            q.filter(row_test(ctx, f))
                .filter(starts(activity::Entity, activity::Column::StartsAt, f))
                .filter(Condition::any().add(owner).add(shared))
                .order_by_desc(activity::Column::StartsAt)
                .order_by_desc(activity::Column::Id)
                .offset(end - PER_PAGE)
                .limit(PER_PAGE)
        } else {
            // Per agency: its newest `end` owned and its newest `end` participations;
            // the page is cut from their union.
            let mut arms: Vec<SelectStatement> = Vec::with_capacity(ids.len() * 2);
            for (n, a) in ids.iter().enumerate() {
                let owned = Query::select()
                    .column((activity::Entity, activity::Column::Id))
                    .column((activity::Entity, activity::Column::StartsAt))
                    .from(activity::Entity)
                    .and_where(
                        Expr::col((activity::Entity, activity::Column::OwnerAgencyId)).eq(*a),
                    )
                    .cond_where(row_test(ctx, f))
                    .cond_where(starts(activity::Entity, activity::Column::StartsAt, f))
                    .order_by((activity::Entity, activity::Column::StartsAt), Order::Desc)
                    .order_by((activity::Entity, activity::Column::Id), Order::Desc)
                    .limit(end)
                    .to_owned();
                arms.push(arm(owned, format!("o{n}")));
                let shared = participations(ctx, f)
                    .expr_as(
                        Expr::col((activity_agency::Entity, activity_agency::Column::ActivityId)),
                        Alias::new("id"),
                    )
                    .expr_as(
                        Expr::col((activity_agency::Entity, activity_agency::Column::StartsAt)),
                        Alias::new("starts_at"),
                    )
                    .and_where(
                        Expr::col((activity_agency::Entity, activity_agency::Column::AgencyId))
                            .eq(*a),
                    )
                    .order_by(
                        (activity_agency::Entity, activity_agency::Column::StartsAt),
                        Order::Desc,
                    )
                    .order_by(
                        (activity_agency::Entity, activity_agency::Column::ActivityId),
                        Order::Desc,
                    )
                    .limit(end)
                    .to_owned();
                arms.push(arm(shared, format!("p{n}")));
            }
            let mut arms = arms.into_iter();
            let Some(mut union) = arms.next() else {
                return Ok(Vec::new());
            };
            for a in arms {
                union.union(UnionType::Distinct, a);
            }
            let page = Query::select()
                .column(Alias::new("id"))
                .from_subquery(union, Alias::new("u"))
                .order_by(Alias::new("starts_at"), Order::Desc)
                .order_by(Alias::new("id"), Order::Desc)
                .limit(PER_PAGE)
                .offset(end - PER_PAGE)
                .to_owned();
            q.filter(activity::Column::Id.in_subquery(page))
                .order_by_desc(activity::Column::StartsAt)
                .order_by_desc(activity::Column::Id)
        };
        Ok(q.all(&self.db).await?)
    }

    /// Visible activities of the scope, counted no further than `COUNT_CAP + 1`.
    async fn latest_total(&self, ctx: &Ctx, ids: &[Uuid], f: &Latest) -> Result<u64, StoreError> {
        let cap = COUNT_CAP + 1;
        let owned = Query::select()
            .expr(Expr::val(1))
            .from(activity::Entity)
            .and_where(
                Expr::col((activity::Entity, activity::Column::OwnerAgencyId)).is_in(ids.to_vec()),
            )
            .cond_where(row_test(ctx, f))
            .cond_where(starts(activity::Entity, activity::Column::StartsAt, f))
            .limit(cap)
            .to_owned();
        let owned = self.count_rows(owned).await?;
        if owned >= cap {
            return Ok(owned);
        }
        // Participations in activities owned outside the scope (those owned inside
        // are counted above), each activity once.
        let shared = participations(ctx, f)
            .distinct()
            .column((activity_agency::Entity, activity_agency::Column::ActivityId))
            .and_where(
                Expr::col((activity_agency::Entity, activity_agency::Column::AgencyId))
                    .is_in(ids.to_vec()),
            )
            .and_where(
                Expr::col((
                    activity_agency::Entity,
                    activity_agency::Column::OwnerAgencyId,
                ))
                .is_not_in(ids.to_vec()),
            )
            .limit(cap - owned)
            .to_owned();
        Ok(owned + self.count_rows(shared).await?)
    }
}
