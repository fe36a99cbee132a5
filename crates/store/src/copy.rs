//! A whole database copied into an empty one of the other kind: `kieng move`
//! (SQLite → PostgreSQL and back), a PostgreSQL backup (into a SQLite file)
//! and its restore. Rows are streamed table by table from one consistent
//! snapshot of the source and written in one transaction on the target, so the
//! target holds all of it or nothing; every table's count is compared before
//! the commit. The audit log is copied row for row, so its chain verifies on
//! the target exactly as on the source.
//!
//! Column types are read from the PostgreSQL side's catalogue: SQLite stores
//! uuids and bytes alike as blobs, and times, dates and text alike as text.

use crate::{Store, StoreError};
use futures_util::TryStreamExt;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{
    AccessMode, ConnectionTrait, DbBackend, IsolationLevel, QueryResult, Statement, StreamTrait,
    TransactionTrait, Value,
};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// What a copy did.
#[derive(Debug, Clone, Default)]
pub struct Copied {
    /// Every table copied with its row count, by name.
    pub tables: BTreeMap<String, u64>,
    pub elapsed: Duration,
}

impl Copied {
    pub fn rows(&self) -> u64 {
        self.tables.values().sum()
    }
}

/// A column's type, as PostgreSQL names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Uuid,
    Timestamp,
    Date,
    SmallInt,
    Int,
    BigInt,
    Bool,
    Bytes,
    Text,
}

impl Kind {
    fn of(pg_type: &str) -> Result<Self, StoreError> {
        Ok(match pg_type {
            "uuid" => Self::Uuid,
            "timestamp with time zone" => Self::Timestamp,
            "date" => Self::Date,
            "smallint" => Self::SmallInt,
            "integer" => Self::Int,
            "bigint" => Self::BigInt,
            "boolean" => Self::Bool,
            "bytea" => Self::Bytes,
            "text" => Self::Text,
            other => {
                return Err(StoreError::Internal(format!(
                    "copy: no rule for a column of type {other}"
                )));
            }
        })
    }

    /// The value of column `c` of a source row, typed for the target.
    fn read(self, row: &QueryResult, c: &str) -> Result<Value, StoreError> {
        Ok(match self {
            Self::Uuid => row.try_get::<Option<uuid::Uuid>>("", c)?.into(),
            Self::Timestamp => row
                .try_get::<Option<chrono::DateTime<chrono::Utc>>>("", c)?
                .into(),
            Self::Date => row.try_get::<Option<chrono::NaiveDate>>("", c)?.into(),
            Self::SmallInt => row.try_get::<Option<i16>>("", c)?.into(),
            Self::Int => row.try_get::<Option<i32>>("", c)?.into(),
            Self::BigInt => row.try_get::<Option<i64>>("", c)?.into(),
            Self::Bool => row.try_get::<Option<bool>>("", c)?.into(),
            Self::Bytes => row.try_get::<Option<Vec<u8>>>("", c)?.into(),
            Self::Text => row.try_get::<Option<String>>("", c)?.into(),
        })
    }
}

/// A table to copy: its columns and their kinds, in order.
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

/// The schema's own bookkeeping, the same on both sides once migrated.
const NOT_COPIED: [&str; 1] = ["schema_migrations"];

/// Values in one INSERT: under both databases' limits on bound parameters.
const VALUES_PER_INSERT: usize = 30_000;

fn sql(backend: DbBackend, s: impl Into<String>) -> Statement {
    Statement::from_string(backend, s.into())
}

