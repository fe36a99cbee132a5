//! Migration 38: the coordination warnings' revision (`warnings_rev`), bumped
//! by the database whenever an acknowledgement is filed, replaced or removed:
//! the home page keeps a scope's unacknowledged warnings, and an
//! acknowledgement changes them without changing any activity. No write path
//! has to remember it.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    db.execute_unprepared("INSERT INTO counters (name, value) VALUES ('warnings_rev', 0)")
        .await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "CREATE FUNCTION kieng_warnings_rev() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               UPDATE counters SET value = value + 1 WHERE name = 'warnings_rev';
               RETURN NULL;
             END $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER warnings_rev AFTER INSERT OR UPDATE OR DELETE ON warning_acks
             FOR EACH STATEMENT EXECUTE FUNCTION kieng_warnings_rev()",
        )
        .await?;
    } else {
        for (name, event) in [
            ("insert", "INSERT"),
            ("update", "UPDATE"),
            ("delete", "DELETE"),
        ] {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER warnings_rev_{name} AFTER {event} ON warning_acks
                 BEGIN UPDATE counters SET value = value + 1 WHERE name = 'warnings_rev'; END"
            ))
            .await?;
        }
    }
    Ok(())
}
