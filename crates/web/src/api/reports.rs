//! Review reports over JSON: list, draft, edit, narrative parts, the
//! workflow, and the register of numbers. A report's figures are what its
//! page shows: live for a draft, frozen once submitted.

use super::dto::{AgencyLink, ErrorBody, class};
use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, JsonBody, QueryArgs};
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kieng_domain::report::{Part, ReportForm};
use kieng_store::StoreError;
use kieng_store::reports::{MoveForm, PartForm, ReportFilter, ReportRow, ReportView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A report as lists show it.
#[derive(Serialize, ToSchema)]
pub struct ReportSummary {
    pub id: Uuid,
    pub title: String,
    /// draft | submitted | approved
    pub status: String,
    /// "Số: 05/BC-SNV" once approved.
    pub number: Option<String>,
    /// year | half | quarter | custom
    pub period_kind: String,
    pub period_from: chrono::NaiveDate,
    pub period_to: chrono::NaiveDate,
    /// "năm 2026", "quý III năm 2026" …
    pub period: String,
    pub issuer: Option<AgencyLink>,
    pub classification: String,
    pub version: i32,
}

impl From<ReportRow> for ReportSummary {
    fn from(r: ReportRow) -> Self {
        let m = r.report;
        Self {
            id: m.id,
            number: m.number_seq.map(|_| r.number.clone()),
            title: m.title,
            status: m.status,
            period_kind: m.period_kind,
            period_from: m.period_from,
            period_to: m.period_to,
            period: r.period_vi,
            issuer: r.issuer.map(Into::into),
            classification: class(m.classification),
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportPage {
    pub items: Vec<ReportSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A line of a table: the period's figure and the one before.
#[derive(Serialize, ToSchema)]
pub struct FigureRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    pub now: i64,
    pub before: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FigureTable {
    pub key: String,
    pub title_vi: String,
    pub title_en: String,
    pub rows: Vec<FigureRow>,
}

#[derive(Serialize, ToSchema)]
pub struct FigureSection {
    pub key: String,
    pub title_vi: String,
    pub title_en: String,
    pub tables: Vec<FigureTable>,
    /// Named lines: high-level delegations, framework steps.
    pub items: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportPart {
    /// assessment | shortcomings | lessons | directions
    pub part: String,
    pub body: String,
    /// The latest revision (0: not written); send it back when saving.
    pub revision: i32,
}

/// One report, whole.
#[derive(Serialize, ToSchema)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// all | agency | pillar | province
    pub scope_kind: String,
    pub scope_ref: Option<String>,
    /// The scope in words.
    pub scope: String,
    pub previous_from: chrono::NaiveDate,
    pub previous_to: chrono::NaiveDate,
    pub recipients: Vec<String>,
    pub copies_to: Vec<String>,
    pub signer_position: String,
    pub signer_name: Option<String>,
    /// khan | thuong_khan | hoa_toc; none when not urgent.
    pub urgency: Option<String>,
    pub sections: Vec<FigureSection>,
    /// The highest classification among the records counted.
    pub holds: String,
    pub parts: Vec<ReportPart>,
    /// When the figures shown were frozen (submitted); none for a live draft.
    pub frozen_at: Option<chrono::DateTime<chrono::Utc>>,
    pub approved_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<ReportView> for ReportDetail {
    fn from(v: ReportView) -> Self {
        let r = v.row.report.clone();
        Self {
            scope_kind: r.scope_kind.clone(),
            scope_ref: r.scope_ref.clone(),
            scope: v.scope_vi,
            previous_from: v.figures.previous.from,
            previous_to: v.figures.previous.to,
            recipients: kieng_store::reports::lines(&r.recipients),
            copies_to: kieng_store::reports::lines(&r.copies_to),
            signer_position: r.signer_position.clone(),
            signer_name: r.signer_name.clone(),
            urgency: r.urgency.clone(),
            holds: v.figures.holds.as_str().to_string(),
            sections: v
                .figures
                .sections
                .into_iter()
                .map(|s| FigureSection {
                    key: s.key,
                    title_vi: s.vi,
                    title_en: s.en,
                    items: s.items,
                    tables: s
                        .tables
                        .into_iter()
                        .map(|t| FigureTable {
                            key: t.key,
                            title_vi: t.vi,
                            title_en: t.en,
                            rows: t
                                .rows
                                .into_iter()
                                .map(|r| FigureRow {
                                    key: r.key,
                                    label_vi: r.vi,
                                    label_en: r.en,
                                    now: r.now,
                                    before: r.before,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            parts: v
                .texts
                .into_iter()
                .map(|t| ReportPart {
                    part: t.part.as_str().into(),
                    body: t.body,
                    revision: t.revision,
                })
                .collect(),
            frozen_at: v.frozen.map(|f| f.at),
            approved_at: r.approved_at,
            summary: v.row.into(),
        }
    }
}

/// A report's particulars.
#[derive(Deserialize, ToSchema, Default)]
pub struct ReportInput {
    pub title: String,
    /// year | half | quarter | custom
    pub period: String,
    pub year: Option<i32>,
    /// The half (1–2) or quarter (1–4).
    pub part: Option<i32>,
    /// custom: the first and last day (yyyy-mm-dd).
    pub from: Option<String>,
    pub to: Option<String>,
    /// all | agency | pillar | province
    pub scope: String,
    /// The agency's code, the pillar (party | state | people) or the province's code.
    pub scope_ref: Option<String>,
    /// The issuing agency's code or id (default: the caller's).
    pub agency: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    pub signer_position: Option<String>,
    pub signer_name: Option<String>,
    #[serde(default)]
    pub copies_to: Vec<String>,
    /// khan | thuong_khan | hoa_toc; absent: not urgent.
    pub urgency: Option<String>,
    /// The ceiling of what it counts: none | mat | toi_mat | tuyet_mat.
    pub classification: Option<String>,
    /// Above "none": the state-secrets catalogue item it rests on.
    pub secret_item: Option<String>,
    /// On update: the version read.
    pub version: Option<i32>,
}

impl ReportInput {
    fn form(&self) -> ReportForm {
        ReportForm {
            title: self.title.clone(),
            period: self.period.clone(),
            year: self.year.map(|y| y.to_string()),
            part: self.part.map(|p| p.to_string()),
            from: self.from.clone(),
            to: self.to.clone(),
            scope: self.scope.clone(),
            scope_ref: self.scope_ref.clone(),
            agency: self.agency.clone(),
            recipients: Some(self.recipients.join("\n")),
            signer_position: self.signer_position.clone(),
            signer_name: self.signer_name.clone(),
            copies_to: Some(self.copies_to.join("\n")),
            urgency: self.urgency.clone(),
            classification: self.classification.clone(),
            secret_item: self.secret_item.clone(),
        }
    }
}

/// A narrative part's new text, with the revision it was written from.
#[derive(Deserialize, ToSchema, Default)]
pub struct PartInput {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub revision: i32,
}

/// A workflow move.
#[derive(Deserialize, ToSchema, Default)]
pub struct MoveInput {
    /// submit | approve | return
    pub r#move: String,
    pub version: i32,
    /// Why it is returned (required to return).
    pub note: Option<String>,
}

/// A line of the register of numbers.
#[derive(Serialize, ToSchema)]
pub struct NumberEntry {
    pub number: String,
    pub year: i32,
    pub seq: i32,
    pub agency: Option<AgencyLink>,
    pub record_id: Uuid,
    pub title: String,
    pub issued_on: chrono::NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct NumberPage {
    pub items: Vec<NumberEntry>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Reports the reader may see, newest period first.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports",
    params(("q" = Option<String>, Query), ("status" = Option<String>, Query), ("year" = Option<i32>, Query),
        ("agency" = Option<uuid::Uuid>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = ReportPage)))]
pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<ReportFilter>,
) -> WebResult<Json<ReportPage>> {
    let p = state.store.report_list(&me.ctx, &f).await?;
    Ok(Json(ReportPage {
        items: p.items.into_iter().map(Into::into).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

/// Start a review report (a draft).
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = ReportInput,
    responses((status = 201, body = ReportDetail), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(b): JsonBody<ReportInput>,
) -> WebResult<(StatusCode, Json<ReportDetail>)> {
    let r = state.store.report_create(&me.ctx, &b.form()).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.report_get(&me.ctx, r.id).await?.into()),
    ))
}

/// One report: its figures compared with the period before, and its parts.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ReportDetail), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Json<ReportDetail>> {
    Ok(Json(
        state.store.report_get(&me.ctx, ids.uuid(0)?).await?.into(),
    ))
}

/// Change a draft's particulars; send the `version` read.
#[utoipa::path(put, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = uuid::Uuid, Path)), request_body = ReportInput,
    responses((status = 200, body = ReportDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<ReportInput>,
) -> WebResult<Json<ReportDetail>> {
    let id = ids.uuid(0)?;
    let version = b.version.ok_or_else(super::version_required)?;
    state
        .store
        .report_update(&me.ctx, id, version, &b.form())
        .await?;
    Ok(Json(state.store.report_get(&me.ctx, id).await?.into()))
}

/// Save a narrative part as its next revision; send the `revision` read
/// (a part changed since is 409 with the current text).
#[utoipa::path(put, path = "/api/v1/reports/{id}/parts/{part}", tag = "reports",
    params(("id" = uuid::Uuid, Path), ("part" = String, Path, description = "assessment | shortcomings | lessons | directions")),
    request_body = PartInput,
    responses((status = 200, body = ReportDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_part(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<PartInput>,
) -> WebResult<Json<ReportDetail>> {
    let id = ids.uuid(0)?;
    let part =
        Part::parse(ids.0.get(1).map(String::as_str).unwrap_or("")).ok_or(StoreError::NotFound)?;
    state
        .store
        .report_part_save(
            &me.ctx,
            id,
            part,
            &PartForm {
                body: b.body,
                revision: b.revision,
            },
        )
        .await?;
    Ok(Json(state.store.report_get(&me.ctx, id).await?.into()))
}

/// Submit (freezing the figures and parts), approve (numbering it) or return.
#[utoipa::path(post, path = "/api/v1/reports/{id}/move", tag = "reports", params(("id" = uuid::Uuid, Path)), request_body = MoveInput,
    responses((status = 200, body = ReportDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn do_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    JsonBody(b): JsonBody<MoveInput>,
) -> WebResult<Json<ReportDetail>> {
    let id = ids.uuid(0)?;
    state
        .store
        .report_move(
            &me.ctx,
            id,
            &MoveForm {
                r#move: b.r#move,
                version: b.version,
                note: b.note,
            },
        )
        .await?;
    Ok(Json(state.store.report_get(&me.ctx, id).await?.into()))
}

#[derive(Debug, Default, Deserialize)]
pub struct NumberArgs {
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    year: Option<i32>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The register of document numbers of the agencies the reader sees.
#[utoipa::path(get, path = "/api/v1/reports/numbers", tag = "reports",
    params(("year" = Option<i32>, Query), ("page" = Option<u64>, Query)),
    responses((status = 200, body = NumberPage)))]
pub async fn numbers(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NumberArgs>,
) -> WebResult<Json<NumberPage>> {
    let p = state
        .store
        .document_numbers(&me.ctx, a.year, a.page)
        .await?;
    Ok(Json(NumberPage {
        items: p
            .items
            .into_iter()
            .map(|n| NumberEntry {
                number: n.number,
                year: n.entry.year,
                seq: n.entry.seq,
                agency: n.agency.map(Into::into),
                record_id: n.entry.record_id,
                title: n.entry.title,
                issued_on: n.entry.issued_on,
            })
            .collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}
