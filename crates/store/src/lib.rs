//! Kiềng's storage and services: one code path for SQLite and PostgreSQL.
//!
//! The services here are the only way to change data. Each one checks the
//! actor's permission (the checks live in `kieng_domain::access`), validates,
//! writes, and appends the audit entry — all in one transaction — so a route
//! cannot forget the audit or leave half a record behind.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod activities;
pub mod agencies;
pub mod agreements;
pub mod audit;
pub mod auth;
pub mod bulk;
mod cache;
pub mod calendar_days;
pub mod commitments;
pub mod copy;
mod counters;
mod db;
pub mod entity;
mod error;
pub mod export;
pub mod history;
mod kept;
pub mod migrate;
pub mod multilateral;
pub mod notifications;
pub mod partners;
mod password;
pub mod plans;
pub mod protection;
pub mod reference;
pub mod reports;
mod scope_changes;
pub mod search;
pub mod secret_items;
pub mod status;
pub mod timeline;
pub mod users;
pub mod visibility;
mod write_tx;

pub use cache::Lifetimes;
pub use db::{Backend, Store, StoreConfig};
pub use error::StoreError;
pub use sea_orm::DbErr;

use kieng_domain::Actor;

/// Who is acting and from where: carried into every service call and the audit entry.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// The current instant at the precision both databases keep (microseconds).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}

/// Today's date in Vietnam: deadlines and expiry dates are Vietnamese calendar days.
pub fn today() -> chrono::NaiveDate {
    activities::vn_date(now())
}

/// An agency as a link, from the directory snapshot.
pub(crate) fn agency_ref(dir: &cache::Directory, id: uuid::Uuid) -> Option<agencies::AgencyRef> {
    dir.by_id
        .get(&id)
        .map(|i| agencies::AgencyRef::from(&dir.rows[*i]))
}

/// The agency's abbreviation ("SNV"), if it has one.
pub(crate) fn agency_ref_abbr(dir: &cache::Directory, id: uuid::Uuid) -> Option<String> {
    dir.by_id
        .get(&id)
        .and_then(|i| dir.rows[*i].abbreviation.clone())
}

/// An agency named by code or id, within the actor's clearance.
pub(crate) fn agency_named<'a>(
    dir: &'a cache::Directory,
    ctx: &Ctx,
    s: &str,
) -> Option<&'a entity::agency::Model> {
    let code = s.trim().to_uppercase();
    let id = s.trim().parse::<uuid::Uuid>().ok();
    dir.rows
        .iter()
        .find(|a| Some(a.id) == id || a.code == code)
        .filter(|a| audit::from_rank(a.classification) <= ctx.actor.clearance)
}

/// Lists over large tables count no further than this (and say "more than").
pub const COUNT_CAP: u64 = 10_000;

impl Store {
    /// How many rows `q` selects, counting no further than `COUNT_CAP + 1`: a list
    /// over a million records says "more than 10,000" instead of reading them all.
    pub(crate) async fn capped_count<E: sea_orm::EntityTrait>(
        &self,
        q: sea_orm::Select<E>,
        id: E::Column,
    ) -> Result<u64, StoreError> {
        use sea_orm::{QuerySelect, QueryTrait};
        self.count_rows(q.select_only().column(id).limit(COUNT_CAP + 1).into_query())
            .await
    }

    /// `SELECT COUNT(*) FROM (q)`.
    pub(crate) async fn count_rows(
        &self,
        q: sea_orm::sea_query::SelectStatement,
    ) -> Result<u64, StoreError> {
        use sea_orm::ConnectionTrait;
        use sea_orm::sea_query::{Alias, Expr, Query};
        let stmt = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_subquery(q, Alias::new("sub"))
            .to_owned();
        let row = self.db.query_one(&stmt).await?;
        Ok(row
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0)
            .clamp(0, i64::MAX) as u64)
    }
}

/// One page of a list, with the total for the pager.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Every item of a paged read, page by page in its order, up to `COUNT_CAP`
/// (what lists count to): what a list's export holds. `read(n)` reads page n.
pub(crate) async fn all_pages<T, F, Fut>(per_page: u64, mut read: F) -> Result<Vec<T>, StoreError>
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, StoreError>>,
{
    let mut out = Vec::new();
    for page in 1..=COUNT_CAP.div_ceil(per_page.max(1)) {
        let p = read(page).await?;
        let last = page >= p.pages() || (p.items.len() as u64) < per_page;
        out.extend(p.items);
        if last {
            break;
        }
    }
    Ok(out)
}
