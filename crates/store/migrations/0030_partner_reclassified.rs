//! Migration 30: a partner's new classification re-indexes the records that
//! link it, as a new name already did.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// Migration 30: a partner's classification changing re-indexes the records that
/// link it too (their text holds the partner's name only while the partner is no
/// more classified than they are), as a new name already did. Written out in
/// full, so what this migration does never changes.
pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
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
