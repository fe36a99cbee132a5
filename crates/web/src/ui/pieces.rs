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
        "case" => state
            .store
            .case_get(ctx, id)
            .await
            .ok()
            .map(|v| format!("{} · {}", v.row.case.number, v.row.country_name)),
        _ => None,
    }
}

/// What a list opened from a dashboard figure is narrowed by beyond its own
/// form: the dashboard's scope (the reader narrowed as a report's reader is,
/// so the list's total is the figure) and a partner's country or continent.
#[derive(Debug, Default, Clone)]
pub struct Drill {
    pub scope: Option<String>,
    pub scope_ref: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
}

/// The drill-down as the list page shows it: what it is narrowed by, in
/// words, and the hidden fields that keep it when the form is sent again.
#[derive(Debug, Default)]
pub struct DrillView {
    pub hidden: Vec<(&'static str, String)>,
    pub label: String,
    /// The list without the drill-down.
    pub clear: String,
}

impl Drill {
    fn set(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// The reader narrowed to the scope (the reader as they are without one),
    /// and the words and hidden fields the page shows.
    pub async fn apply(
        &self,
        state: &crate::AppState,
        me: &crate::middleware::Me,
        list: &str,
    ) -> crate::error::WebResult<(kieng_store::Ctx, DrillView)> {
        use kieng_domain::report::ScopeKind;
        let l = me.lang.code();
        let mut view = DrillView {
            clear: list.to_string(),
            ..Default::default()
        };
        let mut words = Vec::new();
        let ctx = match Self::set(&self.scope).map(ScopeKind::parse) {
            None => me.ctx.clone(),
            Some(None) => {
                return Err(crate::error::WebError::BadRequest(kieng_domain::Msg::new(
                    "Phạm vi là all, agency, pillar hoặc province.",
                    "A scope is all, agency, pillar or province.",
                )));
            }
            Some(Some(kind)) => {
                let r = Self::set(&self.scope_ref);
                let ctx = state
                    .store
                    .report_reader(&me.ctx, kind, r, me.p.actor.clearance)
                    .await?;
                if kind != ScopeKind::All {
                    view.hidden.push(("scope", kind.as_str().to_string()));
                    view.hidden
                        .push(("scope_ref", r.unwrap_or_default().to_string()));
                    words.push(format!(
                        "{}: {}",
                        kind.label().get(l),
                        r.unwrap_or_default()
                    ));
                }
                ctx
            }
        };
        if let Some(c) = Self::set(&self.country) {
            let name = match state.store.country(c).await {
                Ok(m) if l == "en" => m.name_en,
                Ok(m) => m.name_vi,
                Err(_) => c.to_string(),
            };
            view.hidden.push(("country", c.to_string()));
            words.push(name);
        }
        if let Some(r) = Self::set(&self.region) {
            let name = state
                .store
                .regions()
                .await?
                .into_iter()
                .find(|x| x.code == r)
                .map(|x| if l == "en" { x.name_en } else { x.name_vi })
                .unwrap_or_else(|| r.to_string());
            view.hidden.push(("region", r.to_string()));
            words.push(name);
        }
        view.label = words.join(" · ");
        Ok((ctx, view))
    }
}
