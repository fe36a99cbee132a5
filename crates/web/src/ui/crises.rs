//! Crisis pages: the list, a crisis with its live counts, transports and
//! registry (masked; its team opens a page, every opening recorded), entries
//! added by phone, status changes, a case from an entry, the community-list
//! import with its preview, duplicates and merging, and manifests as XLSX.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::protection::label;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::import::SheetColumn;
use kieng_domain::protection::crisis::{
    Column, CrisisForm, EntryForm, Kind, MAX_IMPORT_ROWS, PersonStatus, Phase, StatusForm,
};
use kieng_store::StoreError;
use kieng_store::protection::TeamForm;
use kieng_store::protection::crisis::{
    CrisisFilter, CrisisImport, CrisisRow, CrisisView, Entry, Registry, RegistryFilter, RowStatus,
};
use serde::Deserialize;
use uuid::Uuid;

/// A crisis row in the reader's words.
pub struct CrisisLine {
    pub r: CrisisRow,
    pub kind: String,
    pub phase: String,
}

fn line(r: CrisisRow, l: &str) -> CrisisLine {
    CrisisLine {
        kind: label(Kind::parse, Kind::label, &r.crisis.kind, l),
        phase: label(Phase::parse, Phase::label, &r.crisis.phase, l),
        r,
    }
}

#[derive(Template)]
#[template(path = "protection/crises.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<CrisisLine>,
    pager: Pager,
    filter: FormState,
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CrisisFilter>,
) -> WebResult<Response> {
    let res = state.store.crisis_list(&me.ctx, &f).await?;
    let base = query_string(&[("status", f.status.as_deref())]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("status", &f.status);
    let l = me.lang.code();
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/protection/crises", "crisis.title"),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items.into_iter().map(|r| line(r, l)).collect(),
        filter,
    }))
}

#[derive(Template)]
#[template(path = "protection/crisis_form.html")]
struct FormPage {
    page: PageCtx,
    /// None: a new crisis.
    id: Option<Uuid>,
    form: FormState,
    kinds: Vec<Choice>,
    phases: Vec<Choice>,
    agencies: Vec<kieng_store::agencies::AgencyRef>,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    id: Option<Uuid>,
    form: FormState,
) -> WebResult<FormPage> {
    let path = match id {
        Some(id) => format!("/protection/crises/{id}/edit"),
        None => "/protection/crises/new".into(),
    };
    Ok(FormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &path,
            if id.is_some() {
                "crisis.edit"
            } else {
                "crisis.new"
            },
        ),
        id,
        form,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        phases: choices(Phase::ALL, Phase::as_str, Phase::label, me.lang),
        agencies: state.store.agency_choices(&me.ctx).await?,
    })
}

fn crisis_state(f: &CrisisForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("name", &f.name)
        .with("kind", &f.kind)
        .with("country", &f.country)
        .with("area", &f.area);
    for (k, v) in [
        ("phase", &f.phase),
        ("agency", &f.agency),
        ("started_on", &f.started_on),
        ("note", &f.note),
    ] {
        s.set_opt(k, v);
    }
    if let Some(v) = f.version {
        s = s.with("version", v);
    }
    s
}

