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
    pub(crate) entries: Vec<(AuditEntry, Vec<Line>)>,
    pub(crate) can_manage: bool,
}

/// One changed field of an audit entry, in words: its name and its value
/// before and after, ids replaced by names.
pub(crate) struct Line {
    pub(crate) field: String,
    pub(crate) before: String,
    pub(crate) after: String,
}

/// Each entry with what it changed in words ("Tên: A → B"), for the audit
/// trail and the history pages: names for ids, dd/mm/yyyy for dates, the
/// field's own label where the interface has one.
pub(crate) async fn readable(
    state: &crate::AppState,
    me: &crate::middleware::Me,
    entries: Vec<AuditEntry>,
) -> crate::error::WebResult<Vec<(AuditEntry, Vec<Line>)>> {
    let names = state.store.audit_names(&me.ctx, &entries).await?;
    let lang = me.lang;
    Ok(entries
        .into_iter()
        .map(|e| {
            let lines = kieng_domain::audit::field_changes(e.before.as_ref(), e.after.as_ref())
                .into_iter()
                .map(|(k, b, a)| Line {
                    field: field_label(lang, &e.entity_type, &k),
                    before: b.map_or_else(|| "—".into(), |v| in_words(&v, &names, lang)),
                    after: a.map_or_else(|| "—".into(), |v| in_words(&v, &names, lang)),
                })
                .collect();
            (e, lines)
        })
        .collect())
}

/// A field's label: the record kind's own (`activity.title`), the shared one
/// (`field.name_vi`), else the key in words.
fn field_label(lang: crate::i18n::Lang, entity: &str, key: &str) -> String {
    let bare = key.trim_end_matches("_id").trim_end_matches("_code");
    for k in [
        format!("{entity}.{key}"),
        format!("audit.field.{key}"),
        format!("field.{key}"),
        format!("{entity}.{bare}"),
        format!("field.{bare}"),
    ] {
        if crate::i18n::has_key(&k) {
            return crate::i18n::t(lang, &k).to_string();
        }
    }
    key.replace('_', " ")
}

/// A value as a reader says it: names for ids, day-first dates, yes or no.
fn in_words(
    v: &serde_json::Value,
    names: &std::collections::HashMap<Uuid, String>,
    lang: crate::i18n::Lang,
) -> String {
    use serde_json::Value;
    let en = lang == crate::i18n::Lang::En;
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b {
            if en { "yes" } else { "có" }
        } else if en {
            "no"
        } else {
            "không"
        }
        .into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if let Ok(id) = Uuid::parse_str(s) {
                return names.get(&id).cloned().unwrap_or_else(|| {
                    if en {
                        "(a record)"
                    } else {
                        "(một bản ghi)"
                    }
                    .into()
                });
            }
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                let local = t.with_timezone(&crate::view::vn_offset());
                return local.format("%d/%m/%Y %H:%M").to_string();
            }
            kieng_domain::bounds::dmy(s)
        }
        Value::Array(items) => items
            .iter()
            .map(|i| in_words(i, names, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) => {
            // A linked record as stored: its name, else its id's.
            for k in ["name", "name_vi", "title", "title_vi"] {
                if let Some(Value::String(n)) = m.get(k) {
                    return n.clone();
                }
            }
            m.iter()
                .filter(|(k, _)| !k.ends_with("_fold") && !k.ends_with("_key"))
                .map(|(k, v)| format!("{}: {}", k.replace('_', " "), in_words(v, names, lang)))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
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
            .activity_brief(ctx, id)
            .await
            .ok()
            .map(|(a, _)| format!("{} · {}", a.title, day(a.starts_at))),
        "agreement" => state
            .store
            .agreement_get(ctx, id)
            .await
            .ok()
            .map(|v| v.agreement.title_vi),
        _ => None,
    }
}
