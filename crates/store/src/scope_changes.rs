//! The activity scope change log: which agencies' activity lists a committed
//! change may have altered. Triggers on `activities`, `activity_agencies` and
//! `activity_partners` append, in the writing transaction, the owner and the
//! participating agencies of the activity before and after the change — so a
//! list page kept for a reader's scope (`kept`) stays true across changes that
//! touch none of its agencies, and is dropped by one that does, through this
//! server or another, with no write path having to remember the cache.
//!
//! What a list row shows and filters on is the activity's own columns (its lead
//! agency's name and "report overdue" are recomputed at each answer), and who
//! sees it is its owner, its participants and its classification: every change
//! to those is a row change of one of the three tables, logged here with the
//! agencies of both sides. Numbers are drawn in commit order as in the search
//! log (the same advisory lock on PostgreSQL; one writer at a time on SQLite).

use crate::StoreError;
use sea_orm::{ConnectionTrait, Statement};
use uuid::Uuid;

/// The last change's number (0 when none).
pub(crate) async fn last<C: ConnectionTrait>(db: &C) -> Result<i64, StoreError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(seq), 0) AS hi FROM activity_scope_changes",
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "hi")?,
        None => 0,
    })
}

/// The agencies changes `(from, to]` concern, or `None` when there are more
/// than `limit` of them (too many to be worth reading: treat as everyone's).
pub(crate) async fn between<C: ConnectionTrait>(
    db: &C,
    from: i64,
    to: i64,
    limit: u64,
) -> Result<Option<Vec<Uuid>>, StoreError> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT agency_id FROM activity_scope_changes WHERE seq > $1 AND seq <= $2 LIMIT $3",
            [from.into(), to.into(), (limit as i64 + 1).into()],
        ))
        .await?;
    if rows.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter()
            .map(|r| r.try_get("", "agency_id"))
            .collect::<Result<_, sea_orm::DbErr>>()?,
    ))
}

/// Forget changes older than `days` days but the last (kept pages live an hour).
pub(crate) async fn prune<C: ConnectionTrait>(db: &C, days: i64) -> Result<u64, StoreError> {
    let cutoff = chrono::Utc::now().timestamp() - days * 86_400;
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "DELETE FROM activity_scope_changes WHERE changed_at < $1
               AND seq < (SELECT MAX(seq) FROM activity_scope_changes)",
            [cutoff.into()],
        ))
        .await?;
    Ok(r.rows_affected())
}
