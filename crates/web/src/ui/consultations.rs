//! The consultations of a hosted conference on its page (Decision 06/2020/QĐ-TTg,
//! Art. 5): record a request, correct it or record its answer, remove one
//! recorded by mistake.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids};
use crate::i18n::Lang;
use crate::middleware::Me;
use crate::ui::activities::show_page;
use crate::ui::{FormState, render_status, see_other};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::consultation::ConsultationForm;
use kieng_store::StoreError;
use kieng_store::activities::ConsultationRow;
use uuid::Uuid;

/// One consultation form of the section: the form to add one, or the form that
/// corrects a recorded one (prefilled from it).
pub(crate) struct ConsultForm {
    pub action: String,
    /// Makes the form's element ids unique on the page.
    pub prefix: String,
    pub form: FormState,
    /// Open when it was just sent back with errors.
    pub open: bool,
}

/// The section's forms: one per recorded consultation, then the one to add.
pub(crate) fn forms(
    activity: Uuid,
    rows: &[ConsultationRow],
    lang: Lang,
) -> (Vec<ConsultForm>, ConsultForm) {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let edits = rows
        .iter()
        .map(|c| {
            let r = &c.row;
            let mut form = FormState::new(lang)
                .with("body", &r.body)
                .with("requested_on", r.requested_on)
                .with("received_on", day(r.received_on))
                .with("answered_on", day(r.answered_on));
            form.set_opt("reference", &r.reference);
            form.set_opt("note", &r.note);
            ConsultForm {
                action: format!("/activities/{activity}/consultations/{}", r.id),
                prefix: format!("c{}", r.id.simple()),
                form,
                open: false,
            }
        })
        .collect();
    let add = ConsultForm {
        action: format!("/activities/{activity}/consultations"),
        prefix: "cnew".into(),
        form: FormState::new(lang).with("requested_on", crate::view::today_iso()),
        open: false,
    };
    (edits, add)
}

fn typed(f: &ConsultationForm, lang: Lang, errors: kieng_domain::FieldErrors) -> FormState {
    let mut form = FormState::new(lang)
        .with("body", &f.body)
        .with("requested_on", &f.requested_on);
    form.set_opt("received_on", &f.received_on);
    form.set_opt("answered_on", &f.answered_on);
    form.set_opt("reference", &f.reference);
    form.set_opt("note", &f.note);
    form.errors = errors;
    form
}

/// The page again with the form that was sent open, showing what to fix.
async fn sent_back(
    state: &AppState,
    me: &Me,
    id: Uuid,
    which: Option<Uuid>,
    f: &ConsultationForm,
    errors: kieng_domain::FieldErrors,
) -> WebResult<Response> {
    let mut page = show_page(state, me, id, FormState::new(me.lang), None).await?;
    let typed = typed(f, me.lang, errors);
    let target = match which {
        Some(c) => {
            let action = format!("/activities/{id}/consultations/{c}");
            page.consult_edits.iter_mut().find(|e| e.action == action)
        }
        None => Some(&mut page.consult_add),
    };
    if let Some(t) = target {
        t.form = typed;
        t.open = true;
    }
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<ConsultationForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.activity_consultation_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/activities/{id}#consultations"),
            "saved",
        )),
        Err(StoreError::Invalid(e)) => sent_back(&state, &me, id, None, &f, e).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<ConsultationForm>,
) -> WebResult<Response> {
    let (id, c) = (ids.uuid(0)?, ids.uuid(1)?);
    match state
        .store
        .activity_consultation_update(&me.ctx, id, c, &f)
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/activities/{id}#consultations"),
            "saved",
        )),
        Err(StoreError::Invalid(e)) => sent_back(&state, &me, id, Some(c), &f, e).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let (id, c) = (ids.uuid(0)?, ids.uuid(1)?);
    state
        .store
        .activity_consultation_remove(&me.ctx, id, c)
        .await?;
    Ok(see_other(
        &format!("/activities/{id}#consultations"),
        "consultation_removed",
    ))
}
