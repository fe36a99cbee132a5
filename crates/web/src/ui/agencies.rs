//! Agency pages: the directory with filters, the agency page with its lineage,
//! the create/edit form (with the stale-edit page), trash and history actions.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::{HistoryPage, Notice};
use crate::ui::{Choice, FormState, Saved, choices, render, render_status, saved, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::Classification;
use kieng_domain::agency::{AgencyForm, Level, LineageForm, LineageKind, Pillar};
use kieng_store::StoreError;
use kieng_store::agencies::{AgencyFilter, AgencyRef, AgencyView};
use kieng_store::entity::agency;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "agencies/list.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<agency::Model>,
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
    pager: Pager,
    filter: FormState,
    pillars: Vec<Choice>,
    levels: Vec<Choice>,
}

/// The directory as filtered, as a spreadsheet.
async fn export(state: &AppState, me: &Me, f: &AgencyFilter, xlsx: bool) -> WebResult<Response> {
    let f = AgencyFilter {
        page: None,
        ..f.clone()
    };
    let rows = state.store.agency_export_rows(&me.ctx, &f).await?;
    crate::export::list_download(
        "agencies",
        crate::i18n::t(me.lang, "nav.agencies"),
        &crate::export::agency_headings(me.lang),
        &crate::export::agency_lines(&rows, me.lang),
        &[(1, 50.0), (2, 40.0), (6, 18.0)],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AgencyFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AgencyFilter>,
) -> WebResult<Response> {
    export(&state, &me, &f, false).await
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<AgencyFilter>,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let res = state.store.agency_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", f.q.as_deref()),
        ("pillar", f.pillar.as_deref()),
        ("level", f.level.as_deref()),
        ("status", f.status.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("q", &f.q);
    filter.set_opt("pillar", &f.pillar);
    filter.set_opt("level", &f.level);
    filter.set_opt("status", &f.status);
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/agencies", "nav.agencies")
            .with_notice(ok.ok.as_deref()),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        items: res.items,
        filter,
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        levels: choices(&Level::ALL, Level::as_str, Level::label, me.lang),
    }))
}

#[derive(Template)]
#[template(path = "agencies/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    parents: Vec<AgencyRef>,
    countries: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    pillars: Vec<Choice>,
    levels: Vec<Choice>,
    marking: crate::ui::Marking,
    /// Fields that changed under the editor: (field, current value, their value).
    conflict: Vec<(String, String, String)>,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
    title: &str,
) -> WebResult<FormPage> {
    let parents = state.store.agency_choices(&me.ctx).await?;
    let countries = state
        .store
        .countries()
        .await?
        .into_iter()
        .map(|c| (c.alpha2, c.name_vi))
        .collect();
    let provinces = state
        .store
        .provinces()
        .await?
        .into_iter()
        .filter(|p| p.valid_to.is_none())
        .map(|p| (p.code, p.name))
        .collect();
    Ok(FormPage {
        page: PageCtx::new(me.lang, Some(&me.p), &action, title),
        form,
        action,
        editing,
        parents,
        countries,
        provinces,
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        levels: choices(&Level::ALL, Level::as_str, Level::label, me.lang),
        marking: crate::ui::marking(state, me).await?,
        conflict: Vec::new(),
    })
}

fn state_of(form: &AgencyForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("code", &form.code)
        .with("name_vi", &form.name_vi)
        .with("pillar", &form.pillar)
        .with("level", &form.level);
    s.set_opt("name_en", &form.name_en);
    s.set_opt("abbreviation", &form.abbreviation);
    s.set_opt("also_pillar", &form.also_pillar);
    s.set_opt("parent_id", &form.parent_id);
    s.set_opt("country_code", &form.country_code);
    s.set_opt("province_code", &form.province_code);
    s.set_opt("commune_code", &form.commune_code);
    s.set_opt("classification", &form.classification);
    s.set_opt("secret_item", &form.secret_item);
    s
}

