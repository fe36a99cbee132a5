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
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
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
    let base = crate::view::query_string(&[
        ("province", Some(province.as_str())),
        ("q", Some(q.as_str())),
    ]);
    Ok(render(&CommunesPage {
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
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

/// `GET /reference/countries.{xlsx,csv}`.
async fn countries_export(state: AppState, me: Me, xlsx: bool) -> WebResult<Response> {
    let heads: Vec<String> = vec![
        "alpha-2".into(),
        "alpha-3".into(),
        crate::i18n::t(me.lang, "reference.numeric").into(),
        crate::i18n::t(me.lang, "field.name_vi").into(),
        crate::i18n::t(me.lang, "field.name_en").into(),
    ];
    let rows: Vec<Vec<String>> = state
        .store
        .countries()
        .await?
        .into_iter()
        .map(|c| vec![c.alpha2, c.alpha3, c.numeric, c.name_vi, c.name_en])
        .collect();
    crate::export::list_download(
        "countries",
        crate::i18n::t(me.lang, "nav.countries"),
        &heads,
        &rows,
        &[(3, 40.0), (4, 40.0)],
        xlsx,
    )
}

/// `GET /reference/provinces.{xlsx,csv}`: the units in force and before.
async fn provinces_export(state: AppState, me: Me, xlsx: bool) -> WebResult<Response> {
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let heads = vec![
        t("field.code"),
        "ISO 3166-2".into(),
        t("field.name"),
        t("reference.kind"),
        t("reference.valid_from"),
        t("reference.valid_to"),
        t("reference.became"),
    ];
    let day = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = state
        .store
        .provinces()
        .await?
        .into_iter()
        .map(|p| {
            vec![
                p.code,
                p.iso_code.unwrap_or_default(),
                p.name,
                if p.kind == "city" {
                    t("reference.kind_city")
                } else {
                    t("reference.kind_province")
                },
                day(p.valid_from),
                day(p.valid_to),
                p.successor_code.unwrap_or_default(),
            ]
        })
        .collect();
    crate::export::list_download(
        "provinces",
        crate::i18n::t(me.lang, "nav.provinces"),
        &heads,
        &rows,
        &[(2, 30.0)],
        xlsx,
    )
}

/// `GET /reference/communes.{xlsx,csv}` with the page's filter (all 3,321
/// when none).
async fn communes_export(
    state: AppState,
    me: Me,
    f: CommuneFilter,
    xlsx: bool,
) -> WebResult<Response> {
    let q: String = f.q.chars().take(100).collect();
    let province: String = f.province.chars().take(16).collect();
    let (rows, _) = state
        .store
        .communes(Some(province.as_str()), &q, 5_000)
        .await?;
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let heads = vec![
        t("field.code"),
        t("field.name"),
        t("field.name_en"),
        t("reference.kind"),
        t("field.province"),
    ];
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|c| {
            let kind = match c.kind.as_str() {
                "phuong" => t("reference.kind_ward"),
                "dac_khu" => t("reference.kind_special_zone"),
                _ => t("reference.kind_commune"),
            };
            vec![
                c.code,
                c.full_name,
                c.name_en.unwrap_or_default(),
                kind,
                c.province_code,
            ]
        })
        .collect();
    crate::export::list_download(
        "communes",
        crate::i18n::t(me.lang, "nav.communes"),
        &heads,
        &lines,
        &[(1, 36.0), (2, 30.0)],
        xlsx,
    )
}

pub async fn countries_xlsx(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    countries_export(state, me, true).await
}

pub async fn countries_csv(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    countries_export(state, me, false).await
}

pub async fn provinces_xlsx(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    provinces_export(state, me, true).await
}

pub async fn provinces_csv(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    provinces_export(state, me, false).await
}

pub async fn communes_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CommuneFilter>,
) -> WebResult<Response> {
    communes_export(state, me, f, true).await
}

pub async fn communes_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CommuneFilter>,
) -> WebResult<Response> {
    communes_export(state, me, f, false).await
}
