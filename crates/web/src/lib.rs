//! Kiềng's HTTP layer: the route table with each route's access rule, the
//! middleware (request id, sign-in, CSRF, access, security headers), the HTML
//! pages and the JSON API with its OpenAPI document.
//!
//! Handlers stay thin: extract, call one store service, render. Every route is
//! declared in `routes::table()` with its rule; there is no other way to add one.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod assets;
pub mod charts;
pub mod docx;
pub mod error;
pub mod export;
pub mod extract;
pub mod i18n;
pub mod metrics;
pub mod middleware;
pub mod net;
pub mod routes;
pub mod sheet;
pub mod ui;
pub mod view;

use kieng_store::Store;
use std::sync::Arc;

/// Settings of the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`net`).
    pub trusted_proxies: Vec<net::Cidr>,
    /// The data directory (the system page shows the disk space left there).
    pub data_dir: std::path::PathBuf,
    /// The backup schedule, if any: the time of day (Vietnam), how many are
    /// kept, where.
    pub backup_schedule: Option<BackupSchedule>,
}

/// Daily backups as the system page shows them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BackupSchedule {
    /// HH:MM, Vietnam time.
    pub at: String,
    pub keep: u32,
    pub dir: String,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
}

/// The whole application as one axum router, and the router of the
/// separate metrics address (`/metrics` alone, sharing the same counts).
pub fn app(store: Store, config: WebConfig) -> (axum::Router, axum::Router) {
    let state = AppState {
        store,
        config: Arc::new(config),
        metrics: Arc::default(),
    };
    (routes::router(state.clone()), metrics::router(state))
}
