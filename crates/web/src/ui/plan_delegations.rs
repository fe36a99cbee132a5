//! A delegation plan's planned delegations on its page: adding one, and an
//! officer's decisions — this activity carried it out (usually one Kiềng
//! suggests), undo that, it will not go ahead (with the reason), delete it.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids};
use crate::middleware::Me;
use crate::ui::plans::{TreeArgs, show_page};
use crate::ui::{FormState, render_status, see_other};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::plan::delegation::DelegationForm;
use kieng_store::StoreError;
use kieng_store::plans::DecideForm;

/// The plan page again with a delegation form's problems.
async fn again(
    state: &AppState,
    me: &Me,
    plan: uuid::Uuid,
    form: FormState,
) -> WebResult<Response> {
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &show_page(
            state,
            me,
            plan,
            &TreeArgs::default(),
            FormState::new(me.lang),
            Some(form),
        )
        .await?,
    ))
}

pub async fn add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<DelegationForm>,
) -> WebResult<Response> {
    let plan = ids.uuid(0)?;
    match state.store.delegation_add(&me.ctx, plan, &f).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}#delegations"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("direction", &f.direction)
                .with("partner", &f.partner)
                .with("month", &f.month);
            for (k, v) in [
                ("head_level", &f.head_level),
                ("lead_agency", &f.lead_agency),
                ("purpose", &f.purpose),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            again(&state, &me, plan, form).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<DecideForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let plan = state.store.delegation_plan_of(&me.ctx, id).await?;
    match state.store.delegation_decide(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/plans/{plan}#delegations"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("decide", id.to_string());
            form.set_opt("reason", &f.reason);
            form.errors = errors;
            again(&state, &me, plan, form).await
        }
        Err(e) => Err(e.into()),
    }
}
