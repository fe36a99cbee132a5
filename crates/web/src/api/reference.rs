//! Reference data over JSON.

use super::dto;
use crate::AppState;
use crate::error::WebResult;
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;

/// ISO 3166-1 countries with CLDR names.
#[utoipa::path(get, path = "/api/v1/countries", tag = "reference", responses((status = 200, body = Vec<dto::Country>)))]
pub async fn countries(
    State(state): State<AppState>,
    _me: Me,
) -> WebResult<Json<Vec<dto::Country>>> {
    Ok(Json(
        state
            .store
            .countries()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Vietnam's provincial units: the 34 in force and the 63 before 1 July 2025.
#[utoipa::path(get, path = "/api/v1/provinces", tag = "reference", responses((status = 200, body = Vec<dto::Province>)))]
pub async fn provinces(
    State(state): State<AppState>,
    _me: Me,
) -> WebResult<Json<Vec<dto::Province>>> {
    Ok(Json(
        state
            .store
            .provinces()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
