//! User administration pages: list, create (one-time password shown once),
//! edit role/scope/clearance/agency, disable, enable, reset password.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::Notice;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::user::UserForm;
use kieng_domain::{Classification, Role, Scope};
use kieng_store::StoreError;
use kieng_store::agencies::AgencyRef;
use kieng_store::users::UserView;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    page: PageCtx,
    /// The search as a query string for the export links.
    export_query: String,
    items: Vec<UserView>,
    pager: Pager,
    q: String,
}

#[derive(Deserialize, Default)]
pub struct UserQuery {
    q: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The user list under its search, as a spreadsheet (administrators).
async fn export(state: &AppState, me: &Me, q: &UserQuery, xlsx: bool) -> WebResult<Response> {
    let rows = state
        .store
        .user_export_rows(&me.ctx, q.q.as_deref())
        .await?;
    crate::export::list_download(
        "users",
        crate::i18n::t(me.lang, "nav.users"),
        &crate::export::user_headings(me.lang),
        &crate::export::user_lines(&rows, me.lang),
        &[(0, 20.0), (1, 30.0), (2, 40.0)],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<UserQuery>,
) -> WebResult<Response> {
    export(&state, &me, &q, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<UserQuery>,
) -> WebResult<Response> {
    export(&state, &me, &q, false).await
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<UserQuery>,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let res = state
        .store
        .user_list(&me.ctx, q.page, q.q.as_deref())
        .await?;
    let base = query_string(&[("q", q.q.as_deref())]);
    Ok(render(&ListPage {
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        page: PageCtx::new(me.lang, Some(&me.p), "/users", "nav.users")
            .with_notice(ok.ok.as_deref()),
        pager: Pager::new(
            res.page,
            res.pages(),
            res.total,
            &query_string(&[("q", q.q.as_deref())]),
        ),
        items: res.items,
        q: q.q.unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    agencies: Vec<AgencyRef>,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    clearances: Vec<Choice>,
    user: Option<UserView>,
    one_time_password: String,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    user: Option<UserView>,
) -> WebResult<FormPage> {
    let agencies = state
        .store
        .agency_choices(&me.ctx)
        .await?
        .into_iter()
        .filter(|a| me.p.actor.write.contains(a.id))
        .collect();
    let clearances: Vec<Classification> = Classification::ALL
        .into_iter()
        .filter(|c| *c <= me.p.actor.clearance && *c <= state.store.config.max_classification)
        .collect();
    let title = if user.is_some() {
        "user.edit"
    } else {
        "user.new"
    };
    Ok(FormPage {
        page: PageCtx::new(me.lang, Some(&me.p), &action, title),
        editing: user.is_some(),
        form,
        action,
        agencies,
        roles: choices(&Role::ALL, Role::as_str, Role::label, me.lang),
        scopes: choices(&Scope::ALL, Scope::as_str, Scope::label, me.lang),
        clearances: choices(
            &clearances,
            Classification::as_str,
            Classification::label,
            me.lang,
        ),
        user,
        one_time_password: String::new(),
    })
}

fn state_of(f: &UserForm, lang: crate::i18n::Lang) -> FormState {
    FormState::new(lang)
        .with("username", &f.username)
        .with("display_name", &f.display_name)
        .with("agency_id", &f.agency_id)
        .with("role", &f.role)
        .with("scope", &f.scope)
        .with("clearance", &f.clearance)
}

pub async fn new_form(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let form = FormState::new(me.lang)
        .with("role", "officer")
        .with("scope", "agency")
        .with("clearance", "none");
    Ok(render(
        &form_page(&state, &me, form, "/users".into(), None).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<UserForm>,
) -> WebResult<Response> {
    match state.store.user_create(&me.ctx, &f).await {
        Ok((u, password)) => {
            let view = state.store.user_get(&me.ctx, u.id).await?;
            let form = state_of(&f, me.lang).with("version", u.version);
            let mut page =
                form_page(&state, &me, form, format!("/users/{}", u.id), Some(view)).await?;
            page.one_time_password = password;
            page.page.notice = Some(page.page.t("notice.user_created").to_string());
            Ok(render_status(StatusCode::CREATED, &page))
        }
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, "/users".into(), None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.user_get(&me.ctx, id).await?;
    let u = &v.user;
    let form = FormState::new(me.lang)
        .with("username", &u.username)
        .with("display_name", &u.display_name)
        .with("agency_id", u.agency_id)
        .with("role", &u.role)
        .with("scope", &u.scope)
        .with("clearance", kieng_store::Store::clearance_of(u).as_str())
        .with("version", u.version);
    let mut page = form_page(&state, &me, form, format!("/users/{id}"), Some(v)).await?;
    page.page = page.page.with_notice(ok.ok.as_deref());
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct UserEdit {
    #[serde(flatten)]
    form: UserForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<UserEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = f.version.trim().parse().unwrap_or(-1);
    match state.store.user_update(&me.ctx, id, version, &f.form).await {
        Ok(_) => Ok(see_other(&format!("/users/{id}"), "saved")),
        Err(StoreError::Invalid(errors)) => {
            let v = state.store.user_get(&me.ctx, id).await?;
            let mut form = state_of(&f.form, me.lang).with("version", version);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, format!("/users/{id}"), Some(v)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn disable(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.user_set_disabled(&me.ctx, id, true).await?;
    Ok(see_other(&format!("/users/{id}"), "disabled"))
}

pub async fn enable(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.user_set_disabled(&me.ctx, id, false).await?;
    Ok(see_other(&format!("/users/{id}"), "enabled"))
}

pub async fn reset_password(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let password = state.store.user_reset_password(&me.ctx, id).await?;
    let v = state.store.user_get(&me.ctx, id).await?;
    let u = &v.user;
    let form = FormState::new(me.lang)
        .with("username", &u.username)
        .with("display_name", &u.display_name)
        .with("agency_id", u.agency_id)
        .with("role", &u.role)
        .with("scope", &u.scope)
        .with("clearance", kieng_store::Store::clearance_of(u).as_str())
        .with("version", u.version);
    let mut page = form_page(&state, &me, form, format!("/users/{id}"), Some(v)).await?;
    page.one_time_password = password;
    Ok(render(&page))
}
