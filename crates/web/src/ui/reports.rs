//! Review report pages: the list, the form (new and edit), one report with
//! its figures, narrative parts and workflow, a part's revisions, and the
//! register of numbers. The documents are in `report_document`.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, Saved, choices, render, render_status, saved, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::agency::Pillar;
use kieng_domain::report::{Part, PeriodKind, ReportForm, ScopeKind, Status};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::reports::{MoveForm, NumberRow, PartForm, ReportFilter, ReportRow, ReportView};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<ReportRow>,
    export_query: String,
    pager: Pager,
    filter: FormState,
    statuses: Vec<Choice>,
    can_create: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    status: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    year: Option<i32>,
    agency: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

fn filter_of(a: &ListArgs) -> ReportFilter {
    ReportFilter {
        q: a.q.clone(),
        status: a.status.clone(),
        year: a.year,
        agency: a.agency.as_deref().and_then(|p| p.parse().ok()),
        page: a.page,
    }
}

async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = ReportFilter {
        page: None,
        ..filter_of(a)
    };
    let rows = state.store.report_export_rows(&me.ctx, &f).await?;
    let t = |k| crate::i18n::t(me.lang, k).to_string();
    let headings = vec![
        t("report.number"),
        t("report.title"),
        t("report.period"),
        t("report.issuer"),
        t("report.status"),
        t("report.approved_at"),
    ];
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                if r.report.number_seq.is_some() {
                    r.number.clone()
                } else {
                    String::new()
                },
                r.report.title.clone(),
                r.period_vi.clone(),
                r.issuer
                    .as_ref()
                    .map(|a| a.name_vi.clone())
                    .unwrap_or_default(),
                Status::parse(&r.report.status)
                    .map(|s| s.label().get(me.lang.code()).to_string())
                    .unwrap_or_default(),
                r.report
                    .approved_at
                    .map(|d| {
                        kieng_store::activities::vn_date(d)
                            .format("%d/%m/%Y")
                            .to_string()
                    })
                    .unwrap_or_default(),
            ]
        })
        .collect();
    crate::export::list_download(
        "reports",
        crate::i18n::t(me.lang, "nav.reports"),
        &headings,
        &lines,
        &[
            (0, 16.0),
            (1, 60.0),
            (2, 28.0),
            (3, 40.0),
            (4, 18.0),
            (5, 14.0),
        ],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, false).await
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    let f = filter_of(&a);
    let res = state.store.report_list(&me.ctx, &f).await?;
    let year = a.year.map(|y| y.to_string());
    let base = query_string(&[
        ("q", a.q.as_deref()),
        ("status", a.status.as_deref()),
        ("year", year.as_deref()),
        ("agency", a.agency.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [("q", &a.q), ("status", &a.status), ("year", &year)] {
        filter.set_opt(k, v);
    }
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/reports", "nav.reports")
            .with_marking(res.items.iter().map(|r| r.report.classification)),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items,
        filter,
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
        can_create: kieng_store::Store::may_draft_reports(&me.ctx),
    }))
}

/// The form as the page posts it: the scope's reference comes from the
/// field of the scope chosen.
#[derive(Debug, Default, Deserialize)]
pub struct PageForm {
    #[serde(flatten)]
    form: ReportForm,
    scope_agency: Option<String>,
    scope_pillar: Option<String>,
    scope_province: Option<String>,
    #[serde(default)]
    version: String,
}

impl PageForm {
    fn resolved(&self) -> ReportForm {
        let mut f = self.form.clone();
        let pick = match ScopeKind::parse(&f.scope) {
            Some(ScopeKind::Agency) => &self.scope_agency,
            Some(ScopeKind::Pillar) => &self.scope_pillar,
            Some(ScopeKind::Province) => &self.scope_province,
            _ => &None,
        };
        if pick.is_some() {
            f.scope_ref = pick.clone();
        }
        f
    }
}

#[derive(Template)]
#[template(path = "reports/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    agencies: Vec<AgencyRef>,
    provinces: Vec<(String, String)>,
    periods: Vec<Choice>,
    scopes: Vec<Choice>,
    pillars: Vec<Choice>,
    urgencies: Vec<Choice>,
    marking: crate::ui::Marking,
    conflict: bool,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
) -> WebResult<FormPage> {
    let provinces = state
        .store
        .provinces()
        .await?
        .into_iter()
        .filter(|p| p.valid_to.is_none())
        .map(|p| (p.code, p.name))
        .collect();
    Ok(FormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &action,
            if editing { "report.edit" } else { "report.new" },
        ),
        action,
        editing,
        agencies: state.store.agency_choices(&me.ctx).await?,
        provinces,
        periods: choices(
            PeriodKind::ALL,
            PeriodKind::as_str,
            PeriodKind::label,
            me.lang,
        ),
        scopes: choices(ScopeKind::ALL, ScopeKind::as_str, ScopeKind::label, me.lang),
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        urgencies: choices(
            kieng_domain::report::Urgency::ALL,
            kieng_domain::report::Urgency::as_str,
            kieng_domain::report::Urgency::label,
            me.lang,
        ),
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        form,
    })
}

