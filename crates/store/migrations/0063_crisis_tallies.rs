//! Migration 63: a crisis's counts kept as they change. `crisis_tallies`
//! holds, per crisis, how many live (unmerged) registry entries share a
//! status, place and transport; triggers on `crisis_people` move each entry's
//! one in and out of its tally in the writing transaction, so no writer can
//! forget it and every server reads the same figures at once. The boards sum
//! a few hundred tallies instead of counting tens of thousands of entries.
//! `kieng check` compares the tallies with a count of the entries. The
//! registry's pages are read in entry order from `crisis_people_order`.

use crate::StoreError;
use sea_orm::{ConnectionTrait, DbBackend};

/// The tally of `row`'s entry moves by `by` (only for a live entry).
fn upsert(row: &str, by: i32) -> String {
    format!(
        "INSERT INTO crisis_tallies (crisis_id, status, place, transport, n)
         VALUES ({row}.crisis_id, {row}.status, {row}.place, {row}.transport, {by})
         ON CONFLICT (crisis_id, status, place, transport)
         DO UPDATE SET n = crisis_tallies.n + {by}"
    )
}

/// The columns a tally reads differ between `OLD` and `NEW`.
const MOVED: &str = "OLD.crisis_id IS DISTINCT FROM NEW.crisis_id
    OR OLD.merged IS DISTINCT FROM NEW.merged
    OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.place IS DISTINCT FROM NEW.place
    OR OLD.transport IS DISTINCT FROM NEW.transport";

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    let uuid = if pg { "uuid" } else { "blob" };
    db.execute_unprepared(&format!(
        "CREATE TABLE crisis_tallies (
            crisis_id {uuid} NOT NULL REFERENCES crises(id),
            status TEXT NOT NULL,
            place TEXT NOT NULL,
            transport TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (crisis_id, status, place, transport)
        )"
    ))
    .await?;
    // The registry's pages in entry order, read from the index.
    db.execute_unprepared(
        "CREATE INDEX crisis_people_order ON crisis_people (crisis_id, merged, id)",
    )
    .await?;
    db.execute_unprepared(
        "INSERT INTO crisis_tallies (crisis_id, status, place, transport, n)
         SELECT crisis_id, status, place, transport, COUNT(*) FROM crisis_people
         WHERE NOT merged GROUP BY crisis_id, status, place, transport",
    )
    .await?;
    if pg {
        db.execute_unprepared(&format!(
            "CREATE FUNCTION kieng_crisis_tally() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF TG_OP = 'UPDATE' AND NOT ({MOVED}) THEN
                 RETURN NULL;
               END IF;
               -- One writer of a crisis's tallies at a time (the store takes
               -- the same lock first): never two tally rows locked in
               -- opposite orders.
               PERFORM pg_advisory_xact_lock(7405072,
                 hashtext(CASE WHEN TG_OP = 'DELETE' THEN OLD.crisis_id ELSE NEW.crisis_id END::text));
               IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.merged THEN
                 {old};
               END IF;
               IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.merged THEN
                 {new};
               END IF;
               RETURN NULL;
             END $$",
            old = upsert("OLD", -1),
            new = upsert("NEW", 1),
        ))
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER crisis_tally AFTER INSERT OR UPDATE OR DELETE ON crisis_people
             FOR EACH ROW EXECUTE FUNCTION kieng_crisis_tally()",
        )
        .await?;
        return Ok(());
    }
    for (name, event, when, body) in [
        (
            "insert",
            "INSERT",
            "NOT NEW.merged".to_string(),
            upsert("NEW", 1),
        ),
        (
            "delete",
            "DELETE",
            "NOT OLD.merged".to_string(),
            upsert("OLD", -1),
        ),
        (
            "update_old",
            "UPDATE",
            format!("NOT OLD.merged AND ({MOVED})"),
            upsert("OLD", -1),
        ),
        (
            "update_new",
            "UPDATE",
            format!("NOT NEW.merged AND ({MOVED})"),
            upsert("NEW", 1),
        ),
    ] {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER crisis_tally_{name} AFTER {event} ON crisis_people
             WHEN {when} BEGIN {body}; END"
        ))
        .await?;
    }
    Ok(())
}
