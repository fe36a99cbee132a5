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

/// Migration 18: the log, its triggers and the pruning index.
pub(crate) async fn migrate<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
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

/// Migration 30: a partner's classification changing re-indexes the records that
/// link it too (their text holds the partner's name only while the partner is no
/// more classified than they are), as a new name already did. Written out in
/// full, so what this migration does never changes.
pub(crate) async fn migrate_reclassified<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("DROP TRIGGER search_partner_renamed ON partners")
            .await?;
        db.execute_unprepared(
            "CREATE TRIGGER search_partner_renamed AFTER UPDATE OF name_vi, classification ON partners
             FOR EACH ROW WHEN (OLD.name_vi IS DISTINCT FROM NEW.name_vi
                                OR OLD.classification IS DISTINCT FROM NEW.classification)
             EXECUTE FUNCTION kieng_search_partner_renamed()",
        )
        .await?;
    } else {
        db.execute_unprepared("DROP TRIGGER search_partner_renamed")
            .await?;
        db.execute_unprepared(
            "CREATE TRIGGER search_partner_renamed AFTER UPDATE OF name_vi, classification ON partners
             WHEN OLD.name_vi <> NEW.name_vi OR OLD.classification <> NEW.classification
             BEGIN
               INSERT INTO search_changes (kind, record_id, changed_at)
                 SELECT 'activities', activity_id, CAST(strftime('%s', 'now') AS INTEGER)
                 FROM activity_partners WHERE partner_id = NEW.id;
               INSERT INTO search_changes (kind, record_id, changed_at)
                 SELECT 'agreements', agreement_id, CAST(strftime('%s', 'now') AS INTEGER)
                 FROM agreement_partners WHERE partner_id = NEW.id;
               INSERT INTO search_changes (kind, record_id, changed_at)
                 SELECT 'commitments', id, CAST(strftime('%s', 'now') AS INTEGER)
                 FROM commitments WHERE partner_id = NEW.id;
             END",
        )
        .await?;
    }
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

/// Drop the row triggers inside a bulk load's transaction, for a generator
/// filling a fresh database (a few million log rows saved); `resume_log` puts them
/// back in the same transaction, so no committed state lacks them. The records
/// loaded meanwhile are not in the log: the index of a fresh database is built
/// from the tables (`kieng search rebuild`, or at the first start).
pub(crate) async fn suspend_log<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    crate::scope_changes::suspend(db).await?;
    let pg = db.get_database_backend() == DbBackend::Postgres;
    for (table, _, _) in SOURCES {
        if pg {
            db.execute_unprepared(&format!("DROP TRIGGER search_{table} ON {table}"))
                .await?;
        } else {
            for e in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER search_{table}_{e}"))
                    .await?;
            }
        }
    }
    Ok(())
}

/// Put back what `suspend_log` dropped.
pub(crate) async fn resume_log<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    for sql in row_triggers(db.get_database_backend() == DbBackend::Postgres) {
        db.execute_unprepared(&sql).await?;
    }
    crate::scope_changes::resume(db).await?;
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