fn state_of(f: &ReportForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("title", &f.title)
        .with("period", &f.period)
        .with("scope", &f.scope);
    for (k, v) in [
        ("year", &f.year),
        ("part", &f.part),
        ("from", &f.from),
        ("to", &f.to),
        ("scope_ref", &f.scope_ref),
        ("agency", &f.agency),
        ("recipients", &f.recipients),
        ("signer_position", &f.signer_position),
        ("signer_name", &f.signer_name),
        ("copies_to", &f.copies_to),
        ("urgency", &f.urgency),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    s
}

fn form_of(v: &ReportView) -> ReportForm {
    let r = &v.row.report;
    let p = v.period;
    let part = match p.kind {
        PeriodKind::Half => (chrono::Datelike::month(&p.from) - 1) / 6 + 1,
        PeriodKind::Quarter => (chrono::Datelike::month(&p.from) - 1) / 3 + 1,
        _ => 1,
    };
    ReportForm {
        title: r.title.clone(),
        period: r.period_kind.clone(),
        year: Some(chrono::Datelike::year(&p.from).to_string()),
        part: Some(part.to_string()),
        from: Some(p.from.format("%Y-%m-%d").to_string()),
        to: Some(p.to.format("%Y-%m-%d").to_string()),
        scope: r.scope_kind.clone(),
        scope_ref: r.scope_ref.clone(),
        agency: v.row.issuer.as_ref().map(|a| a.code.clone()),
        recipients: Some(r.recipients.clone()),
        signer_position: Some(r.signer_position.clone()),
        signer_name: r.signer_name.clone(),
        copies_to: Some(r.copies_to.clone()),
        urgency: r.urgency.clone(),
        classification: Some(crate::api::dto::class(r.classification)),
        secret_item: r.secret_item_id.map(|i| i.to_string()),
    }
}

/// A new report may start from a dashboard's period and scope.
#[derive(Debug, Default, Deserialize)]
pub struct Start {
    period: Option<String>,
    year: Option<String>,
    part: Option<String>,
    from: Option<String>,
    to: Option<String>,
    scope: Option<String>,
    scope_ref: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(start): QueryArgs<Start>,
) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let year = start
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| chrono::Datelike::year(&kieng_store::today()));
    let mut form = FormState::new(me.lang)
        .with(
            "title",
            format!(
                "Tổng kết công tác đối ngoại năm {year} và phương hướng, nhiệm vụ năm {}",
                year + 1
            ),
        )
        .with("period", "year")
        .with("year", year)
        .with("part", 1)
        .with("scope", "agency")
        .with("scope_ref", &own)
        .with("agency", &own)
        .with("signer_position", "Thủ trưởng cơ quan")
        .with("classification", "none");
    for (k, v) in [
        ("period", &start.period),
        ("part", &start.part),
        ("from", &start.from),
        ("to", &start.to),
        ("scope", &start.scope),
        ("scope_ref", &start.scope_ref),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            form.values.insert(k.to_string(), v.to_string());
        }
    }
    Ok(render(
        &form_page(&state, &me, form, "/reports".into(), false).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<PageForm>,
) -> WebResult<Response> {
    let form = f.resolved();
    match state.store.report_create(&me.ctx, &form).await {
        Ok(r) => Ok(see_other(&format!("/reports/{}", r.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut s = state_of(&form, me.lang);
            s.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, s, "/reports".into(), false).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.report_get(&me.ctx, id).await?;
    if !v.may_edit {
        return Err(StoreError::forbidden().into());
    }
    let form = state_of(&form_of(&v), me.lang).with("version", v.row.report.version);
    Ok(render(
        &form_page(&state, &me, form, format!("/reports/{id}"), true).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<PageForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let form = b.resolved();
    let res = state.store.report_update(&me.ctx, id, version, &form).await;
    let (status, form, current) = match saved(res, || state_of(&form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/reports/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(&state, &me, form, format!("/reports/{id}"), true).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

#[derive(Template)]
#[template(path = "reports/show.html")]
struct ShowPage {
    page: PageCtx,
    v: ReportView,
    /// The heading row of every table.
    head: Vec<String>,
    /// Each part's form when it was sent back with errors or a conflict.
    part_errors: Option<(String, String)>,
    part_conflict: Option<String>,
    form: FormState,
    basis: crate::ui::Basis,
    /// The reader sees more than the report counts (its classification is lower).
    capped: bool,
}

impl ShowPage {
    fn cells(&self, t: &kieng_domain::report::Table) -> Vec<Vec<String>> {
        crate::ui::report_document::cells(t, self.page.lang)
    }
    fn label<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        if self.page.lang == crate::i18n::Lang::En {
            en
        } else {
            vi
        }
    }
    fn status_label(&self) -> String {
        Status::parse(&self.v.row.report.status)
            .map(|s| s.label().get(self.page.lang.code()).to_string())
            .unwrap_or_default()
    }
    fn part_label(&self, p: &Part) -> String {
        p.label().get(self.page.lang.code()).to_string()
    }
}

async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let v = state.store.report_get(&me.ctx, id).await?;
    let basis = crate::ui::basis(
        state,
        v.row.report.classification,
        v.row.report.secret_item_id,
    )
    .await?;
    let mark = crate::ui::report_document::mark_of(&v) as i16;
    Ok(ShowPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/reports/{id}"),
            "nav.reports",
        )
        .with_title(v.row.report.title.clone())
        .with_notice(notice)
        .with_marking([mark]),
        head: crate::ui::report_document::head(&v.figures, me.lang),
        capped: (me.ctx.actor.clearance as i16) > v.row.report.classification,
        v,
        part_errors: None,
        part_conflict: None,
        form,
        basis,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    Ok(render(
        &show_page(&state, &me, id, FormState::new(me.lang), ok.ok.as_deref()).await?,
    ))
}

/// `POST /reports/{id}/parts/{part}`: save a narrative part.
pub async fn save_part(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<PartForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let part =
        Part::parse(ids.0.get(1).map(String::as_str).unwrap_or("")).ok_or(StoreError::NotFound)?;
    match state.store.report_part_save(&me.ctx, id, part, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/reports/{id}#part-{}", part.as_str()),
            "saved",
        )),
        Err(StoreError::Invalid(errors)) => {
            let msg = errors
                .0
                .values()
                .next()
                .map(|m| m.get(me.lang.code()).to_string())
                .unwrap_or_default();
            let mut page = show_page(&state, &me, id, FormState::new(me.lang), None).await?;
            page.part_errors = Some((part.as_str().to_string(), msg));
            if let Some(t) = page.v.texts.iter_mut().find(|t| t.part == part) {
                t.body = f.body.clone();
            }
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(StoreError::Conflict { .. }) => {
            // What the writer typed stays in the box; the page says the part
            // changed and shows the current text's revision to start from.
            let mut page = show_page(&state, &me, id, FormState::new(me.lang), None).await?;
            page.part_conflict = Some(part.as_str().to_string());
            if let Some(t) = page.v.texts.iter_mut().find(|t| t.part == part) {
                t.body = f.body.clone();
            }
            Ok(render_status(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /reports/{id}/move`: submit, approve or return.
pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MoveForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.report_move(&me.ctx, id, &f).await {
        Ok(r) => Ok(see_other(
            &format!("/reports/{id}"),
            match r.status.as_str() {
                "submitted" => "report_submitted",
                "approved" => "report_approved",
                _ => "report_returned",
            },
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang);
            form.set_opt("note", &f.note);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    version: String,
}

/// `POST /reports/{id}/delete`: remove a draft.
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<DeleteForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = f.version.trim().parse().unwrap_or(-1);
    state.store.report_delete(&me.ctx, id, version).await?;
    Ok(see_other("/reports", "report_deleted"))
}

#[derive(Template)]
#[template(path = "reports/part_history.html")]
struct PartHistoryPage {
    page: PageCtx,
    id: Uuid,
    title: String,
    part: String,
    revisions: Vec<(kieng_store::entity::report_text::Model, Option<String>)>,
}

/// `GET /reports/{id}/parts/{part}`: every revision of a part.
pub async fn part_history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let part =
        Part::parse(ids.0.get(1).map(String::as_str).unwrap_or("")).ok_or(StoreError::NotFound)?;
    let v = state.store.report_get_brief(&me.ctx, id).await?;
    let revisions = state.store.report_part_history(&me.ctx, id, part).await?;
    Ok(render(&PartHistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/reports/{id}/parts/{}", part.as_str()),
            "report.revisions",
        )
        .with_marking([v.classification]),
        id,
        title: v.title,
        part: part.label().get(me.lang.code()).to_string(),
        revisions,
    }))
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.report_get_brief(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::reports::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/reports/{id}/history"),
            "history.title",
        ),
        base: "/reports",
        id,
        name: v.title.clone(),
        version: v.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "reports/numbers.html")]
struct NumbersPage {
    page: PageCtx,
    rows: Vec<NumberRow>,
    pager: Pager,
    filter: FormState,
}

#[derive(Debug, Default, Deserialize)]
pub struct NumberArgs {
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    year: Option<i32>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// `GET /reports/numbers`: the register of numbers issued.
pub async fn numbers(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NumberArgs>,
) -> WebResult<Response> {
    let res = state
        .store
        .document_numbers(&me.ctx, a.year, a.page)
        .await?;
    let y = a.year.map(|y| y.to_string());
    let base = query_string(&[("year", y.as_deref())]);
    Ok(render(&NumbersPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/reports/numbers", "report.numbers")
            .with_marking(res.items.iter().map(|r| r.entry.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items,
        filter: FormState::new(me.lang).with("year", y.unwrap_or_default()),
    }))
}
