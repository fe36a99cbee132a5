//! Importing partners and contacts over JSON: the request body is the XLSX or
//! CSV file; `dry_run=true` only checks it. Without it, a file with any problem
//! answers 422 with the same report and nothing is written.

use crate::AppState;
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

#[derive(Debug, Default, Deserialize)]
pub struct ImportArgs {
    pub dry_run: Option<bool>,
    /// For every partner created: none | mat | toi_mat | tuyet_mat.
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item they rest on (code or id).
    pub secret_item: Option<String>,
}

/// What an import did or would do.
#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    /// Whether the new partners were written.
    pub applied: bool,
    /// Rows that create a partner.
    pub new: usize,
    /// Rows naming a partner already in the registry (skipped).
    pub existing: usize,
    /// Every problem; with any, nothing is written.
    pub problems: Vec<ImportProblem>,
    pub rows: Vec<ImportRow>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportProblem {
    /// The spreadsheet row (the headings are row 1).
    pub row: usize,
    /// The column's heading as the file spells it; none for the whole file.
    pub column: Option<String>,
    /// What to fix, in the reader's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRow {
    pub row: usize,
    pub name_vi: String,
    pub kind: Option<String>,
    /// new | exists | invalid
    pub status: String,
    /// The registry's partner this row names (status `exists`).
    pub existing: Option<Uuid>,
    /// A contact's position: "title — place".
    pub position: Option<String>,
    /// The partner created (once applied).
    pub created: Option<Uuid>,
}

impl ImportProblem {
    /// An import's problems in the reader's language.
    pub fn all(problems: Vec<kieng_domain::import::Problem>, lang: &str) -> Vec<Self> {
        problems
            .into_iter()
            .map(|p| Self {
                row: p.row,
                column: p.column,
                message: p.message.get(lang).to_string(),
            })
            .collect()
    }
}

impl ImportReport {
    fn from(r: kieng_store::partners::ImportReport, lang: &str) -> Self {
        Self {
            applied: r.applied,
            new: r.new,
            existing: r.existing,
            problems: ImportProblem::all(r.problems, lang),
            rows: r
                .rows
                .into_iter()
                .map(|x| ImportRow {
                    row: x.row,
                    name_vi: x.name_vi,
                    kind: x.kind,
                    status: serde_json::to_value(x.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    existing: x.existing.map(|e| e.id),
                    position: x.position,
                    created: x.created,
                })
                .collect(),
        }
    }
}

/// Import partners and contacts from an XLSX or CSV file (the body; headings as
/// in the partner export, Vietnamese or English). All new rows are created in one
/// transaction, or none; partners already in the registry are skipped.
#[utoipa::path(post, path = "/api/v1/partners/import", tag = "partners",
    params(("dry_run" = Option<bool>, Query), ("classification" = Option<String>, Query), ("secret_item" = Option<String>, Query)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport),
        (status = 403, body = crate::api::dto::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ImportArgs>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<ImportReport>)> {
    let sheet = crate::sheet::read_off_thread(body.to_vec())
        .await
        .map_err(|m| StoreError::Invalid(FieldErrors::single("file", m)))?;
    let dry_run = q.dry_run.unwrap_or(false);
    let r = state
        .store
        .partner_import(
            &me.ctx,
            &sheet,
            &Marking {
                classification: q.classification.clone(),
                secret_item: q.secret_item.clone(),
            },
            !dry_run,
        )
        .await?;
    let status = if r.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(ImportReport::from(r, me.lang.code()))))
}
