//! The administrator's state-secrets catalogue: the items classified records
//! rest on, each editable in place, retired or reinstated, and a form to add
//! one. Every change is audited by the store.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::Classification;
use kieng_domain::secret_item::SecretItemForm;
use kieng_store::StoreError;
use kieng_store::secret_items::SecretItemView;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "secret_items.html")]
struct ItemsPage {
    page: PageCtx,
    items: Vec<SecretItemView>,
    levels: Vec<Choice>,
    /// The add form, or (on a failed edit) the edited item's form.
    form: FormState,
    /// Which item's row the errors belong to (None: the add form).
    editing: Option<Uuid>,
}

impl ItemsPage {
    fn level_label(&self, c: &Classification) -> String {
        c.label().get(self.page.lang.code()).to_string()
    }

    fn is_editing(&self, id: &Uuid) -> bool {
        self.editing.as_ref() == Some(id)
    }
}

async fn page(
    state: &AppState,
    me: &Me,
    form: FormState,
    editing: Option<Uuid>,
    notice: Option<&str>,
) -> WebResult<ItemsPage> {
    let levels: Vec<Classification> = Classification::ALL
        .into_iter()
        .filter(|c| *c > Classification::None)
        .collect();
    Ok(ItemsPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/secret-items", "nav.secret_items")
            .with_notice(notice),
        items: state.store.secret_items().await?,
        levels: choices(&levels, |c| c.as_str(), |c| c.label(), me.lang),
        form,
        editing,
    })
}

fn typed(me: &Me, f: &SecretItemForm) -> FormState {
    FormState::new(me.lang)
        .with("code", &f.code)
        .with("catalogue", &f.catalogue)
        .with("title", &f.title)
        .with("level", &f.level)
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let form = FormState::new(me.lang);
    Ok(render(
        &page(&state, &me, form, None, ok.ok.as_deref()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<SecretItemForm>,
) -> WebResult<Response> {
    match state.store.secret_item_create(&me.ctx, &f).await {
        Ok(_) => Ok(see_other("/secret-items", "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = typed(&me, &f);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form, None, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ItemEdit {
    #[serde(flatten)]
    form: SecretItemForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<ItemEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version = f.version.trim().parse().unwrap_or(-1);
    match state
        .store
        .secret_item_update(&me.ctx, id, version, &f.form)
        .await
    {
        Ok(_) => Ok(see_other("/secret-items", "saved")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = typed(&me, &f.form);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form, Some(id), None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct Retire {
    #[serde(default)]
    version: String,
    /// "1" retires, anything else reinstates.
    #[serde(default)]
    retired: String,
}

pub async fn retire(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<Retire>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version = f.version.trim().parse().unwrap_or(-1);
    let retired = f.retired == "1";
    state
        .store
        .secret_item_retire(&me.ctx, id, version, retired)
        .await?;
    Ok(see_other(
        "/secret-items",
        if retired { "retired" } else { "reinstated" },
    ))
}
