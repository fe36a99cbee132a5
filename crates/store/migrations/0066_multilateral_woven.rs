//! Migration 66: multilateral work woven into the rest — an outcome recorded
//! as classified names the item of the secrets list it rests on (as every
//! classified record does), and mechanisms, roles held and candidacies are
//! found by search: the change log's row triggers in 0018's shape (families
//! `mechanisms`, `mechanism_roles`, `candidacies`). A pledge is never indexed:
//! it is found through its candidacy.

use crate::StoreError;
use crate::migrate::render;
use sea_orm::{ConnectionTrait, DbBackend};

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    db.execute_unprepared(&render(
        "ALTER TABLE mechanism_outcomes ADD COLUMN secret_item_id {uuid} REFERENCES secret_items(id)",
        backend,
    ))
    .await?;
    for table in ["mechanisms", "mechanism_roles", "candidacies"] {
        let name = format!("search_{table}_{table}");
        if backend == DbBackend::Postgres {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION kieng_search_change_id('{table}')"
            ))
            .await?;
            continue;
        }
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name}_{e} AFTER {event} ON {table} BEGIN
                   INSERT INTO search_changes (kind, record_id, changed_at)
                   VALUES ('{table}', {row}.id, CAST(strftime('%s', 'now') AS INTEGER));
                 END",
                e = event.to_lowercase(),
            ))
            .await?;
        }
    }
    Ok(())
}
