//! Configuration in layers: defaults → `kieng.toml` (or `--config FILE`) →
//! `KIENG_*` environment → command-line flags, validated once into `Config`.

use anyhow::{Context, bail};
use kieng_domain::Classification;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Settings a file may hold; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub max_classification: Option<String>,
    pub secure_cookies: Option<bool>,
    /// Reverse proxies (addresses or blocks such as "10.0.0.0/8") whose
    /// X-Forwarded-For header names the client.
    pub trusted_proxies: Option<Vec<String>>,
    pub session_idle_minutes: Option<u64>,
    pub session_absolute_hours: Option<u64>,
    /// Activities with one partner this many days apart are flagged for coordination.
    pub coordination_days: Option<u32>,
    /// An activity is "report overdue" this many days after its end.
    pub report_due_days: Option<u32>,
    /// Live agreements expiring within this many days are watched on the board.
    pub expiry_watch_days: Option<u32>,
    /// Open commitments due within this many days are "due soon".
    pub due_soon_days: Option<u32>,
    /// Pool sizes, threads and cache lifetimes.
    pub tuning: Option<TuningFile>,
    /// Backups taken on a schedule while the server runs.
    pub backup: Option<BackupFile>,
    /// An address serving only `/metrics`, with no sign-in, for a monitoring
    /// network ("127.0.0.1:9464"); administrators also read `/metrics` on
    /// the main address.
    pub metrics_listen: Option<String>,
    /// "text" (default) or "json": one JSON object a line, for a log collector.
    pub log_format: Option<String>,
    /// Citizen protection: the personal-data key, clocks, consular department.
    pub protection: Option<ProtectionFile>,
}

/// `[protection]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectionFile {
    /// The personal-data key file (default DATA_DIR/personal-data.key, made
    /// at the first start); `KIENG_PERSONAL_DATA_KEY` overrides it.
    pub personal_key_file: Option<PathBuf>,
    /// The consular department's agency code: its leaders are on every case's team.
    pub consular_agency: Option<String>,
    /// First-contact clocks (defaults 2 hours, 24 hours, 3 working days).
    pub critical_hours: Option<u32>,
    pub high_hours: Option<u32>,
    pub normal_working_days: Option<u32>,
    /// Years a closed case keeps its people's personal data (default 5).
    pub retention_years: Option<u32>,
    /// The most a mission's leader approves from the protection fund, in VND
    /// (default 50,000,000); above it, a leader of the consular department.
    pub fund_mission_limit_vnd: Option<i64>,
    /// The regulation that limit comes from, cited with every entry.
    pub fund_rule: Option<String>,
}

/// The validated `[protection]`.
#[derive(Debug, Clone)]
pub struct Protection {
    pub personal_key_file: PathBuf,
    pub consular_agency: Option<String>,
    pub clocks: kieng_domain::protection::Clocks,
    pub retention_years: u32,
    pub fund: kieng_domain::protection::fund::FundRule,
}

/// `[backup]`: a backup every day at a time, the newest kept.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupFile {
    /// The time of day, Vietnam time, "HH:MM".
    pub at: String,
    /// How many scheduled backups are kept (default 14).
    pub keep: Option<u32>,
    /// Where they are written (default DATA_DIR/backups).
    pub dir: Option<PathBuf>,
}

/// The validated `[backup]`.
#[derive(Debug, Clone)]
pub struct BackupSchedule {
    pub at: chrono::NaiveTime,
    pub keep: u32,
    pub dir: PathBuf,
}

/// `[tuning]`: what a deployment on other hardware may change; the defaults
/// suit two cores.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuningFile {
    /// Connections reading SQLite (writes have one of their own). Default 4.
    pub sqlite_readers: Option<u32>,
    /// Connections to PostgreSQL. Default 16.
    pub postgres_connections: Option<u32>,
    /// Threads for blocking work: search queries, index commits, file reads.
    /// Default 4 (each thread that allocates keeps a malloc arena).
    pub blocking_threads: Option<usize>,
    /// How long a revision counter or the scope log's position is trusted
    /// before it is read again: changes through another server show within it.
    /// Default 250.
    pub revision_ttl_ms: Option<u64>,
    /// How long a session or token is trusted before it is read again (a
    /// revocation through another server takes effect within it). Default 1000.
    pub auth_cache_ms: Option<u64>,
    /// How long the activity types are kept. Default 1000.
    pub types_cache_ms: Option<u64>,
}

/// The validated `[tuning]`.
#[derive(Debug, Clone)]
pub struct Tuning {
    pub sqlite_readers: u32,
    pub postgres_connections: u32,
    pub blocking_threads: usize,
    pub lifetimes: kieng_store::Lifetimes,
}

impl Default for Tuning {
    fn default() -> Self {
        Self::from_file(TuningFile::default())
    }
}

