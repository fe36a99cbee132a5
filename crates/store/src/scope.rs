//! One record's visibility, tested in Rust on the record: its owner, then the
//! agencies taking part in it, against the reader's scope. Lists filter with each
//! module's SQL condition; this is the same rule for a handful of rows, where
//! SQLite would evaluate a small scope's `IN (subquery)` in full.

use crate::StoreError;
use kieng_domain::access::AgencySet;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use std::collections::HashMap;
use uuid::Uuid;

/// The participating agencies of records `ids`, from a link table holding
/// `(column, agency_id)` (`activity_agencies`, `agreement_agencies`).
pub(crate) async fn participants<C: ConnectionTrait>(
    db: &C,
    table: &str,
    column: &str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    links(db, table, column, "agency_id", ids).await
}

/// What a link table `(key, value)` of uuids holds for the keys `ids`, read in
/// chunks of 5,000 (within both databases' parameter limits).
pub(crate) async fn links<C: ConnectionTrait>(
    db: &C,
    table: &str,
    key: &str,
    value: &str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let stmt = Query::select()
            .column(Alias::new(key))
            .column(Alias::new(value))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(key)).is_in(chunk.iter().copied()))
            .to_owned();
        for row in db
            .query_all_raw(db.get_database_backend().build(&stmt))
            .await?
        {
            let id: Uuid = row.try_get("", key)?;
            let linked: Uuid = row.try_get("", value)?;
            out.entry(id).or_default().push(linked);
        }
    }
    Ok(out)
}

/// Does the reader's scope cover the owner or one of the participants?
pub(crate) fn covers(read: &AgencySet, owner: Uuid, with: Option<&Vec<Uuid>>) -> bool {
    read.contains(owner) || with.is_some_and(|w| w.iter().any(|g| read.contains(*g)))
}
