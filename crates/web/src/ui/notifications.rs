//! The notifications page: what happened that the reader should know of,
//! newest first, each opening its record; read one or all.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::{render, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kieng_store::notifications::NotificationView;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<NotificationView>,
    page_no: u64,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
    ok: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ListQuery>,
) -> WebResult<Response> {
    let page_no = q.page.unwrap_or(1);
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/notifications", "nav.notifications")
            .with_notice(q.ok.as_deref()),
        items: state.store.notifications(&me.ctx, page_no).await?,
        page_no,
    }))
}

#[derive(Deserialize)]
pub struct OpenForm {}

/// Mark one read and open its record (the list again when the record is no
/// longer the reader's to see).
pub async fn open(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(_): FormBody<OpenForm>,
) -> WebResult<Response> {
    let target = state
        .store
        .notification_open(&me.ctx, ids.uuid(0)?)
        .await?
        .unwrap_or_else(|| "/notifications".to_string());
    Ok(Redirect::to(&target).into_response())
}

/// Mark every notification read.
pub async fn read_all(
    State(state): State<AppState>,
    me: Me,
    FormBody(_): FormBody<OpenForm>,
) -> WebResult<Response> {
    state.store.notifications_read(&me.ctx, None).await?;
    Ok(see_other("/notifications", "notifications_read"))
}
