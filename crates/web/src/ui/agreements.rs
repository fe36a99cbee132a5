//! Agreement pages: the list with filters, the form (new and edit), one
//! agreement with its status history, the provincial steps and what follows
//! from it.

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
use kieng_domain::activity::HeadLevel;
use kieng_domain::agreement::{AgreementForm, Kind, Renewal, SignedFor, Status, StepKind};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::agreements::{AgreementFilter, AgreementRow, AgreementView, StatusForm, StepForm};
use kieng_store::commitments::CommitmentRow;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "agreements/list.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<AgreementRow>,
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
    pager: Pager,
    filter: FormState,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    can_create: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    partner: Option<String>,
    expiring: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The store's filter for what the list's form sent.
fn filter_of(a: &ListArgs) -> AgreementFilter {
    AgreementFilter {
        q: a.q.clone(),
        kind: a.kind.clone(),
        status: a.status.clone(),
        partner: a.partner.as_deref().and_then(|p| p.parse().ok()),
        expiring: Some(a.expiring.as_deref() == Some("1")),
        page: a.page,
    }
}

/// The list as filtered, as a spreadsheet (at most the 10,000 lists count).
async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = AgreementFilter {
        page: None,
        ..filter_of(a)
    };
    let rows = state.store.agreement_export_rows(&me.ctx, &f).await?;
    crate::export::list_download(
        "agreements",
        crate::i18n::t(me.lang, "nav.agreements"),
        &crate::export::agreement_headings(me.lang),
        &crate::export::agreement_lines(&rows, me.lang),
        &[(0, 60.0), (1, 40.0), (2, 24.0), (7, 36.0)],
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
    let res = state.store.agreement_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", a.q.as_deref()),
        ("kind", a.kind.as_deref()),
        ("status", a.status.as_deref()),
        ("partner", a.partner.as_deref()),
        ("expiring", a.expiring.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    for (k, v) in [
        ("q", &a.q),
        ("kind", &a.kind),
        ("status", &a.status),
        ("expiring", &a.expiring),
    ] {
        filter.set_opt(k, v);
    }
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/agreements", "nav.agreements")
            .with_marking(res.items.iter().map(|r| r.agreement.classification)),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        items: res.items,
        filter,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
        can_create: kieng_store::Store::may_record_activities(&me.ctx),
    }))
}

#[derive(Template)]
#[template(path = "agreements/show.html")]
pub(crate) struct ShowPage {
    files: Vec<kieng_store::activities::AttachmentMeta>,
    accepted: String,
    files_base: String,
    files_can_edit: bool,
    page: PageCtx,
    basis: crate::ui::Basis,
    v: AgreementView,
    commitments: Vec<CommitmentRow>,
    form: FormState,
    steps: Vec<Choice>,
    /// In whose name it is signed, and the rules that follows.
    signed_for: Option<(String, String)>,
}

impl ShowPage {
    /// The article a step comes from, in the reader's language.
    fn step_basis(&self, k: &StepKind) -> &'static str {
        let (vi, en) = k.basis();
        if self.page.lang_code() == "en" {
            en
        } else {
            vi
        }
    }
}

pub(crate) async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let v = state.store.agreement_get(&me.ctx, id).await?;
    let commitments = state.store.commitments_of_agreement(&me.ctx, id).await?;
    let files = state
        .store
        .attachments_of(&me.ctx, kieng_store::activities::Holder::Agreement, id)
        .await?;
    let signed_for = v
        .agreement
        .signed_for
        .as_deref()
        .and_then(SignedFor::parse)
        .map(|s| {
            (
                s.label().get(me.lang.code()).to_string(),
                s.basis().to_string(),
            )
        });
    Ok(ShowPage {
        basis: crate::ui::basis(
            state,
            v.agreement.classification,
            v.agreement.secret_item_id,
        )
        .await?,
        signed_for,
        files,
        accepted: kieng_domain::attachment::accepted(),
        files_base: format!("/agreements/{id}"),
        files_can_edit: v.can_edit,
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/agreements/{id}"),
            "nav.agreements",
        )
        .with_title(v.agreement.title_vi.clone())
        .with_notice(notice)
        .with_marking(
            std::iter::once(v.agreement.classification)
                .chain(commitments.iter().map(|c| c.commitment.classification)),
        ),
        v,
        commitments,
        form,
        steps: choices(StepKind::ALL, StepKind::as_str, StepKind::label, me.lang),
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let form = FormState::new(me.lang).with("on_date", crate::view::today_iso());
    Ok(render(
        &show_page(&state, &me, id, form, ok.ok.as_deref()).await?,
    ))
}

#[derive(Template)]
#[template(path = "agreements/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    owners: Vec<AgencyRef>,
    kinds: Vec<Choice>,
    /// In whose name it may be signed.
    signed_fors: Vec<Choice>,
    levels: Vec<Choice>,
    renewals: Vec<Choice>,
    marking: crate::ui::Marking,
    conflict: bool,
    /// The activity named by `activity_id`, shown by its title.
    activity_title: Option<String>,
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
                "agreement.edit"
            } else {
                "agreement.new"
            },
        ),
        action,
        editing,
        owners: state.store.activity_lead_choices(&me.ctx).await?,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        signed_fors: choices(SignedFor::ALL, SignedFor::as_str, SignedFor::label, me.lang),
        levels: choices(HeadLevel::ALL, HeadLevel::as_str, HeadLevel::label, me.lang),
        renewals: choices(Renewal::ALL, Renewal::as_str, Renewal::label, me.lang),
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
        activity_title: crate::ui::pieces::record_title(
            state,
            &me.ctx,
            "activity",
            form.v("activity_id"),
        )
        .await,
        form,
    })
}

