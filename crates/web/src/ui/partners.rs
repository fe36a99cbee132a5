//! Partner pages: the directory with filters, the dossier, creation (offering
//! the existing partner when the name is taken), and recording a framework step.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::partner::{PartnerForm, PartnerKind};
use kieng_store::StoreError;
use kieng_store::entity::framework_level;
use kieng_store::partners::{Dossier, FrameworkForm, PartnerFilter, PartnerRow};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "partners/list.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<PartnerRow>,
    pager: Pager,
    filter: FormState,
    kinds: Vec<Choice>,
    levels: Vec<framework_level::Model>,
    /// Continents, each followed by its sub-regions (UN M.49 via CLDR).
    regions: Vec<kieng_store::entity::region::Model>,
    can_create: bool,
    /// "?q=…&kind=…" for the export links (empty without filters).
    export_query: String,
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let res = state.store.partner_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", f.q.as_deref()),
        ("kind", f.kind.as_deref()),
        ("level", f.level.as_deref()),
        ("region", f.region.as_deref()),
        ("sort", f.sort.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("q", &f.q);
    filter.set_opt("kind", &f.kind);
    filter.set_opt("level", &f.level);
    filter.set_opt("sort", &f.sort);
    filter.set_opt("region", &f.region);
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/partners", "nav.partners")
            .with_notice(ok.ok.as_deref())
            .with_marking(res.items.iter().map(|r| r.partner.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        items: res.items,
        filter,
        kinds: choices(
            &PartnerKind::ALL,
            PartnerKind::as_str,
            PartnerKind::label,
            me.lang,
        ),
        levels: state.store.framework_levels().await?,
        regions: state.store.regions().await?,
        can_create: me.p.actor.role != kieng_domain::Role::Viewer,
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
    }))
}

/// The partner list as the filters select it (every page), as XLSX or CSV.
async fn export(state: &AppState, me: &Me, f: &PartnerFilter, xlsx: bool) -> WebResult<Response> {
    let rows = state.store.partner_rows(&me.ctx, f).await?;
    let aliases = state
        .store
        .partner_aliases(rows.iter().map(|r| r.partner.id).collect())
        .await?;
    let people = rows
        .iter()
        .filter(|r| r.partner.kind == PartnerKind::Person.as_str())
        .map(|r| r.partner.id)
        .collect();
    let positions = state.store.positions_now(&me.ctx, people).await?;
    let lines = crate::export::partner_lines(rows, &aliases, &positions, me.lang);
    let (bytes, kind, ext) = if xlsx {
        (
            crate::export::partners_xlsx(&lines, me.lang)?,
            crate::export::XLSX,
            "xlsx",
        )
    } else {
        (
            crate::export::partners_csv(&lines, me.lang)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    let name = format!(
        "kieng-partners-{}.{ext}",
        kieng_store::today().format("%Y-%m-%d")
    );
    Ok(crate::export::download(bytes, kind, &name))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, false).await
}

#[derive(Template)]
#[template(path = "partners/people.html")]
struct PeoplePage {
    page: PageCtx,
    /// The partner export's query for people under this filter.
    export_query: String,
    items: Vec<kieng_store::partners::PersonRow>,
    pager: Pager,
    filter: FormState,
    can_create: bool,
}

/// People (dignitaries and contacts) with the positions they hold now.
pub async fn people(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PartnerFilter>,
) -> WebResult<Response> {
    let res = state.store.people_list(&me.ctx, &f).await?;
    let mut filter = FormState::new(me.lang);
    filter.set_opt("q", &f.q);
    Ok(render(&PeoplePage {
        export_query: format!(
            "?{}",
            query_string(&[("kind", Some("person")), ("q", f.q.as_deref())])
        ),
        page: PageCtx::new(me.lang, Some(&me.p), "/people", "nav.persons"),
        pager: Pager::new(
            res.page,
            res.pages(),
            res.total,
            &query_string(&[("q", f.q.as_deref())]),
        ),
        items: res.items,
        filter,
        can_create: me.p.actor.role != kieng_domain::Role::Viewer,
    }))
}

#[derive(Template)]
#[template(path = "partners/show.html")]
pub(crate) struct ShowPage {
    page: PageCtx,
    basis: crate::ui::Basis,
    d: Dossier,
    kind_label: String,
    levels: Vec<framework_level::Model>,
    form: FormState,
    chart: String,
    /// Engagements per year by pillar (SVG; empty when there are none).
    engagements: String,
    /// Missions that can be accredited (only filled for editors).
    missions: Vec<kieng_store::agencies::AgencyRef>,
    /// Everything on record with this partner the reader may see (activities,
    /// agreements, commitments), newest first, filtered by pillar and year.
    timeline: Vec<kieng_store::timeline::Entry>,
    timeline_filter: FormState,
    timeline_pager: Pager,
    pillars: Vec<Choice>,
    /// The newest agreements with the partner and the open commitments to it
    /// nearest their deadline, [`DOSSIER_ROWS`] of each; `*_more` when there
    /// are others (the section links to its list filtered by the partner).
    agreements: Vec<kieng_store::agreements::AgreementRow>,
    agreements_more: bool,
    commitments: Vec<kieng_store::commitments::CommitmentRow>,
    commitments_more: bool,
    /// Planned delegations with the partner in the delegation plans the
    /// reader sees, the latest month first.
    planned: Vec<kieng_store::plans::PartnerPlanned>,
    planned_more: bool,
    /// A country's open protection cases by category: (list link, label, count).
    cases: Vec<(String, String, u64)>,
    /// The talking points its open cases' teams wrote, for the briefing.
    case_points: String,
    /// The multilateral mechanisms this organisation is.
    mechanisms: Vec<kieng_store::entity::mechanism::Model>,
    /// A country's word on Vietnam's candidacies the reader may see, with
    /// the post each was for; the newest first.
    pledges: Vec<(kieng_store::multilateral::PledgeRow, String)>,
}

impl ShowPage {
    /// A step's sources as (address, label): links for web addresses (shown
    /// by their site), text for the rest (a document's number and date).
    fn sources(&self, s: &str) -> Vec<(String, String)> {
        s.split(" ; ")
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| {
                let web = x.starts_with("https://") || x.starts_with("http://");
                let site = x
                    .split("://")
                    .nth(1)
                    .and_then(|r| r.split('/').next())
                    .map(|h| h.trim_start_matches("www.").trim_end_matches('.'));
                match (web, site) {
                    (true, Some(h)) if !h.is_empty() => (x.to_string(), h.to_string()),
                    _ => (String::new(), x.to_string()),
                }
            })
            .collect()
    }

    /// Whether the correction form of this step holds what was just refused.
    fn correcting(&self, step: &uuid::Uuid) -> bool {
        self.form.v("step") == step.to_string()
    }
}

