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
        Ok(Self {
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
