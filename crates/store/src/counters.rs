//! Revision counters in the `counters` table: a change bumps its counter in
//! the same transaction, so every process on the database learns that what it
//! keeps in memory for that data is stale (see `cache`).

use crate::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Statement};

/// The agency directory and graph.
pub(crate) const AGENCIES: &str = "agencies_rev";
/// The commitments board's grouped counts.
pub(crate) const COMMITMENTS: &str = "commitments_rev";
/// Partners' classification and deletion (bumped by the database's own
/// trigger, migration 31).
pub(crate) const PARTNERS: &str = "partners_rev";
/// Plans, their tasks and progress: the kept plan list pages.
pub(crate) const PLANS: &str = "plans_rev";
/// Citizen protection cases, their people, actions and team.
pub(crate) const PROTECTION: &str = "protection_rev";
/// Coordination warnings' acknowledgements (bumped by the database's own
/// trigger, migration 38).
pub(crate) const WARNINGS: &str = "warnings_rev";

/// Add one to a counter, inside the caller's transaction.
pub(crate) async fn bump<C: ConnectionTrait>(tx: &C, name: &str) -> Result<(), StoreError> {
    let mut q = Query::update();
    q.table("counters")
        .value("value", Expr::col("value").add(1))
        .and_where(Expr::col("name").eq(name));
    tx.execute(&q).await?;
    Ok(())
}

/// A counter's current value (0 when it was never created).
pub(crate) async fn value<C: ConnectionTrait>(db: &C, name: &str) -> Result<i64, StoreError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT value FROM counters WHERE name = $1",
        _ => "SELECT value FROM counters WHERE name = ?",
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [name.into()]))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "value")?,
        None => 0,
    })
}
