//! Operating a deployment: `kieng backup`, `kieng restore`, `kieng move`.
//!
//! A backup is always a SQLite file, whatever the database: SQLite copies
//! itself with `VACUUM INTO` (one read snapshot, while the server runs);
//! PostgreSQL is copied into a fresh SQLite file from one repeatable-read
//! snapshot (`Store::copy_into`). So one file restores into either kind, and
//! can be opened with any SQLite tool. Every backup's audit chain is verified
//! before the command says it is done.

use crate::config::{Config, Overrides, redact, sqlite_url};
use crate::startup::open_store;
use anyhow::{Context, bail};
use kieng_store::{Backend, Store, StoreConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Open a database without migrating it (a source is copied as it is).
async fn connect(url: &str) -> anyhow::Result<Store> {
    Store::connect(url, StoreConfig::default())
        .await
        .with_context(|| format!("connecting to {}", redact(url)))
}

/// Open a database and bring it to this build's schema (a target).
async fn migrated(url: &str) -> anyhow::Result<Store> {
    let store = connect(url).await?;
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {}", redact(url)))?;
    Ok(store)
}

/// The chain of `store` verifies, or the command fails saying where it broke.
async fn verified(store: &Store, what: &str) -> anyhow::Result<u64> {
    let report = store.audit_verify().await?;
    if let Err(e) = report.result {
        bail!(
            "{what}: the audit trail is broken after {} good entries: {e}",
            report.checked
        );
    }
    Ok(report.checked)
}

/// Only the owner reads a backup: it holds everything the database does.
fn private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("restricting {}", path.display()))?;
    }
    Ok(())
}

/// A backup's default name: in the data directory's `backups`, by the time.
pub fn default_backup_path(data_dir: &Path) -> PathBuf {
    default_backup_path_in(&data_dir.join("backups"))
}

/// What one backup wrote.
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub rows: u64,
    pub audit_entries: u64,
    pub took: std::time::Duration,
}

/// Back `store` up into `path` (which must not exist), verify the copy's
/// audit chain, and note the backup in the database.
pub async fn backup(store: &Store, path: &Path) -> anyhow::Result<Backup> {
    let started = Instant::now();
    if path.exists() {
        bail!(
            "{} exists: a backup never overwrites a file",
            path.display()
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    if store.backend() == Backend::Sqlite {
        store
            .vacuum_into(path)
            .await
            .context("copying the SQLite database")?;
    } else {
        let target = migrated(&sqlite_url(path)).await?;
        let copied = store.copy_into(&target).await;
        target.close().await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(path);
            return Err(e).context("copying the PostgreSQL database");
        }
    }
    private(path)?;
    let copy = connect(&format!("sqlite://{}?mode=rw", path.display())).await?;
    let audit_entries = verified(&copy, "the backup").await?;
    let rows = copy.table_counts().await?.values().sum();
    copy.close().await;
    let bytes = std::fs::metadata(path)?.len();
    let took = started.elapsed();
    store
        .backup_record(&path.display().to_string(), bytes, took, rows)
        .await?;
    Ok(Backup {
        path: path.to_path_buf(),
        bytes,
        rows,
        audit_entries,
        took,
    })
}

/// `kieng rekey NEW_KEY_FILE`: personal data sealed again under a new key.
pub async fn rekey_command(o: Overrides, new_key_file: PathBuf) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let fresh = crate::config::Config {
        protection: crate::config::Protection {
            personal_key_file: new_key_file.clone(),
            ..config.protection.clone()
        },
        ..config.clone()
    };
    // The current key (and the check that it is this database's) first.
    let store = crate::startup::open_serving_store(&config).await?;
    let new = fresh.personal_key()?;
    let n = store.reseal(&new).await?;
    store.close().await;
    println!(
        "{n} people sealed again under key {}; give the servers {} and restart them",
        new.id(),
        new_key_file.display()
    );
    Ok(0)
}

/// `kieng backup [FILE]`.
pub async fn backup_command(o: Overrides, file: Option<PathBuf>) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let path = file.unwrap_or_else(|| default_backup_path(&config.data_dir));
    let b = backup(&store, &path).await?;
    store.close().await;
    println!(
        "sao lưu / backup: {} — {:.1} MB, {} rows, {} audit entries verified, {:.1} s",
        b.path.display(),
        b.bytes as f64 / 1e6,
        b.rows,
        b.audit_entries,
        b.took.as_secs_f64()
    );
    Ok(0)
}

