//! Citizen protection pages: the case list, the one-minute intake, one case
//! (its people masked; its team opens them, every opening recorded), the full
//! record, workflow moves, the timeline, people and team.

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
use kieng_domain::protection::person::{PersonForm, Role as PersonRole};
use kieng_domain::protection::{
    ActionForm, ActionKind, CaseForm, Category, Clock, IntakeForm, Move, Severity, Source, Status,
};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::protection::{CaseFilter, CaseMoveForm, CaseRow, CaseView, TeamForm};
use serde::Deserialize;
use uuid::Uuid;

/// A case row with its codes in the reader's words.
pub struct RowView {
    pub r: CaseRow,
    pub status: String,
    pub severity: String,
    pub category: String,
    pub clock: String,
    /// "overdue", "left" or "met": the clock's colour.
    pub clock_state: &'static str,
}

/// A code in the reader's words, or the code itself when unknown.
pub(crate) fn label<T: Copy>(
    parse: fn(&str) -> Option<T>,
    lab: fn(T) -> kieng_domain::Msg,
    code: &str,
    l: &str,
) -> String {
    parse(code)
        .map(|v| lab(v).get(l).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(crate) fn row_view(r: CaseRow, l: &str) -> RowView {
    let c = &r.case;
    RowView {
        status: label(Status::parse, Status::label, &c.status, l),
        severity: label(Severity::parse, Severity::label, &c.severity, l),
        category: label(Category::parse, Category::label, &c.category, l),
        clock: r.clock.label().get(l).to_string(),
        clock_state: match r.clock {
            Clock::Met => "met",
            Clock::Left(_) => "left",
            Clock::Overdue(_) => "overdue",
        },
        r,
    }
}

#[derive(Template)]
#[template(path = "protection/list.html")]
struct ListPage {
    page: PageCtx,
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
    rows: Vec<RowView>,
    pager: Pager,
    filter: FormState,
    statuses: Vec<Choice>,
    severities: Vec<Choice>,
    categories: Vec<Choice>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    category: Option<String>,
    country: Option<String>,
    clock: Option<String>,
    mine: Option<String>,
    /// The mission (or agency) in charge, by code.
    agency: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The list as filtered, as a spreadsheet.
async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = CaseFilter {
        page: None,
        ..filter_of(state, me, a).await?
    };
    let rows = state.store.case_export_rows(&me.ctx, &f).await?;
    crate::export::list_download(
        "protection",
        crate::i18n::t(me.lang, "nav.citizens"),
        &crate::export::case_headings(me.lang),
        &crate::export::case_lines(&rows, me.lang),
        &[(0, 16.0), (1, 16.0), (7, 30.0), (11, 60.0)],
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

/// The store's filter for what the list's form sent.
async fn filter_of(state: &AppState, me: &Me, a: &ListArgs) -> WebResult<CaseFilter> {
    let agency = match a.agency.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(
            state
                .store
                .agency_by_code(code)
                .await?
                .filter(|x| {
                    kieng_store::audit::from_rank(x.classification) <= me.ctx.actor.clearance
                })
                .map(|x| x.id)
                .ok_or(StoreError::NotFound)?,
        ),
        None => None,
    };
    Ok(CaseFilter {
        q: a.q.clone(),
        status: a.status.clone(),
        severity: a.severity.clone(),
        category: a.category.clone(),
        country: a.country.clone(),
        agency,
        clock: a.clock.clone(),
        mine: Some(a.mine.as_deref() == Some("1")),
        page: a.page,
    })
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    let f = filter_of(&state, &me, &a).await?;
    let res = state.store.case_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", a.q.as_deref()),
        ("status", a.status.as_deref()),
        ("severity", a.severity.as_deref()),
        ("category", a.category.as_deref()),
        ("country", a.country.as_deref()),
        ("clock", a.clock.as_deref()),
        ("mine", a.mine.as_deref()),
        ("agency", a.agency.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [
        ("q", &a.q),
        ("status", &a.status),
        ("severity", &a.severity),
        ("category", &a.category),
        ("country", &a.country),
        ("clock", &a.clock),
        ("mine", &a.mine),
        ("agency", &a.agency),
    ] {
        filter.set_opt(k, v);
    }
    let l = me.lang.code();
    Ok(render(&ListPage {
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        page: PageCtx::new(me.lang, Some(&me.p), "/protection", "nav.citizens")
            .with_marking(res.items.iter().map(|r| r.case.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items.into_iter().map(|r| row_view(r, l)).collect(),
        filter,
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
        severities: choices(Severity::ALL, Severity::as_str, Severity::label, me.lang),
        categories: choices(Category::ALL, Category::as_str, Category::label, me.lang),
    }))
}

#[derive(Template)]
#[template(path = "protection/new.html")]
struct NewPage {
    page: PageCtx,
    form: FormState,
    sources: Vec<Choice>,
    severities: Vec<Choice>,
    categories: Vec<Choice>,
    agencies: Vec<AgencyRef>,
}

async fn new_page(state: &AppState, me: &Me, form: FormState) -> WebResult<NewPage> {
    Ok(NewPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/protection/new", "case.new"),
        form,
        sources: choices(Source::ALL, Source::as_str, Source::label, me.lang),
        severities: choices(Severity::ALL, Severity::as_str, Severity::label, me.lang),
        categories: choices(Category::ALL, Category::as_str, Category::label, me.lang),
        agencies: state.store.agency_choices(&me.ctx).await?,
    })
}

pub async fn new_form(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let form = FormState::new(me.lang)
        .with("source", "hotline")
        .with("severity", "high")
        .with("agency", own);
    Ok(render(&new_page(&state, &me, form).await?))
}

fn intake_state(f: &IntakeForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("source", &f.source)
        .with("severity", &f.severity)
        .with("summary", &f.summary)
        .with("country", &f.country);
    for (k, v) in [
        ("category", &f.category),
        ("place", &f.place),
        ("agency", &f.agency),
        ("caller_name", &f.caller_name),
        ("caller_contact", &f.caller_contact),
        ("citizen_name", &f.citizen_name),
    ] {
        s.set_opt(k, v);
    }
    s
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<IntakeForm>,
) -> WebResult<Response> {
    match state.store.case_intake(&me.ctx, &f).await {
        Ok(c) => Ok(see_other(&format!("/protection/{}", c.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = intake_state(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_page(&state, &me, form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// A timeline entry in the reader's words.
pub struct ActionView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub what: String,
    pub note: String,
    pub by: String,
    pub first_contact: bool,
}

/// A person in the reader's words.
pub struct PersonRow {
    pub role: String,
    pub p: kieng_store::protection::PersonView,
}

#[derive(Template)]
#[template(path = "protection/show.html")]
struct ShowPage {
    page: PageCtx,
    v: CaseView,
    row: RowView,
    source: String,
    people: Vec<PersonRow>,
    actions: Vec<ActionView>,
    moves: Vec<Choice>,
    kinds: Vec<Choice>,
    roles: Vec<Choice>,
    entry_kinds: Vec<Choice>,
    form: FormState,
    basis: crate::ui::Basis,
    /// The fund's ledger, as a reader writes amounts (VND).
    ledger: [String; 4],
}

async fn show_page(
    state: &AppState,
    me: &Me,
    v: CaseView,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let l = me.lang.code();
    let c = &v.row.case;
    let basis = crate::ui::basis(state, c.classification, c.secret_item_id).await?;
    let id = c.id;
    let page = PageCtx::new(
        me.lang,
        Some(&me.p),
        &format!("/protection/{id}"),
        "nav.citizens",
    )
    .with_title(c.number.clone())
    .with_notice(notice)
    .with_marking([c.classification]);
    let source = label(Source::parse, Source::label, &c.source, l);
    let people = v
        .people
        .iter()
        .cloned()
        .map(|p| PersonRow {
            role: label(PersonRole::parse, PersonRole::label, &p.role, l),
            p,
        })
        .collect();
    let actions = v
        .actions
        .iter()
        .map(|a| ActionView {
            at: a.at,
            what: match &a.move_code {
                Some(m) => label(Move::parse, Move::label, m, l),
                None => label(ActionKind::parse, ActionKind::label, &a.kind, l),
            },
            note: a.note.clone(),
            by: a.by_name.clone(),
            first_contact: a.first_contact,
        })
        .collect();
    let moves = v
        .moves
        .iter()
        .map(|m| Choice {
            value: m.as_str(),
            label: m.label().get(l).to_string(),
        })
        .collect();
    let row = row_view(v.row.clone(), l);
    Ok(ShowPage {
        page,
        row,
        source,
        people,
        actions,
        moves,
        kinds: choices(
            ActionKind::ALL,
            ActionKind::as_str,
            ActionKind::label,
            me.lang,
        ),
        roles: choices(
            PersonRole::ALL,
            PersonRole::as_str,
            PersonRole::label,
            me.lang,
        ),
        entry_kinds: choices(
            kieng_domain::protection::fund::EntryKind::ALL,
            kieng_domain::protection::fund::EntryKind::as_str,
            kieng_domain::protection::fund::EntryKind::label,
            me.lang,
        ),
        ledger: {
            let en = me.lang == crate::i18n::Lang::En;
            let l = &v.ledger;
            [
                l.advanced.display(en),
                l.paid.display(en),
                l.repaid.display(en),
                l.outstanding.display(en),
            ]
        },
        form,
        basis,
        v,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let v = state.store.case_get(&me.ctx, ids.uuid(0)?).await?;
    Ok(render(
        &show_page(&state, &me, v, FormState::new(me.lang), ok.ok.as_deref()).await?,
    ))
}

/// The case with its personal data in clear: the team's, recorded.
pub async fn personal(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let v = state
        .store
        .case_open_personal(&me.ctx, ids.uuid(0)?)
        .await?;
    Ok(render(
        &show_page(&state, &me, v, FormState::new(me.lang), None).await?,
    ))
}

/// A form on the case page that failed: the page again with what was typed.
async fn again(state: &AppState, me: &Me, id: Uuid, form: FormState) -> WebResult<Response> {
    let v = state.store.case_get(&me.ctx, id).await?;
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &show_page(state, me, v, form, None).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct MoveArgs {
    #[serde(default, rename = "move")]
    move_code: String,
    reason: Option<String>,
    #[serde(default)]
    version: String,
}

pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(a): FormBody<MoveArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let f = CaseMoveForm {
        move_code: a.move_code.clone(),
        reason: a.reason.clone(),
        version: a.version.trim().parse().unwrap_or(-1),
    };
    match state.store.case_move(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/protection/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang);
            form.set_opt("reason", &a.reason);
            form.errors = errors;
            again(&state, &me, id, form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_action(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<ActionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.case_action_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/protection/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("kind", &f.kind)
                .with("note", &f.note);
            form.set_opt("at", &f.at);
            form.set_opt("first_contact", &f.first_contact);
            form.errors = errors;
            again(&state, &me, id, form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_person(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<PersonForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.case_person_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/protection/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            // What was typed is personal data: it goes back to the team
            // member who typed it, in this response only.
            let mut form = FormState::new(me.lang)
                .with("role", &f.role)
                .with("full_name", &f.full_name);
            for (k, v) in [
                ("birth_date", &f.birth_date),
                ("passport", &f.passport),
                ("id_number", &f.id_number),
                ("contact", &f.contact),
                ("health", &f.health),
                ("note_person", &f.note),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            again(&state, &me, id, form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn team(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<TeamForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.case_team_change(&me.ctx, id, &f).await {
        Ok(()) => Ok(see_other(&format!("/protection/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("username", &f.username);
            form.errors = errors;
            again(&state, &me, id, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "protection/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    number: String,
    severities: Vec<Choice>,
    categories: Vec<Choice>,
    agencies: Vec<AgencyRef>,
    marking: crate::ui::Marking,
    conflict: bool,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    number: String,
    form: FormState,
) -> WebResult<FormPage> {
    let action = format!("/protection/{id}");
    Ok(FormPage {
        page: PageCtx::new(me.lang, Some(&me.p), &action, "case.edit"),
        action,
        number,
        severities: choices(Severity::ALL, Severity::as_str, Severity::label, me.lang),
        categories: choices(Category::ALL, Category::as_str, Category::label, me.lang),
        agencies: state.store.agency_choices(&me.ctx).await?,
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        form,
    })
}

fn case_state(f: &CaseForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("category", &f.category)
        .with("severity", &f.severity)
        .with("summary", &f.summary)
        .with("country", &f.country)
        .with("agency", &f.agency);
    for (k, v) in [
        ("place", &f.place),
        ("officer", &f.officer),
        ("authority", &f.authority),
        ("legal_entity", &f.legal_entity),
        ("next_action", &f.next_action),
        ("next_action_due", &f.next_action_due),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
        ("legal_hold", &f.legal_hold),
        ("talking_point", &f.talking_point),
    ] {
        s.set_opt(k, v);
    }
    s
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.case_get(&me.ctx, id).await?;
    if !v.can_work {
        return Err(StoreError::forbidden().into());
    }
    let c = &v.row.case;
    let agency = state.store.agency_get_quiet_code(c.agency_id).await?;
    let f = CaseForm {
        category: c.category.clone(),
        severity: c.severity.clone(),
        summary: c.summary.clone(),
        country: c.country_code.clone(),
        place: c.place.clone(),
        agency,
        officer: v.officer_username.clone(),
        authority: v.authority.as_ref().map(|a| a.1.clone()),
        legal_entity: c.legal_entity.clone(),
        next_action: c.next_action.clone(),
        next_action_due: c.next_action_due.map(|d| d.format("%Y-%m-%d").to_string()),
        classification: Some(crate::api::dto::class(c.classification)),
        secret_item: c.secret_item_id.map(|i| i.to_string()),
        legal_hold: c.legal_hold.then(|| "1".to_string()),
        talking_point: c.talking_point.clone(),
    };
    let form = case_state(&f, me.lang).with("version", c.version);
    Ok(render(
        &form_page(&state, &me, id, c.number.clone(), form).await?,
    ))
}

#[derive(Deserialize)]
pub struct CaseEdit {
    #[serde(flatten)]
    form: CaseForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<CaseEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state.store.case_update(&me.ctx, id, version, &b.form).await;
    let (status, form, current) = match saved(res, || case_state(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/protection/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let number = state.store.case_get(&me.ctx, id).await?.row.case.number;
    let mut page = form_page(&state, &me, id, number, form).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.case_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::protection::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/protection/{id}/history"),
            "history.title",
        ),
        base: "/protection",
        id,
        name: v.row.case.number.clone(),
        version: v.row.case.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

pub async fn add_fund(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<kieng_domain::protection::fund::FundForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.case_fund_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/protection/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("entry_kind", &f.kind)
                .with("amount", &f.amount)
                .with("currency", &f.currency)
                .with("purpose", &f.purpose);
            for (k, v) in [
                ("amount_vnd", &f.amount_vnd),
                ("refundable", &f.refundable),
                ("approved_by", &f.approved_by),
                ("on", &f.on),
            ] {
                form.set_opt(k, v);
            }
            // The domain names the kind "kind"; the page's field is "entry_kind".
            if let Some(m) = errors.0.get("kind").cloned() {
                form.errors.add("entry_kind", m);
            }
            for (k, m) in errors.0 {
                if k != "kind" {
                    form.errors.add(&k, m);
                }
            }
            again(&state, &me, id, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "protection/fund.html")]
struct FundPage {
    page: PageCtx,
    year: i32,
    rows: Vec<kieng_store::protection::FundTotal>,
    en: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct FundArgs {
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    year: Option<i32>,
}

/// The fund per mission in charge for a year.
pub async fn fund(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<FundArgs>,
) -> WebResult<Response> {
    let year = a
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&kieng_store::today()));
    Ok(render(&FundPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/protection/fund", "case.fund_totals"),
        rows: state.store.fund_totals(&me.ctx, year).await?,
        year,
        en: me.lang == crate::i18n::Lang::En,
    }))
}

/// A canonical decimal ("1500000") as the reader writes amounts.
pub fn money(canonical: &str, en: &bool) -> String {
    let en = *en;
    kieng_domain::plan::indicator::Figure::parse(canonical)
        .map(|f| f.display(en))
        .unwrap_or_else(|| canonical.to_string())
}