fn form_of(m: &agency::Model) -> AgencyForm {
    AgencyForm {
        code: m.code.clone(),
        name_vi: m.name_vi.clone(),
        name_en: m.name_en.clone(),
        abbreviation: m.abbreviation.clone(),
        pillar: m.pillar.clone(),
        also_pillar: m.also_pillar.clone(),
        level: m.level.clone(),
        parent_id: m.parent_id.map(|p| p.to_string()),
        country_code: m.country_code.clone(),
        province_code: m.province_code.clone(),
        commune_code: m.commune_code.clone(),
        classification: Some(
            Classification::ALL
                .get(m.classification.clamp(0, 3) as usize)
                .copied()
                .unwrap_or_default()
                .as_str()
                .into(),
        ),
        secret_item: m.secret_item_id.map(|i| i.to_string()),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<NewQuery>,
) -> WebResult<Response> {
    let mut form = FormState::new(me.lang)
        .with("pillar", "state")
        .with("level", "central")
        .with("classification", "none");
    if let Some(p) = q.parent_id {
        form = form.with("parent_id", p);
    }
    Ok(render(
        &form_page(&state, &me, form, "/agencies".into(), false, "agency.new").await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    parent_id: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<AgencyForm>,
) -> WebResult<Response> {
    match state.store.agency_create(&me.ctx, &f).await {
        Ok(a) => Ok(see_other(&format!("/agencies/{}", a.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&f, me.lang);
            form.errors = errors;
            let page =
                form_page(&state, &me, form, "/agencies".into(), false, "agency.new").await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "agencies/show.html")]
struct ShowPage {
    page: PageCtx,
    basis: crate::ui::Basis,
    v: AgencyView,
    lineage_form: FormState,
    choices: Vec<AgencyRef>,
    kinds: Vec<Choice>,
    can_manage: bool,
    /// Plans the agency issued that the reader sees (the first page) and how many.
    plans: kieng_store::Page<kieng_store::plans::PlanRow>,
    /// Its tasks across every plan: open, past the deadline, due soon.
    task_counts: [u64; 3],
    /// Citizen protection cases in its charge: open, past the first-contact clock.
    case_counts: [u64; 2],
    has_cases: bool,
    /// The candidacies it leads (as the reader sees them) and the hosted
    /// events it organises.
    candidacies: Vec<kieng_store::multilateral::CandidacyRow>,
    hosted: Vec<kieng_store::multilateral::RoleRow>,
}

async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    lineage_form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let v = state.store.agency_get(&me.ctx, id).await?;
    let can_manage = me.p.actor.is_admin()
        && me.p.actor.can_write(
            id,
            Classification::ALL
                .get(v.agency.classification.clamp(0, 3) as usize)
                .copied()
                .unwrap_or_default(),
        );
    let choices = if can_manage {
        state
            .store
            .agency_choices(&me.ctx)
            .await?
            .into_iter()
            .filter(|a| a.id != id)
            .collect()
    } else {
        vec![]
    };
    let lang_en = me.lang == crate::i18n::Lang::En;
    let plans = state
        .store
        .plan_list(
            &me.ctx,
            &kieng_store::plans::PlanFilter {
                agency: Some(id),
                ..Default::default()
            },
        )
        .await?;
    let mut task_counts = [0; 3];
    for (i, due) in ["open", "overdue", "soon"].into_iter().enumerate() {
        task_counts[i] = state
            .store
            .my_tasks(
                &me.ctx,
                &kieng_store::plans::MyTasksFilter {
                    agency: Some(id),
                    due: Some(due.into()),
                    ..Default::default()
                },
                lang_en,
            )
            .await?
            .total;
    }
    let case_filter = |clock: Option<&str>| kieng_store::protection::CaseFilter {
        agency: Some(id),
        status: Some("open".into()),
        clock: clock.map(str::to_string),
        ..Default::default()
    };
    let case_counts = [
        state
            .store
            .case_list(&me.ctx, &case_filter(None))
            .await?
            .total,
        state
            .store
            .case_list(&me.ctx, &case_filter(Some("overdue")))
            .await?
            .total,
    ];
    let (candidacies, hosted) = state.store.multilateral_of_agency(&me.ctx, id).await?;
    Ok(ShowPage {
        candidacies,
        hosted,
        plans,
        task_counts,
        has_cases: case_counts[0] > 0,
        case_counts,
        basis: crate::ui::basis(state, v.agency.classification, v.agency.secret_item_id).await?,
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/agencies/{id}"),
            "nav.agencies",
        )
        .with_title(v.agency.name_vi.clone())
        .with_notice(notice),
        v,
        lineage_form,
        choices,
        kinds: choices_kinds(me.lang),
        can_manage,
    })
}

fn choices_kinds(lang: crate::i18n::Lang) -> Vec<Choice> {
    choices(
        &LineageKind::ALL,
        LineageKind::as_str,
        LineageKind::label,
        lang,
    )
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let form = FormState::new(me.lang).with("kind", "renamed");
    Ok(render(
        &show_page(&state, &me, id, form, ok.ok.as_deref()).await?,
    ))
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.agency_get(&me.ctx, id).await?;
    let form = state_of(&form_of(&v.agency), me.lang).with("version", v.agency.version);
    Ok(render(
        &form_page(
            &state,
            &me,
            form,
            format!("/agencies/{id}"),
            true,
            "agency.edit",
        )
        .await?,
    ))
}

#[derive(Deserialize)]
pub struct AgencyEdit {
    #[serde(flatten)]
    form: AgencyForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<AgencyEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = f.version.trim().parse().unwrap_or(-1);
    let res = state
        .store
        .agency_update(&me.ctx, id, version, &f.form)
        .await;
    let (status, form, current) = match saved(res, || state_of(&f.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/agencies/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(
        &state,
        &me,
        form,
        format!("/agencies/{id}"),
        true,
        "agency.edit",
    )
    .await?;
    // Someone saved first: what changed, beside what was typed.
    if let Some(cur) = current.and_then(|c| serde_json::from_value::<agency::Model>(c).ok()) {
        let cur = state_of(&form_of(&cur), me.lang);
        let mine = state_of(&f.form, me.lang);
        for k in [
            "code",
            "name_vi",
            "name_en",
            "abbreviation",
            "pillar",
            "level",
            "parent_id",
            "country_code",
            "province_code",
            "classification",
        ] {
            if cur.v(k) != mine.v(k) {
                page.conflict.push((
                    format!("field.{k}"),
                    cur.v(k).to_string(),
                    mine.v(k).to_string(),
                ));
            }
        }
    }
    Ok(render_status(status, &page))
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
}

pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<VersionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state
        .store
        .agency_delete(&me.ctx, id, f.version.trim().parse().unwrap_or(-1))
        .await?;
    Ok(see_other("/agencies", "deleted"))
}

pub async fn restore(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.agency_restore(&me.ctx, id).await?;
    Ok(see_other(&format!("/agencies/{id}"), "restored"))
}

pub async fn lineage(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<LineageForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.agency_lineage_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/agencies/{id}"), "lineage")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("kind", &f.kind)
                .with("effective_date", &f.effective_date);
            form.set_opt("related_agency_id", &f.related_agency_id);
            form.set_opt("new_name_vi", &f.new_name_vi);
            form.set_opt("new_name_en", &f.new_name_en);
            form.set_opt("note", &f.note);
            form.errors = errors;
            let page = show_page(&state, &me, id, form, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.agency_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::agencies::ENTITY, id)
        .await?;
    let can_manage = me.p.actor.is_admin() && me.p.actor.write.contains(id);
    Ok(render(&HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/agencies/{id}/history"),
            "history.title",
        ),
        base: "/agencies",
        id,
        name: v.agency.name_vi.clone(),
        version: v.agency.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage,
    }))
}

pub async fn restore_version(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<VersionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let seq = ids.int(1)?;
    state
        .store
        .agency_restore_version(&me.ctx, id, seq, f.version.trim().parse().unwrap_or(-1))
        .await?;
    Ok(see_other(&format!("/agencies/{id}"), "restored_version"))
}
