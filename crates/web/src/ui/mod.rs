//! HTML pages: typed askama templates compiled with the binary, auto-escaped,
//! each with its CSRF token. Forms work without JavaScript; a bad submission
//! re-renders the form with the user's input and a message under each field.

pub mod account;
pub mod activities;
pub mod activity_import;
pub mod activity_types;
pub mod agencies;
pub mod agreements;
pub mod audit;
pub mod auth;
pub mod briefing;
pub mod calendar;
pub mod commitments;
pub mod consultations;
pub mod crises;
pub mod dashboard;
pub mod files;
pub mod home;
pub mod levels;
pub mod multilateral;
pub mod notifications;
pub mod partner_edit;
pub mod partner_import;
pub mod partners;
pub mod pick;
pub mod pieces;
pub mod plan_delegations;
pub mod plan_import;
pub mod plan_templates;
pub mod plans;
pub mod protection;
pub mod reference;
pub mod report_document;
pub mod reports;
pub mod search;
pub mod secret_items;
pub mod system;
pub mod users;
pub mod workdays;

use crate::error::ErrorReport;
use crate::i18n::Lang;
use crate::middleware::Principal;
use crate::view::PageCtx;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kieng_domain::FieldErrors;
use std::collections::HashMap;

/// Render a template, or a plain 500 if the template itself fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("template failed: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    let mut r = render(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

/// After a successful POST: back to a page with a notice key.
/// What a versioned edit came to.
pub(crate) enum Saved<T> {
    /// Written.
    Done(T),
    /// The form again, what was typed kept: with its field errors (422), or,
    /// when someone else saved first, at the version now current with the
    /// record as it now is (409), so nothing is lost and nothing overwritten
    /// silently.
    Again {
        status: StatusCode,
        form: FormState,
        current: Option<serde_json::Value>,
    },
}

/// The one shape of every edit handler's answer: `typed` rebuilds the form
/// from what was submitted, `version` is the one it was read at. Errors other
/// than invalid input and a stale version are the caller's.
pub(crate) fn saved<T>(
    res: Result<T, kieng_store::StoreError>,
    typed: impl Fn() -> FormState,
    version: i32,
) -> Result<Saved<T>, kieng_store::StoreError> {
    use kieng_store::StoreError;
    match res {
        Ok(v) => Ok(Saved::Done(v)),
        Err(StoreError::Invalid(errors)) => {
            let mut form = typed().with("version", version);
            form.errors = errors;
            Ok(Saved::Again {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                form,
                current: None,
            })
        }
        Err(StoreError::Conflict {
            current_version,
            current,
        }) => Ok(Saved::Again {
            status: StatusCode::CONFLICT,
            form: typed().with("version", current_version),
            current: Some(current),
        }),
        Err(e) => Err(e),
    }
}

/// Redirect to `path` with the notice to show there; a `#fragment` stays last.
pub fn see_other(path: &str, notice: &str) -> Response {
    let (path, fragment) = path.split_at(path.find('#').unwrap_or(path.len()));
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}ok={notice}{fragment}")).into_response()
}

/// The values a user typed and what is wrong with them.
#[derive(Default)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
    pub lang: Lang,
}

impl FormState {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ..Default::default()
        }
    }
    pub fn with(mut self, k: &str, v: impl ToString) -> Self {
        self.values.insert(k.to_string(), v.to_string());
        self
    }
    pub fn set_opt(&mut self, k: &str, v: &Option<String>) {
        self.values
            .insert(k.to_string(), v.clone().unwrap_or_default());
    }
    pub fn v(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    /// The field's value as a date is shown: dd/mm/yyyy (HH:MM).
    pub fn dmy(&self, k: &str) -> String {
        kieng_domain::bounds::dmy(self.v(k))
    }
    pub fn e(&self, k: &str) -> &str {
        self.errors
            .get(k)
            .map(|m| m.get(self.lang.code()))
            .unwrap_or("")
    }
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
    /// `selected` when the field holds `value`.
    pub fn sel(&self, k: &str, value: &str) -> &'static str {
        if self.v(k) == value { "selected" } else { "" }
    }
    pub fn cls(&self, k: &str) -> &'static str {
        if self.errors.get(k).is_some() {
            "has-error"
        } else {
            ""
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: PageCtx,
    status: u16,
    report: &'a ErrorReport,
    current: String,
}

