//! `/metrics` in the Prometheus text format: requests by route, method and
//! status with their latency, sign-in failures, the database pool, how far
//! search is behind, cache lookups and the last backup. Counted in this
//! process; each server of a deployment is scraped on its own.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern ("/activities/{id}"), never the path itself, so
    /// ids do not multiply the series.
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SignInLabels {
    /// failed | throttled
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    cache: String,
    /// found | absent
    result: String,
}

/// This process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    sign_ins: Family<SignInLabels, Counter>,
    cache: Family<CacheLabels, Counter>,
    pool_open: Gauge,
    pool_idle: Gauge,
    search_lag: Gauge,
    schema: Gauge,
    backup_at: Gauge,
    backup_bytes: Gauge<i64, AtomicI64>,
    /// Keeps two scrapes from both adding the same cache counts.
    scrape: tokio::sync::Mutex<()>,
}

type AtomicI64 = std::sync::atomic::AtomicI64;

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("kieng");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 1 ms to about 16 s.
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            latency.clone(),
        );
        let sign_ins = Family::<SignInLabels, Counter>::default();
        registry.register(
            "sign_in_failures",
            "Sign-ins refused: wrong credentials, or throttled",
            sign_ins.clone(),
        );
        let cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "cache_lookups",
            "Lookups of the caches whose answer is final: found fresh, or absent (read from the database)",
            cache.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let pool_open = gauge(
            &mut registry,
            "db_pool_connections",
            "Database connections open (SQLite: the readers)",
        );
        let pool_idle = gauge(
            &mut registry,
            "db_pool_idle_connections",
            "Database connections open and idle",
        );
        let search_lag = gauge(
            &mut registry,
            "search_lag_changes",
            "Changes in the database this server's search index has not applied yet",
        );
        let schema = gauge(
            &mut registry,
            "schema_version",
            "The latest migration applied to the database",
        );
        let backup_at = gauge(
            &mut registry,
            "last_backup_timestamp_seconds",
            "When the last backup was taken (Unix time; 0: never)",
        );
        let backup_bytes = Gauge::<i64, AtomicI64>::default();
        registry.register(
            "last_backup_bytes",
            "The size of the last backup",
            backup_bytes.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            sign_ins,
            cache,
            pool_open,
            pool_idle,
            search_lag,
            schema,
            backup_at,
            backup_bytes,
            scrape: tokio::sync::Mutex::new(()),
        }
    }
}

impl Metrics {
    /// A sign-in refused: `throttled` or not.
    pub fn sign_in_refused(&self, throttled: bool) {
        self.sign_ins
            .get_or_create(&SignInLabels {
                outcome: if throttled { "throttled" } else { "failed" }.into(),
            })
            .inc();
    }

    /// Read what is read at scrape time, then the whole text.
    pub async fn render(&self, state: &AppState) -> Result<String, kieng_store::StoreError> {
        let _one = self.scrape.lock().await;
        let status = state.store.status().await?;
        let pool = state.store.pool();
        self.pool_open.set(i64::from(pool.open));
        self.pool_idle.set(i64::from(pool.idle));
        self.search_lag.set(
            status
                .search
                .map(|(at, head)| (head - at).max(0))
                .unwrap_or(0),
        );
        self.schema.set(status.schema);
        self.backup_at.set(
            status
                .last_backup
                .as_ref()
                .map(|b| b.at.timestamp())
                .unwrap_or(0),
        );
        self.backup_bytes
            .set(status.last_backup.as_ref().map(|b| b.bytes).unwrap_or(0));
        for (cache, found, absent) in state.store.cache_lookups() {
            for (result, n) in [("found", found), ("absent", absent)] {
                let c = self.cache.get_or_create(&CacheLabels {
                    cache: cache.into(),
                    result: result.into(),
                });
                c.inc_by(n.saturating_sub(c.get()));
            }
        }
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
            .map_err(|e| kieng_store::StoreError::Internal(e.to_string()))?;
        Ok(out)
    }
}

/// Count every request by its route pattern, and time it.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_string();
    let res = next.run(req).await;
    let m = &state.metrics;
    m.requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method,
            status: res.status().as_u16(),
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels { route })
        .observe(started.elapsed().as_secs_f64());
    res
}

/// `GET /metrics`: administrators on the main address; anyone who reaches
/// the `metrics_listen` address, which serves only this.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state).await {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => crate::error::WebError::from(e).into_response(),
    }
}

/// The router of the `metrics_listen` address: `/metrics` and nothing else.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .with_state(state)
}
