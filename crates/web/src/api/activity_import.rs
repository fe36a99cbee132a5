//! Importing past activities over JSON: the request body is the XLSX or CSV
//! file; `dry_run=true` only checks it. Without it, a file with any problem
//! answers 422 with the same report and nothing is written.

use crate::AppState;
use crate::api::partner_import::ImportProblem;
use crate::error::WebResult;
use crate::extract::QueryArgs;
use crate::middleware::Me;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::FieldErrors;
use kieng_store::StoreError;
use kieng_store::partners::Marking;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What an activities import did or would do.
#[derive(Serialize, ToSchema)]
pub struct ActivityImportReport {
    /// Whether the new activities were written.
    pub applied: bool,
    /// Rows that create an activity.
    pub new: usize,
    /// Rows repeating an activity already in Kiềng (skipped).
    pub existing: usize,
    /// Every problem; with any, nothing is written.
    pub problems: Vec<ImportProblem>,
    pub rows: Vec<ActivityImportRow>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityImportRow {
    pub row: usize,
    pub title: String,
    pub starts: String,
    pub lead: Option<String>,
    /// new | exists | invalid
    pub status: String,
    /// The activity this row repeats (status `exists`).
    pub existing: Option<Uuid>,
    /// The activity created (once applied).
    pub created: Option<Uuid>,
}

/// As the partner import's arguments, with the file's name kept with each
/// record of where it came from.
#[derive(Debug, Default, Deserialize)]
pub struct ActivityImportArgs {
    pub dry_run: Option<bool>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
    pub file_name: Option<String>,
}

/// Import past activities from an XLSX or CSV file (the body; headings as in
/// the activity list export or the template, Vietnamese or English). All new
/// rows are written in one transaction, or none; rows repeating an activity
/// already in Kiềng are skipped.
#[utoipa::path(post, path = "/api/v1/activities/import", tag = "activities",
    params(("dry_run" = Option<bool>, Query), ("classification" = Option<String>, Query), ("secret_item" = Option<String>, Query),
        ("file_name" = Option<String>, Query, description = "the file's name, kept with each record")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ActivityImportReport), (status = 422, body = ActivityImportReport),
        (status = 403, body = crate::api::dto::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ActivityImportArgs>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<ActivityImportReport>)> {
    let sheet =
        crate::sheet::read_rows_off_thread(body.to_vec(), kieng_domain::activity_import::MAX_ROWS)
            .await
            .map_err(|m| StoreError::Invalid(FieldErrors::single("file", m)))?;
    let name: String = q
        .file_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("api")
        .chars()
        .take(200)
        .collect();
    let r = state
        .store
        .activity_import(
            &me.ctx,
            &name,
            &sheet,
            &Marking {
                classification: q.classification.clone(),
                secret_item: q.secret_item.clone(),
            },
            !q.dry_run.unwrap_or(false),
        )
        .await?;
    let status = if r.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let lang = me.lang.code();
    Ok((
        status,
        Json(ActivityImportReport {
            applied: r.applied,
            new: r.new,
            existing: r.existing,
            problems: ImportProblem::all(r.problems, lang),
            rows: r
                .rows
                .into_iter()
                .map(|x| ActivityImportRow {
                    row: x.row,
                    title: x.title,
                    starts: x.starts,
                    lead: x.lead,
                    status: serde_json::to_value(x.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    existing: x.existing,
                    created: x.created,
                })
                .collect(),
        }),
    ))
}