/// The page shown for an error on an HTML route.
pub fn error_page(
    status: StatusCode,
    report: &ErrorReport,
    lang: Lang,
    principal: Option<&Principal>,
    path: &str,
) -> Response {
    let page = PageCtx::new(lang, principal, path, "error.title");
    let current = report
        .current
        .as_ref()
        .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
        .unwrap_or_default();
    render_status(
        status,
        &ErrorPage {
            page,
            status: status.as_u16(),
            report,
            current,
        },
    )
}

/// Option lists for the selects of enum fields.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
}

pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> kieng_domain::Msg,
    lang: Lang,
) -> Vec<Choice> {
    all.iter()
        .map(|x| Choice {
            value: value(*x),
            label: label(*x).get(lang.code()).to_string(),
        })
        .collect()
}

/// A record form's classification: the levels the writer may choose, and the
/// state-secrets catalogue items they rest on, grouped by level (`marking.html`).
pub struct Marking {
    pub levels: Vec<Choice>,
    pub groups: Vec<(String, Vec<Choice2>)>,
}

/// A choice whose value is not static (an id).
pub struct Choice2 {
    pub value: String,
    pub label: String,
}

pub async fn marking(
    state: &crate::AppState,
    me: &crate::middleware::Me,
) -> crate::error::WebResult<Marking> {
    let levels = classification_choices(state, me);
    let items = state.store.secret_items().await?;
    let groups = kieng_domain::Classification::ALL
        .into_iter()
        .filter(|c| levels.iter().any(|l| l.value == c.as_str()))
        .filter(|c| *c > kieng_domain::Classification::None)
        .map(|c| {
            let of_level = items
                .iter()
                .filter(|i| i.level == c)
                .map(|i| Choice2 {
                    value: i.id.to_string(),
                    label: if i.retired {
                        format!(
                            "{} ({})",
                            i.label(),
                            crate::i18n::t(me.lang, "secret.retired")
                        )
                    } else {
                        i.label()
                    },
                })
                .collect();
            (c.label().get(me.lang.code()).to_string(), of_level)
        })
        .collect();
    Ok(Marking { levels, groups })
}

/// What a classified record's page says of its basis (`basis.html`): the
/// catalogue item it names, or that it names none, or that the item's level
/// has since changed.
pub struct Basis {
    pub classified: bool,
    /// Classified by the record it came from (a commitment of a classified
    /// activity or agreement), which names the basis.
    pub from_source: bool,
    pub item: Option<kieng_store::secret_items::SecretItemView>,
    pub mismatch: bool,
}

pub async fn basis(
    state: &crate::AppState,
    rank: i16,
    item: Option<uuid::Uuid>,
) -> crate::error::WebResult<Basis> {
    let class = kieng_domain::Classification::ALL
        .get(rank.clamp(0, 3) as usize)
        .copied()
        .unwrap_or_default();
    let item = match item {
        Some(id) => state.store.secret_item(id).await?,
        None => None,
    };
    Ok(Basis {
        classified: class > kieng_domain::Classification::None,
        from_source: false,
        mismatch: item.as_ref().is_some_and(|i| i.level != class),
        item,
    })
}

/// The classification levels a record may be given on a form: up to the lower
/// of the deployment's ceiling and the user's clearance.
pub fn classification_choices(state: &crate::AppState, me: &crate::middleware::Me) -> Vec<Choice> {
    let ceiling = state
        .store
        .config
        .max_classification
        .min(me.p.actor.clearance);
    let allowed: Vec<kieng_domain::Classification> = kieng_domain::Classification::ALL
        .into_iter()
        .filter(|c| *c <= ceiling)
        .collect();
    choices(
        &allowed,
        kieng_domain::Classification::as_str,
        kieng_domain::Classification::label,
        me.lang,
    )
}
