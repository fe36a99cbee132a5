//! The administrator's system page: version and schema, the database, how far
//! search is behind, the last backup and the schedule, the disk space left.

use crate::AppState;
use crate::error::WebResult;
use crate::middleware::Me;
use crate::ui::render;
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_store::status::Status;
use serde::Serialize;

/// Bytes free and in all on the file system holding `dir`.
pub fn disk(dir: &std::path::Path) -> Option<(u64, u64)> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some((s.f_bavail * s.f_frsize, s.f_blocks * s.f_frsize))
}

/// Everything the page and `GET /api/v1/system` show.
#[derive(Serialize)]
pub struct System {
    pub version: &'static str,
    #[serde(flatten)]
    pub status: Status,
    pub backup_schedule: Option<crate::BackupSchedule>,
    pub disk_free_bytes: Option<u64>,
    pub disk_total_bytes: Option<u64>,
}

pub async fn system(state: &AppState) -> WebResult<System> {
    let d = disk(&state.config.data_dir);
    Ok(System {
        version: env!("CARGO_PKG_VERSION"),
        status: state.store.status().await?,
        backup_schedule: state.config.backup_schedule.clone(),
        disk_free_bytes: d.map(|d| d.0),
        disk_total_bytes: d.map(|d| d.1),
    })
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    page: PageCtx,
    s: System,
}

impl SystemPage {
    fn mb(&self, bytes: &i64) -> String {
        format!("{:.1}", *bytes as f64 / 1e6)
    }
    fn gb(&self, bytes: &u64) -> String {
        format!("{:.1}", *bytes as f64 / 1e9)
    }
    fn secs(&self, ms: &i64) -> String {
        format!("{:.1}", *ms as f64 / 1000.0)
    }
}

pub async fn page(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    Ok(render(&SystemPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/system", "nav.system"),
        s: system(&state).await?,
    }))
}
