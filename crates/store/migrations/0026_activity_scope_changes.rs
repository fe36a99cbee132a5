//! Migration 26: the activity scope change log, its functions (PostgreSQL)
//! and its triggers, with the list of logged tables as it stood then (a table
//! logged later comes with its own migration).

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

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

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
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
    for sql in triggers(pg) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
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
