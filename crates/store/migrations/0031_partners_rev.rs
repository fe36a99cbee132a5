//! Migration 31: the partners' revision counter (made by migration 4, unused
//! until now) bumped by the database itself whenever a partner's
//! classification or deletion changes, so every process can keep
//! which partners a reader may filter by (`Store::partner_filter`) and know at
//! once when that went stale — no write path has to remember it.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "CREATE FUNCTION kieng_partners_rev() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               UPDATE counters SET value = value + 1 WHERE name = 'partners_rev';
               RETURN NULL;
             END $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER partners_rev_update AFTER UPDATE OF classification, deleted_at ON partners
             FOR EACH ROW WHEN (OLD.classification IS DISTINCT FROM NEW.classification
                                OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
             EXECUTE FUNCTION kieng_partners_rev()",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER partners_rev_delete AFTER DELETE ON partners
             FOR EACH ROW EXECUTE FUNCTION kieng_partners_rev()",
        )
        .await?;
    } else {
        db.execute_unprepared(
            "CREATE TRIGGER partners_rev_update AFTER UPDATE OF classification, deleted_at ON partners
             WHEN OLD.classification IS NOT NEW.classification OR OLD.deleted_at IS NOT NEW.deleted_at
             BEGIN UPDATE counters SET value = value + 1 WHERE name = 'partners_rev'; END",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER partners_rev_delete AFTER DELETE ON partners
             BEGIN UPDATE counters SET value = value + 1 WHERE name = 'partners_rev'; END",
        )
        .await?;
    }
    Ok(())
}