impl Tuning {
    /// Each value bounded: a typo cannot starve the server nor open a
    /// thousand connections, nor keep a revoked token for an hour.
    fn from_file(f: TuningFile) -> Self {
        let ms = |v: Option<u64>, default: u64| {
            std::time::Duration::from_millis(v.unwrap_or(default).clamp(10, 10_000))
        };
        Self {
            sqlite_readers: f.sqlite_readers.unwrap_or(4).clamp(1, 64),
            postgres_connections: f.postgres_connections.unwrap_or(16).clamp(1, 256),
            blocking_threads: f.blocking_threads.unwrap_or(4).clamp(1, 64),
            lifetimes: kieng_store::Lifetimes {
                revision: ms(f.revision_ttl_ms, 250),
                auth: ms(f.auth_cache_ms, 1000),
                types: ms(f.types_cache_ms, 1000),
            },
        }
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub max_classification: Classification,
    pub secure_cookies: bool,
    pub trusted_proxies: Vec<kieng_web::net::Cidr>,
    pub session_idle_minutes: u64,
    pub session_absolute_hours: u64,
    pub coordination_days: u32,
    pub report_due_days: u32,
    pub expiry_watch_days: u32,
    pub due_soon_days: u32,
    pub tuning: Tuning,
    pub backup: Option<BackupSchedule>,
    pub metrics_listen: Option<String>,
    pub log_json: bool,
    pub protection: Protection,
}

/// What the command line and environment said (clap fills these).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub max_classification: Option<String>,
    pub secure_cookies: Option<bool>,
}

