//! The request pipeline, outermost first: request id and client address;
//! security headers; error rendering (with the audit of every refusal); who is
//! signed in (session cookie or bearer token); CSRF; and per route, its access rule.

use crate::AppState;
use crate::error::{ErrorReport, WebError};
use crate::i18n::Lang;
use crate::routes::Access;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use kieng_domain::Actor;
use kieng_store::Ctx;
use kieng_store::audit::{Change, Origin};
use kieng_store::entity::user;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "kieng_session";
pub const LANG_COOKIE: &str = "kieng_lang";
/// The largest form body the CSRF check reads (uploads come with later modules).
const FORM_LIMIT: usize = 1 << 20;

/// Per-request facts for the audit trail.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub ip: Option<String>,
}

/// The signed-in user of this request, shared by the layers that read it.
#[derive(Debug, Clone)]
pub struct Principal(std::sync::Arc<PrincipalData>);

#[derive(Debug)]
pub struct PrincipalData {
    pub actor: Actor,
    pub user: user::Model,
    /// The session's CSRF token; `None` when signed in with a bearer token.
    pub csrf: Option<String>,
    pub session_token: Option<String>,
    /// Unread notifications, counted for pages (the bell); 0 elsewhere.
    pub unread: u64,
}

impl std::ops::Deref for Principal {
    type Target = PrincipalData;
    fn deref(&self) -> &PrincipalData {
        &self.0
    }
}

impl Principal {
    pub fn new(data: PrincipalData) -> Self {
        Self(std::sync::Arc::new(data))
    }

    pub fn lang(&self) -> Lang {
        Lang::parse(&self.user.locale)
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// The reader's language: their saved choice, else the cookie, else Vietnamese.
pub fn lang_of(parts_ext: Option<&Principal>, headers: &HeaderMap) -> Lang {
    match parts_ext {
        Some(p) => p.lang(),
        None => cookie(headers, LANG_COOKIE)
            .map(|c| Lang::parse(&c))
            .unwrap_or_default(),
    }
}

pub async fn request_meta(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|s| s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        crate::net::client_address(c.0.ip(), forwarded, &state.config.trusted_proxies).to_string()
    });
    req.extensions_mut().insert(RequestMeta {
        request_id: request_id.clone(),
        ip,
    });
    // Every line logged while answering carries the request's id.
    let span = tracing::info_span!("request", id = %request_id);
    let mut res = tracing::Instrument::instrument(next.run(req), span).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cache-control", "no-store");
    res
}

/// Resolve the session cookie or bearer token into a `Principal`.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|s| s.trim().to_string());
    let principal = if let Some(b) = bearer {
        match state.store.token_session(&b).await {
            Ok(Some((actor, user))) => Some(Principal::new(PrincipalData {
                actor,
                user,
                csrf: None,
                session_token: None,
                unread: 0,
            })),
            Ok(None) => None,
            Err(e) => return WebError::from(e).into_response(),
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match state.store.session(&token).await {
            Ok(Some(s)) => {
                // A page shows the bell; posts redirect to one, the API has its own.
                let page = req.method() == Method::GET
                    && !req.uri().path().starts_with("/api/")
                    && !req.uri().path().starts_with("/assets/");
                let unread = if page {
                    let ctx = kieng_store::Ctx {
                        actor: s.actor.clone(),
                        request_id: None,
                        ip: None,
                    };
                    match state.store.notifications_unread(&ctx).await {
                        Ok(n) => n,
                        Err(e) => return WebError::from(e).into_response(),
                    }
                } else {
                    0
                };
                Some(Principal::new(PrincipalData {
                    actor: s.actor,
                    user: s.user,
                    csrf: Some(s.csrf_token),
                    session_token: Some(token),
                    unread,
                }))
            }
            Ok(None) => None,
            Err(e) => return WebError::from(e).into_response(),
        }
    } else {
        None
    };
    if let Some(p) = principal {
        req.extensions_mut().insert(p);
    }
    next.run(req).await
}

fn csrf_refused(why: &str) -> Response {
    tracing::warn!("CSRF check refused a request: {why}");
    WebError::BadRequest(kieng_domain::Msg::new(
        "Biểu mẫu đã hết hạn hoặc không đến từ Kiềng. Hãy tải lại trang và gửi lại.",
        "The form has expired or did not come from Kiềng. Reload the page and submit again.",
    ))
    .into_response()
}

/// Refuse cross-site state changes: the browser's own origin headers first, then
/// the session's token from the form field `_csrf` or the `X-CSRF-Token` header.
pub async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let principal = req.extensions().get::<Principal>().cloned();
    if principal.as_ref().is_some_and(|p| p.csrf.is_none()) {
        // Bearer tokens are not sent by browsers on their own: no CSRF risk.
        return next.run(req).await;
    }
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return csrf_refused("sec-fetch-site");
    }
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin == "null" || origin_host != host {
            return csrf_refused("origin");
        }
    }
    let Some(expected) = principal.and_then(|p| p.csrf.clone()) else {
        // Not signed in: only sign-in accepts such a post; the origin checks above apply.
        return next.run(req).await;
    };
    if let Some(sent) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_eq(sent, &expected) {
            next.run(req).await
        } else {
            csrf_refused("header")
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A file upload carries its token in the form's action URL (the body is multipart).
    if content_type.starts_with("multipart/form-data") {
        let sent = req
            .uri()
            .query()
            .and_then(|q| form_urlencoded_value(q.as_bytes(), "_csrf"));
        return if sent.is_some_and(|s| constant_eq(&s, &expected)) {
            next.run(req).await
        } else {
            csrf_refused("query")
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return csrf_refused("no token");
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return WebError::BadRequest(kieng_domain::Msg::new(
                "Biểu mẫu quá lớn.",
                "The form is too large.",
            ))
            .into_response();
        }
    };
    let sent = form_urlencoded_value(&bytes, "_csrf");
    if !sent.is_some_and(|s| constant_eq(&s, &expected)) {
        return csrf_refused("form");
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn constant_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Routes a user with a one-time password may still use.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/account"
            | "/account/password"
            | "/account/language"
            | "/logout"
            | "/api/v1/me"
            | "/api/v1/me/password"
    )
}

