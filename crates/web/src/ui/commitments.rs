//! Commitment pages: the list, the form (new — from an activity, an agreement
//! or a plan — and edit), one commitment with its progress notes, and the
//! coordinator's board with its XLSX export.

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
use kieng_domain::commitment::{CommitmentForm, Source, Status};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::commitments::{
    Board, CommitmentFilter, CommitmentNoteForm, CommitmentRow, CommitmentView,
};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "commitments/list.html")]
struct ListPage {
    page: PageCtx,
    rows: Vec<CommitmentRow>,
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
    pager: Pager,
    filter: FormState,
    statuses: Vec<Choice>,
    can_create: bool,
    drill: crate::ui::pieces::DrillView,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    status: Option<String>,
    due: Option<String>,
    agency: Option<String>,
    partner: Option<String>,
    /// A dashboard's drill-down (see `pieces::Drill`).
    scope: Option<String>,
    scope_ref: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

impl ListArgs {
    fn drill(&self) -> crate::ui::pieces::Drill {
        crate::ui::pieces::Drill {
            scope: self.scope.clone(),
            scope_ref: self.scope_ref.clone(),
            ..Default::default()
        }
    }
}

/// The store's filter for what the list's form sent.
fn filter_of(a: &ListArgs) -> CommitmentFilter {
    CommitmentFilter {
        q: a.q.clone(),
        status: a.status.clone(),
        due: a.due.clone(),
        agency: a.agency.as_deref().and_then(|p| p.parse().ok()),
        partner: a.partner.as_deref().and_then(|p| p.parse().ok()),
        page: a.page,
    }
}

/// The list as filtered, as a spreadsheet (at most the 10,000 lists count).
async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = CommitmentFilter {
        page: None,
        ..filter_of(a)
    };
    let (ctx, _) = a.drill().apply(state, me, "/commitments").await?;
    let rows = state.store.commitment_export_rows(&ctx, &f).await?;
    crate::export::list_download(
        "commitments",
        crate::i18n::t(me.lang, "nav.commitments"),
        &crate::export::commitment_headings(me.lang),
        &crate::export::commitment_lines(&rows, me.lang),
        &[(0, 12.0), (1, 60.0), (2, 36.0), (3, 24.0), (4, 24.0)],
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
    let (ctx, drill) = a.drill().apply(&state, &me, "/commitments").await?;
    let res = state.store.commitment_list(&ctx, &f).await?;
    let base = query_string(&[
        ("q", a.q.as_deref()),
        ("status", a.status.as_deref()),
        ("due", a.due.as_deref()),
        ("agency", a.agency.as_deref()),
        ("partner", a.partner.as_deref()),
        ("scope", a.scope.as_deref()),
        ("scope_ref", a.scope_ref.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [("q", &a.q), ("status", &a.status), ("due", &a.due)] {
        filter.set_opt(k, v);
    }
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/commitments", "nav.commitments")
            .with_marking(res.items.iter().map(|r| r.commitment.classification)),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        rows: res.items,
        filter,
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
        can_create: kieng_store::Store::may_record_activities(&me.ctx),
        drill,
    }))
}

#[derive(Template)]
#[template(path = "commitments/show.html")]
pub(crate) struct ShowPage {
    files: Vec<kieng_store::activities::AttachmentMeta>,
    accepted: String,
    files_base: String,
    files_can_edit: bool,
    page: PageCtx,
    basis: crate::ui::Basis,
    v: CommitmentView,
    form: FormState,
    statuses: Vec<Choice>,
}

pub(crate) async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let v = state.store.commitment_get(&me.ctx, id).await?;
    let files = state
        .store
        .attachments_of(&me.ctx, kieng_store::activities::Holder::Commitment, id)
        .await?;
    let mut basis = crate::ui::basis(
        state,
        v.row.commitment.classification,
        v.row.commitment.secret_item_id,
    )
    .await?;
    basis.from_source = basis.item.is_none()
        && (v.row.commitment.activity_id.is_some() || v.row.commitment.agreement_id.is_some());
    Ok(ShowPage {
        basis,
        files,
        accepted: kieng_domain::attachment::accepted(),
        files_base: format!("/commitments/{id}"),
        files_can_edit: v.can_edit,
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/commitments/{id}"),
            "nav.commitments",
        )
        .with_title(v.row.commitment.title.clone())
        .with_notice(notice)
        .with_marking([v.row.commitment.classification]),
        v,
        form,
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
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

#[derive(Template)]
#[template(path = "commitments/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    owners: Vec<AgencyRef>,
    sources: Vec<Choice>,
    marking: crate::ui::Marking,
    conflict: bool,
    /// The source record named by `source_id`, shown by its title.
    source_title: Option<String>,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
) -> WebResult<FormPage> {
    Ok(FormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &action,
            if editing {
                "commitment.edit"
            } else {
                "commitment.new"
            },
        ),
        action,
        editing,
        // Any agency may be the owner: a promise is often another agency's to keep.
        owners: state.store.agency_choices(&me.ctx).await?,
        sources: choices(Source::ALL, Source::as_str, Source::label, me.lang),
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        source_title: crate::ui::pieces::record_title(
            state,
            &me.ctx,
            form.v("source"),
            form.v("source_id"),
        )
        .await,
        form,
    })
}

