//! The search change log: an ordered table the database itself fills. Triggers
//! on every searchable table append `(seq, kind, record_id)` in the writing
//! transaction, so no write path can forget the index and a rolled-back write
//! leaves no change behind. Every process's index follows this log; the
//! database stays the one source of truth.
//!
//! Order: on PostgreSQL the trigger takes a transaction-level advisory lock
//! before drawing the sequence number, so numbers are drawn in commit order and
//! a follower that has read up to `seq` never later finds a smaller one
//! committed. (Writers already serialise on `audit_head`; the lock also covers
//! bulk loads that do not.) SQLite has one writer at a time.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

/// The triggers that fill the change logs (`search_*`, `scope_*`), dropped
/// inside a bulk load's transaction, for a generator filling a fresh database
/// (a few million log rows saved) or a migration rewriting copies that change no
/// record: returns their definitions as the database reports them, for
/// `resume_log` to put back in the same transaction, so no committed state
/// lacks them. The records loaded meanwhile are not in the logs: the index of a
/// fresh database is built from the tables (`kieng search rebuild`, or at the
/// first start).
pub(crate) async fn suspend_log<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, StoreError> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "SELECT t.tgname AS name, c.relname AS tbl, pg_get_triggerdef(t.oid) AS ddl
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)
           AND (t.tgname LIKE 'search\\_%' OR t.tgname LIKE 'scope\\_%')
         ORDER BY t.tgname"
    } else {
        "SELECT name, tbl_name AS tbl, sql AS ddl FROM sqlite_master
         WHERE type = 'trigger' AND (name LIKE 'search\\_%' ESCAPE '\\' OR name LIKE 'scope\\_%' ESCAPE '\\')
         ORDER BY name"
    };
    let mut ddl = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let name: String = row.try_get("", "name")?;
        let table: String = row.try_get("", "tbl")?;
        ddl.push(row.try_get::<String>("", "ddl")?);
        db.execute_unprepared(&if backend == DbBackend::Postgres {
            format!("DROP TRIGGER {name} ON {table}")
        } else {
            format!("DROP TRIGGER {name}")
        })
        .await?;
    }
    Ok(ddl)
}

/// Put back what `suspend_log` dropped.
pub(crate) async fn resume_log<C: ConnectionTrait>(
    db: &C,
    ddl: Vec<String>,
) -> Result<(), StoreError> {
    for sql in ddl {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// One logged change.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub seq: i64,
    pub kind: String,
    pub record_id: Uuid,
}

/// Changes after `seq`, oldest first, at most `limit`.
pub(crate) async fn after<C: ConnectionTrait>(
    db: &C,
    seq: i64,
    limit: u64,
) -> Result<Vec<Change>, StoreError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT seq, kind, record_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            [seq.into(), (limit as i64).into()],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Change {
                seq: r.try_get("", "seq")?,
                kind: r.try_get("", "kind")?,
                record_id: r.try_get("", "record_id")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// The last change's number (0 when none), and the first one still kept.
pub(crate) async fn bounds<C: ConnectionTrait>(db: &C) -> Result<(i64, i64), StoreError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COALESCE(MAX(seq), 0) AS hi, COALESCE(MIN(seq), 0) AS lo FROM search_changes",
        ))
        .await?;
    Ok(match row {
        Some(r) => (r.try_get("", "hi")?, r.try_get("", "lo")?),
        None => (0, 0),
    })
}

/// Forget changes older than `days` days but the last (a process down longer rebuilds).
pub(crate) async fn prune<C: ConnectionTrait>(db: &C, days: i64) -> Result<u64, StoreError> {
    let backend = db.get_database_backend();
    let cutoff = chrono::Utc::now().timestamp() - days * 86_400;
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            // The last change is kept whatever its age: its number tells an index
            // of this database (at or below it) from one of another (above it).
            "DELETE FROM search_changes WHERE changed_at < $1
               AND seq < (SELECT MAX(seq) FROM search_changes)",
            [cutoff.into()],
        ))
        .await?;
    Ok(r.rows_affected())
}
