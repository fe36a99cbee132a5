//! Attachments of a record (activity, agreement, commitment — the path says
//! which): upload (a multipart form, or a raw body through the API), download
//! (always as a download, never rendered: `attachment` disposition, `nosniff`, a
//! sandboxing CSP), and removal.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::Ids;
use crate::middleware::{Me, urlencode};
use crate::ui::{FormState, render_status, see_other};
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kieng_domain::Msg;
use kieng_store::StoreError;
use kieng_store::activities::Holder;

/// The record kind a request's path names, and the page path of that record.
pub(crate) fn holder(uri: &axum::http::Uri, id: uuid::Uuid) -> WebResult<(Holder, String)> {
    let h = Holder::from_path(uri.path()).ok_or(WebError::NotFound)?;
    let base = match h {
        Holder::Activity => "activities",
        Holder::Agreement => "agreements",
        Holder::Commitment => "commitments",
    };
    Ok((h, format!("/{base}/{id}")))
}

/// The largest request an upload route accepts: the file plus the form around it.
pub const UPLOAD_LIMIT: usize = kieng_domain::attachment::MAX_BYTES + 64 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
    mut form: Multipart,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let (h, page) = holder(&uri, id)?;
    let bad = || {
        WebError::BadRequest(Msg::new(
            "Không đọc được tệp tải lên.",
            "The upload could not be read.",
        ))
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| bad())?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    match state
        .store
        .attachment_add(&me.ctx, h, id, &name, bytes)
        .await
    {
        Ok(_) => Ok(see_other(&page, "attached")),
        Err(StoreError::Invalid(errors)) => {
            let mut f = FormState::new(me.lang);
            f.errors = errors;
            let st = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(match h {
                Holder::Activity => render_status(
                    st,
                    &crate::ui::activities::show_page(&state, &me, id, f, None).await?,
                ),
                Holder::Agreement => render_status(
                    st,
                    &crate::ui::agreements::show_page(&state, &me, id, f, None).await?,
                ),
                Holder::Commitment => render_status(
                    st,
                    &crate::ui::commitments::show_page(&state, &me, id, f, None).await?,
                ),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let (h, _) = holder(&uri, id)?;
    let f = state
        .store
        .attachment_get(&me.ctx, h, id, ids.uuid(1)?)
        .await?;
    let ascii: String = f
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencode(&f.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        f.content,
    )
        .into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let (h, page) = holder(&uri, id)?;
    state
        .store
        .attachment_remove(&me.ctx, h, id, ids.uuid(1)?)
        .await?;
    Ok(see_other(&page, "detached"))
}
