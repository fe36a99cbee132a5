//! Extractors that turn malformed input into our 4xx errors instead of axum's
//! plain-text rejections: JSON and form bodies, and record ids in the path.
//! Text that reaches a handler holds no NUL or other control character besides
//! tab and line breaks (PostgreSQL cannot store NUL; no field means one).

use crate::error::WebError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use kieng_domain::Msg;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A JSON body; a syntax or shape error is a 400 that says what is wrong.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let unreadable = |why: String| {
            WebError::BadRequest(Msg::new(
                format!("Nội dung JSON không đọc được: {why}"),
                format!("The JSON body could not be read: {why}"),
            ))
        };
        let mut v = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(WebError::TooLarge);
            }
            Err(e) => return Err(unreadable(e.body_text())),
        };
        clean_json(&mut v);
        // Well-formed JSON whose values do not fit (a text where a number goes,
        // an id that is no id) is a field to fix: 422, like every other.
        serde_json::from_value(v).map(JsonBody).map_err(|e| {
            WebError::Store(kieng_store::StoreError::Invalid(
                kieng_domain::FieldErrors::single(
                    "body",
                    Msg::new(
                        format!("Một giá trị không đúng kiểu: {e}"),
                        format!("A value has the wrong type: {e}"),
                    ),
                ),
            ))
        })
    }
}

/// A character no field of Kiềng holds: NUL and the other controls but tab,
/// line feed and carriage return. Dropped at the edge (PostgreSQL cannot store
/// NUL; a control character in a name or a filter is never meant).
fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn clean_text(s: &mut String) {
    if s.chars().any(is_forbidden) {
        s.retain(|c| !is_forbidden(c));
    }
}

/// Every string (and key) of a JSON value without forbidden characters.
fn clean_json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => clean_text(s),
        Value::Array(items) => items.iter_mut().for_each(clean_json),
        Value::Object(m) => {
            if m.keys().any(|k| k.chars().any(is_forbidden)) {
                let old = std::mem::take(m);
                for (mut k, i) in old {
                    clean_text(&mut k);
                    m.insert(k, i);
                }
            }
            m.values_mut().for_each(clean_json);
        }
        _ => {}
    }
}

/// A urlencoded text with forbidden characters dropped from its names and
/// values (itself when it holds none, the common case).
fn clean_urlencoded(text: &str) -> std::borrow::Cow<'_, str> {
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(text) else {
        return text.into();
    };
    if !pairs
        .iter()
        .any(|(k, v)| k.chars().chain(v.chars()).any(is_forbidden))
    {
        return text.into();
    }
    let cleaned: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(mut k, mut v)| {
            clean_text(&mut k);
            clean_text(&mut v);
            (k, v)
        })
        .collect();
    serde_urlencoded::to_string(cleaned)
        .map(Into::into)
        .unwrap_or_else(|_| text.into())
}

/// A urlencoded form body.
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let unreadable = |why: String| {
            WebError::BadRequest(Msg::new(
                format!("Biểu mẫu không đọc được: {why}"),
                format!("The form could not be read: {why}"),
            ))
        };
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Err(unreadable(
                "Content-Type: application/x-www-form-urlencoded".into(),
            ));
        }
        let text = match String::from_request(req, state).await {
            Ok(t) => t,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(WebError::TooLarge);
            }
            Err(e) => return Err(unreadable(e.body_text())),
        };
        serde_urlencoded::from_str::<T>(&clean_urlencoded(&text))
            .map(FormBody)
            .map_err(|e| unreadable(e.to_string()))
    }
}

/// Query parameters; bad ones are a 400, never a 500.
pub struct QueryArgs<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryArgs<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<T>(&clean_urlencoded(query))
            .map(QueryArgs)
            .map_err(|e| {
                WebError::BadRequest(Msg::new(
                    format!("Tham số không hợp lệ: {e}"),
                    format!("Invalid parameters: {e}"),
                ))
            })
    }
}

/// Path parameters that must be ids: anything else is simply not found.
pub struct Ids(pub Vec<String>);

impl Ids {
    pub fn uuid(&self, i: usize) -> Result<Uuid, WebError> {
        self.0
            .get(i)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or(WebError::NotFound)
    }
    pub fn int(&self, i: usize) -> Result<i64, WebError> {
        self.0
            .get(i)
            .and_then(|s| s.parse().ok())
            .ok_or(WebError::NotFound)
    }
    /// A short code segment (at most 100 characters).
    pub fn text(&self, i: usize) -> Result<String, WebError> {
        self.0
            .get(i)
            .filter(|s| !s.is_empty() && s.len() <= 100 && !s.chars().any(is_forbidden))
            .cloned()
            .ok_or(WebError::NotFound)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Ids(v.into_iter().map(|(_, v)| v).collect())),
            Err(_) => Err(WebError::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_at_the_edge() {
        assert_eq!(clean_urlencoded("type_code=%00"), "type_code=");
        assert_eq!(clean_urlencoded("a=1&b=x%01y"), "a=1&b=xy");
        let plain = "q=%C4%91%C3%A0+n%E1%BA%B5ng&n=a%0Ab";
        assert_eq!(clean_urlencoded(plain), plain, "untouched when clean");
        let mut v = serde_json::json!({"name": "ok", "aliases": ["a", "b\u{0}"], "k\u{1}": {"b": "x\u{7}"}});
        clean_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"name": "ok", "aliases": ["a", "b"], "k": {"b": "x"}})
        );
        let mut v = serde_json::json!({"notes": "line\nnext\tcol"});
        clean_json(&mut v);
        assert_eq!(v["notes"], "line\nnext\tcol");
    }
}
