//! One error type for every handler, mapped once to a status. The response
//! carries an `ErrorReport` that `middleware::finish` renders as the JSON shape
//! `{"error":{"code","message","fields"}}` under `/api/` and as a page elsewhere,
//! in the reader's language. Internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kieng_domain::{FieldErrors, Msg};
use kieng_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Malformed request: unreadable body, wrong content type (400).
    #[error("bad request: {0}")]
    BadRequest(Msg),
    /// A body larger than the route takes (413).
    #[error("too large")]
    TooLarge,
    /// No valid session or token (401).
    #[error("sign-in required")]
    SignInRequired,
    /// The route's rule refuses the user's role (403).
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A first-time password must be changed before anything else (403).
    #[error("password change required")]
    PasswordChangeRequired,
}

/// What `finish` needs to render an error for a person or a program.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    pub code: &'static str,
    pub message: Msg,
    pub fields: FieldErrors,
    pub current: Option<serde_json::Value>,
}

impl WebError {
    pub fn status_and_report(&self) -> (StatusCode, ErrorReport) {
        let plain = |code, message| ErrorReport {
            code,
            message,
            fields: FieldErrors::new(),
            current: None,
        };
        match self {
            WebError::Store(e) => match e {
                StoreError::Invalid(f) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorReport {
                        code: "invalid",
                        message: Msg::new(
                            "Dữ liệu chưa hợp lệ: hãy sửa các trường được đánh dấu.",
                            "Some fields need fixing: see the marked fields.",
                        ),
                        fields: f.clone(),
                        current: None,
                    },
                ),
                StoreError::NotFound => {
                    (StatusCode::NOT_FOUND, plain("not_found", not_found_msg()))
                }
                StoreError::Forbidden(m) => (StatusCode::FORBIDDEN, plain("forbidden", m.clone())),
                StoreError::Conflict { current, .. } => (
                    StatusCode::CONFLICT,
                    ErrorReport {
                        code: "conflict",
                        message: Msg::new(
                            "Bản ghi đã được người khác sửa sau khi bạn mở. Thay đổi của bạn chưa được lưu: hãy xem bản hiện tại và sửa lại.",
                            "Someone changed this record after you opened it. Your change was not saved: review the current version and edit again.",
                        ),
                        fields: FieldErrors::new(),
                        current: Some(current.clone()),
                    },
                ),
                StoreError::Duplicate { candidates } => (
                    StatusCode::CONFLICT,
                    ErrorReport {
                        code: "duplicate",
                        message: Msg::new(
                            "Đã có đối tác mang tên này hoặc tên gọi khác trùng. Hãy dùng đối tác có sẵn, hoặc xác nhận đây là một đối tác khác.",
                            "A partner with this name or alias exists. Use it, or confirm this is a different partner.",
                        ),
                        fields: FieldErrors::new(),
                        current: Some(candidates.clone()),
                    },
                ),
                StoreError::Throttled(m) => {
                    (StatusCode::TOO_MANY_REQUESTS, plain("throttled", m.clone()))
                }
                StoreError::Unauthenticated(m) => (
                    StatusCode::UNAUTHORIZED,
                    plain("unauthenticated", m.clone()),
                ),
                StoreError::Db(_) | StoreError::Internal(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    plain("internal", internal_msg()),
                ),
            },
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, plain("bad_request", m.clone())),
            WebError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                plain(
                    "too_large",
                    Msg::new(
                        "Nội dung gửi lên quá lớn cho yêu cầu này.",
                        "What was sent is too large for this request.",
                    ),
                ),
            ),
            WebError::SignInRequired => (
                StatusCode::UNAUTHORIZED,
                plain(
                    "unauthenticated",
                    Msg::new("Hãy đăng nhập để tiếp tục.", "Sign in to continue."),
                ),
            ),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                plain("forbidden", StoreError::forbidden_msg()),
            ),
            WebError::NotFound => (StatusCode::NOT_FOUND, plain("not_found", not_found_msg())),
            WebError::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                plain(
                    "password_change_required",
                    Msg::new(
                        "Hãy đổi mật khẩu dùng một lần trước khi tiếp tục.",
                        "Change your one-time password before going on.",
                    ),
                ),
            ),
        }
    }
}

fn not_found_msg() -> Msg {
    Msg::new(
        "Không tìm thấy trang hoặc bản ghi này.",
        "This page or record was not found.",
    )
}

fn internal_msg() -> Msg {
    Msg::new(
        "Hệ thống gặp lỗi khi xử lý yêu cầu; không có dữ liệu nào bị ghi dở. Hãy thử lại, và báo quản trị viên nếu lỗi lặp lại.",
        "The system failed to handle the request; nothing was half-written. Try again, and tell your administrator if it happens again.",
    )
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, report) = self.status_and_report();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut res = (status, report.message.en.clone()).into_response();
        res.extensions_mut().insert(report);
        res
    }
}

/// Extension to keep the 403 wording in one place.
trait ForbiddenMsg {
    fn forbidden_msg() -> Msg;
}

impl ForbiddenMsg for StoreError {
    fn forbidden_msg() -> Msg {
        match StoreError::forbidden() {
            StoreError::Forbidden(m) => m,
            _ => Msg::new("", ""),
        }
    }
}

pub type WebResult<T> = Result<T, WebError>;
