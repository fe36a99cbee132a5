//! Reference data over JSON.

use super::dto;
use super::dto::ErrorBody;
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use kieng_domain::reference::{CommuneForm, CountryForm, ProvinceForm};

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

/// The commune-level units since 1 July 2025, of one provincial unit or all,
/// whose name holds every word of `q` or whose code starts with it: at most
/// 500 by name, with the number matching.
#[utoipa::path(get, path = "/api/v1/communes", tag = "reference",
    params(("province" = Option<String>, Query), ("q" = Option<String>, Query)),
    responses((status = 200, body = dto::CommunePage)))]
pub async fn communes(
    State(state): State<AppState>,
    _me: Me,
    QueryArgs(f): QueryArgs<crate::ui::reference::CommuneFilter>,
) -> WebResult<Json<dto::CommunePage>> {
    let q: String = f.q.chars().take(100).collect();
    let province: String = f.province.chars().take(16).collect();
    let (rows, total) = state
        .store
        .communes(
            Some(province.as_str()),
            &q,
            crate::ui::reference::COMMUNES_SHOWN,
        )
        .await?;
    Ok(Json(dto::CommunePage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// Correct a commune-level unit (administrators; audited, kept across upgrades).
#[utoipa::path(put, path = "/api/v1/communes/{code}", tag = "reference", params(("code" = String, Path)), request_body = dto::CommuneInput,
    responses((status = 200, body = dto::Commune), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_commune(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::CommuneInput>,
) -> WebResult<Json<dto::Commune>> {
    let f = CommuneForm {
        name: b.name,
        name_en: b.name_en,
        kind: b.kind,
        province_code: b.province_code,
    };
    let c = state
        .store
        .commune_correct(&me.ctx, &ids.text(0)?, &f)
        .await?;
    Ok(Json(c.into()))
}

/// Correct a provincial unit's name or kind (administrators; audited, kept across upgrades).
#[utoipa::path(put, path = "/api/v1/provinces/{code}", tag = "reference", params(("code" = String, Path)), request_body = dto::ProvinceInput,
    responses((status = 200, body = dto::Province), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_province(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::ProvinceInput>,
) -> WebResult<Json<dto::Province>> {
    let f = ProvinceForm {
        name: b.name,
        kind: b.kind,
    };
    let p = state
        .store
        .province_correct(&me.ctx, &ids.text(0)?, &f)
        .await?;
    Ok(Json(p.into()))
}

/// Correct a country's names (administrators; audited, kept across upgrades).
#[utoipa::path(put, path = "/api/v1/countries/{code}", tag = "reference", params(("code" = String, Path)), request_body = dto::CountryInput,
    responses((status = 200, body = dto::Country), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_country(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<dto::CountryInput>,
) -> WebResult<Json<dto::Country>> {
    let f = CountryForm {
        name_vi: b.name_vi,
        name_en: b.name_en,
    };
    let c = state
        .store
        .country_correct(&me.ctx, &ids.text(0)?, &f)
        .await?;
    Ok(Json(c.into()))
}
