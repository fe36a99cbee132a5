//! Start-up you can test: connect and migrate, bind (port 0 in tests), expose
//! the port, serve until a shutdown future resolves.

use crate::config::{Config, redact};
use anyhow::Context;
use kieng_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub struct Server {
    listener: TcpListener,
    pub store: Store,
    app: axum::Router,
    /// The search index follows the database while the server runs.
    search: kieng_store::search::SearchHandle,
    /// Signed checkpoints of the audit chain's head (`anchor`).
    anchor: tokio::task::JoinHandle<()>,
    /// The ticker that writes due notifications.
    due: tokio::task::JoinHandle<()>,
    /// Scheduled backups (`[backup]`).
    backups: Option<tokio::task::JoinHandle<()>>,
    /// The `metrics_listen` address, serving `/metrics` alone.
    metrics: Option<tokio::task::JoinHandle<()>>,
    metrics_port: Option<u16>,
}

/// Open the database (creating the SQLite file and its folder), migrate, and
/// make sure the root agency exists. Without the personal-data key: what
/// the maintenance commands need, none of which reads personal data.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    open(config, None).await
}

/// `open_store` with the personal-data key, checked against the one the
/// database was sealed with: what a server (and the demo) runs on.
pub async fn open_serving_store(config: &Config) -> anyhow::Result<Store> {
    let key = config.personal_key()?;
    let store = open(config, Some(key)).await?;
    store
        .sealing_key_check()
        .await
        .context("checking the personal-data key")?;
    // People written before the lookup existed (or since `kieng rekey`)
    // get their digests: a case's team finds them by name or passport.
    store
        .protection_lookup_fill()
        .await
        .context("indexing protection cases' people")?;
    Ok(store)
}

async fn open(
    config: &Config,
    key: Option<kieng_store::protection::Sealer>,
) -> anyhow::Result<Store> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating {}", config.data_dir.display()))?;
    }
    let mut store_config = config.store_config();
    store_config.protection.sealer = key;
    let store = Store::connect(&config.database_url, store_config)
        .await
        .with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
    store.migrate().await.context("migrating the database")?;
    store
        .bootstrap()
        .await
        .context("preparing the root agency")?;
    Ok(store)
}

impl Server {
    pub async fn build(config: &Config, store: Store) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let search = store
            .start_search(config.data_dir.join("search"))
            .await
            .context("opening the search index")?;
        // The metrics address is bound now too: a busy one fails the start.
        let metrics_listener = match &config.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("listening for metrics on {addr}"))?,
            ),
            None => None,
        };
        let (app, metrics_app) = kieng_web::app(
            store.clone(),
            kieng_web::WebConfig {
                secure_cookies: config.secure_cookies,
                trusted_proxies: config.trusted_proxies.clone(),
                data_dir: config.data_dir.clone(),
                backup_schedule: config.backup.as_ref().map(|b| kieng_web::BackupSchedule {
                    at: b.at.format("%H:%M").to_string(),
                    keep: b.keep,
                    dir: b.dir.display().to_string(),
                }),
            },
        );
        // The key is made (or read) now, so a data directory that cannot hold
        // it fails the start instead of every later checkpoint.
        crate::anchor::key(&config.data_dir)?;
        let anchor = crate::anchor::spawn(store.clone(), config.data_dir.clone());
        let due = spawn_due(store.clone());
        let backups = config
            .backup
            .clone()
            .map(|s| crate::ops::spawn_schedule(store.clone(), s));
        let metrics_port = metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port());
        let metrics = metrics_listener.map(|l| {
            tokio::spawn(async move {
                if let Err(e) = axum::serve(l, metrics_app).await {
                    tracing::error!(error = %e, "the metrics address stopped");
                }
            })
        });
        Ok(Self {
            backups,
            metrics,
            metrics_port,
            listener,
            store,
            app,
            search,
            anchor,
            due,
        })
    }

    /// The port of the metrics address, when one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let served = axum::serve(
            self.listener,
            self.app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving");
        drop(self.search);
        self.anchor.abort();
        self.due.abort();
        for task in [self.backups, self.metrics].into_iter().flatten() {
            task.abort();
        }
        served
    }
}

/// How often a server looks for what time alone made due (an overdue
/// commitment, a late legal step) and tells whom it concerns.
const DUE_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// At start and then every `DUE_EVERY`: each server runs it; the store
/// writes each notification once however many do.
fn spawn_due(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(DUE_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = store.notify_due().await {
                tracing::warn!(error = %e, "due notifications not written");
            }
            match store.protection_purge().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(cases = n, "personal data past retention removed"),
                Err(e) => tracing::warn!(error = %e, "retention of personal data not run"),
            }
        }
    })
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
