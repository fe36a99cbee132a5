//! Reference data pages: countries (ISO 3166-1, CLDR names), provinces and
//! communes; administrators correct any of them on its own page.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::FieldErrors;
use kieng_domain::reference::{
    COMMUNE_KINDS, CommuneForm, CountryForm, PROVINCE_KINDS, ProvinceForm,
};
use kieng_store::StoreError;
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
pub(crate) const COMMUNES_SHOWN: u64 = 500;

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

/// The form correcting one shipped fact: a commune, a provincial unit or a
/// country (administrators).
#[derive(Template)]
#[template(path = "reference_correct.html")]
struct CorrectPage {
    page: PageCtx,
    /// commune | province | country
    what: &'static str,
    code: String,
    form: FormState,
    /// The provincial units in force (a commune's).
    provinces: Vec<province::Model>,
    corrected_at: Option<chrono::DateTime<chrono::Utc>>,
    back: &'static str,
}

impl CorrectPage {
    fn commune_kinds(&self) -> Vec<(&'static str, &'static str)> {
        let en = self.page.lang_code() == "en";
        COMMUNE_KINDS
            .iter()
            .map(|(c, vi, e)| (*c, if en { *e } else { *vi }))
            .collect()
    }
    fn province_kinds(&self) -> Vec<(&'static str, &'static str)> {
        let en = self.page.lang_code() == "en";
        PROVINCE_KINDS
            .iter()
            .map(|(c, vi, e)| (*c, if en { *e } else { *vi }))
            .collect()
    }
}

async fn correct_page(
    state: &AppState,
    me: &Me,
    what: &'static str,
    code: &str,
    form: Option<FormState>,
) -> WebResult<CorrectPage> {
    let (title, fill, corrected_at, back) = match what {
        "commune" => {
            let c = state.store.commune(code).await?;
            let mut f = FormState::new(me.lang)
                .with("name", &c.name)
                .with("kind", &c.kind)
                .with("province_code", &c.province_code);
            f.set_opt("name_en", &c.name_en);
            (c.full_name, f, c.corrected_at, "/reference/communes")
        }
        "province" => {
            let p = state.store.province(code).await?;
            let f = FormState::new(me.lang)
                .with("name", &p.name)
                .with("kind", &p.kind);
            (p.name, f, p.corrected_at, "/reference/provinces")
        }
        _ => {
            let c = state.store.country(code).await?;
            let f = FormState::new(me.lang)
                .with("name_vi", &c.name_vi)
                .with("name_en", &c.name_en);
            (c.name_vi, f, c.corrected_at, "/reference/countries")
        }
    };
    let provinces = if what == "commune" {
        state
            .store
            .provinces()
            .await?
            .into_iter()
            .filter(|p| p.valid_to.is_none())
            .collect()
    } else {
        Vec::new()
    };
    Ok(CorrectPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("{back}/{code}"),
            "reference.correct",
        )
        .with_title(title),
        what,
        code: code.to_string(),
        form: form.unwrap_or(fill),
        provinces,
        corrected_at,
        back,
    })
}

/// What was typed, with what is wrong with it, back on the form.
fn typed(lang: crate::i18n::Lang, fields: &[(&str, &str)], errors: FieldErrors) -> FormState {
    let mut f = FormState::new(lang);
    for (k, v) in fields {
        f = f.with(k, v);
    }
    f.errors = errors;
    f
}

async fn correct_answer<T>(
    state: &AppState,
    me: &Me,
    what: &'static str,
    code: &str,
    fields: &[(&str, &str)],
    r: Result<T, StoreError>,
) -> WebResult<Response> {
    match r {
        Ok(_) => {
            let back = match what {
                "commune" => "/reference/communes",
                "province" => "/reference/provinces",
                _ => "/reference/countries",
            };
            Ok(see_other(&format!("{back}/{code}"), "corrected"))
        }
        Err(StoreError::Invalid(e)) => {
            let form = typed(me.lang, fields, e);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &correct_page(state, me, what, code, Some(form)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn notice(page: CorrectPage, ok: Option<&str>) -> CorrectPage {
    CorrectPage {
        page: page.page.with_notice(ok),
        ..page
    }
}

pub async fn commune_form(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let page = correct_page(&state, &me, "commune", &ids.text(0)?, None).await?;
    Ok(render(&notice(page, ok.ok.as_deref())))
}

pub async fn commune_save(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<CommuneForm>,
) -> WebResult<Response> {
    let code = &ids.text(0)?;
    let r = state.store.commune_correct(&me.ctx, code, &f).await;
    let en = f.name_en.clone().unwrap_or_default();
    let fields = [
        ("name", f.name.as_str()),
        ("name_en", en.as_str()),
        ("kind", f.kind.as_str()),
        ("province_code", f.province_code.as_str()),
    ];
    correct_answer(&state, &me, "commune", code, &fields, r).await
}

pub async fn province_form(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let page = correct_page(&state, &me, "province", &ids.text(0)?, None).await?;
    Ok(render(&notice(page, ok.ok.as_deref())))
}

pub async fn province_save(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<ProvinceForm>,
) -> WebResult<Response> {
    let code = &ids.text(0)?;
    let r = state.store.province_correct(&me.ctx, code, &f).await;
    let fields = [("name", f.name.as_str()), ("kind", f.kind.as_str())];
    correct_answer(&state, &me, "province", code, &fields, r).await
}

pub async fn country_form(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let page = correct_page(&state, &me, "country", &ids.text(0)?, None).await?;
    Ok(render(&notice(page, ok.ok.as_deref())))
}

pub async fn country_save(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<CountryForm>,
) -> WebResult<Response> {
    let code = &ids.text(0)?;
    let r = state.store.country_correct(&me.ctx, code, &f).await;
    let fields = [
        ("name_vi", f.name_vi.as_str()),
        ("name_en", f.name_en.as_str()),
    ];
    correct_answer(&state, &me, "country", code, &fields, r).await
}
