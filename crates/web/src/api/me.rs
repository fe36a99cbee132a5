//! The caller's own account: profile, password, personal access tokens.

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses((status = 200, body = dto::Me), (status = 401, body = dto::ErrorBody)))]
pub async fn me(State(state): State<AppState>, me: Me) -> WebResult<Json<dto::Me>> {
    let v = state.store.user_get(&me.ctx, me.p.user.id).await?;
    Ok(Json(dto::Me {
        user: v.into(),
        read_scope_agencies: state.store.readable_agency_count(&me.ctx).await?,
        max_classification: state.store.config.max_classification.as_str().into(),
    }))
}

/// Change the caller's password (required first after a one-time password).
#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", request_body = dto::PasswordInput, responses((status = 204), (status = 422, body = dto::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::PasswordInput>,
) -> WebResult<StatusCode> {
    state
        .store
        .change_password(
            &me.ctx,
            me.p.session_token.as_deref(),
            &b.current_password,
            &b.new_password,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "account", responses((status = 200, body = Vec<dto::Token>)))]
pub async fn tokens(State(state): State<AppState>, me: Me) -> WebResult<Json<Vec<dto::Token>>> {
    Ok(Json(
        state
            .store
            .token_list(me.p.user.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a token; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "account", request_body = dto::TokenInput, responses((status = 201, body = dto::NewToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<dto::TokenInput>,
) -> WebResult<(StatusCode, Json<dto::NewToken>)> {
    let (t, secret) = state
        .store
        .token_create(me.p.user.id, &b.label, &me.origin())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(dto::NewToken {
            token: t.into(),
            secret,
        }),
    ))
}

/// Revoke a token at once.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "account", params(("id" = uuid::Uuid, Path)), responses((status = 204), (status = 404, body = dto::ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<StatusCode> {
    state
        .store
        .token_revoke(ids.uuid(0)?, Some(&me.p.actor), &me.origin())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