pub async fn new_form(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let form = FormState::new(me.lang)
        .with("phase", "precaution")
        .with("agency", own);
    Ok(render(&form_page(&state, &me, None, form).await?))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<CrisisForm>,
) -> WebResult<Response> {
    match state.store.crisis_create(&me.ctx, &f).await {
        Ok(c) => Ok(see_other(
            &format!("/protection/crises/{}", c.id),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = crisis_state(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, None, form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.crisis_get(&me.ctx, id).await?;
    if !v.can_work {
        return Err(StoreError::forbidden().into());
    }
    let c = &v.row.crisis;
    let code = state.store.agency_get_quiet_code(c.agency_id).await?;
    let mut form = FormState::new(me.lang)
        .with("name", &c.name)
        .with("kind", &c.kind)
        .with("phase", &c.phase)
        .with("country", &c.country_code)
        .with("area", &c.area)
        .with("agency", code)
        .with("started_on", c.started_on.format("%d/%m/%Y"))
        .with("version", c.version);
    form.set_opt("note", &c.note);
    Ok(render(&form_page(&state, &me, Some(id), form).await?))
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<CrisisForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.crisis_update(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/protection/crises/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = crisis_state(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, Some(id), form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// A status's label and tone, in `PersonStatus::ALL` order.
pub struct StatusHead {
    pub code: &'static str,
    pub label: String,
    pub tone: &'static str,
}

/// An entry in the reader's words.
pub struct EntryLine {
    pub e: Entry,
    pub status: String,
    pub tone: &'static str,
}

#[derive(Template)]
#[template(path = "protection/crisis.html")]
struct ShowPage {
    page: PageCtx,
    v: CrisisView,
    kind: String,
    phase: String,
    heads: Vec<StatusHead>,
    statuses: Vec<Choice>,
    registry: Registry,
    entries: Vec<EntryLine>,
    pager: Pager,
    /// The registry's filter as hidden fields of the "open" form.
    filter: FormState,
    /// The add-by-phone form (what was typed, when it failed).
    form: FormState,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegistryArgs {
    status: Option<String>,
    place: Option<String>,
    transport: Option<String>,
    passport: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
    ok: Option<String>,
}

impl RegistryArgs {
    fn filter(&self) -> RegistryFilter {
        RegistryFilter {
            status: self.status.clone(),
            place: self.place.clone(),
            transport: self.transport.clone(),
            passport: self.passport.clone(),
            page: self.page,
        }
    }
}

async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    a: &RegistryArgs,
    open: bool,
    form: FormState,
) -> WebResult<ShowPage> {
    let registry = state
        .store
        .crisis_registry(&me.ctx, id, &a.filter(), open)
        .await?;
    let v = state.store.crisis_get(&me.ctx, id).await?;
    let l = me.lang.code();
    let c = &v.row.crisis;
    let base = query_string(&[
        ("status", a.status.as_deref()),
        ("place", a.place.as_deref()),
        ("transport", a.transport.as_deref()),
        ("passport", a.passport.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, x) in [
        ("status", &a.status),
        ("place", &a.place),
        ("transport", &a.transport),
        ("passport", &a.passport),
    ] {
        filter.set_opt(k, x);
    }
    filter = filter.with("page", registry.entries.page);
    let entries = registry
        .entries
        .items
        .iter()
        .cloned()
        .map(|e| {
            let s = PersonStatus::parse(&e.status);
            EntryLine {
                status: s
                    .map(|s| s.label().get(l).to_string())
                    .unwrap_or_else(|| e.status.clone()),
                tone: s.map_or("muted", PersonStatus::tone),
                e,
            }
        })
        .collect();
    Ok(ShowPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/protection/crises/{id}"),
            "crisis.title",
        )
        .with_title(c.name.clone())
        .with_notice(a.ok.as_deref())
        .with_marking([c.classification]),
        kind: label(Kind::parse, Kind::label, &c.kind, l),
        phase: label(Phase::parse, Phase::label, &c.phase, l),
        heads: PersonStatus::ALL
            .iter()
            .map(|s| StatusHead {
                code: s.as_str(),
                label: s.label().get(l).to_string(),
                tone: s.tone(),
            })
            .collect(),
        statuses: choices(
            PersonStatus::ALL,
            PersonStatus::as_str,
            PersonStatus::label,
            me.lang,
        ),
        pager: Pager::new(
            registry.entries.page,
            registry.entries.pages(),
            registry.entries.total,
            &base,
        ),
        entries,
        registry,
        filter,
        form,
        v,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<RegistryArgs>,
) -> WebResult<Response> {
    let p = show_page(
        &state,
        &me,
        ids.uuid(0)?,
        &a,
        false,
        FormState::new(me.lang),
    )
    .await?;
    Ok(render(&p))
}

/// A page of the registry in clear: the team's, recorded.
pub async fn personal(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(a): FormBody<RegistryArgs>,
) -> WebResult<Response> {
    let p = show_page(&state, &me, ids.uuid(0)?, &a, true, FormState::new(me.lang)).await?;
    Ok(render(&p))
}

pub async fn add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<EntryForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.crisis_entry_add(&me.ctx, id, &f).await {
        Ok(a) => Ok(see_other(
            &format!("/protection/crises/{id}"),
            if a.merged { "entry_merged" } else { "saved" },
        )),
        Err(StoreError::Invalid(errors)) => {
            // What was typed is personal data: it goes back to whoever typed
            // it, in this response only.
            let mut form = FormState::new(me.lang).with("full_name", &f.full_name);
            for (k, v) in [
                ("birth_date", &f.birth_date),
                ("passport", &f.passport),
                ("contact", &f.contact),
                ("note", &f.note),
                ("status", &f.status),
                ("place", &f.place),
                ("transport", &f.transport),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            let p = show_page(&state, &me, id, &RegistryArgs::default(), false, form).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusArgs {
    #[serde(default)]
    status: String,
    place: Option<String>,
    transport: Option<String>,
    #[serde(default)]
    version: String,
    /// Where to return: the registry page's query string.
    back: Option<String>,
}

/// The registry page a form came from (its own query string only).
fn back_to(id: Uuid, back: Option<&str>) -> String {
    let q = back
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=&_-.%+".contains(*c))
        .take(500)
        .collect::<String>();
    if q.is_empty() {
        format!("/protection/crises/{id}")
    } else {
        format!("/protection/crises/{id}?{q}")
    }
}

pub async fn status(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(a): FormBody<StatusArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let f = StatusForm {
        status: a.status,
        place: a.place,
        transport: a.transport,
        version: a.version.trim().parse().unwrap_or(-1),
    };
    state
        .store
        .crisis_entry_status(&me.ctx, id, ids.uuid(1)?, &f)
        .await?;
    Ok(see_other(&back_to(id, a.back.as_deref()), "saved"))
}

/// A case from an entry, in one step: the case page.
pub async fn case(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let case = state
        .store
        .crisis_case_from(&me.ctx, ids.uuid(0)?, ids.uuid(1)?)
        .await?;
    Ok(see_other(&format!("/protection/{case}"), "created"))
}

pub async fn team(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<TeamForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.crisis_team_change(&me.ctx, id, &f).await {
        Ok(()) => Ok(see_other(&format!("/protection/crises/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("username", &f.username);
            form.errors = errors;
            let p = show_page(&state, &me, id, &RegistryArgs::default(), false, form).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}

/// A checked upload awaiting confirmation.
struct Preview {
    batch: Uuid,
    file_name: String,
    report: CrisisImport,
}

#[derive(Template)]
#[template(path = "protection/crisis_import.html")]
struct ImportPage {
    page: PageCtx,
    id: Uuid,
    name: String,
    form: FormState,
    columns: Vec<String>,
    preview: Option<Preview>,
    /// After an import: new entries, merged rows.
    done: Option<(usize, usize)>,
}

impl ImportPage {
    /// Rows a preview lists (the counts cover all).
    fn shown(&self) -> usize {
        PREVIEW_ROWS
    }

    fn status(&self, s: &RowStatus) -> (&'static str, &str) {
        match s {
            RowStatus::New => ("status-approved", self.page.t("import.status_new")),
            RowStatus::Merged | RowStatus::SameAsRow => {
                ("status-cancelled", self.page.t("crisis.row_merged"))
            }
            RowStatus::Possible => ("warn-tag", self.page.t("crisis.row_possible")),
            RowStatus::Invalid => ("warn-tag", self.page.t("import.status_invalid")),
        }
    }

    fn person_status(&self, code: &str) -> String {
        label(
            PersonStatus::parse,
            PersonStatus::label,
            code,
            self.page.lang.code(),
        )
    }
}

/// Rows of a preview listed on the page.
const PREVIEW_ROWS: usize = 300;

async fn import_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
) -> WebResult<ImportPage> {
    let v = state.store.crisis_get(&me.ctx, id).await?;
    if !v.can_work {
        return Err(StoreError::forbidden().into());
    }
    Ok(ImportPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/protection/crises/{id}/import"),
            "crisis.import",
        ),
        id,
        name: v.row.crisis.name,
        form,
        columns: Column::ALL
            .iter()
            .map(|c| c.label().get(me.lang.code()).to_string())
            .collect(),
        preview: None,
        done: None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub created: Option<usize>,
    pub merged: Option<usize>,
}

pub async fn import_form(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(d): QueryArgs<Done>,
) -> WebResult<Response> {
    let mut p = import_page(&state, &me, ids.uuid(0)?, FormState::new(me.lang)).await?;
    p.done = d.created.map(|c| (c, d.merged.unwrap_or(0)));
    Ok(render(&p))
}

/// Read the upload, keep it sealed, and show what importing it would do.
pub async fn import_preview(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    upload: Multipart,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let mut form = FormState::new(me.lang);
    let read = match crate::sheet::upload(upload).await {
        Ok(up) => crate::sheet::read_rows_off_thread(up.bytes, MAX_IMPORT_ROWS)
            .await
            .map(|s| (up.file_name, s)),
        Err(m) => Err(m),
    };
    let (file_name, sheet) = match read {
        Ok(x) => x,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &import_page(&state, &me, id, form).await?,
            ));
        }
    };
    let report = state
        .store
        .crisis_import(&me.ctx, id, &sheet, false, None)
        .await?;
    let batch = state
        .store
        .crisis_stage(&me.ctx, id, &file_name, &sheet)
        .await?;
    let mut p = import_page(&state, &me, id, form).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render(&p))
}

/// Apply the list the user previewed: every row, or none.
pub async fn import_apply(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let (id, batch) = (ids.uuid(0)?, ids.uuid(1)?);
    let (file_name, report) = state
        .store
        .crisis_import_staged(&me.ctx, id, batch, true)
        .await?;
    if report.applied {
        return Ok(see_other(
            &format!(
                "/protection/crises/{id}/import?created={}&merged={}",
                report.new, report.merged
            ),
            "saved",
        ));
    }
    let mut p = import_page(&state, &me, id, FormState::new(me.lang)).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

#[derive(Template)]
#[template(path = "protection/crisis_duplicates.html")]
struct DuplicatesPage {
    page: PageCtx,
    id: Uuid,
    name: String,
    groups: Vec<Vec<EntryLine>>,
}

/// The entries that may be one person, in clear: the team's, recorded.
pub async fn duplicates(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let (c, groups) = state.store.crisis_duplicates(&me.ctx, id).await?;
    let l = me.lang.code();
    Ok(render(&DuplicatesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/protection/crises/{id}"),
            "crisis.duplicates",
        ),
        id,
        name: c.name,
        groups: groups
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(|e| {
                        let s = PersonStatus::parse(&e.status);
                        EntryLine {
                            status: s
                                .map(|s| s.label().get(l).to_string())
                                .unwrap_or_else(|| e.status.clone()),
                            tone: s.map_or("muted", PersonStatus::tone),
                            e,
                        }
                    })
                    .collect()
            })
            .collect(),
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct MergeArgs {
    #[serde(default)]
    keep: String,
    #[serde(default)]
    other: String,
}

pub async fn merge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(a): FormBody<MergeArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let parse = |s: &str| s.trim().parse::<Uuid>().map_err(|_| StoreError::NotFound);
    state
        .store
        .crisis_merge(&me.ctx, id, parse(&a.keep)?, parse(&a.other)?)
        .await?;
    Ok(see_other(
        &format!("/protection/crises/{id}"),
        "entry_merged",
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ManifestArgs {
    #[serde(default)]
    transport: String,
}

/// The headings of a manifest: the columns a community list is read by,
/// so a manifest imports again as it is.
fn manifest_headings(lang: crate::i18n::Lang) -> Vec<String> {
    Column::ALL
        .iter()
        .map(|c| c.label().get(lang.code()).to_string())
        .collect()
}

/// The people one flight or bus takes, as a workbook: the team's, recorded.
pub async fn manifest(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(a): FormBody<ManifestArgs>,
) -> WebResult<Response> {
    let (_, entries) = state
        .store
        .crisis_manifest(&me.ctx, ids.uuid(0)?, &a.transport)
        .await?;
    let l = me.lang.code();
    let lines: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let d = e.data.clone().unwrap_or_default();
            vec![
                d.full_name,
                d.birth_date
                    .map(|b| b.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                d.gender.unwrap_or_default(),
                d.passport.unwrap_or_default(),
                d.id_number.unwrap_or_default(),
                d.contact.unwrap_or_default(),
                e.place.clone(),
                label(PersonStatus::parse, PersonStatus::label, &e.status, l),
                e.transport.clone(),
                d.note.unwrap_or_default(),
            ]
        })
        .collect();
    crate::export::list_download(
        "manifest",
        crate::i18n::t(me.lang, "crisis.manifest"),
        &manifest_headings(me.lang),
        &lines,
        &[(0, 30.0), (3, 16.0), (5, 22.0), (6, 24.0), (9, 40.0)],
        true,
    )
}

/// A blank community list: the headings a list is read by.
pub async fn template(me: Me) -> WebResult<Response> {
    crate::export::list_download(
        "community-list",
        crate::i18n::t(me.lang, "crisis.registry"),
        &manifest_headings(me.lang),
        &[],
        &[(0, 30.0), (3, 16.0), (5, 22.0), (6, 24.0), (9, 40.0)],
        true,
    )
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.crisis_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::protection::crisis::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/protection/crises/{id}/history"),
            "history.title",
        ),
        base: "/protection/crises",
        id,
        name: v.row.crisis.name.clone(),
        version: v.row.crisis.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "protection/subject.html")]
struct SubjectPage {
    page: PageCtx,
    form: FormState,
}

fn subject_page(me: &Me, form: FormState) -> SubjectPage {
    SubjectPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/protection/subject", "subject.title"),
        form,
    }
}

pub async fn subject_form(me: Me) -> WebResult<Response> {
    Ok(render(&subject_page(&me, FormState::new(me.lang))))
}

/// Everything held about one person, as a JSON file: from the cases and
/// crises whose team the reader is on, each recorded as an opening.
pub async fn subject_export(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<kieng_store::protection::SubjectForm>,
) -> WebResult<Response> {
    match state.store.subject_export(&me.ctx, &f).await {
        Ok(x) => {
            let bytes = serde_json::to_vec_pretty(&x)
                .map_err(|e| StoreError::Internal(format!("subject export: {e}")))?;
            Ok(crate::export::download(
                bytes,
                "application/json",
                &format!(
                    "du-lieu-ca-nhan-{}.json",
                    x.generated_at.format("%Y%m%d-%H%M")
                ),
            ))
        }
        Err(StoreError::Invalid(errors)) => {
            // What was typed is personal data: it goes back in this response only.
            let mut form = FormState::new(me.lang);
            form.set_opt("passport", &f.passport);
            form.set_opt("full_name", &f.full_name);
            form.set_opt("birth_date", &f.birth_date);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &subject_page(&me, form),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
