//! Activity types through the JSON API (the page is `ui::activity_types`).

use crate::AppState;
use crate::error::WebResult;
use crate::extract::JsonBody;
use crate::middleware::Me;
use crate::ui::activity_types::TypeInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Add an activity type (administrators).
#[utoipa::path(post, path = "/api/v1/activity-types", tag = "activities", request_body = TypeInput,
    responses((status = 201, body = crate::api::activity_dto::ActivityType), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn api_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<TypeInput>,
) -> WebResult<(StatusCode, Json<crate::api::activity_dto::ActivityType>)> {
    let t = state
        .store
        .activity_type_add(&me.ctx, &b.code, &b.name_vi, &b.name_en)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(crate::api::activity_dto::ActivityType {
            code: t.code,
            name_vi: t.name_vi,
            name_en: t.name_en,
            builtin: t.builtin,
        }),
    ))
}
