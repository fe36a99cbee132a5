//! Migration 33: the commitments board's revision (`commitments_rev`) also
//! bumped by the database whenever an agreement, a provincial agreement's
//! legal step or a calendar day changes: the board keeps the late legal steps
//! of provincial agreements with its counts, and they depend on all three
//! (the deadlines count working days). No write path has to remember it.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// The tables whose changes make the board's late legal steps stale.
const TABLES: [&str; 3] = ["agreements", "agreement_steps", "calendar_days"];

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "CREATE FUNCTION kieng_board_rev() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               UPDATE counters SET value = value + 1 WHERE name = 'commitments_rev';
               RETURN NULL;
             END $$",
        )
        .await?;
        for t in TABLES {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER board_rev_{t} AFTER INSERT OR UPDATE OR DELETE ON {t}
                 FOR EACH STATEMENT EXECUTE FUNCTION kieng_board_rev()"
            ))
            .await?;
        }
    } else {
        for t in TABLES {
            for (name, event) in [
                ("insert", "INSERT"),
                ("update", "UPDATE"),
                ("delete", "DELETE"),
            ] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER board_rev_{t}_{name} AFTER {event} ON {t}
                     BEGIN UPDATE counters SET value = value + 1 WHERE name = 'commitments_rev'; END"
                ))
                .await?;
            }
        }
    }
    Ok(())
}
