//! The signed-in user's own page: change password (forced after a one-time
//! password), interface language, personal access tokens.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::{LANG_COOKIE, Me};
use crate::ui::pieces::Notice;
use crate::ui::{FormState, render, render_status, see_other};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kieng_store::StoreError;
use kieng_store::entity::api_token;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageCtx,
    must_change: bool,
    form: FormState,
    tokens: Vec<api_token::Model>,
    new_token: String,
    agency_name: String,
}

async fn account_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    new_token: String,
    notice: Option<&str>,
) -> WebResult<AccountPage> {
    Ok(AccountPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/account", "account.title").with_notice(notice),
        must_change: me.p.user.must_change_password,
        form,
        tokens: state.store.token_list(me.p.user.id).await?,
        new_token,
        agency_name: state.store.agency_get_name(me.p.user.agency_id).await?,
    })
}

pub async fn page(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let form = FormState::new(me.lang);
    Ok(render(
        &account_page(&state, &me, form, String::new(), ok.ok.as_deref()).await?,
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<PasswordForm>,
) -> WebResult<Response> {
    let result = if f.new_password != f.confirm_password {
        Err(StoreError::Invalid(kieng_domain::FieldErrors::single(
            "confirm_password",
            kieng_domain::Msg::new(
                "Hai lần nhập mật khẩu mới không khớp.",
                "The two new passwords do not match.",
            ),
        )))
    } else {
        state
            .store
            .change_password(
                &me.ctx,
                me.p.session_token.as_deref(),
                &f.current_password,
                &f.new_password,
            )
            .await
    };
    match result {
        // The hint after a change: accepted, and whether a longer one would be safer.
        Ok(()) if kieng_domain::user::strength(&f.new_password) < 2 => {
            Ok(see_other("/account", "password_changed_short"))
        }
        Ok(()) => Ok(see_other("/account", "password_changed")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_page(&state, &me, form, String::new(), None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    back: Option<String>,
}

pub async fn language(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<LanguageForm>,
) -> WebResult<Response> {
    let lang = crate::i18n::Lang::parse(&f.lang);
    state.store.set_locale(me.p.user.id, lang.code()).await?;
    let back = f
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<TokenForm>,
) -> WebResult<Response> {
    let (_, secret) = state
        .store
        .token_create(me.p.user.id, &f.label, &me.origin())
        .await?;
    let page = account_page(
        &state,
        &me,
        FormState::new(me.lang),
        secret,
        Some("token_created"),
    )
    .await?;
    Ok(render_status(StatusCode::CREATED, &page))
}

pub async fn revoke_token(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state
        .store
        .token_revoke(id, Some(&me.p.actor), &me.origin())
        .await?;
    Ok(see_other("/account", "token_revoked"))
}
