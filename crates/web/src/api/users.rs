//! User administration over JSON (administrators, within their scope).

use super::dto;
use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(serde::Deserialize)]
pub struct UserQuery {
    q: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// Users of the agencies in the administrator's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(("q" = Option<String>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = dto::UserPage), (status = 403, body = dto::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<UserQuery>,
) -> WebResult<Json<dto::UserPage>> {
    let p = state
        .store
        .user_list(&me.ctx, q.page, q.q.as_deref())
        .await?;
    Ok(Json(dto::UserPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Create a user; the answer carries a one-time password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = dto::UserInput,
    responses((status = 201, body = dto::UserCreated), (status = 422, body = dto::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::UserInput>,
) -> WebResult<(StatusCode, Json<dto::UserCreated>)> {
    let (u, one_time_password) = state.store.user_create(&me.ctx, &b.form()).await?;
    let user = state.store.user_get(&me.ctx, u.id).await?.into();
    Ok((
        StatusCode::CREATED,
        Json(dto::UserCreated {
            user,
            one_time_password,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = uuid::Uuid, Path)), responses((status = 200, body = dto::User), (status = 404, body = dto::ErrorBody)))]
pub async fn get(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<dto::User>> {
    Ok(Json(
        state.store.user_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// Change a user's profile, agency, role, scope or clearance (`version` required).
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", params(("id" = uuid::Uuid, Path)), request_body = dto::UserInput,
    responses((status = 200, body = dto::User), (status = 409, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::UserInput>,
) -> WebResult<Json<dto::User>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(|| {
        WebError::Store(kieng_store::StoreError::Invalid(
            kieng_domain::FieldErrors::single(
                "version",
                kieng_domain::Msg::new(
                    "Gửi kèm số phiên bản đã đọc (version).",
                    "Send the version you read (version).",
                ),
            ),
        ))
    })?;
    state
        .store
        .user_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(state.store.user_get(&me.ctx, id).await?.into()))
}

/// Disable a user: their sessions end, their records stay.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", params(("id" = uuid::Uuid, Path)), responses((status = 200, body = dto::User)))]
pub async fn disable(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::User>> {
    let id = ids.uuid(0)?;
    state.store.user_set_disabled(&me.ctx, id, true).await?;
    Ok(Json(state.store.user_get(&me.ctx, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users", params(("id" = uuid::Uuid, Path)), responses((status = 200, body = dto::User)))]
pub async fn enable(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<dto::User>> {
    let id = ids.uuid(0)?;
    state.store.user_set_disabled(&me.ctx, id, false).await?;
    Ok(Json(state.store.user_get(&me.ctx, id).await?.into()))
}

/// Issue a one-time password; the user must change it at next sign-in.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-password", tag = "users", params(("id" = uuid::Uuid, Path)), responses((status = 200, body = dto::OneTimePassword)))]
pub async fn reset_password(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Json<dto::OneTimePassword>> {
    Ok(Json(dto::OneTimePassword {
        one_time_password: state
            .store
            .user_reset_password(&me.ctx, ids.uuid(0)?)
            .await?,
    }))
}