/// `kieng restore FILE`: into the configured database, which must hold no
/// records; the search index is rebuilt and the audit chain verified.
pub async fn restore_command(o: Overrides, file: PathBuf) -> anyhow::Result<i32> {
    let started = Instant::now();
    let config = Config::load(&o)?;
    if !file.is_file() {
        bail!("{}: no such backup file", file.display());
    }
    std::fs::create_dir_all(&config.data_dir)?;
    // A working copy, brought to this build's schema: the backup stays as it was.
    let work = config.data_dir.join(format!(
        "restore-{}.db",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ));
    {
        let backup = connect(&format!("sqlite://{}?mode=rw", file.display())).await?;
        backup
            .vacuum_into(&work)
            .await
            .context("reading the backup")?;
        backup.close().await;
    }
    let source = migrated(&sqlite_url(&work)).await?;
    let result = restore_into(&config, &source).await;
    source.close().await;
    let _ = std::fs::remove_file(&work);
    let rows = result?;
    let store = open_store(&config).await?;
    let entries = verified(&store, "the restored database").await?;
    let r = store
        .search_rebuild(config.data_dir.join("search"))
        .await
        .context("rebuilding the search index")?;
    store.close().await;
    println!(
        "khôi phục / restored {} into {}: {rows} rows, {entries} audit entries verified, {} records indexed, {:.1} s",
        file.display(),
        redact(&config.database_url),
        r.docs,
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

async fn restore_into(config: &Config, source: &Store) -> anyhow::Result<u64> {
    let target = migrated(&config.database_url).await?;
    if target.holds_records().await? {
        target.close().await;
        bail!(
            "{} already holds records: restore only into an empty database",
            redact(&config.database_url)
        );
    }
    if target.backend() == Backend::Sqlite {
        // The empty file the migration made is replaced by the copy.
        target.close().await;
        let path = sqlite_path(&config.database_url)?;
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("replacing {}", p.display()))?;
            }
        }
        source.vacuum_into(&path).await?;
        return Ok(source.table_counts().await?.values().sum());
    }
    let copied = source.copy_into(&target).await;
    target.close().await;
    Ok(copied?.rows())
}

/// The file of a `sqlite://PATH?…` URL.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("not a SQLite URL")?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        bail!("{url}: not a SQLite file");
    }
    Ok(PathBuf::from(path))
}

/// `kieng move --to URL`: copy this deployment into an empty database of the
/// other kind, check every table's count and the audit chain there.
pub async fn move_command(o: Overrides, to: String) -> anyhow::Result<i32> {
    let config = Config::load(&o)?;
    let source = open_store(&config).await?;
    if to.starts_with("sqlite:")
        && let Some(dir) = sqlite_path(&to)?
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)?;
    }
    let target = migrated(&to).await?;
    let copied = source.copy_into(&target).await?;
    let (head_from, head_to) = (source.audit_head().await?, target.audit_head().await?);
    let entries = verified(&target, "the new database").await?;
    if head_from != head_to {
        bail!(
            "the audit chain's head differs after the move: {:?} here, {:?} there",
            head_from,
            head_to
        );
    }
    source.close().await;
    target.close().await;
    for (t, n) in &copied.tables {
        println!("  {t:<32} {n:>10}");
    }
    println!(
        "chuyển / moved {} → {}: {} tables, {} rows, {entries} audit entries verified, {:.1} s",
        redact(&config.database_url),
        redact(&to),
        copied.tables.len(),
        copied.rows(),
        copied.elapsed.as_secs_f64()
    );
    println!(
        "Start Kiềng on the new database with --database-url; its search index is built at the first start."
    );
    Ok(0)
}

/// When a daily backup at `at`, Vietnam time (UTC+7 all year), is next due
/// after `now`.
pub fn next_backup(
    now: chrono::DateTime<chrono::Utc>,
    at: chrono::NaiveTime,
) -> chrono::DateTime<chrono::Utc> {
    let vn = chrono::Duration::hours(7);
    let local = (now + vn).naive_utc();
    let mut due = local.date().and_time(at);
    if due <= local {
        due += chrono::Duration::days(1);
    }
    chrono::DateTime::from_naive_utc_and_offset(due - vn, chrono::Utc)
}

/// The scheduled backups of `dir`, newest first (their names hold the time).
fn scheduled_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("kieng-") && n.ends_with(".db"))
        })
        .collect();
    files.sort();
    files.reverse();
    files
}

/// A backup any server took this recently makes the scheduled one of the
/// other servers on the same database unnecessary.
const RECENT: chrono::Duration = chrono::Duration::hours(12);

/// Take one scheduled backup (unless one was taken recently) and keep the
/// newest `keep`. What it did, for the log.
pub async fn scheduled_backup(
    store: &Store,
    schedule: &crate::config::BackupSchedule,
) -> anyhow::Result<Option<Backup>> {
    if let Some(last) = store.last_backup().await?
        && chrono::Utc::now() - last.at < RECENT
    {
        return Ok(None);
    }
    let b = backup(store, &default_backup_path_in(&schedule.dir)).await?;
    for old in scheduled_in(&schedule.dir)
        .into_iter()
        .skip(schedule.keep as usize)
    {
        std::fs::remove_file(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(Some(b))
}

fn default_backup_path_in(dir: &Path) -> PathBuf {
    dir.join(format!(
        "kieng-{}.db",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ))
}

/// Back up every day at the configured time while the server runs.
pub fn spawn_schedule(
    store: Store,
    schedule: crate::config::BackupSchedule,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let due = next_backup(chrono::Utc::now(), schedule.at);
            let wait = (due - chrono::Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
            match scheduled_backup(&store, &schedule).await {
                Ok(Some(b)) => tracing::info!(
                    path = %b.path.display(),
                    bytes = b.bytes,
                    rows = b.rows,
                    seconds = b.took.as_secs_f64(),
                    "scheduled backup taken"
                ),
                Ok(None) => tracing::info!("scheduled backup skipped: one was taken recently"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "scheduled backup failed"),
            }
        }
    })
}

