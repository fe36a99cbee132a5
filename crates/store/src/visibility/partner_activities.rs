//! One partner's activities for a reader whose scope is a list of agencies, read
//! agency by agency on the partner's side (as `latest` reads the plain list), so
//! a dossier or a partner's list costs what the reader may see rather than every
//! link the partner has:
//!
//! - owned: for each agency in scope, its links with the partner — one range of
//!   `activity_partners_owner` (partner, owner, start, …, classification, pillar,
//!   year), read from the index alone;
//! - shared: the activities an agency of the scope takes part in
//!   (`activity_partner_agencies`, partner then agency), owned outside the scope
//!   (those owned inside are counted above), each once.
//!
//! Tallies, counts and pages are the sum or union of the two. The rule is
//! `link_visible`'s — owner or a participant in scope, within clearance — and the
//! integration tests hold both paths to the general activity list's answers. A
//! busy partner's tallies for one officer read 150 index entries instead of the
//! partner's 29,000 links (bench scenario "a busy partner's dossier").

use crate::activities::vn_midnight;
use crate::audit::rank;
use crate::entity::{activity_partner as ap, activity_partner_agency as apa};
use crate::{COUNT_CAP, Ctx, Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::FromQueryResult;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Which of the partner's links a read wants: start in `[from, to)`, one pillar.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links {
    pub pillar: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Links {
    /// The links of a dossier or list slice: a year (in Vietnam) and/or a first day.
    pub(crate) fn of(s: &crate::activities::PartnerSlice) -> Self {
        let year = s.year.and_then(|y| {
            Some((
                vn_midnight(chrono::NaiveDate::from_ymd_opt(y, 1, 1)?),
                vn_midnight(chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)?),
            ))
        });
        Self {
            pillar: s.pillar.clone().filter(|p| !p.is_empty()),
            from: [s.from.map(vn_midnight), year.map(|y| y.0)]
                .into_iter()
                .flatten()
                .max(),
            to: [s.to.map(crate::activities::day_after), year.map(|y| y.1)]
                .into_iter()
                .flatten()
                .min(),
        }
    }

    /// The tests on a link's own columns: clearance, start, pillar.
    fn on(&self, ctx: &Ctx, q: &mut SelectStatement) {
        q.and_where(
            Expr::col((ap::Entity, ap::Column::Classification)).lte(rank(ctx.actor.clearance)),
        );
        if let Some(f) = self.from {
            q.and_where(Expr::col((ap::Entity, ap::Column::StartsAt)).gte(f));
        }
        if let Some(t) = self.to {
            q.and_where(Expr::col((ap::Entity, ap::Column::StartsAt)).lt(t));
        }
        if let Some(p) = &self.pillar {
            q.and_where(Expr::col((ap::Entity, ap::Column::Pillar)).eq(p.as_str()));
        }
    }
}

/// `FROM activity_partners` with the links' tests and the owner among `owners`.
fn owned(ctx: &Ctx, partner: Uuid, l: &Links, owners: &[Uuid]) -> SelectStatement {
    let mut q = Query::select()
        .from(ap::Entity)
        .and_where(Expr::col((ap::Entity, ap::Column::PartnerId)).eq(partner))
        .and_where(Expr::col((ap::Entity, ap::Column::OwnerAgencyId)).is_in(owners.to_vec()))
        .to_owned();
    l.on(ctx, &mut q);
    q
}

/// `FROM activity_partner_agencies JOIN activity_partners`: the partner's links
/// of activities one of `agencies` takes part in, with the links' tests. Read
/// from the participations, each link then by its key: SQLite, seeing the
/// partner equal on both sides, would otherwise walk every link of the partner
/// and probe each agency (80 ms for a pillar and a country, against 2 ms), so
/// the link's partner is tested unindexed there (`+`).
fn shared(ctx: &Ctx, sqlite: bool, partner: Uuid, l: &Links, agencies: &[Uuid]) -> SelectStatement {
    let same_partner = if sqlite {
        Expr::cust("+\"activity_partners\".\"partner_id\"")
            .equals((apa::Entity, apa::Column::PartnerId))
    } else {
        Expr::col((ap::Entity, ap::Column::PartnerId)).equals((apa::Entity, apa::Column::PartnerId))
    };
    let mut q = Query::select()
        .from(apa::Entity)
        .inner_join(
            ap::Entity,
            Expr::col((ap::Entity, ap::Column::ActivityId))
                .equals((apa::Entity, apa::Column::ActivityId))
                .and(same_partner),
        )
        .and_where(Expr::col((apa::Entity, apa::Column::PartnerId)).eq(partner))
        .and_where(Expr::col((apa::Entity, apa::Column::AgencyId)).is_in(agencies.to_vec()))
        .to_owned();
    l.on(ctx, &mut q);
    q
}

/// Shared links of activities owned outside the scope: what `owned` leaves out.
fn shared_outside(
    ctx: &Ctx,
    sqlite: bool,
    partner: Uuid,
    l: &Links,
    ids: &[Uuid],
) -> SelectStatement {
    shared(ctx, sqlite, partner, l, ids)
        .and_where(Expr::col((ap::Entity, ap::Column::OwnerAgencyId)).is_not_in(ids.to_vec()))
        .to_owned()
}

