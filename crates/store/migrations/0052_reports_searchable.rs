//! Migration 52: review reports are found by search — the change log's row
//! triggers on `reports` and their narrative parts (`report_texts`), filed
//! under the family `reports`, in 0018's shape.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// (table, the column naming the report).
const SOURCES: &[(&str, &str)] = &[("reports", "id"), ("report_texts", "report_id")];

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    if pg {
        // 0018 made the function for `id`; `report_id` needs its own.
        db.execute_unprepared(
            "CREATE FUNCTION kieng_search_change_report_id() RETURNS trigger LANGUAGE plpgsql AS $$
             DECLARE rid uuid;
             BEGIN
               PERFORM pg_advisory_xact_lock(7405071);
               IF TG_OP = 'DELETE' THEN rid := OLD.report_id; ELSE rid := NEW.report_id; END IF;
               INSERT INTO search_changes (kind, record_id, changed_at)
                 VALUES (TG_ARGV[0], rid, extract(epoch FROM now())::bigint);
               RETURN NULL;
             END $$",
        )
        .await?;
    }
    for (table, column) in SOURCES {
        if pg {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION kieng_search_change_{column}('reports')"
            ))
            .await?;
            continue;
        }
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER search_{table}_{e} AFTER {event} ON {table} BEGIN
                   INSERT INTO search_changes (kind, record_id, changed_at)
                   VALUES ('reports', {row}.{column}, CAST(strftime('%s', 'now') AS INTEGER));
                 END",
                e = event.to_lowercase(),
            ))
            .await?;
        }
    }
    Ok(())
}
