//! The framework level catalogue through the JSON API (the page is `ui::levels`).

use crate::AppState;
use crate::api::dto;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::partner::LevelForm;
use serde::Deserialize;
use utoipa::ToSchema;

/// A level as submitted over JSON.
#[derive(Deserialize, ToSchema, Default)]
pub struct LevelInput {
    /// Only when creating: lower-case letters, digits, `_`.
    #[serde(default)]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// 0–1000, higher is closer.
    pub rank: i32,
}

impl LevelInput {
    fn form(&self) -> LevelForm {
        LevelForm {
            code: self.code.clone(),
            name_vi: self.name_vi.clone(),
            name_en: self.name_en.clone(),
            rank: self.rank.to_string(),
        }
    }
}

/// Add a level to the catalogue (administrators).
#[utoipa::path(post, path = "/api/v1/framework-levels", tag = "partners", request_body = LevelInput,
    responses((status = 201, body = dto::FrameworkLevel), (status = 403, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn api_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<LevelInput>,
) -> WebResult<(StatusCode, Json<dto::FrameworkLevel>)> {
    let l = state
        .store
        .framework_level_create(&me.ctx, &b.form())
        .await?;
    Ok((StatusCode::CREATED, Json(l.into())))
}

/// Correct a level's names or rank (administrators); the code stays.
#[utoipa::path(put, path = "/api/v1/framework-levels/{code}", tag = "partners", params(("code" = String, Path)),
    request_body = LevelInput,
    responses((status = 200, body = dto::FrameworkLevel), (status = 403, body = dto::ErrorBody), (status = 404, body = dto::ErrorBody), (status = 422, body = dto::ErrorBody)))]
pub async fn api_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<LevelInput>,
) -> WebResult<Json<dto::FrameworkLevel>> {
    let l = state
        .store
        .framework_level_update(&me.ctx, &ids.text(0)?, &b.form())
        .await?;
    Ok(Json(l.into()))
}
