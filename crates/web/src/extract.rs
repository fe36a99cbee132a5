//! Extractors that turn malformed input into our 4xx errors instead of axum's
//! plain-text rejections: JSON and form bodies, and record ids in the path.

use crate::error::WebError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use kieng_domain::Msg;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A JSON body; a syntax or shape error is a 400 that says what is wrong.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(e) => Err(WebError::BadRequest(Msg::new(
                format!("Nội dung JSON không đọc được: {}", e.body_text()),
                format!("The JSON body could not be read: {}", e.body_text()),
            ))),
        }
    }
}

/// A urlencoded form body.
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(FormBody(v)),
            Err(e) => Err(WebError::BadRequest(Msg::new(
                format!("Biểu mẫu không đọc được: {}", e.body_text()),
                format!("The form could not be read: {}", e.body_text()),
            ))),
        }
    }
}

/// Query parameters; bad ones are a 400, never a 500.
pub struct QueryArgs<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryArgs<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryArgs(v)),
            Err(e) => Err(WebError::BadRequest(Msg::new(
                format!("Tham số không hợp lệ: {}", e.body_text()),
                format!("Invalid parameters: {}", e.body_text()),
            ))),
        }
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
            .filter(|s| !s.is_empty() && s.len() <= 100)
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
