//! The caller's notifications: newest first, each naming its record; unread
//! counted; read one or all.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    /// submitted | approved | returned | cancelled | clash | assigned | overdue | step_late | task_soon | task_overdue
    pub kind: String,
    /// What happened, in Vietnamese and English.
    pub label_vi: String,
    pub label_en: String,
    /// activity | commitment | agreement | plan_task
    pub record_kind: String,
    pub record_id: Uuid,
    pub title: String,
    /// The note of the move (a return's reason, an approval's note).
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Notifications {
    /// Unread, of records the caller may see (at most 100 counted).
    pub unread: u64,
    pub items: Vec<Notification>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The caller's notifications, 50 a page, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "account",
    params(("page" = Option<u64>, Query)),
    responses((status = 200, body = Notifications), (status = 401, body = crate::api::dto::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> WebResult<Json<Notifications>> {
    let (items, unread) = tokio::try_join!(
        state.store.notifications(&me.ctx, q.page.unwrap_or(1)),
        state.store.notifications_unread_now(&me.ctx)
    )?;
    Ok(Json(Notifications {
        unread,
        items: items
            .into_iter()
            .map(|n| Notification {
                id: n.id,
                kind: n.kind.as_str().into(),
                label_vi: n.kind.label().vi,
                label_en: n.kind.label().en,
                record_kind: n.record.as_str().into(),
                record_id: n.record_id,
                title: n.title,
                note: n.note,
                by: n.by,
                at: n.at,
                read: n.read,
            })
            .collect(),
    }))
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "account",
    params(("id" = Uuid, Path)), responses((status = 204)))]
pub async fn read(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<StatusCode> {
    state
        .store
        .notifications_read(&me.ctx, Some(ids.uuid(0)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark every notification read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "account", responses((status = 204)))]
pub async fn read_all(State(state): State<AppState>, me: Me) -> WebResult<StatusCode> {
    state.store.notifications_read(&me.ctx, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
