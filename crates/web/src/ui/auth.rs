//! Sign-in and sign-out pages.

use crate::error::WebResult;
use crate::extract::{FormBody, QueryArgs};
use crate::i18n::Lang;
use crate::middleware::{LANG_COOKIE, Me, RequestMeta, SESSION_COOKIE, lang_of};
use crate::view::PageCtx;
use crate::{AppState, ui};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kieng_store::StoreError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageCtx,
    next: String,
    username: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// Only a path on this site may follow sign-in (no open redirect): one leading
/// slash, then printable ASCII without a backslash. Browsers drop tabs and
/// newlines from a URL (`/\t/evil.example` is `//evil.example`, another site), and
/// a control character cannot go into a `Location` header at all.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2048
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub fn session_cookie(state: &AppState, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

pub async fn login_page(headers: HeaderMap, QueryArgs(q): QueryArgs<LoginQuery>) -> Response {
    let lang = match &q.lang {
        Some(l) => Lang::parse(l),
        None => lang_of(None, &headers),
    };
    let page = PageCtx::new(lang, None, "/login", "auth.sign_in");
    let mut res = ui::render(&LoginPage {
        page,
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: String::new(),
    });
    if q.lang.is_some()
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login_submit(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    FormBody(f): FormBody<LoginForm>,
) -> WebResult<Response> {
    let lang = lang_of(None, &headers);
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match state
        .store
        .sign_in(
            &f.username,
            &f.password,
            meta.ip.clone(),
            ua,
            Some(meta.request_id.clone()),
        )
        .await
    {
        Ok(token) => {
            let mut res = Redirect::to(&safe_next(f.next.as_deref())).into_response();
            res.headers_mut()
                .append(header::SET_COOKIE, session_cookie(&state, &token, None));
            Ok(res)
        }
        Err(e @ (StoreError::Unauthenticated(_) | StoreError::Throttled(_))) => {
            state
                .metrics
                .sign_in_refused(matches!(e, StoreError::Throttled(_)));
            let (status, msg) = match &e {
                StoreError::Throttled(m) => (StatusCode::TOO_MANY_REQUESTS, m.clone()),
                StoreError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, m.clone()),
                _ => (StatusCode::UNAUTHORIZED, kieng_domain::Msg::new("", "")),
            };
            let page = PageCtx::new(lang, None, "/login", "auth.sign_in");
            Ok(ui::render_status(
                status,
                &LoginPage {
                    page,
                    next: safe_next(f.next.as_deref()),
                    username: f.username,
                    error: msg.get(lang.code()).to_string(),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    if let Some(token) = &me.p.session_token {
        state.store.sign_out(token, &me.origin()).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state, "", Some(0)));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/agencies?page=2")), "/agencies?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\n")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(Some("/đối-tác")), "/");
        assert_eq!(safe_next(Some("/partners?q=%C4%91")), "/partners?q=%C4%91");
    }
}