#[derive(FromQueryResult)]
struct Tally {
    vn_year: i32,
    pillar: String,
    n: i64,
}

#[derive(FromQueryResult)]
struct Started {
    id: Uuid,
    starts_at: DateTime<Utc>,
}

impl Store {
    /// The partner's activities the scope `ids` may see, per year in Vietnam and
    /// pillar, oldest year first.
    pub(crate) async fn scoped_tallies(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<(i32, String, u32)>, StoreError> {
        let l = Links::default();
        let grouped = |mut q: SelectStatement, n: &'static str| {
            q.column((ap::Entity, ap::Column::VnYear))
                .column((ap::Entity, ap::Column::Pillar))
                .expr_as(Expr::cust(n), Alias::new("n"))
                .group_by_col((ap::Entity, ap::Column::VnYear))
                .group_by_col((ap::Entity, ap::Column::Pillar));
            q
        };
        let owned = grouped(owned(ctx, partner, &l, ids), "COUNT(*)");
        let shared = grouped(
            shared_outside(ctx, self.is_sqlite(), partner, &l, ids),
            "COUNT(DISTINCT \"activity_partners\".\"activity_id\")",
        );
        let (a, b) = tokio::try_join!(self.tallies(owned), self.tallies(shared))?;
        let mut sum: BTreeMap<(i32, String), i64> = BTreeMap::new();
        for t in a.into_iter().chain(b) {
            *sum.entry((t.vn_year, t.pillar)).or_default() += t.n;
        }
        Ok(sum
            .into_iter()
            .map(|((y, p), n)| (y, p, n.clamp(0, u32::MAX as i64) as u32))
            .collect())
    }

    fn is_sqlite(&self) -> bool {
        self.db.get_database_backend() == sea_orm::DbBackend::Sqlite
    }

    async fn tallies(&self, q: SelectStatement) -> Result<Vec<Tally>, StoreError> {
        let stmt = self.db.get_database_backend().build(&q);
        Ok(Tally::find_by_statement(stmt).all(&self.db).await?)
    }

    /// How many of the partner's activities in `l` the scope may see, counted no
    /// further than `COUNT_CAP + 1`.
    pub(crate) async fn scoped_count(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        ids: &[Uuid],
        l: &Links,
    ) -> Result<u64, StoreError> {
        let cap = COUNT_CAP + 1;
        let owned = owned(ctx, partner, l, ids)
            .expr(Expr::val(1))
            .limit(cap)
            .to_owned();
        let owned = self.count_rows(owned).await?;
        if owned >= cap {
            return Ok(owned);
        }
        let shared = shared_outside(ctx, self.is_sqlite(), partner, l, ids)
            .distinct()
            .column((ap::Entity, ap::Column::ActivityId))
            .limit(cap - owned)
            .to_owned();
        Ok(owned + self.count_rows(shared).await?)
    }

    /// The partner's activities in `l` the scope may see, newest first: `limit`
    /// of them from `offset` — each agency's newest `offset + limit` owned and
    /// shared, and the window cut from their union.
    pub(crate) async fn scoped_window(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        ids: &[Uuid],
        l: &Links,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<(Uuid, DateTime<Utc>)>, StoreError> {
        let end = offset + limit;
        let newest = |mut q: SelectStatement, name: String| {
            let inner = q
                .expr_as(
                    Expr::col((ap::Entity, ap::Column::ActivityId)),
                    Alias::new("id"),
                )
                .column((ap::Entity, ap::Column::StartsAt))
                .order_by((ap::Entity, ap::Column::StartsAt), Order::Desc)
                .order_by((ap::Entity, ap::Column::ActivityId), Order::Desc)
                .limit(end)
                .to_owned();
            // An arm of a union that keeps its own order and limit on both databases.
            Query::select()
                .column(Alias::new("id"))
                .column(Alias::new("starts_at"))
                .from_subquery(inner, Alias::new(name))
                .to_owned()
        };
        let mut arms = Vec::with_capacity(ids.len() * 2);
        for (n, a) in ids.iter().enumerate() {
            arms.push(newest(owned(ctx, partner, l, &[*a]), format!("o{n}")));
            arms.push(newest(
                shared(ctx, self.is_sqlite(), partner, l, &[*a]),
                format!("s{n}"),
            ));
        }
        let mut arms = arms.into_iter();
        let Some(mut union) = arms.next() else {
            return Ok(Vec::new());
        };
        for a in arms {
            union.union(UnionType::Distinct, a);
        }
        let window = Query::select()
            .column(Alias::new("id"))
            .column(Alias::new("starts_at"))
            .from_subquery(union, Alias::new("u"))
            .order_by(Alias::new("starts_at"), Order::Desc)
            .order_by(Alias::new("id"), Order::Desc)
            .limit(limit)
            .offset(offset)
            .to_owned();
        let stmt = self.db.get_database_backend().build(&window);
        Ok(Started::find_by_statement(stmt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.starts_at))
            .collect())
    }
}
