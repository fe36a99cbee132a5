//! Bulk loading into a fresh database: a generator's transaction drops the
//! secondary indexes of the tables it fills and builds them again at the end
//! (one sorted build instead of millions of random inserts), from the
//! definitions the database itself reports, so they stay exactly the migrations'.

use crate::StoreError;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, Statement,
};

/// Drop the secondary indexes of `tables` (not primary keys or unique
/// constraints); returns the statements that create them again.
pub(crate) async fn drop_indexes<C: ConnectionTrait>(
    db: &C,
    tables: &[&str],
) -> Result<Vec<String>, StoreError> {
    let backend = db.get_database_backend();
    let list = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = if backend == DbBackend::Postgres {
        format!(
            "SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS ddl
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_class t ON t.oid = i.indrelid
             WHERE t.relname IN ({list}) AND NOT i.indisprimary AND NOT i.indisunique
               AND pg_table_is_visible(t.oid)"
        )
    } else {
        // Automatic indexes (keys, UNIQUE) have no SQL of their own.
        format!(
            "SELECT name, sql AS ddl FROM sqlite_master
             WHERE type = 'index' AND tbl_name IN ({list}) AND sql IS NOT NULL"
        )
    };
    let mut ddl = Vec::new();
    for row in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let name: String = row.try_get("", "name")?;
        ddl.push(row.try_get::<String>("", "ddl")?);
        db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
    }
    Ok(ddl)
}

/// Build again what `drop_indexes` dropped.
pub(crate) async fn create_indexes<C: ConnectionTrait>(
    db: &C,
    ddl: &[String],
) -> Result<(), StoreError> {
    for sql in ddl {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Insert `rows` in statements of `chunk` rows (within both databases'
/// parameter limits).
pub(crate) async fn insert_all<C, M, A>(db: &C, rows: &[M], chunk: usize) -> Result<(), StoreError>
where
    C: ConnectionTrait,
    M: IntoActiveModel<A> + Clone,
    A: ActiveModelTrait + Send,
{
    for c in rows.chunks(chunk.max(1)) {
        <A::Entity as EntityTrait>::insert_many(
            c.iter().cloned().map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// xorshift64*: deterministic, fast, good enough for spreading fixtures.
pub(crate) struct Xorshift {
    state: u64,
    multiplier: u64,
}

impl Xorshift {
    pub(crate) fn new(seed: u64, multiplier: u64) -> Self {
        Self {
            state: seed,
            multiplier,
        }
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(self.multiplier)
    }
}
