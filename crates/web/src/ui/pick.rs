//! What a form's pickers offer as the user types a few letters, with or
//! without diacritics: partners, agencies and users, each within the reader's
//! scope and clearance; and communes (public reference data). JSON for the page's script; without it the same
//! fields take names typed in full.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::{Ids, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// How many choices a picker shows.
const SHOWN: usize = 12;

#[derive(Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
}

/// One choice: what goes into the field, and what the list shows.
#[derive(Serialize)]
pub struct Choice {
    value: String,
    label: String,
}

pub async fn pick(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(q): QueryArgs<PickQuery>,
) -> WebResult<Json<Vec<Choice>>> {
    let kind = ids.0.first().map(String::as_str).unwrap_or_default();
    // A query is a few letters: longer input is cut, never searched whole.
    let text: String = q.q.trim().chars().take(100).collect();
    if text.chars().count() < 2 {
        return Ok(Json(Vec::new()));
    }
    let choices = match kind {
        "partners" => state
            .store
            .partner_list(
                &me.ctx,
                &kieng_store::partners::PartnerFilter {
                    q: Some(text),
                    ..Default::default()
                },
            )
            .await?
            .items
            .into_iter()
            .take(SHOWN)
            .map(|r| Choice {
                label: match &r.partner.country_code {
                    Some(c) if r.partner.kind != "country" => {
                        format!("{} ({c})", r.partner.name_vi)
                    }
                    _ => r.partner.name_vi.clone(),
                },
                value: r.partner.name_vi,
            })
            .collect(),
        "agencies" => state
            .store
            .agency_list(
                &me.ctx,
                &kieng_store::agencies::AgencyFilter {
                    q: Some(text),
                    ..Default::default()
                },
            )
            .await?
            .items
            .into_iter()
            .take(SHOWN)
            .map(|a| Choice {
                label: format!("{} ({})", a.name_vi, a.code),
                value: a.code,
            })
            .collect(),
        "users" => state
            .store
            .user_choices(&me.ctx, &text, SHOWN)
            .await?
            .into_iter()
            .map(|u| Choice {
                label: format!(
                    "{} — {} ({})",
                    u.user.display_name, u.agency_name, u.user.username
                ),
                value: u.user.username,
            })
            .collect(),
        "communes" => state
            .store
            .commune_choices(&text, SHOWN as u64)
            .await?
            .into_iter()
            .map(|(c, province)| Choice {
                label: format!("{}, {province} ({})", c.full_name, c.code),
                value: c.code,
            })
            .collect(),
        _ => return Err(WebError::NotFound),
    };
    Ok(Json(choices))
}
