//! Migration 34: a coordination warning is acknowledged once per pair of
//! activities, not once per reason and side. An acknowledgement filed under
//! `same_partner:<other>`, `incoming_week:<other>` or
//! `same_person:<other>:<name>` moves to the pair's key — filed under the lower
//! of the two ids as `pair:<higher>` — keeping the latest note of the pair.
//! Written out in full, so what this migration does never changes.

use crate::StoreError;
use sea_orm::{ConnectionTrait, Statement, Value};
use std::collections::HashMap;
use uuid::Uuid;

type Row = (String, chrono::DateTime<chrono::Utc>, Option<Uuid>);

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT activity_id, warning_key, note, at, actor_id FROM warning_acks
             WHERE warning_key LIKE 'same_partner:%' OR warning_key LIKE 'incoming_week:%'
                OR warning_key LIKE 'same_person:%'",
        ))
        .await?;
    let mut pairs: HashMap<(Uuid, Uuid), Row> = HashMap::new();
    let mut old: Vec<(Uuid, String)> = Vec::new();
    for r in rows {
        let id: Uuid = r.try_get_by_index(0)?;
        let key: String = r.try_get_by_index(1)?;
        let row: Row = (
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
            r.try_get_by_index(4)?,
        );
        let other = key.split(':').nth(1).and_then(|o| Uuid::parse_str(o).ok());
        old.push((id, key));
        let Some(other) = other else { continue };
        let pair = if id <= other {
            (id, other)
        } else {
            (other, id)
        };
        match pairs.get(&pair) {
            Some(kept) if kept.1 >= row.1 => {}
            _ => {
                pairs.insert(pair, row);
            }
        }
    }
    for (id, key) in old {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM warning_acks WHERE activity_id = $1 AND warning_key = $2",
            [Value::from(id), Value::from(key)],
        ))
        .await?;
    }
    for ((low, high), (note, at, actor)) in pairs {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO warning_acks (activity_id, warning_key, note, at, actor_id)
             VALUES ($1, $2, $3, $4, $5)",
            [
                Value::from(low),
                Value::from(format!("pair:{high}")),
                Value::from(note),
                Value::from(at),
                Value::from(actor),
            ],
        ))
        .await?;
    }
    Ok(())
}
