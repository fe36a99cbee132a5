//! Connecting: the backend is chosen from the URL scheme; SQLite gets WAL (its
//! checkpoints in the background), a busy timeout and foreign keys; every write
//! transaction on SQLite is IMMEDIATE so writers queue instead of failing on a
//! stale snapshot.

use crate::StoreError;
use kieng_domain::Classification;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Deployment settings the services obey.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// The highest classification this deployment may hold.
    pub max_classification: Classification,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: Duration,
    /// Activities with one partner within this many days of each other are flagged.
    pub coordination_days: i64,
    /// An activity without its outcome report this many days after its end is overdue.
    pub report_due_days: i64,
    /// Live agreements expiring within this many days are on the coordinator's board.
    pub expiry_watch_days: u64,
    /// Open commitments due within this many days are "due soon".
    pub due_soon_days: u64,
    /// Connections reading SQLite (each a thread of SQLite's); write
    /// transactions have one connection of their own.
    pub sqlite_readers: u32,
    /// Connections to PostgreSQL, reads and writes.
    pub postgres_connections: u32,
    /// How long what the caches keep answers before it is read again.
    pub lifetimes: crate::cache::Lifetimes,
    /// Citizen protection: the personal-data key, clocks, consular department.
    pub protection: crate::protection::ProtectionConfig,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            max_classification: Classification::Mat,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            coordination_days: 7,
            report_due_days: 15,
            expiry_watch_days: 90,
            due_soon_days: 14,
            // Two cores: more connections (each one a thread) only add context switches.
            sqlite_readers: 4,
            postgres_connections: 16,
            lifetimes: crate::cache::Lifetimes::default(),
            protection: Default::default(),
        }
    }
}

/// The handle every service hangs off: a pooled connection and the settings.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// Where write transactions run: on SQLite a pool of one connection of its
    /// own, so writers wait for each other there instead of each holding one of
    /// the readers' connections while it waits for SQLite's single write lock
    /// (the readers had been left one or two connections under a mix with
    /// saves); on PostgreSQL the same pool as `db`.
    pub(crate) writer: DatabaseConnection,
    pub config: StoreConfig,
    /// The agency graph with the revision it was loaded at.
    /// The in-memory directory, revision watch and auth cache (see `cache`).
    pub(crate) caches: Arc<crate::cache::Caches>,
    /// This process's search index, once `start_search` opened it.
    pub(crate) search: Arc<crate::search::SearchState>,
    /// SQLite: the task that checkpoints the write-ahead log (stops with the last handle).
    _checkpointer: Option<Arc<Checkpointer>>,
}

/// The most the write-ahead log keeps on disk once it starts over (64 MiB).
const WAL_LIMIT: &str = "67108864";

/// How much of the SQLite file is read through a memory mapping: SQLite's
/// largest (`SQLITE_MAX_MMAP_SIZE`, 2 GiB less 64 KiB); a larger file is read
/// past it the ordinary way.
const MMAP_SIZE: &str = "2147418112";

/// How often the write-ahead log is copied into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The background checkpoint of a SQLite database: a connection of its own that
/// copies the write-ahead log into the database file every `CHECKPOINT_EVERY`
/// (`PASSIVE`: it never waits for or blocks a reader or writer). SQLite's own
/// automatic checkpoint runs inside the commit that crosses a thousand pages —
/// one save in thirty paid for it, with the file's sync, at the tail of the save's
/// latency. Aborted when the last `Store` handle is dropped.
struct Checkpointer {
    task: tokio::task::JoinHandle<()>,
    conn: DatabaseConnection,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Checkpointer {
    /// Stop the loop and close its connection before returning, so a closed
    /// store leaves no `-wal` or `-shm` file beside the database behind it.
    async fn stop(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
        // A clone shares the pool: closing it closes the pool and waits for its
        // connection.
        let _ = self.conn.clone().close().await;
    }
}

async fn checkpointer(url: &str) -> Result<Checkpointer, StoreError> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .max_connections(1)
        .min_connections(1)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .pragma("journal_size_limit", WAL_LIMIT)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    let conn = Database::connect(opts).await?;
    let looped = conn.clone();
    let task = tokio::spawn(async move {
        let conn = looped;
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = conn
                .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                .await
            {
                tracing::warn!("write-ahead log checkpoint: {e}");
            }
        }
    });
    Ok(Checkpointer { task, conn })
}

