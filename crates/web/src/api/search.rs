//! Search over JSON: the same query, filters and rules as the search page.

use crate::AppState;
use crate::error::{WebError, WebResult};
use crate::extract::QueryArgs;
use crate::middleware::Me;
use axum::Json;
use axum::extract::State;
use kieng_domain::{FieldErrors, Msg};
use kieng_store::search::{Hit, SearchPage, SearchRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The search box's parameters as typed (an empty field is no filter).
#[derive(Debug, Default, Deserialize)]
pub struct SearchArgs {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub pillar: Option<String>,
    pub year: Option<String>,
    pub page: Option<String>,
}

impl SearchArgs {
    /// The request, or what to fix.
    pub fn request(&self) -> Result<SearchRequest, WebError> {
        let number =
            |field: &str, v: &Option<String>, lo: i64, hi: i64| -> Result<Option<i64>, WebError> {
                match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => match s.parse::<i64>() {
                        Ok(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
                        _ => Err(WebError::Store(kieng_store::StoreError::Invalid(
                            FieldErrors::single(
                                field,
                                Msg::new(
                                    format!("Hãy nhập một số từ {lo} đến {hi}."),
                                    format!("Enter a number from {lo} to {hi}."),
                                ),
                            ),
                        ))),
                    },
                }
            };
        Ok(SearchRequest {
            q: self.q.clone().unwrap_or_default(),
            kind: self.kind.clone(),
            pillar: self.pillar.clone(),
            year: number("year", &self.year, 1900, 2200)?.map(|y| y as i32),
            page: number("page", &self.page, 1, kieng_store::search::MAX_PAGE as i64)?
                .map(|p| p as usize),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct SegmentDto {
    pub text: String,
    /// A searched word (or its beginning).
    pub hit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HitDto {
    /// partner, person, agency, activity, agreement or commitment.
    pub kind: String,
    pub id: uuid::Uuid,
    pub title: String,
    pub title_marked: Vec<SegmentDto>,
    pub snippet: Option<Vec<SegmentDto>>,
    pub pillar: Option<String>,
    pub date: chrono::NaiveDate,
    /// The record's page.
    pub href: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchPageDto {
    pub items: Vec<HitDto>,
    /// Matches the reader may see, in all.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    /// The words searched, folded (lower case, no diacritics).
    pub words: Vec<String>,
    /// The index is being built: results may be incomplete for a while.
    pub building: bool,
}

fn segments(s: Vec<kieng_domain::search::Segment>) -> Vec<SegmentDto> {
    s.into_iter()
        .map(|s| SegmentDto {
            text: s.text,
            hit: s.hit,
        })
        .collect()
}

/// The page of a record found.
pub fn href(h: &Hit) -> String {
    use kieng_domain::search::Kind;
    let base = match h.kind {
        Kind::Partner | Kind::Person => "partners",
        Kind::Agency => "agencies",
        Kind::Activity => "activities",
        Kind::Agreement => "agreements",
        Kind::Commitment => "commitments",
        Kind::Report => "reports",
        Kind::Plan => "plans",
        Kind::Task => "plans/tasks",
        Kind::Case => "protection",
        Kind::Mechanism => "multilateral/mechanisms",
        Kind::Role => "multilateral/roles",
        Kind::Candidacy => "multilateral/candidacies",
    };
    format!("/{base}/{}", h.id)
}

impl From<SearchPage> for SearchPageDto {
    fn from(p: SearchPage) -> Self {
        Self {
            items: p
                .hits
                .into_iter()
                .map(|h| HitDto {
                    href: href(&h),
                    kind: h.kind.as_str().to_string(),
                    id: h.id,
                    title: h.title,
                    title_marked: segments(h.title_marked),
                    snippet: h.snippet.map(segments),
                    pillar: h.pillar,
                    date: h.date,
                })
                .collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
            words: p.words,
            building: p.building,
        }
    }
}

/// Search partners, people, agencies, activities, agreements and commitments —
/// with or without diacritics, word beginnings, aliases — within the caller's
/// scope and clearance. Any text is accepted; one without letters or digits,
/// or longer than 12 words, gets 422 with a message.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = String, Query, description = "words, diacritics optional; the last may be unfinished"),
        ("kind" = Option<String>, Query, description = "partner, person, agency, activity, agreement, commitment"),
        ("pillar" = Option<String>, Query, description = "party, state, people"),
        ("year" = Option<i32>, Query), ("page" = Option<usize>, Query)),
    responses((status = 200, body = SearchPageDto), (status = 422, body = crate::api::dto::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(args): QueryArgs<SearchArgs>,
) -> WebResult<Json<SearchPageDto>> {
    let req = args.request()?;
    Ok(Json(state.store.search(&me.ctx, &req).await?.into()))
}