fn state_of(f: &AgreementForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("kind", &f.kind)
        .with("title_vi", &f.title_vi)
        .with("owner_agency", &f.owner_agency);
    for (k, v) in [
        ("title_en", &f.title_en),
        ("signed_for", &f.signed_for),
        ("agencies", &f.agencies.as_ref().map(|l| l.text())),
        ("partners", &f.partners.as_ref().map(|l| l.text())),
        ("signatory", &f.signatory),
        ("signatory_level", &f.signatory_level),
        ("place", &f.place),
        ("signed_on", &f.signed_on),
        ("in_force_on", &f.in_force_on),
        ("expires_on", &f.expires_on),
        ("term", &f.term),
        ("renewal", &f.renewal),
        ("legal_basis", &f.legal_basis),
        ("notes", &f.notes),
        ("activity_id", &f.activity_id),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    s
}

/// The form's strings for a stored agreement.
fn form_of(v: &AgreementView) -> AgreementForm {
    let a = &v.agreement;
    let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    AgreementForm {
        kind: a.kind.clone(),
        title_vi: a.title_vi.clone(),
        title_en: a.title_en.clone(),
        owner_agency: v.owner.as_ref().map(|o| o.code.clone()).unwrap_or_default(),
        signed_for: a.signed_for.clone(),
        agencies: Some(
            v.agencies
                .iter()
                .map(|a| a.code.clone())
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
        ),
        partners: Some(
            v.partners
                .iter()
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join("\n")
                .into(),
        ),
        signatory: a.signatory.clone(),
        signatory_level: a.signatory_level.clone(),
        place: a.place.clone(),
        signed_on: iso(a.signed_on),
        in_force_on: iso(a.in_force_on),
        expires_on: iso(a.expires_on),
        term: a.term.clone(),
        renewal: Some(a.renewal.clone()),
        legal_basis: a.legal_basis.clone(),
        notes: a.notes.clone(),
        activity_id: a.activity_id.map(|i| i.to_string()),
        classification: Some(crate::api::dto::class(a.classification)),
        secret_item: a.secret_item_id.map(|i| i.to_string()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewArgs {
    activity: Option<String>,
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
    let mut form = FormState::new(me.lang)
        .with("kind", Kind::Agreement.as_str())
        .with("owner_agency", own)
        .with("classification", "none");
    form.set_opt("activity_id", &a.activity);
    // Started from an activity: its partners, place and date come with it
    // (the date as the signing date when the activity was the signing).
    if let Some(id) = a
        .activity
        .as_deref()
        .and_then(|x| uuid::Uuid::parse_str(x).ok())
        && let Ok((activity, partners)) = state.store.activity_brief(&me.ctx, id).await
    {
        let names: Vec<&str> = partners.iter().map(|(_, n)| n.as_str()).collect();
        form = form.with("partners", names.join("\n"));
        if let Some(city) = &activity.city {
            form = form.with("place", city);
        }
        if activity.type_code == "signing" {
            form = form.with(
                "signed_on",
                kieng_store::activities::vn_date(activity.starts_at).format("%d/%m/%Y"),
            );
        }
    }
    Ok(render(
        &form_page(&state, &me, form, "/agreements".into(), false).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<AgreementForm>,
) -> WebResult<Response> {
    match state.store.agreement_create(&me.ctx, &f).await {
        Ok(a) => Ok(see_other(&format!("/agreements/{}", a.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, "/agreements".into(), false).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.agreement_get(&me.ctx, id).await?;
    if !v.can_edit {
        return Err(StoreError::forbidden().into());
    }
    let form = state_of(&form_of(&v), me.lang).with("version", v.agreement.version);
    Ok(render(
        &form_page(&state, &me, form, format!("/agreements/{id}"), true).await?,
    ))
}

#[derive(Deserialize)]
pub struct AgreementEdit {
    #[serde(flatten)]
    form: AgreementForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<AgreementEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state
        .store
        .agreement_update(&me.ctx, id, version, &b.form)
        .await;
    let (status, form, current) = match saved(res, || state_of(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/agreements/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(&state, &me, form, format!("/agreements/{id}"), true).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

pub async fn add_status(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<StatusForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.agreement_status_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/agreements/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("status", &f.status)
                .with("on_date", &f.on_date);
            form.set_opt("note", &f.note);
            form.set_opt("expires_on", &f.expires_on);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_step(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<StepForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.agreement_step_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/agreements/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("on_date", crate::view::today_iso())
                .with("step_kind", &f.kind);
            form.set_opt("body", &f.body);
            form.set_opt("requested_on", &f.requested_on);
            form.set_opt("done_on", &f.done_on);
            form.set_opt("reference", &f.reference);
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
    let v = state.store.agreement_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::agreements::ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/agreements/{id}/history"),
            "history.title",
        ),
        base: "/agreements",
        id,
        name: v.agreement.title_vi.clone(),
        version: v.agreement.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}
