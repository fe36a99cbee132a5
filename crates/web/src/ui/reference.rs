//! Reference data pages: countries (ISO 3166-1, CLDR names), provinces and
//! communes.

use crate::AppState;
use crate::error::WebResult;
use crate::middleware::Me;
use crate::ui::render;
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_store::entity::{commune, country, province};
use serde::Deserialize;

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

/// At most this many communes on one page; a province has fewer.
const COMMUNES_SHOWN: u64 = 500;

#[derive(Deserialize, Default)]
pub struct CommuneFilter {
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub q: String,
}

#[derive(Template)]
#[template(path = "communes.html")]
struct CommunesPage {
    page: PageCtx,
    provinces: Vec<province::Model>,
    province: String,
    q: String,
    rows: Vec<(commune::Model, String)>,
    total: u64,
}

impl CommunesPage {
    fn kind_label(&self, kind: &str) -> &str {
        match kind {
            "phuong" => self.page.t("reference.kind_ward"),
            "dac_khu" => self.page.t("reference.kind_special_zone"),
            _ => self.page.t("reference.kind_commune"),
        }
    }
}

/// The 3,321 commune-level units since 1 July 2025, by province and name.
pub async fn communes(
    State(state): State<AppState>,
    me: Me,
    crate::extract::QueryArgs(f): crate::extract::QueryArgs<CommuneFilter>,
) -> WebResult<Response> {
    let q: String = f.q.chars().take(100).collect();
    let province: String = f.province.chars().take(16).collect();
    let provinces: Vec<province::Model> = state
        .store
        .provinces()
        .await?
        .into_iter()
        .filter(|p| p.valid_to.is_none())
        .collect();
    let (rows, total) = state
        .store
        .communes(Some(province.as_str()), &q, COMMUNES_SHOWN)
        .await?;
    let rows = rows
        .into_iter()
        .map(|c| {
            let p = provinces
                .iter()
                .find(|p| p.code == c.province_code)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            (c, p)
        })
        .collect();
    Ok(render(&CommunesPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/reference/communes", "nav.communes"),
        provinces,
        province,
        q,
        rows,
        total,
    }))
}