impl Config {
    pub fn load(o: &Overrides) -> anyhow::Result<Self> {
        let file = match &o.config {
            Some(p) => Some(read_file(p)?),
            None if Path::new("kieng.toml").exists() => Some(read_file(Path::new("kieng.toml"))?),
            None => None,
        }
        .unwrap_or_default();
        let data_dir = o
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("kieng-data"));
        let database_url = match o.database_url.clone().or(file.database_url) {
            Some(u) => u,
            None => sqlite_url(&data_dir.join("kieng.db")),
        };
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!(
                "the database URL must start with sqlite: or postgres:// (got {})",
                redact(&database_url)
            );
        }
        let max = o
            .max_classification
            .clone()
            .or(file.max_classification)
            .unwrap_or_else(|| "mat".into());
        let max_classification = Classification::parse(&max).with_context(|| {
            format!("max-classification must be one of none, mat, toi_mat, tuyet_mat (got {max})")
        })?;
        let mut trusted_proxies = Vec::new();
        for p in file.trusted_proxies.unwrap_or_default() {
            trusted_proxies.push(kieng_web::net::Cidr::parse(&p).with_context(|| {
                format!("trusted_proxies: {p} is not an address or a block such as 10.0.0.0/8")
            })?);
        }
        let backup = match file.backup {
            None => None,
            Some(b) => Some(BackupSchedule {
                at: chrono::NaiveTime::parse_from_str(b.at.trim(), "%H:%M").with_context(|| {
                    format!(
                        "[backup] at must be a time of day such as \"02:30\" (got {:?})",
                        b.at
                    )
                })?,
                keep: b.keep.unwrap_or(14).clamp(1, 1000),
                dir: b.dir.unwrap_or_else(|| data_dir.join("backups")),
            }),
        };
        let log_json = match file.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => bail!("log_format must be text or json (got {other})"),
        };
        let p = file.protection.unwrap_or_default();
        let protection = Protection {
            personal_key_file: p
                .personal_key_file
                .unwrap_or_else(|| data_dir.join("personal-data.key")),
            consular_agency: p
                .consular_agency
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty()),
            clocks: kieng_domain::protection::Clocks {
                critical_hours: p.critical_hours.unwrap_or(2).clamp(1, 24 * 30),
                high_hours: p.high_hours.unwrap_or(24).clamp(1, 24 * 30),
                normal_working_days: p.normal_working_days.unwrap_or(3).clamp(1, 60),
            },
            retention_years: p
                .retention_years
                .unwrap_or(kieng_domain::protection::RETENTION_YEARS)
                .clamp(1, 100),
            fund: kieng_domain::protection::fund::FundRule {
                mission_limit_vnd: p
                    .fund_mission_limit_vnd
                    .unwrap_or(50_000_000)
                    .clamp(0, 1_000_000_000_000),
                rule: p.fund_rule.unwrap_or_default().trim().to_string(),
            },
        };
        Ok(Self {
            backup,
            protection,
            metrics_listen: file.metrics_listen,
            log_json,
            listen: o
                .listen
                .clone()
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url,
            data_dir,
            max_classification,
            secure_cookies: o.secure_cookies.or(file.secure_cookies).unwrap_or(false),
            trusted_proxies,
            session_idle_minutes: file.session_idle_minutes.unwrap_or(30).max(1),
            session_absolute_hours: file.session_absolute_hours.unwrap_or(12).max(1),
            coordination_days: file.coordination_days.unwrap_or(7).min(365),
            report_due_days: file.report_due_days.unwrap_or(15).min(365),
            expiry_watch_days: file.expiry_watch_days.unwrap_or(90).min(3650),
            due_soon_days: file.due_soon_days.unwrap_or(14).min(365),
            tuning: Tuning::from_file(file.tuning.unwrap_or_default()),
        })
    }

    pub fn store_config(&self) -> kieng_store::StoreConfig {
        kieng_store::StoreConfig {
            max_classification: self.max_classification,
            session_idle: std::time::Duration::from_secs(self.session_idle_minutes * 60),
            session_absolute: std::time::Duration::from_secs(self.session_absolute_hours * 3600),
            coordination_days: i64::from(self.coordination_days),
            report_due_days: i64::from(self.report_due_days),
            expiry_watch_days: u64::from(self.expiry_watch_days),
            due_soon_days: u64::from(self.due_soon_days),
            sqlite_readers: self.tuning.sqlite_readers,
            postgres_connections: self.tuning.postgres_connections,
            lifetimes: self.tuning.lifetimes,
            protection: kieng_store::protection::ProtectionConfig {
                sealer: None,
                clocks: self.protection.clocks,
                consular_agency: self.protection.consular_agency.clone(),
                retention_years: self.protection.retention_years,
                fund: self.protection.fund.clone(),
            },
        }
    }

    /// The personal-data key: `KIENG_PERSONAL_DATA_KEY`, else the key file,
    /// made (readable by its owner only) when absent.
    pub fn personal_key(&self) -> anyhow::Result<kieng_store::protection::Sealer> {
        use kieng_store::protection::Sealer;
        if let Ok(v) = std::env::var("KIENG_PERSONAL_DATA_KEY")
            && !v.trim().is_empty()
        {
            return Sealer::from_base64(&v)
                .map_err(|e| anyhow::anyhow!("KIENG_PERSONAL_DATA_KEY: {e}"));
        }
        let path = &self.protection.personal_key_file;
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Sealer::from_base64(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                // Written aside, then linked in place: a server starting at the
                // same moment reads a whole key or makes none.
                let text = Sealer::generate();
                let aside = dir.join(format!(".personal-data-{}.key", uuid::Uuid::now_v7()));
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut f = options
                    .open(&aside)
                    .with_context(|| format!("creating {}", aside.display()))?;
                std::io::Write::write_all(&mut f, format!("{text}\n").as_bytes())?;
                f.sync_all()?;
                drop(f);
                let linked = std::fs::hard_link(&aside, path);
                let _ = std::fs::remove_file(&aside);
                match linked {
                    Ok(()) => {
                        tracing::warn!(
                            path = %path.display(),
                            "a new personal-data key was made: keep a copy apart from the database's backups"
                        );
                        Sealer::from_base64(&text).map_err(|e| anyhow::anyhow!("{e}"))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.personal_key(),
                    Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
                }
            }
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn read_file(p: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The URL with any password hidden, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuning_is_read_and_bounded() {
        let f: FileConfig = toml::from_str(
            "[tuning]\nsqlite_readers = 2\nrevision_ttl_ms = 3600000\npostgres_connections = 0\n",
        )
        .unwrap();
        let t = Tuning::from_file(f.tuning.unwrap());
        assert_eq!(t.sqlite_readers, 2);
        assert_eq!(t.postgres_connections, 1, "at least one");
        assert_eq!(t.lifetimes.revision, std::time::Duration::from_secs(10));
        assert_eq!(t.blocking_threads, 4, "the default");
        assert!(toml::from_str::<FileConfig>("[tuning]\nthreads = 3\n").is_err());
    }

    #[test]
    fn layers_and_validation() {
        let c = Config::load(&Overrides {
            data_dir: Some("/tmp/x".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite:///tmp/x/kieng.db?mode=rwc");
        assert_eq!(c.max_classification, Classification::Mat);
        let dir = std::env::temp_dir().join(format!("kieng-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("k.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nmax_classification = \"toi_mat\"\n",
        )
        .unwrap();
        let c = Config::load(&Overrides {
            config: Some(file.clone()),
            listen: Some("127.0.0.1:1".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:1", "a flag beats the file");
        assert_eq!(
            c.max_classification,
            Classification::ToiMat,
            "the file beats the default"
        );
        assert!(
            Config::load(&Overrides {
                max_classification: Some("secret".into()),
                ..Default::default()
            })
            .is_err()
        );
        assert!(
            Config::load(&Overrides {
                database_url: Some("mysql://x".into()),
                ..Default::default()
            })
            .is_err()
        );
        std::fs::write(&file, "lisen = 1\n").unwrap();
        assert!(
            Config::load(&Overrides {
                config: Some(file),
                ..Default::default()
            })
            .is_err(),
            "typos are refused"
        );
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://kieng:s3cret@db:5432/kieng"),
            "postgres://kieng:***@db:5432/kieng"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