fn state_of(f: &CommitmentForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("title", &f.title)
        .with("source", &f.source)
        .with("owner_agency", &f.owner_agency)
        .with("due_on", &f.due_on);
    for (k, v) in [
        ("detail", &f.detail),
        ("source_id", &f.source_id),
        ("plan", &f.plan),
        ("partner", &f.partner),
        ("responsible", &f.responsible),
        ("responsible_user", &f.responsible_user),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    s
}

fn form_of(v: &CommitmentView) -> CommitmentForm {
    let c = &v.row.commitment;
    CommitmentForm {
        title: c.title.clone(),
        detail: c.detail.clone(),
        source: c.source.clone(),
        source_id: c.activity_id.or(c.agreement_id).map(|i| i.to_string()),
        plan: c.plan.clone(),
        owner_agency: v
            .row
            .owner
            .as_ref()
            .map(|o| o.code.clone())
            .unwrap_or_default(),
        partner: c.partner_id.map(|p| p.to_string()),
        responsible: c.responsible.clone(),
        responsible_user: v.responsible_username.clone(),
        due_on: c.due_on.format("%Y-%m-%d").to_string(),
        classification: Some(crate::api::dto::class(c.classification)),
        secret_item: c.secret_item_id.map(|i| i.to_string()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewArgs {
    activity: Option<String>,
    agreement: Option<String>,
    /// A citizen protection case.
    case: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NewArgs>,
) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let (source, id) = match (&a.activity, &a.agreement, &a.case) {
        (Some(x), _, _) => (Source::Activity, Some(x.clone())),
        (None, Some(x), _) => (Source::Agreement, Some(x.clone())),
        (None, None, Some(x)) => (Source::Case, Some(x.clone())),
        _ => (Source::Plan, None),
    };
    let mut form = FormState::new(me.lang)
        .with("source", source.as_str())
        .with("owner_agency", own)
        .with("classification", "none");
    form.set_opt("source_id", &id);
    // Started from an activity: its first partner comes with it.
    if let Some(v) = a
        .activity
        .as_deref()
        .and_then(|x| uuid::Uuid::parse_str(x).ok())
        && let Ok((_, partners)) = state.store.activity_brief(&me.ctx, v).await
        && let Some((_, name)) = partners.first()
    {
        form = form.with("partner", name);
    }
    Ok(render(
        &form_page(&state, &me, form, "/commitments".into(), false).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<CommitmentForm>,
) -> WebResult<Response> {
    match state.store.commitment_create(&me.ctx, &f).await {
        Ok(c) => Ok(see_other(&format!("/commitments/{}", c.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, "/commitments".into(), false).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.commitment_get(&me.ctx, id).await?;
    if !v.can_edit {
        return Err(StoreError::forbidden().into());
    }
    let form = state_of(&form_of(&v), me.lang).with("version", v.row.commitment.version);
    Ok(render(
        &form_page(&state, &me, form, format!("/commitments/{id}"), true).await?,
    ))
}

#[derive(Deserialize)]
pub struct CommitmentEdit {
    #[serde(flatten)]
    form: CommitmentForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<CommitmentEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state
        .store
        .commitment_update(&me.ctx, id, version, &b.form)
        .await;
    let (status, form, current) = match saved(res, || state_of(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/commitments/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(&state, &me, form, format!("/commitments/{id}"), true).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

pub async fn add_note(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<CommitmentNoteForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.commitment_note_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/commitments/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("note", &f.note);
            form.set_opt("status", &f.status);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.commitment_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::commitments::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/commitments/{id}/history"),
            "history.title",
        ),
        base: "/commitments",
        id,
        name: v.row.commitment.title.clone(),
        version: v.row.commitment.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "commitments/board.html")]
struct BoardPage {
    page: PageCtx,
    b: Board,
}

pub async fn board(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    Ok(render(&BoardPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            "/commitments/board",
            "commitment.board",
        ),
        b: state.store.commitment_board(&me.ctx).await?,
    }))
}

/// The board as a workbook: overdue, due soon and expiring agreements, a sheet each.
pub async fn board_xlsx(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let b = state.store.commitment_board_full(&me.ctx).await?;
    let bytes = crate::export::board_workbook(&b, me.lang)?;
    let name = format!("kieng-board-{}.xlsx", b.today.format("%Y-%m-%d"));
    Ok(crate::export::download(bytes, crate::export::XLSX, &name))
}
