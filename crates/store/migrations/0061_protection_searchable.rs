//! Migration 61: citizen protection cases are found by search — the change
//! log's row triggers on `protection_cases` (family `protection_cases`), in
//! 0018's shape. The index holds a case's number, category, country, place
//! and mission, never its summary or people.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let (table, family) = ("protection_cases", "protection_cases");
    let name = format!("search_{table}_{family}");
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
             FOR EACH ROW EXECUTE FUNCTION kieng_search_change_id('{family}')"
        ))
        .await?;
        return Ok(());
    }
    for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER {name}_{e} AFTER {event} ON {table} BEGIN
               INSERT INTO search_changes (kind, record_id, changed_at)
               VALUES ('{family}', {row}.id, CAST(strftime('%s', 'now') AS INTEGER));
             END",
            e = event.to_lowercase(),
        ))
        .await?;
    }
    Ok(())
}
