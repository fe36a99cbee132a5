//! Migration 55: plans and their tasks are found by search — the change
//! log's row triggers on `plans` (family `plans`), `plan_tasks` (family
//! `plan_tasks`) and `plan_task_agencies` (both: a task's agencies decide who
//! finds it and its plan), in 0018's shape.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// (table, the column naming the record, family).
const SOURCES: &[(&str, &str, &str)] = &[
    ("plans", "id", "plans"),
    ("plan_tasks", "id", "plan_tasks"),
    ("plan_task_agencies", "task_id", "plan_tasks"),
    ("plan_task_agencies", "plan_id", "plans"),
];

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    if pg {
        // 0018 made the function for `id`; these columns need their own.
        for column in ["task_id", "plan_id"] {
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
    }
    for (table, column, family) in SOURCES {
        let name = format!("search_{table}_{family}");
        if pg {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION kieng_search_change_{column}('{family}')"
            ))
            .await?;
            continue;
        }
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name}_{e} AFTER {event} ON {table} BEGIN
                   INSERT INTO search_changes (kind, record_id, changed_at)
                   VALUES ('{family}', {row}.{column}, CAST(strftime('%s', 'now') AS INTEGER));
                 END",
                e = event.to_lowercase(),
            ))
            .await?;
        }
    }
    Ok(())
}