/// `kieng export --user NAME [--to DIR]`: every record the user may see, as
/// their pages and the API show it, one JSON object a line, a file per kind.
pub async fn export_command(
    o: Overrides,
    username: String,
    to: Option<PathBuf>,
) -> anyhow::Result<i32> {
    use kieng_store::export::ExportKind;
    use std::io::Write;
    let started = Instant::now();
    let config = Config::load(&o)?;
    let store = open_store(&config).await?;
    let ctx = store
        .user_ctx(&username, "export")
        .await
        .with_context(|| format!("no active user named {username}"))?;
    let dir = to.unwrap_or_else(|| {
        PathBuf::from(format!(
            "kieng-export-{username}-{}",
            chrono::Utc::now().format("%Y%m%d-%H%M%S")
        ))
    });
    if dir.exists() && std::fs::read_dir(&dir)?.next().is_some() {
        bail!("{} is not empty: an export never overwrites", dir.display());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut counts = Vec::new();
    for kind in ExportKind::ALL.iter().copied() {
        let path = dir.join(format!("{}.jsonl", kind.as_str()));
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?,
        );
        private(&path)?;
        let (mut after, mut n) = (None, 0u64);
        loop {
            let ids = store.export_ids(&ctx, kind, after, 500).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            for id in ids {
                let line = match record(&store, &ctx, kind, id).await {
                    Ok(v) => v,
                    // Gone between the listing and the reading.
                    Err(kieng_store::StoreError::NotFound) => continue,
                    Err(e) => return Err(e.into()),
                };
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
                n += 1;
            }
            after = Some(last);
        }
        out.flush()?;
        counts.push((kind, n));
    }
    store.export_noted(&ctx, &counts).await?;
    store.close().await;
    for (k, n) in &counts {
        println!("  {:<14} {n:>10}", k.as_str());
    }
    println!(
        "xuất / exported what {username} may see into {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

/// One record as the API shows it to the reader.
async fn record(
    store: &Store,
    ctx: &kieng_store::Ctx,
    kind: kieng_store::export::ExportKind,
    id: uuid::Uuid,
) -> Result<serde_json::Value, kieng_store::StoreError> {
    use kieng_store::export::ExportKind as K;
    use kieng_web::api::{activity_dto, agreement_dto, dto};
    let v = match kind {
        K::Agencies => {
            serde_json::to_value(dto::AgencyDetail::from(store.agency_get(ctx, id).await?))
        }
        K::Partners => {
            serde_json::to_value(dto::PartnerDossier::from(store.partner_get(ctx, id).await?))
        }
        K::Activities => serde_json::to_value(activity_dto::ActivityDetail::from(
            store.activity_get(ctx, id).await?,
        )),
        K::Agreements => serde_json::to_value(agreement_dto::AgreementDetail::from(
            store.agreement_get(ctx, id).await?,
        )),
        K::Commitments => serde_json::to_value(agreement_dto::CommitmentDetail::from(
            store.commitment_get(ctx, id).await?,
        )),
    };
    v.map_err(|e| kieng_store::StoreError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone, Utc};

    #[test]
    fn the_next_backup_is_at_the_time_in_vietnam() {
        let at = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        // 18:00 UTC is 01:00 in Vietnam: today at 02:30 there, 19:30 UTC.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 18, 0, 0).unwrap();
        assert_eq!(
            next_backup(now, at),
            Utc.with_ymd_and_hms(2026, 12, 4, 19, 30, 0).unwrap()
        );
        // Just past it: the next day.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 19, 30, 0).unwrap();
        assert_eq!(
            next_backup(now, at),
            Utc.with_ymd_and_hms(2026, 12, 5, 19, 30, 0).unwrap()
        );
    }

    #[test]
    fn default_names_sort_by_time() {
        let dir = std::env::temp_dir().join(format!("kieng-prune-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        for n in [
            "kieng-20261201-020000.db",
            "kieng-20261203-020000.db",
            "kieng-20261202-020000.db",
            "other.db",
        ] {
            std::fs::write(dir.join(n), b"x").unwrap();
        }
        let names: Vec<String> = scheduled_in(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "kieng-20261203-020000.db",
                "kieng-20261202-020000.db",
                "kieng-20261201-020000.db"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