impl Store {
    /// Connect to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, config: StoreConfig) -> Result<Self, StoreError> {
        let lifetimes = config.lifetimes;
        let mut opts = ConnectOptions::new(url.to_string());
        // Every statement with its time at debug (`KIENG_LOG=sqlx::query=debug`);
        // one slower than half a second at warn, always.
        opts.sqlx_logging(true)
            .sqlx_logging_level(log::LevelFilter::Debug)
            .sqlx_slow_statements_logging_settings(
                log::LevelFilter::Warn,
                Duration::from_millis(500),
            )
            .acquire_timeout(Duration::from_secs(10));
        let sqlite = url.starts_with("sqlite:");
        if sqlite {
            opts.max_connections(config.sqlite_readers.max(1))
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        // Checkpoints run beside the requests (`checkpointer`), not
                        // inside the commit that crosses a thousand pages.
                        .pragma("wal_autocheckpoint", "0")
                        // Once copied back, the log is cut to this size when it
                        // starts over (a bulk load left it as large as the data).
                        .pragma("journal_size_limit", WAL_LIMIT)
                        .busy_timeout(Duration::from_secs(10))
                        // Pages read through a mapping of the file, not copied in by
                        // a system call each (the connection's own cache holds 2 MB):
                        // a busy partner's dossier 65 → 98 req/s, a month +18 %
                        // (national bench). The mapped pages are the
                        // kernel's file cache, counted as RssFile, not as heap.
                        .pragma("mmap_size", MMAP_SIZE)
                        .foreign_keys(true)
                        .create_if_missing(true)
                });
        } else {
            opts.max_connections(config.postgres_connections.max(1))
                .min_connections(1);
        }
        let db = Database::connect(opts.clone()).await?;
        // An in-memory SQLite database is one per connection: there, one pool.
        let writer = if sqlite && !url.contains(":memory:") {
            opts.max_connections(1).min_connections(1);
            Database::connect(opts).await?
        } else {
            db.clone()
        };
        let checkpointer = if sqlite {
            Some(Arc::new(checkpointer(url).await?))
        } else {
            None
        };
        Ok(Self {
            db,
            writer,
            config,
            caches: Arc::new(crate::cache::Caches::new(lifetimes)),
            search: Arc::default(),
            _checkpointer: checkpointer,
        })
    }

    pub fn backend(&self) -> Backend {
        match self.db.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Apply pending migrations.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        crate::migrate::run(&self.db).await
    }

    /// Is the database reachable? (`/readyz`)
    pub async fn ping(&self) -> bool {
        self.db.execute_unprepared("SELECT 1").await.is_ok()
    }

    /// Close the pools; the last handle also stops the checkpoint loop.
    pub async fn close(self) {
        let _ = self.writer.close().await;
        let _ = self.db.close().await;
        if let Some(c) = self._checkpointer.and_then(Arc::into_inner) {
            c.stop().await;
        }
    }

    /// Begin a transaction that will write, on the writers' connection; its
    /// commit expires what this process keeps of the data (see `write_tx`).
    pub(crate) async fn begin_write(&self) -> Result<crate::write_tx::WriteTx, StoreError> {
        Ok(crate::write_tx::WriteTx::new(
            begin_write(&self.writer).await?,
            self.caches.clone(),
        ))
    }

    /// The activity scope change log's position, re-read at most every
    /// `cache::REV_TTL` (a write committed here expires it at once), by one
    /// request at a time.
    pub(crate) async fn scope_position(&self) -> Result<i64, StoreError> {
        self.caches
            .scope_rev
            .current(|| crate::scope_changes::last(&self.db))
            .await
    }
}

/// Begin a transaction that will write (IMMEDIATE on SQLite).
pub(crate) async fn begin_write(
    db: &DatabaseConnection,
) -> Result<DatabaseTransaction, StoreError> {
    let opts = TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: match db.get_database_backend() {
            DbBackend::Sqlite => Some(SqliteTransactionMode::Immediate),
            _ => None,
        },
    };
    Ok(db.begin_with_options(opts).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits no longer checkpoint; the background task copies the log into the
    /// database file on its own.
    #[tokio::test]
    async fn the_log_is_checkpointed_in_the_background() -> Result<(), StoreError> {
        let dir = std::env::temp_dir().join(format!("kieng-wal-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::Internal(e.to_string()))?;
        let file = dir.join("t.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let store = Store::connect(&url, StoreConfig::default()).await?;
        let db = store.connection();
        let auto = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA wal_autocheckpoint",
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok());
        assert_eq!(auto, Some(0), "commits do not checkpoint");
        let limit = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA journal_size_limit",
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok());
        assert_eq!(
            limit.map(|l| l.to_string()).as_deref(),
            Some(WAL_LIMIT),
            "the log is cut back when it starts over"
        );
        let mmap = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA mmap_size",
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok());
        assert_eq!(
            mmap.map(|l| l.to_string()).as_deref(),
            Some(MMAP_SIZE),
            "pages are read through the mapping"
        );
        db.execute_unprepared("CREATE TABLE t (x TEXT)").await?;
        // ~4 MB: more than SQLite's own threshold of a thousand pages.
        for _ in 0..4 {
            db.execute_unprepared(
                "INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                 SELECT printf('%.1000c', 'x') FROM n",
            )
            .await?;
        }
        let size = || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while size() < 4_000_000 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(size() >= 4_000_000, "checkpointed: {} bytes", size());
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    /// `.cargo/config.toml` builds the bundled SQLite without the shared page
    /// cache and the allocation statistics, each behind one global lock, and
    /// with the planner's stability guarantee (a bound LIMIT planned as a
    /// variable, so the next bind does not expire the cached statement).
    #[tokio::test]
    async fn sqlite_is_built_without_its_global_locks_and_with_a_stable_planner()
    -> Result<(), StoreError> {
        let store = Store::connect("sqlite::memory:", StoreConfig::default()).await?;
        let options: Vec<String> = store
            .connection()
            .query_all_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA compile_options",
            ))
            .await?
            .into_iter()
            .filter_map(|r| r.try_get_by_index::<String>(0).ok())
            .collect();
        assert!(options.iter().any(|o| o == "THREADSAFE=1"), "{options:?}");
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
        // A bound LIMIT must not expire the cached statement (.cargo/config.toml).
        assert!(options.iter().any(|o| o == "ENABLE_QPSG"), "{options:?}");
        store.close().await;
        Ok(())
    }
}