async fn count<C: ConnectionTrait>(db: &C, table: &str) -> Result<u64, StoreError> {
    let row = db
        .query_one_raw(sql(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .ok_or_else(|| StoreError::Internal("count: no row".into()))?;
    Ok(row.try_get::<i64>("", "n")? as u64)
}

/// The tables and their column kinds, from a PostgreSQL connection.
async fn tables<C: ConnectionTrait>(pg: &C) -> Result<Vec<Table>, StoreError> {
    let mut by_table: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
    for r in pg
        .query_all_raw(sql(
            DbBackend::Postgres,
            "SELECT c.table_name AS t, c.column_name AS c, c.data_type AS ty
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
             ORDER BY c.table_name, c.ordinal_position",
        ))
        .await?
    {
        let t: String = r.try_get("", "t")?;
        if NOT_COPIED.contains(&t.as_str()) {
            continue;
        }
        let ty: String = r.try_get("", "ty")?;
        by_table
            .entry(t)
            .or_default()
            .push((r.try_get("", "c")?, Kind::of(&ty)?));
    }
    Ok(by_table
        .into_iter()
        .map(|(name, columns)| Table { name, columns })
        .collect())
}

/// The tables of a SQLite connection (to check both sides hold the same).
async fn sqlite_tables<C: ConnectionTrait>(db: &C) -> Result<BTreeSet<String>, StoreError> {
    let mut out = BTreeSet::new();
    for r in db
        .query_all_raw(sql(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        ))
        .await?
    {
        let n: String = r.try_get("", "name")?;
        if !NOT_COPIED.contains(&n.as_str()) {
            out.insert(n);
        }
    }
    Ok(out)
}

/// Parents before children by the PostgreSQL side's foreign keys (a table's
/// references to itself aside), names breaking ties so the order is stable.
async fn in_key_order<C: ConnectionTrait>(
    pg: &C,
    tables: Vec<Table>,
) -> Result<Vec<Table>, StoreError> {
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in pg
        .query_all_raw(sql(
            DbBackend::Postgres,
            "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
             FROM pg_constraint WHERE contype = 'f'",
        ))
        .await?
    {
        let (child, parent): (String, String) = (r.try_get("", "child")?, r.try_get("", "parent")?);
        if child != parent {
            parents.entry(child).or_default().insert(parent);
        }
    }
    let mut left: BTreeMap<String, Table> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready: Vec<String> = left
            .keys()
            .filter(|t| {
                parents
                    .get(*t)
                    .is_none_or(|ps| ps.iter().all(|p| !left.contains_key(p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Internal(
                "copy: the foreign keys form a cycle".into(),
            ));
        }
        for t in ready {
            if let Some(t) = left.remove(&t) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

impl Store {
    /// The latest migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = self
            .db
            .query_one_raw(sql(
                self.db.get_database_backend(),
                "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations",
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "v"))
            .transpose()?
            .unwrap_or(0))
    }

    /// Does the database hold anything a user made (an account, an audit
    /// entry)? Reference data loaded by the migrations does not count.
    pub async fn holds_records(&self) -> Result<bool, StoreError> {
        Ok(count(&self.db, "users").await? > 0 || count(&self.db, "audit_log").await? > 0)
    }

    /// Copy every row of this database into `target`: a database of the other
    /// kind, migrated to the same version and holding no records. What the
    /// target's migrations loaded is replaced by the source's rows.
    pub async fn copy_into(&self, target: &Store) -> Result<Copied, StoreError> {
        let started = Instant::now();
        let (from, to) = (
            self.db.get_database_backend(),
            target.db.get_database_backend(),
        );
        if from == to {
            return Err(StoreError::Internal(
                "copy: source and target are the same kind of database (a SQLite file is copied with VACUUM INTO)".into(),
            ));
        }
        let (v_from, v_to) = (self.schema_version().await?, target.schema_version().await?);
        if v_from != v_to {
            return Err(StoreError::Internal(format!(
                "copy: the source is at schema {v_from}, the target at {v_to}: migrate both with the same Kiềng first"
            )));
        }
        if target.holds_records().await? {
            return Err(StoreError::Internal(
                "copy: the target already holds records; copy only into an empty database".into(),
            ));
        }
        // One consistent snapshot of the source for the whole copy.
        let src = if from == DbBackend::Postgres {
            self.db
                .begin_with_config(
                    Some(IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await?
        } else {
            self.db.begin().await?
        };
        let tables = if from == DbBackend::Postgres {
            let t = tables(&src).await?;
            in_key_order(&src, t).await?
        } else {
            let t = tables(&target.db).await?;
            in_key_order(&target.db, t).await?
        };
        let sqlite_side = if from == DbBackend::Sqlite {
            sqlite_tables(&src).await?
        } else {
            sqlite_tables(&target.db).await?
        };
        let pg_side: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
        if pg_side != sqlite_side {
            return Err(StoreError::Internal(format!(
                "copy: the two databases hold different tables: {:?}",
                pg_side
                    .symmetric_difference(&sqlite_side)
                    .collect::<Vec<_>>()
            )));
        }

        let dst = target.begin_write().await?;
        // Foreign keys are checked once the rows are all in: SQLite at the
        // commit; PostgreSQL when they are put back, which checks every row.
        let mut foreign_keys = Vec::new();
        if to == DbBackend::Postgres {
            for r in dst
                .query_all_raw(sql(
                    to,
                    "SELECT conrelid::regclass::text AS tbl, conname AS name,
                            pg_get_constraintdef(oid) AS def
                     FROM pg_constraint WHERE contype = 'f'",
                ))
                .await?
            {
                let (tbl, name, def): (String, String, String) = (
                    r.try_get("", "tbl")?,
                    r.try_get("", "name")?,
                    r.try_get("", "def")?,
                );
                dst.execute_unprepared(&format!("ALTER TABLE {tbl} DROP CONSTRAINT {name}"))
                    .await?;
                foreign_keys.push(format!("ALTER TABLE {tbl} ADD CONSTRAINT {name} {def}"));
            }
        } else {
            dst.execute_unprepared("PRAGMA defer_foreign_keys = ON")
                .await?;
        }
        // The logs are copied as they are; their triggers would log the copy.
        let logs = crate::search::changes::suspend_log(&dst).await?;
        for t in tables.iter().rev() {
            dst.execute_unprepared(&format!("DELETE FROM {}", t.name))
                .await?;
        }
        let mut copied = Copied::default();
        for t in &tables {
            let names: Vec<&str> = t.columns.iter().map(|(c, _)| c.as_str()).collect();
            let per_insert = (VALUES_PER_INSERT / names.len().max(1)).clamp(1, 500);
            let select = format!("SELECT {} FROM {}", names.join(", "), t.name);
            let mut rows = src.stream_raw(sql(from, select)).await?;
            let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_insert);
            let mut n = 0u64;
            while let Some(row) = rows.try_next().await? {
                let values = t
                    .columns
                    .iter()
                    .map(|(c, k)| k.read(&row, c))
                    .collect::<Result<Vec<_>, _>>()?;
                batch.push(values);
                if batch.len() == per_insert {
                    n += insert(&dst, &t.name, &names, std::mem::take(&mut batch)).await?;
                }
            }
            drop(rows);
            n += insert(&dst, &t.name, &names, batch).await?;
            copied.tables.insert(t.name.clone(), n);
        }
        crate::search::changes::resume_log(&dst, logs).await?;
        if to == DbBackend::Postgres {
            for def in foreign_keys {
                dst.execute_unprepared(&def).await?;
            }
            // Sequences continue after the copied rows.
            for r in dst
                .query_all_raw(sql(
                    to,
                    "SELECT table_name AS t, column_name AS c FROM information_schema.columns
                     WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
                ))
                .await?
            {
                let (t, c): (String, String) = (r.try_get("", "t")?, r.try_get("", "c")?);
                dst.execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', '{c}'), COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {t}"
                ))
                .await?;
            }
        }
        for (t, n) in &copied.tables {
            let (had, has) = (count(&src, t).await?, count(&dst, t).await?);
            if had != *n || has != *n {
                return Err(StoreError::Internal(format!(
                    "copy: {t} read {had} rows, copied {n}, holds {has}"
                )));
            }
        }
        src.rollback().await?;
        dst.commit().await?;
        copied.elapsed = started.elapsed();
        Ok(copied)
    }
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<u64, StoreError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let n = rows.len() as u64;
    let mut q = Query::insert();
    q.into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)));
    for r in rows {
        q.values_panic(r.into_iter().map(SimpleExpr::from));
    }
    db.execute(&q).await?;
    Ok(n)
}

impl Store {
    /// Write a consistent copy of this SQLite database to `path` (which must
    /// not exist) while it serves: one read snapshot, compacted.
    pub async fn vacuum_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.db.get_database_backend() != DbBackend::Sqlite {
            return Err(StoreError::Internal(
                "VACUUM INTO copies SQLite databases only".into(),
            ));
        }
        let p = path.to_string_lossy().replace('\'', "''");
        self.db
            .execute_unprepared(&format!("VACUUM INTO '{p}'"))
            .await?;
        Ok(())
    }

    /// Note a backup taken of this database.
    pub async fn backup_record(
        &self,
        path: &str,
        bytes: u64,
        took: Duration,
        rows: u64,
    ) -> Result<(), StoreError> {
        use sea_orm::{EntityTrait, IntoActiveModel};
        let m = crate::entity::backup::Model {
            id: uuid::Uuid::now_v7(),
            at: crate::now(),
            path: path.chars().take(1000).collect(),
            bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
            took_ms: i64::try_from(took.as_millis()).unwrap_or(i64::MAX),
            rows_copied: i64::try_from(rows).unwrap_or(i64::MAX),
        };
        let tx = self.begin_write().await?;
        crate::entity::backup::Entity::insert(m.into_active_model())
            .exec_without_returning(&tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The last backup taken of this database.
    pub async fn last_backup(&self) -> Result<Option<crate::entity::backup::Model>, StoreError> {
        use sea_orm::{EntityTrait, QueryOrder};
        Ok(crate::entity::backup::Entity::find()
            .order_by_desc(crate::entity::backup::Column::At)
            .one(&self.db)
            .await?)
    }

    /// How many rows every table holds (a backup's or a move's summary).
    pub async fn table_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let backend = self.db.get_database_backend();
        let names: Vec<String> = if backend == DbBackend::Postgres {
            tables(&self.db)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect()
        } else {
            sqlite_tables(&self.db).await?.into_iter().collect()
        };
        let mut out = BTreeMap::new();
        for t in names {
            out.insert(t.clone(), count(&self.db, &t).await?);
        }
        Ok(out)
    }
}
