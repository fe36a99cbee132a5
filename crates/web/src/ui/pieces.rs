//! Page pieces every module's pages share: the notice after a redirect, and a
//! record's history page.

use crate::view::PageCtx;
use askama::Template;
use kieng_store::audit::AuditEntry;
use serde::Deserialize;
use uuid::Uuid;

/// `?ok=…` after a redirect: what was just done, for the page to say.
#[derive(Deserialize, Default)]
pub struct Notice {
    pub ok: Option<String>,
}

#[derive(Template)]
#[template(path = "history.html")]
pub(crate) struct HistoryPage {
    pub(crate) page: PageCtx,
    /// `/agencies` or `/partners`: where the record and its history live.
    pub(crate) base: &'static str,
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) version: i32,
    pub(crate) entries: Vec<(AuditEntry, String, String)>,
    pub(crate) can_manage: bool,
}

/// The before/after of each entry, pretty-printed for the history table.
pub(crate) fn pretty_entries(entries: Vec<AuditEntry>) -> Vec<(AuditEntry, String, String)> {
    let pretty = |j: &Option<serde_json::Value>| {
        j.as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default()
    };
    entries
        .into_iter()
        .map(|e| {
            let (b, a) = (pretty(&e.before), pretty(&e.after));
            (e, b, a)
        })
        .collect()
}

/// The record a form's id field names, as the form shows it instead of the
/// id: its title and date, when the reader may see it (`None` otherwise, and
/// the field stays editable).
pub(crate) async fn record_title(
    state: &crate::AppState,
    ctx: &kieng_store::Ctx,
    kind: &str,
    id: &str,
) -> Option<String> {
    let id = Uuid::parse_str(id.trim()).ok()?;
    let day =
        |d: chrono::DateTime<chrono::Utc>| kieng_store::activities::vn_date(d).format("%d/%m/%Y");
    match kind {
        "activity" => state
            .store
            .activity_get(ctx, id)
            .await
            .ok()
            .map(|v| format!("{} · {}", v.activity.title, day(v.activity.starts_at))),
        "agreement" => state
            .store
            .agreement_get(ctx, id)
            .await
            .ok()
            .map(|v| v.agreement.title_vi),
        _ => None,
    }
}
