//! Partner pages that change an existing partner: the edit form (a stale edit
//! shows what changed and keeps what was typed), accredited missions, history.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids};
use crate::middleware::Me;
use crate::ui::partners::{PartnerCreate, candidates_of, form_page, show_page, state_of};
use crate::ui::pieces::HistoryPage;
use crate::ui::{FormState, Saved, render, render_status, saved, see_other};
use crate::view::PageCtx;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::partner::{PartnerForm, PartnerKind};
use kieng_store::StoreError;
use kieng_store::entity::partner;
use serde::Deserialize;
use uuid::Uuid;

/// The form's strings for a stored partner.
fn form_of(p: &partner::Model, aliases: &[String]) -> PartnerForm {
    let tick = |b: bool| b.then(|| "1".to_string());
    PartnerForm {
        kind: p.kind.clone(),
        name_vi: p.name_vi.clone(),
        name_en: p.name_en.clone(),
        abbreviation: p.abbreviation.clone(),
        aliases: Some(aliases.join("\n").into()),
        country_code: p.country_code.clone(),
        notes: p.notes.clone(),
        classification: Some(crate::api::dto::class(p.classification)),
        secret_item: p.secret_item_id.map(|i| i.to_string()),
        neighbour: tick(p.neighbour),
        traditional_friend: tick(p.traditional_friend),
    }
}

async fn edit_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    kind: &str,
    form: FormState,
) -> WebResult<crate::ui::partners::FormPage> {
    let mut page = form_page(state, me, form).await?;
    page.page = PageCtx::new(
        me.lang,
        Some(&me.p),
        &format!("/partners/{id}/edit"),
        "partner.edit",
    );
    page.action = format!("/partners/{id}");
    page.editing = Some(PartnerKind::parse(kind).unwrap_or(PartnerKind::OtherOrganisation));
    Ok(page)
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let e = state.store.partner_for_edit(&me.ctx, id).await?;
    let form =
        state_of(&form_of(&e.partner, &e.aliases), me.lang).with("version", e.partner.version);
    Ok(render(
        &edit_page(&state, &me, id, &e.partner.kind, form).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<PartnerCreate>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let kind = state.store.partner_get_quiet(&me.ctx, id).await?.kind;
    let res = state
        .store
        .partner_update(&me.ctx, id, version, &b.form, b.allow_duplicate.is_some())
        .await;
    let res = match res {
        Err(StoreError::Duplicate { candidates }) => {
            let form = state_of(&b.form, me.lang).with("version", version);
            let mut page = edit_page(&state, &me, id, &kind, form).await?;
            page.duplicates = candidates_of(&candidates, me.lang);
            return Ok(render_status(StatusCode::CONFLICT, &page));
        }
        other => other,
    };
    let (status, form, current) = match saved(res, || state_of(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/partners/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = edit_page(&state, &me, id, &kind, form).await?;
    // Someone saved first: what changed, beside what was typed.
    if let Some(cur) = current.and_then(|c| serde_json::from_value::<partner::Model>(c).ok()) {
        let cur = state_of(&form_of(&cur, &[]), me.lang);
        let mine = state_of(&b.form, me.lang);
        for (k, label) in [
            ("name_vi", "field.name_vi"),
            ("name_en", "field.name_en"),
            ("abbreviation", "field.abbreviation"),
            ("country_code", "partner.country"),
            ("notes", "field.note"),
            ("classification", "field.classification"),
            ("neighbour", "partner.neighbour"),
            ("traditional_friend", "partner.traditional_friend"),
        ] {
            if cur.v(k) != mine.v(k) {
                page.conflict
                    .push((label.into(), cur.v(k).into(), mine.v(k).into()));
            }
        }
    }
    Ok(render_status(status, &page))
}

#[derive(Deserialize)]
pub struct MissionForm {
    #[serde(default)]
    agency_id: String,
    /// Checkbox: present when the mission is resident in the partner country.
    resident: Option<String>,
}

pub async fn add_mission(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MissionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let agency = f.agency_id.trim().parse::<Uuid>().unwrap_or(Uuid::nil());
    match state
        .store
        .partner_mission_set(&me.ctx, id, agency, f.resident.is_some())
        .await
    {
        Ok(()) => Ok(see_other(&format!("/partners/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("agency_id", &f.agency_id);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_position(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<kieng_domain::person::PositionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.person_position_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/partners/{id}#positions"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("title", &f.title)
                .with("organisation", f.organisation.as_deref().unwrap_or(""))
                .with("from", f.from.as_deref().unwrap_or(""))
                .with("to", f.to.as_deref().unwrap_or(""))
                .with("source", f.source.as_deref().unwrap_or(""));
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_position(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state
        .store
        .person_position_remove(&me.ctx, id, ids.uuid(1)?)
        .await?;
    Ok(see_other(&format!("/partners/{id}#positions"), "saved"))
}

pub async fn remove_mission(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let agency = ids.uuid(1)?;
    state
        .store
        .partner_mission_remove(&me.ctx, id, agency)
        .await?;
    Ok(see_other(&format!("/partners/{id}"), "saved"))
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let d = state.store.partner_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::partners::ENTITY, id)
        .await?;
    Ok(render(&HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/partners/{id}/history"),
            "history.title",
        ),
        base: "/partners",
        id,
        name: d.partner.name_vi.clone(),
        version: d.partner.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Deserialize)]
pub struct MergeForm {
    /// The partner that stays: a name, alias, code or id.
    #[serde(default)]
    into: String,
}

pub async fn merge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MergeForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let found: Vec<partner::Model> = state
        .store
        .partner_find_named(&me.ctx, &f.into)
        .await?
        .into_iter()
        .filter(|p| p.id != id)
        .collect();
    let error = match found.as_slice() {
        [keep] => {
            state.store.partner_merge(&me.ctx, id, keep.id).await?;
            return Ok(see_other(&format!("/partners/{}", keep.id), "merged"));
        }
        [] => kieng_domain::Msg::new(
            "Không tìm thấy đối tác với tên hoặc mã này.",
            "No partner has this name or code.",
        ),
        _ => kieng_domain::Msg::new(
            "Tên này khớp nhiều đối tác; ghi mã hoặc tên đầy đủ.",
            "This name fits several partners; give the code or full name.",
        ),
    };
    let mut form = FormState::new(me.lang).with("into", &f.into);
    form.errors = kieng_domain::FieldErrors::single("into", error);
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &show_page(&state, &me, id, form, None).await?,
    ))
}
