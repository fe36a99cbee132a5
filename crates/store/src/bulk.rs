//! Bulk loading into a fresh database, for the dataset generators
//! (`kieng-data`): one write transaction ([`Load`]) in which the change logs'
//! triggers are suspended and the secondary indexes of the tables being filled
//! are dropped, then built again at the end (one sorted build instead of millions
//! of random inserts) from the definitions the database itself reports, so they
//! stay exactly the migrations'. Rows loaded this way are not audited (a fixture,
//! not input) and are not in the search log: the index of a fresh database is
//! built from the tables.

use crate::write_tx::WriteTx;
use crate::{Store, StoreError};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, Statement,
};

/// What a load changed that other processes keep in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// The agency directory (agencies, users' agencies).
    Agencies,
    /// The commitments board's grouped counts.
    Commitments,
}

/// An open bulk load (see the module's text). Dropped without `finish`, it
/// rolls back whole.
pub struct Load {
    tx: WriteTx,
    logs: Vec<String>,
    indexes: Vec<String>,
    sqlite: bool,
}

impl Store {
    /// Begin a bulk load that drops the secondary indexes of `tables` (none for a
    /// small load). On SQLite a load that drops indexes gets a 256 MiB page cache
    /// meanwhile: the start-time and partner indexes take rows in random order,
    /// and with the default 2 MiB nearly every insert reads and writes a page.
    pub async fn bulk_load(&self, tables: &[&str]) -> Result<Load, StoreError> {
        let tx = self.begin_write().await?;
        let logs = crate::search::changes::suspend_log(&tx).await?;
        let indexes = drop_indexes(&tx, tables).await?;
        let sqlite = tx.get_database_backend() == DbBackend::Sqlite;
        if sqlite && !tables.is_empty() {
            tx.execute_unprepared("PRAGMA cache_size = -262144").await?;
        }
        Ok(Load {
            tx,
            logs,
            indexes,
            sqlite,
        })
    }

    /// Gather the planner's statistics after a bulk load (PostgreSQL plans from
    /// them; SQLite's queries are shaped to need none).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        if self.db.get_database_backend() == DbBackend::Postgres {
            self.db.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }
}

impl Load {
    /// Insert `rows` in statements of `chunk` rows.
    pub async fn insert<M, A>(&self, rows: &[M], chunk: usize) -> Result<(), StoreError>
    where
        M: IntoActiveModel<A> + Clone,
        A: ActiveModelTrait + Send,
    {
        insert_all(&self.tx, rows, chunk).await
    }

    /// Run one statement inside the load (a derived table filled from the rows
    /// just written).
    pub async fn execute(&self, sql: &str) -> Result<(), StoreError> {
        self.tx.execute_unprepared(sql).await?;
        Ok(())
    }

    /// Tell every process that what it keeps of `what` is stale once this commits.
    pub async fn touched(&self, what: Touched) -> Result<(), StoreError> {
        let counter = match what {
            Touched::Agencies => crate::counters::AGENCIES,
            Touched::Commitments => crate::counters::COMMITMENTS,
        };
        crate::counters::bump(&self.tx, counter).await
    }

    /// Build the indexes again, put the triggers back and commit.
    pub async fn finish(self) -> Result<(), StoreError> {
        if self.sqlite && !self.indexes.is_empty() {
            self.tx
                .execute_unprepared("PRAGMA cache_size = -2000")
                .await?;
        }
        create_indexes(&self.tx, &self.indexes).await?;
        crate::search::changes::resume_log(&self.tx, self.logs).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// Drop the secondary indexes of `tables` (not primary keys or unique
/// constraints); returns the statements that create them again.
async fn drop_indexes<C: ConnectionTrait>(
    db: &C,
    tables: &[&str],
) -> Result<Vec<String>, StoreError> {
    if tables.is_empty() {
        return Ok(Vec::new());
    }
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
async fn create_indexes<C: ConnectionTrait>(db: &C, ddl: &[String]) -> Result<(), StoreError> {
    for sql in ddl {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Insert `rows` in statements of `chunk` rows (within both databases'
/// parameter limits).
async fn insert_all<C, M, A>(db: &C, rows: &[M], chunk: usize) -> Result<(), StoreError>
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