/// The per-route rule, applied before the handler runs.
pub async fn guard(State(access): State<Access>, req: Request, next: Next) -> Response {
    let principal = req.extensions().get::<Principal>();
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    match (access, principal) {
        (Access::Public, _) => {}
        (_, None) => {
            if api || req.method() != Method::GET {
                return WebError::SignInRequired.into_response();
            }
            let next_url = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next_url));
            return Redirect::to(&target).into_response();
        }
        (Access::SignedIn, Some(p)) | (Access::Roles(_), Some(p)) => {
            if p.user.must_change_password && !allowed_before_password_change(&path) {
                if api || req.method() != Method::GET {
                    return WebError::PasswordChangeRequired.into_response();
                }
                return Redirect::to("/account").into_response();
            }
            if let Access::Roles(roles) = access
                && !roles.contains(&p.actor.role)
            {
                return WebError::Forbidden.into_response();
            }
        }
    }
    next.run(req).await
}

/// Everything but letters, digits and `-_.~/` escaped: a path or a query value.
const URL_SAFE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, URL_SAFE).to_string()
}

/// Render errors for their reader, and audit every refusal of a signed-in user.
pub async fn finish(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let headers = req.headers().clone();
    let meta = req.extensions().get::<RequestMeta>().cloned();
    // `authenticate` runs inside this layer, so the principal is read from the response side.
    let res = next.run(req).await;
    let Some(report) = res.extensions().get::<ErrorReport>().cloned() else {
        return res;
    };
    let status = res.status();
    let principal = res.extensions().get::<Principal>().cloned();
    if status == StatusCode::FORBIDDEN
        && let Some(p) = &principal
    {
        let origin = Origin {
            actor_id: Some(p.actor.user_id),
            actor_name: Some(p.actor.username.clone()),
            actor_agency_id: Some(p.actor.agency_id),
            request_id: meta.as_ref().map(|m| m.request_id.clone()),
            ip: meta.as_ref().and_then(|m| m.ip.clone()),
        };
        let change = Change {
            after: Some(
                serde_json::json!({ "method": method.as_str(), "path": path, "code": report.code }),
            ),
            ..Change::new("route", &path, "denied")
        };
        if let Err(e) = state.store.audit_alone(&origin, change).await {
            tracing::error!("could not audit a denial: {e}");
        }
    }
    let lang = lang_of(principal.as_ref(), &headers);
    let mut out = if path.starts_with("/api/") || path == "/healthz" || path == "/readyz" {
        crate::api::error_json(status, &report, lang)
    } else {
        crate::ui::error_page(status, &report, lang, principal.as_ref(), &path)
    };
    if let Some(ra) = res.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, ra.clone());
    }
    out
}

/// Copies the principal onto the response so `finish` (outside `authenticate`) can read it.
pub async fn expose_principal(req: Request, next: Next) -> Response {
    let p = req.extensions().get::<Principal>().cloned();
    let mut res = next.run(req).await;
    if let Some(p) = p {
        res.extensions_mut().insert(p);
    }
    res
}

/// The signed-in user and the context for store calls, in one extractor.
pub struct Me {
    pub p: Principal,
    pub ctx: Ctx,
    pub lang: Lang,
}

impl<S: Send + Sync> FromRequestParts<S> for Me {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let p = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(WebError::SignInRequired)?;
        let meta = parts.extensions.get::<RequestMeta>().cloned();
        let ctx = Ctx {
            actor: p.actor.clone(),
            request_id: meta.as_ref().map(|m| m.request_id.clone()),
            ip: meta.and_then(|m| m.ip),
        };
        let lang = p.lang();
        Ok(Me { p, ctx, lang })
    }
}

impl Me {
    pub fn origin(&self) -> Origin {
        Origin::from(&self.ctx)
    }
}

#[cfg(test)]
mod tests {
    /// The policy's `style-src 'self'` refuses inline `style` attributes: a
    /// template that writes one renders unstyled in every browser, so none
    /// may (colours and indents go through classes or SVG attributes).
    #[test]
    fn no_template_carries_an_inline_style() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, found);
                } else if let Ok(text) = std::fs::read_to_string(&p) {
                    for (i, line) in text.lines().enumerate() {
                        if line.contains(" style=\"") || line.contains("<style") {
                            found.push(format!("{}:{}", p.display(), i + 1));
                        }
                    }
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut found = Vec::new();
        walk(&root, &mut found);
        assert!(root.is_dir());
        assert!(found.is_empty(), "inline styles: {found:?}");
    }
}
