//! Reference data pages: countries (ISO 3166-1, CLDR names) and provinces.

use crate::AppState;
use crate::error::WebResult;
use crate::middleware::Me;
use crate::ui::render;
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_store::entity::{country, province};

#[derive(Template)]
#[template(path = "countries.html")]
struct CountriesPage {
    page: PageCtx,
    items: Vec<country::Model>,
}

pub async fn countries(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    Ok(render(&CountriesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            "/reference/countries",
            "nav.countries",
        ),
        items: state.store.countries().await?,
    }))
}

#[derive(Template)]
#[template(path = "provinces.html")]
struct ProvincesPage {
    page: PageCtx,
    current: Vec<province::Model>,
    earlier: Vec<(province::Model, String)>,
}

pub async fn provinces(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let all = state.store.provinces().await?;
    let name_of = |code: &Option<String>| {
        code.as_ref()
            .and_then(|c| all.iter().find(|p| &p.code == c))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let earlier = all
        .iter()
        .filter(|p| p.valid_to.is_some())
        .map(|p| (p.clone(), name_of(&p.successor_code)))
        .collect();
    let current = all
        .iter()
        .filter(|p| p.valid_to.is_none())
        .cloned()
        .collect();
    Ok(render(&ProvincesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            "/reference/provinces",
            "nav.provinces",
        ),
        current,
        earlier,
    }))
}