/// Agreements and open commitments the dossier shows before "see all".
pub const DOSSIER_ROWS: usize = 20;

/// The first [`DOSSIER_ROWS`] of rows read one past it, and whether there were more.
fn first_rows<T>(mut rows: Vec<T>) -> (Vec<T>, bool) {
    let more = rows.len() > DOSSIER_ROWS;
    rows.truncate(DOSSIER_ROWS);
    (rows, more)
}

/// The dossier timeline's filters.
#[derive(Debug, Default, Deserialize)]
pub struct TimelineArgs {
    pub pillar: Option<String>,
    pub year: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

pub(crate) async fn show_page(
    state: &AppState,
    me: &Me,
    id: uuid::Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    show_page_with(state, me, id, form, notice, &TimelineArgs::default()).await
}

pub(crate) async fn show_page_with(
    state: &AppState,
    me: &Me,
    id: uuid::Uuid,
    form: FormState,
    notice: Option<&str>,
    t: &TimelineArgs,
) -> WebResult<ShowPage> {
    let d = state.store.partner_get(&me.ctx, id).await?;
    let levels = state.store.framework_levels().await?;
    let chart = crate::charts::framework_timeline(&d, &levels, me.lang);
    let year = t.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok());
    let t_all = state
        .store
        .dossier_timeline(
            &me.ctx,
            id,
            &kieng_store::activities::PartnerSlice {
                pillar: t.pillar.clone(),
                year,
                from: None,
                to: None,
                page: t.page,
            },
        )
        .await?;
    let mut timeline_filter = FormState::new(me.lang);
    timeline_filter.set_opt("pillar", &t.pillar);
    timeline_filter.set_opt("year", &t.year);
    let base = query_string(&[("pillar", t.pillar.as_deref()), ("year", t.year.as_deref())]);
    let timeline_pager = Pager::new(t_all.page, t_all.pages, t_all.total, &base);
    let by_year = t_all.by_year;
    let timeline = t_all.entries;
    let probe = DOSSIER_ROWS as u64 + 1;
    let (agreements, agreements_more) = first_rows(
        state
            .store
            .agreements_with_partner(&me.ctx, id, probe)
            .await?,
    );
    let (commitments, commitments_more) = first_rows(
        state
            .store
            .open_commitments_with_partner(&me.ctx, id, probe)
            .await?,
    );
    let (planned, planned_more) = state
        .store
        .partner_planned(&me.ctx, id, DOSSIER_ROWS as u64)
        .await?;
    // A country's dossier: its open protection cases, counts only.
    let cases: Vec<(String, String, u64)> = match (&d.partner.kind[..], &d.partner.country_code) {
        ("country", Some(cc)) => state
            .store
            .open_cases_by_category(&me.ctx, cc)
            .await?
            .into_iter()
            .map(|(code, n)| {
                let label = kieng_domain::protection::Category::parse(&code)
                    .map(|c| c.label().get(me.lang.code()).to_string())
                    .unwrap_or_else(|| code.clone());
                (
                    format!("/protection?status=open&country={cc}&category={code}"),
                    label,
                    n,
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let case_points = match (&d.partner.kind[..], &d.partner.country_code) {
        ("country", Some(cc)) => state
            .store
            .case_talking_points(&me.ctx, cc)
            .await?
            .into_iter()
            .map(|(number, point)| format!("{point} ({number})"))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    };
    let mechanisms = state.store.mechanisms_of_partner(id).await?;
    let pledges = match (&d.partner.kind[..], &d.partner.country_code) {
        ("country", Some(cc)) => state.store.pledges_of_country(&me.ctx, cc).await?,
        _ => Vec::new(),
    };
    let missions = if d.can_edit {
        state.store.mission_choices(&me.ctx).await?
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        basis: crate::ui::basis(state, d.partner.classification, d.partner.secret_item_id).await?,
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/partners/{id}"),
            "nav.partners",
        )
        .with_title(d.partner.name_vi.clone())
        .with_notice(notice)
        .with_marking(
            std::iter::once(d.partner.classification)
                .chain(timeline.iter().map(|e| e.classification()))
                .chain(agreements.iter().map(|a| a.agreement.classification))
                .chain(commitments.iter().map(|c| c.commitment.classification))
                .chain(planned.iter().map(|p| p.d.classification))
                .chain(pledges.iter().map(|(p, _)| p.p.classification)),
        ),
        mechanisms,
        pledges,
        kind_label: PartnerKind::parse(&d.partner.kind)
            .map(|k| k.label().get(me.lang.code()).to_string())
            .unwrap_or_default(),
        d,
        levels,
        form,
        chart,
        engagements: crate::charts::engagements_by_year(&by_year, me.lang),
        missions,
        timeline,
        timeline_filter,
        timeline_pager,
        agreements,
        agreements_more,
        commitments,
        commitments_more,
        planned,
        planned_more,
        cases,
        case_points,
        pillars: choices(
            &kieng_domain::agency::Pillar::ALL,
            kieng_domain::agency::Pillar::as_str,
            kieng_domain::agency::Pillar::label,
            me.lang,
        ),
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
    QueryArgs(t): QueryArgs<TimelineArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    Ok(render(
        &show_page_with(
            &state,
            &me,
            id,
            FormState::new(me.lang),
            ok.ok.as_deref(),
            &t,
        )
        .await?,
    ))
}

#[derive(Template)]
#[template(path = "partners/form.html")]
pub(crate) struct FormPage {
    pub(crate) page: PageCtx,
    pub(crate) form: FormState,
    pub(crate) kinds: Vec<Choice>,
    pub(crate) countries: Vec<(String, String)>,
    pub(crate) marking: crate::ui::Marking,
    pub(crate) duplicates: Vec<(String, String, String)>,
    /// Where the form posts: `/partners` to create, `/partners/{id}` to edit.
    pub(crate) action: String,
    /// Editing an existing partner of this kind (a country's kind and country are fixed).
    pub(crate) editing: Option<PartnerKind>,
    /// On a stale edit: (field label key, value now, value typed).
    pub(crate) conflict: Vec<(String, String, String)>,
}

pub(crate) async fn form_page(state: &AppState, me: &Me, form: FormState) -> WebResult<FormPage> {
    let kinds: Vec<PartnerKind> = PartnerKind::ALL
        .into_iter()
        .filter(|k| *k != PartnerKind::Country)
        .collect();
    Ok(FormPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/partners/new", "partner.new"),
        form,
        kinds: choices(&kinds, PartnerKind::as_str, PartnerKind::label, me.lang),
        countries: state
            .store
            .countries()
            .await?
            .into_iter()
            .map(|c| (c.alpha2, c.name_vi))
            .collect(),
        marking: crate::ui::marking(state, me).await?,
        duplicates: Vec::new(),
        action: "/partners".into(),
        editing: None,
        conflict: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct NewArgs {
    kind: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NewArgs>,
) -> WebResult<Response> {
    let kind = a
        .kind
        .as_deref()
        .and_then(PartnerKind::parse)
        .filter(|k| *k != PartnerKind::Country)
        .unwrap_or(PartnerKind::Organisation);
    let form = FormState::new(me.lang)
        .with("kind", kind.as_str())
        .with("classification", "none");
    Ok(render(&form_page(&state, &me, form).await?))
}

#[derive(Deserialize)]
pub struct PartnerCreate {
    #[serde(flatten)]
    pub(crate) form: PartnerForm,
    pub(crate) allow_duplicate: Option<String>,
    #[serde(default)]
    pub(crate) version: String,
}

pub(crate) fn state_of(f: &PartnerForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("kind", &f.kind)
        .with("name_vi", &f.name_vi);
    s.set_opt("name_en", &f.name_en);
    s.set_opt("abbreviation", &f.abbreviation);
    s.set_opt("aliases", &f.aliases.as_ref().map(|l| l.text()));
    s.set_opt("country_code", &f.country_code);
    s.set_opt("notes", &f.notes);
    s.set_opt("classification", &f.classification);
    s.set_opt("secret_item", &f.secret_item);
    s.set_opt("neighbour", &f.neighbour);
    s.set_opt("traditional_friend", &f.traditional_friend);
    s
}

/// The candidates of a `Duplicate` answer as (id, name, kind label).
pub(crate) fn candidates_of(
    candidates: &serde_json::Value,
    lang: crate::i18n::Lang,
) -> Vec<(String, String, String)> {
    candidates
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            let kind = PartnerKind::parse(&s("kind"))
                .map(|k| k.label().get(lang.code()).to_string())
                .unwrap_or_default();
            (s("id"), s("name_vi"), kind)
        })
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(b): FormBody<PartnerCreate>,
) -> WebResult<Response> {
    match state
        .store
        .partner_create(&me.ctx, &b.form, b.allow_duplicate.is_some())
        .await
    {
        Ok(p) => Ok(see_other(&format!("/partners/{}", p.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&b.form, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form).await?,
            ))
        }
        Err(StoreError::Duplicate { candidates }) => {
            let mut page = form_page(&state, &me, state_of(&b.form, me.lang)).await?;
            page.duplicates = candidates_of(&candidates, me.lang);
            Ok(render_status(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<FrameworkForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let r = state.store.partner_framework_add(&me.ctx, id, &f).await;
    framework_answer(&state, &me, id, None, &f, r.map(|_| "framework")).await
}

/// An administrator corrects a step of the framework history.
pub async fn correct_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<FrameworkForm>,
) -> WebResult<Response> {
    let (id, step) = (ids.uuid(0)?, ids.uuid(1)?);
    let r = state
        .store
        .partner_framework_correct(&me.ctx, id, step, &f)
        .await;
    framework_answer(
        &state,
        &me,
        id,
        Some(step),
        &f,
        r.map(|_| "framework_corrected"),
    )
    .await
}

/// An administrator removes a step recorded in error.
pub async fn remove_framework(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let (id, step) = (ids.uuid(0)?, ids.uuid(1)?);
    state
        .store
        .partner_framework_remove(&me.ctx, id, step)
        .await?;
    Ok(see_other(&format!("/partners/{id}"), "framework_removed"))
}

/// Back to the dossier; refused input comes back in its form with every problem.
async fn framework_answer(
    state: &AppState,
    me: &Me,
    id: uuid::Uuid,
    step: Option<uuid::Uuid>,
    f: &FrameworkForm,
    r: Result<&'static str, StoreError>,
) -> WebResult<Response> {
    match r {
        Ok(notice) => Ok(see_other(&format!("/partners/{id}"), notice)),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("level_code", &f.level_code);
            if let Some(s) = step {
                form = form.with("step", s.to_string());
            }
            form.set_opt("since", &f.since);
            form.set_opt("official_name", &f.official_name);
            form.set_opt("source", &f.source);
            form.set_opt("note", &f.note);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(state, me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
