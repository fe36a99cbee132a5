//! The holiday calendar through the JSON API (the page is `ui::workdays`).

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{JsonBody, QueryArgs};
use crate::middleware::Me;
use crate::ui::workdays::{CalendarDay, DayRef, DaysInput, YearArgs, parse_day, set, this_year};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Holidays and compensating working days recorded for a year.
#[utoipa::path(get, path = "/api/v1/calendar-days", tag = "agreements", params(YearArgs),
    responses((status = 200, body = Vec<CalendarDay>)))]
pub async fn api_list(
    State(state): State<AppState>,
    QueryArgs(y): QueryArgs<YearArgs>,
) -> WebResult<Json<Vec<CalendarDay>>> {
    let year = y.year.unwrap_or_else(this_year).clamp(1900, 2200);
    Ok(Json(
        state
            .store
            .calendar_days(year)
            .await?
            .into_iter()
            .map(|d| CalendarDay {
                day: d.day,
                kind: d.kind,
                name: d.name,
            })
            .collect(),
    ))
}

/// Record holidays or a compensating working day (administrators); answers how many days.
#[utoipa::path(post, path = "/api/v1/calendar-days", tag = "agreements", request_body = DaysInput,
    responses((status = 201, body = u32), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn api_create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(f): JsonBody<DaysInput>,
) -> WebResult<(StatusCode, Json<u32>)> {
    Ok((StatusCode::CREATED, Json(set(&state, &me, &f).await?)))
}

/// Forget a recorded day (administrators).
#[utoipa::path(post, path = "/api/v1/calendar-days/remove", tag = "agreements", request_body = DayRef,
    responses((status = 204), (status = 404, body = crate::api::dto::ErrorBody)))]
pub async fn api_remove(
    State(state): State<AppState>,
    me: Me,
    JsonBody(f): JsonBody<DayRef>,
) -> WebResult<StatusCode> {
    let day = parse_day(&f.day)?;
    state.store.calendar_day_remove(&me.ctx, day).await?;
    Ok(StatusCode::NO_CONTENT)
}
