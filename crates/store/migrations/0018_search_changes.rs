//! Migration 18: the search change log, its triggers (with the list of
//! searchable tables as it stood then — a table made searchable later comes
//! with its own migration) and the pruning index.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// Tables whose rows feed the index: (table, the column naming the record, the
/// record kind the change is filed under).
const SOURCES: &[(&str, &str, &str)] = &[
    ("partners", "id", "partners"),
    ("partner_names", "partner_id", "partners"),
    ("person_positions", "person_id", "partners"),
    ("agencies", "id", "agencies"),
    ("activities", "id", "activities"),
    ("activity_agencies", "activity_id", "activities"),
    ("activity_people", "activity_id", "activities"),
    ("activity_partners", "activity_id", "activities"),
    ("agreements", "id", "agreements"),
    ("agreement_agencies", "agreement_id", "agreements"),
    ("agreement_partners", "agreement_id", "agreements"),
    ("commitments", "id", "commitments"),
];

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    if pg {
        db.execute_unprepared(
            "CREATE TABLE search_changes (
                seq bigserial PRIMARY KEY,
                kind text NOT NULL,
                record_id uuid NOT NULL,
                changed_at bigint NOT NULL
            )",
        )
        .await?;
        // One function per id column, reading it statically (no dynamic SQL per row).
        let mut columns: Vec<&str> = SOURCES.iter().map(|(_, c, _)| *c).collect();
        columns.sort_unstable();
        columns.dedup();
        for column in columns {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION kieng_search_change_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
                 DECLARE rid uuid;
                 BEGIN
                   PERFORM pg_advisory_xact_lock(7405071);
                   IF TG_OP = 'DELETE' THEN rid := OLD.{column}; ELSE rid := NEW.{column}; END IF;
                   INSERT INTO search_changes (kind, record_id, changed_at)
                     VALUES (TG_ARGV[0], rid, extract(epoch FROM now())::bigint);
                   RETURN NULL;
                 END $$"
            ))
            .await?;
        }
    } else {
        db.execute_unprepared(
            "CREATE TABLE search_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                record_id BLOB NOT NULL,
                changed_at BIGINT NOT NULL
            )",
        )
        .await?;
    }
    for sql in row_triggers(pg) {
        db.execute_unprepared(&sql).await?;
    }
    // A partner's new name is found in the records that link it, not only in its own.
    let linked = |now: &str| {
        format!(
            "INSERT INTO search_changes (kind, record_id, changed_at)
               SELECT 'activities', activity_id, {now} FROM activity_partners WHERE partner_id = NEW.id;
             INSERT INTO search_changes (kind, record_id, changed_at)
               SELECT 'agreements', agreement_id, {now} FROM agreement_partners WHERE partner_id = NEW.id;
             INSERT INTO search_changes (kind, record_id, changed_at)
               SELECT 'commitments', id, {now} FROM commitments WHERE partner_id = NEW.id;"
        )
    };
    if pg {
        db.execute_unprepared(&format!(
            "CREATE FUNCTION kieng_search_partner_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               PERFORM pg_advisory_xact_lock(7405071);
               {}
               RETURN NULL;
             END $$",
            linked("extract(epoch FROM now())::bigint")
        ))
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER search_partner_renamed AFTER UPDATE OF name_vi ON partners
             FOR EACH ROW WHEN (OLD.name_vi IS DISTINCT FROM NEW.name_vi)
             EXECUTE FUNCTION kieng_search_partner_renamed()",
        )
        .await?;
    } else {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER search_partner_renamed AFTER UPDATE OF name_vi ON partners
             WHEN OLD.name_vi <> NEW.name_vi BEGIN {} END",
            linked("CAST(strftime('%s', 'now') AS INTEGER)")
        ))
        .await?;
    }
    db.execute_unprepared("CREATE INDEX search_changes_time ON search_changes (changed_at)")
        .await?;
    Ok(())
}

/// The triggers that log each row change of the `SOURCES` tables.
fn row_triggers(pg: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (table, column, kind) in SOURCES {
        if pg {
            out.push(format!(
                "CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION kieng_search_change_{column}('{kind}')"
            ));
            continue;
        }
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            out.push(format!(
                "CREATE TRIGGER search_{table}_{e} AFTER {event} ON {table} BEGIN
                   INSERT INTO search_changes (kind, record_id, changed_at)
                   VALUES ('{kind}', {row}.{column}, CAST(strftime('%s', 'now') AS INTEGER));
                 END",
                e = event.to_lowercase(),
            ));
        }
    }
    out
}
