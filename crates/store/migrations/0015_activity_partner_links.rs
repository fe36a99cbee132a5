//! Migration 15: activity partner links carry what visibility and tallies
//! need — the activity's span, pillar, owner, classification and year in
//! Vietnam — so a partner's activities are read from the links alone.

use crate::StoreError;
use sea_orm::ConnectionTrait;

/// Migration: rebuild `activity_partners` with the activity's columns copied,
/// and index it for the partner's timeline (newest first, visibility in the
/// index) and tallies (by year and pillar).
pub(crate) async fn run<C: ConnectionTrait>(tx: &C) -> Result<(), StoreError> {
    let backend = tx.get_database_backend();
    let pg = backend == sea_orm::DbBackend::Postgres;
    let (uuid, ts, year) = if pg {
        (
            "uuid",
            "timestamptz",
            "CAST(EXTRACT(YEAR FROM a.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)",
        )
    } else {
        (
            "blob",
            "text",
            "CAST(strftime('%Y', a.starts_at, '+7 hours') AS INTEGER)",
        )
    };
    for sql in [
        format!(
            "CREATE TABLE activity_partners_v2 (
                activity_id {uuid} NOT NULL REFERENCES activities(id),
                partner_id {uuid} NOT NULL REFERENCES partners(id),
                starts_at {ts} NOT NULL,
                ends_at {ts} NOT NULL,
                pillar TEXT NOT NULL,
                owner_agency_id {uuid} NOT NULL,
                classification SMALLINT NOT NULL,
                vn_year INTEGER NOT NULL,
                PRIMARY KEY (activity_id, partner_id))"
        ),
        format!(
            "INSERT INTO activity_partners_v2 SELECT ap.activity_id, ap.partner_id, ap.starts_at,
                ap.ends_at, a.pillar, a.owner_agency_id, a.classification, {year}
             FROM activity_partners ap JOIN activities a ON a.id = ap.activity_id"
        ),
        "DROP TABLE activity_partners".into(),
        "ALTER TABLE activity_partners_v2 RENAME TO activity_partners".into(),
        "CREATE INDEX activity_partners_partner ON activity_partners
            (partner_id, starts_at, activity_id, classification, owner_agency_id, pillar)"
            .into(),
        "CREATE INDEX activity_partners_tally ON activity_partners
            (partner_id, vn_year, pillar, classification, owner_agency_id, activity_id)"
            .into(),
    ] {
        tx.execute_unprepared(&sql).await?;
    }
    Ok(())
}
