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
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

/// The tables whose row changes are logged, each with the SQL naming the
/// agencies a row's change concerns (`{row}` is OLD or NEW).
const LOGGED: &[(&str, &str)] = &[
    (
        "activities",
        "SELECT {row}.owner_agency_id UNION SELECT agency_id FROM activity_agencies WHERE activity_id = {row}.id",
    ),
    ("activity_agencies", "SELECT {row}.agency_id"),
    (
        "activity_partners",
        "SELECT {row}.owner_agency_id UNION SELECT agency_id FROM activity_agencies WHERE activity_id = {row}.activity_id",
    ),
];

/// SQLite's insert of the agencies `select` names, each once.
fn sqlite_insert(select: &str) -> String {
    format!(
        "INSERT INTO activity_scope_changes (agency_id, changed_at)
           SELECT *, CAST(strftime('%s', 'now') AS INTEGER) FROM ({select});"
    )
}

/// The triggers (and on PostgreSQL their functions) that fill the log.
fn triggers(pg: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (table, agencies) in LOGGED {
        let side = |row: &str| agencies.replace("{row}", row);
        if pg {
            out.push(format!(
                "CREATE TRIGGER scope_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION kieng_scope_{table}()"
            ));
            continue;
        }
        let events = [
            ("insert", sqlite_insert(&side("NEW"))),
            (
                "update",
                sqlite_insert(&format!("{} UNION {}", side("OLD"), side("NEW"))),
            ),
            ("delete", sqlite_insert(&side("OLD"))),
        ];
        for (event, body) in events {
            out.push(format!(
                "CREATE TRIGGER scope_{table}_{event} AFTER {} ON {table} BEGIN {body} END",
                event.to_uppercase()
            ));
        }
    }
    out
}

/// Migration 26: the log, its functions (PostgreSQL), its triggers.
pub(crate) async fn migrate<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    if pg {
        db.execute_unprepared(
            "CREATE TABLE activity_scope_changes (
                seq bigserial PRIMARY KEY,
                agency_id uuid NOT NULL,
                changed_at bigint NOT NULL
            )",
        )
        .await?;
        for (table, agencies) in LOGGED {
            let side = |row: &str| agencies.replace("{row}", row);
            let insert = |select: String| {
                format!(
                    "INSERT INTO activity_scope_changes (agency_id, changed_at)
                       SELECT a, extract(epoch FROM now())::bigint FROM ({select}) AS s(a);"
                )
            };
            db.execute_unprepared(&format!(
                "CREATE FUNCTION kieng_scope_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   PERFORM pg_advisory_xact_lock(7405071);
                   IF TG_OP = 'INSERT' THEN {}
                   ELSIF TG_OP = 'DELETE' THEN {}
                   ELSE {}
                   END IF;
                   RETURN NULL;
                 END $$",
                insert(side("NEW")),
                insert(side("OLD")),
                insert(format!("{} UNION {}", side("OLD"), side("NEW")))
            ))
            .await?;
        }
    } else {
        db.execute_unprepared(
            "CREATE TABLE activity_scope_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                agency_id BLOB NOT NULL,
                changed_at BIGINT NOT NULL
            )",
        )
        .await?;
    }
    db.execute_unprepared(
        "CREATE INDEX activity_scope_changes_time ON activity_scope_changes (changed_at)",
    )
    .await?;
    resume(db).await
}

/// Drop the triggers inside a bulk load's transaction (see `search::changes::suspend_log`).
pub(crate) async fn suspend<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    for (table, _) in LOGGED {
        if pg {
            db.execute_unprepared(&format!("DROP TRIGGER scope_{table} ON {table}"))
                .await?;
        } else {
            for e in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER scope_{table}_{e}"))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Put back what `suspend` dropped (or create them, in the migration).
pub(crate) async fn resume<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    for sql in triggers(db.get_database_backend() == DbBackend::Postgres) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_logged_table_has_a_trigger_per_event_on_sqlite_and_one_on_postgres() {
        assert_eq!(triggers(false).len(), LOGGED.len() * 3);
        assert_eq!(triggers(true).len(), LOGGED.len());
        // An update logs both sides.
        let update = triggers(false)
            .into_iter()
            .find(|t| t.contains("scope_activities_update"))
            .unwrap_or_default();
        assert!(update.contains("OLD.owner_agency_id") && update.contains("NEW.owner_agency_id"));
    }
}
