//! Attachments through the JSON API: upload, list and remove on activities,
//! agreements and commitments (the HTML forms are `ui::files`).

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::files::holder;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Attachment {
    pub id: uuid::Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

/// Attach a file to an activity (the same under `/api/v1/agreements/{id}` and
/// `/api/v1/commitments/{id}`): the request body is the file, `name` its file name (the kind is
/// read from the content and must agree with the extension; at most 20 MB).
#[utoipa::path(post, path = "/api/v1/activities/{id}/attachments", tag = "activities",
    params(("id" = uuid::Uuid, Path), ("name" = String, Query)), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Attachment), (status = 403, body = crate::api::dto::ErrorBody), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn api_upload(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
    QueryArgs(q): QueryArgs<NameQuery>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<Attachment>)> {
    let id = ids.uuid(0)?;
    let (h, _) = holder(&uri, id)?;
    let m = state
        .store
        .attachment_add(&me.ctx, h, id, &q.name, body.to_vec())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Attachment {
            id: m.id,
            file_name: m.file_name,
            content_type: m.content_type,
            size: m.size,
            sha256: m.sha256,
            created_at: m.created_at,
        }),
    ))
}

/// The activity's files (download each at `/activities/{id}/attachments/{file}`).
#[utoipa::path(get, path = "/api/v1/activities/{id}/attachments", tag = "activities", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Attachment>), (status = 404, body = crate::api::dto::ErrorBody)))]
pub async fn api_list(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
) -> WebResult<Json<Vec<Attachment>>> {
    let id = ids.uuid(0)?;
    let (h, _) = holder(&uri, id)?;
    Ok(Json(
        state
            .store
            .attachments_of(&me.ctx, h, id)
            .await?
            .into_iter()
            .map(
                |(id, file_name, content_type, size, sha256, created_at)| Attachment {
                    id,
                    file_name,
                    content_type,
                    size,
                    sha256,
                    created_at,
                },
            )
            .collect(),
    ))
}

/// Remove a file from the activity.
#[utoipa::path(delete, path = "/api/v1/activities/{id}/attachments/{file}", tag = "activities",
    params(("id" = uuid::Uuid, Path), ("file" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = crate::api::dto::ErrorBody)))]
pub async fn api_remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    uri: axum::http::Uri,
) -> WebResult<StatusCode> {
    let id = ids.uuid(0)?;
    let (h, _) = holder(&uri, id)?;
    state
        .store
        .attachment_remove(&me.ctx, h, id, ids.uuid(1)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The API routes of agreements' and commitments' files: the same handlers,
/// each documented under its own path.
pub mod documented {
    use super::{Attachment, NameQuery};
    use crate::AppState;
    use crate::error::WebResult;
    use crate::extract::{Ids, QueryArgs};
    use crate::middleware::Me;
    use axum::Json;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{StatusCode, Uri};

    macro_rules! file_routes {
        ($upload:ident, $list:ident, $remove:ident, $base:literal, $tag:literal, $what:literal) => {
            #[doc = concat!("Attach a file to ", $what, ": the body is the file, `name` its file name (kind read from the content, ≤ 20 MB).")]
            #[utoipa::path(post, path = concat!("/api/v1/", $base, "/{id}/attachments"), tag = $tag,
                params(("id" = uuid::Uuid, Path), ("name" = String, Query)), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
                responses((status = 201, body = Attachment), (status = 403, body = crate::api::dto::ErrorBody), (status = 422, body = crate::api::dto::ErrorBody)))]
            pub async fn $upload(
                state: State<AppState>,
                me: Me,
                ids: Ids,
                uri: Uri,
                q: QueryArgs<NameQuery>,
                body: Bytes,
            ) -> WebResult<(StatusCode, Json<Attachment>)> {
                super::api_upload(state, me, ids, uri, q, body).await
            }

            #[doc = concat!("The files of ", $what, ".")]
            #[utoipa::path(get, path = concat!("/api/v1/", $base, "/{id}/attachments"), tag = $tag, params(("id" = uuid::Uuid, Path)),
                responses((status = 200, body = Vec<Attachment>), (status = 404, body = crate::api::dto::ErrorBody)))]
            pub async fn $list(state: State<AppState>, me: Me, ids: Ids, uri: Uri) -> WebResult<Json<Vec<Attachment>>> {
                super::api_list(state, me, ids, uri).await
            }

            #[doc = concat!("Remove a file from ", $what, " (kept, marked removed, audited).")]
            #[utoipa::path(delete, path = concat!("/api/v1/", $base, "/{id}/attachments/{file}"), tag = $tag,
                params(("id" = uuid::Uuid, Path), ("file" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = crate::api::dto::ErrorBody)))]
            pub async fn $remove(state: State<AppState>, me: Me, ids: Ids, uri: Uri) -> WebResult<StatusCode> {
                super::api_remove(state, me, ids, uri).await
            }
        };
    }

    file_routes!(
        agreement_upload,
        agreement_list,
        agreement_remove,
        "agreements",
        "agreements",
        "an agreement (its texts)"
    );
    file_routes!(
        commitment_upload,
        commitment_list,
        commitment_remove,
        "commitments",
        "commitments",
        "a commitment (evidence)"
    );
}
