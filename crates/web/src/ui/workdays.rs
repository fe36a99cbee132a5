//! The working-day calendar administrators keep: public holidays and
//! compensating working days, year by year (every working-day deadline reads it).

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use kieng_domain::days::{DayKind, optional_date};
use kieng_store::StoreError;
use kieng_store::entity::calendar_day;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Template)]
#[template(path = "workdays.html")]
struct DaysPage {
    page: PageCtx,
    year: i32,
    days: Vec<calendar_day::Model>,
    kinds: Vec<Choice>,
    form: FormState,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearArgs {
    /// Default: this year.
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    #[param(minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
}

/// Days as submitted: one day, or a span `from`..=`to` under one name.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DaysInput {
    /// First day (yyyy-mm-dd or dd/mm/yyyy).
    #[serde(default)]
    pub from: String,
    /// Last day; empty: the first day alone.
    pub to: Option<String>,
    /// holiday | workday
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DayRef {
    #[serde(default)]
    pub day: String,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarDay {
    pub day: chrono::NaiveDate,
    /// holiday | workday
    pub kind: String,
    pub name: String,
}

async fn page(
    state: &AppState,
    me: &Me,
    year: i32,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<DaysPage> {
    Ok(DaysPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/calendar-days", "nav.calendar_days")
            .with_notice(notice),
        year,
        days: state.store.calendar_days(year).await?,
        kinds: choices(DayKind::ALL, DayKind::as_str, DayKind::label, me.lang),
        form,
    })
}

pub(crate) fn this_year() -> i32 {
    kieng_store::today().year()
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(y): QueryArgs<YearArgs>,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let year = y.year.unwrap_or_else(this_year).clamp(1900, 2200);
    let form = FormState::new(me.lang).with("kind", "holiday");
    Ok(render(
        &page(&state, &me, year, form, ok.ok.as_deref()).await?,
    ))
}

pub(crate) async fn set(state: &AppState, me: &Me, f: &DaysInput) -> Result<u32, StoreError> {
    let mut e = kieng_domain::FieldErrors::new();
    let from = optional_date(&mut e, "from", Some(&f.from));
    let to = optional_date(&mut e, "to", f.to.as_deref());
    if !e.is_empty() {
        return Err(e.into());
    }
    state
        .store
        .calendar_days_set(&me.ctx, from, to, &f.kind, &f.name)
        .await
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<DaysInput>,
) -> WebResult<Response> {
    match set(&state, &me, &f).await {
        Ok(_) => {
            let year = kieng_domain::days::parse_date(&f.from).map_or_else(this_year, |d| d.year());
            Ok(see_other(&format!("/calendar-days?year={year}"), "saved"))
        }
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("from", &f.from)
                .with("kind", &f.kind)
                .with("name", &f.name);
            form.set_opt("to", &f.to);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, this_year(), form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn parse_day(s: &str) -> Result<chrono::NaiveDate, StoreError> {
    kieng_domain::days::parse_date(s).ok_or_else(|| {
        kieng_domain::FieldErrors::single(
            "day",
            kieng_domain::Msg::new(
                "Nhập ngày dạng 25/11/2026.",
                "Enter a date such as 25/11/2026.",
            ),
        )
        .into()
    })
}

pub async fn remove(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<DayRef>,
) -> WebResult<Response> {
    let day = parse_day(&f.day)?;
    state.store.calendar_day_remove(&me.ctx, day).await?;
    Ok(see_other(
        &format!("/calendar-days?year={}", day.year()),
        "deleted",
    ))
}
