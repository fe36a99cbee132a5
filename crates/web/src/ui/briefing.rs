//! The partner briefing dossier as a Decree-30 document (`.docx`), in one
//! click from the dossier: the partner's facts and framework history, its
//! engagements of the last year and ahead, agreements in force, open
//! commitments and contacts — everything read as the reader's pages read it,
//! so nothing above their clearance is in it, and the document carries the
//! highest classification of what it holds.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::Ids;
use crate::middleware::Me;
use axum::extract::State;
use axum::response::Response;
use kieng_domain::Classification;
use kieng_domain::document::{Document, Section};
use kieng_store::activities::ActivityFilter;
use kieng_store::agreements::AgreementFilter;
use kieng_store::commitments::CommitmentFilter;

fn class(rank: i16) -> Classification {
    usize::try_from(rank)
        .ok()
        .and_then(|r| Classification::ALL.get(r).copied())
        .unwrap_or(Classification::TuyetMat)
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// What the officer chooses before producing the dossier: the period of
/// engagements it covers (default: the last twelve months) and the talking
/// points, one a line.
#[derive(Debug, Default, serde::Deserialize)]
pub struct BriefingForm {
    pub from: Option<String>,
    pub to: Option<String>,
    pub points: Option<String>,
}

/// The longest talking points, in characters.
const MAX_POINTS: usize = 10_000;

/// `GET /partners/{id}/briefing.docx`: the last twelve months, no talking points.
pub async fn docx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    build(&state, &me, ids.uuid(0)?, &BriefingForm::default()).await
}

/// `POST /partners/{id}/briefing.docx`: the period and talking points chosen.
pub async fn docx_with(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    crate::extract::FormBody(f): crate::extract::FormBody<BriefingForm>,
) -> WebResult<Response> {
    build(&state, &me, ids.uuid(0)?, &f).await
}

async fn build(state: &AppState, me: &Me, id: uuid::Uuid, f: &BriefingForm) -> WebResult<Response> {
    use kieng_domain::{FieldErrors, Msg};
    let store = &state.store;
    let ctx = &me.ctx;
    let d = store.partner_get(ctx, id).await?;
    let today = kieng_store::today();
    let mut e = FieldErrors::new();
    let from = kieng_domain::days::optional_date(&mut e, "from", f.from.as_deref())
        .unwrap_or(today - chrono::Duration::days(365));
    let to = kieng_domain::days::optional_date(&mut e, "to", f.to.as_deref()).unwrap_or(today);
    if from > to || (to - from).num_days() > kieng_domain::report::MAX_PERIOD_DAYS {
        e.add(
            "to",
            Msg::new(
                "Khoảng thời gian không hợp lệ (tối đa 6 năm, ngày cuối sau ngày đầu).",
                "Not a valid period (at most six years, the end after the start).",
            ),
        );
    }
    let points: Vec<String> = f
        .points
        .as_deref()
        .map(|p| kieng_domain::text::clean(p, true))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if points.iter().map(|p| p.chars().count()).sum::<usize>() > MAX_POINTS {
        e.add("points", kieng_domain::error::msgs::too_long(MAX_POINTS));
    }
    if !e.is_empty() {
        return Err(kieng_store::StoreError::from(e).into());
    }
    let in_period = store
        .activity_list(
            ctx,
            &ActivityFilter {
                partner: Some(id),
                from: Some(from),
                ..Default::default()
            },
        )
        .await?;
    let upcoming = store
        .activity_list(
            ctx,
            &ActivityFilter {
                partner: Some(id),
                from: Some(today),
                ..Default::default()
            },
        )
        .await?;
    let agreements = store
        .agreement_list(
            ctx,
            &AgreementFilter {
                partner: Some(id),
                status: Some("in_force".into()),
                ..Default::default()
            },
        )
        .await?;
    let commitments = store
        .commitment_list(
            ctx,
            &CommitmentFilter {
                partner: Some(id),
                ..Default::default()
            },
        )
        .await?;
    let open: Vec<_> = commitments
        .items
        .iter()
        .filter(|c| matches!(c.commitment.status.as_str(), "open" | "in_progress"))
        .collect();
    let agency = store.agency_get(ctx, ctx.actor.agency_id).await.ok();

    let p = &d.partner;
    let mut facts = vec![format!("Tên: {}", p.name_vi)];
    if let Some(en) = &p.name_en {
        facts.push(format!("Tên tiếng Anh: {en}"));
    }
    if let Some(c) = &d.country_name {
        facts.push(format!("Quốc gia: {c}"));
    }
    if let Some(cur) = &d.current {
        facts.push(format!(
            "Khuôn khổ quan hệ hiện nay: {}{}",
            cur.level_vi,
            if cur.since.is_empty() {
                String::new()
            } else {
                format!(" (từ {})", cur.since)
            }
        ));
    }
    let history: Vec<String> = d
        .frameworks
        .iter()
        .rev()
        .map(|f| {
            format!(
                "{}: {}{}",
                if f.since.is_empty() { "—" } else { &f.since },
                f.level_vi,
                f.step
                    .source
                    .as_deref()
                    .map(|s| format!(" (nguồn: {s})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let end = kieng_store::activities::vn_midnight(to + chrono::Duration::days(1));
    let past: Vec<_> = in_period
        .items
        .iter()
        .filter(|a| a.activity.starts_at < end)
        .collect();
    let ahead: Vec<_> = upcoming
        .items
        .iter()
        .filter(|a| a.activity.starts_at > chrono::Utc::now())
        .collect();
    let line = |a: &&kieng_store::activities::ActivityRow| {
        let a2 = &a.activity;
        format!(
            "{}: {}{}",
            day((a2.starts_at + chrono::Duration::hours(7)).date_naive()),
            a2.title,
            a.lead
                .as_ref()
                .map(|l| format!(" ({})", l.name_vi))
                .unwrap_or_default()
        )
    };
    let none = || vec!["Không có.".to_string()];
    let or_none = |v: Vec<String>| if v.is_empty() { none() } else { v };
    let sections = vec![
        Section::text("I. THÔNG TIN CHUNG", facts),
        Section::text("II. QUÁ TRÌNH PHÁT TRIỂN QUAN HỆ", or_none(history)),
        Section::text(
            "III. HOẠT ĐỘNG ĐỐI NGOẠI TRONG 12 THÁNG QUA",
            or_none(past.iter().map(line).collect()),
        ),
        Section::text(
            "IV. HOẠT ĐỘNG SẮP TỚI",
            or_none(ahead.iter().map(line).collect()),
        ),
        Section::text(
            "V. VĂN KIỆN ĐANG CÓ HIỆU LỰC",
            or_none(
                agreements
                    .items
                    .iter()
                    .map(|r| {
                        format!(
                            "{}{}",
                            r.agreement.title_vi,
                            r.agreement
                                .signed_on
                                .map(|d| format!(" (ký ngày {})", day(d)))
                                .unwrap_or_default()
                        )
                    })
                    .collect(),
            ),
        ),
        Section::text(
            "VI. CAM KẾT CHƯA HOÀN THÀNH",
            or_none(
                open.iter()
                    .map(|c| {
                        format!(
                            "{} — hạn {}{}",
                            c.commitment.title,
                            day(c.commitment.due_on),
                            c.owner
                                .as_ref()
                                .map(|o| format!(", {}", o.name_vi))
                                .unwrap_or_default()
                        )
                    })
                    .collect(),
            ),
        ),
        Section::text(
            "VII. NHÂN VẬT, ĐẦU MỐI LIÊN HỆ",
            or_none(
                d.contacts
                    .iter()
                    .chain(d.positions.iter())
                    .map(|v| {
                        format!(
                            "{} — {}{}",
                            v.person_name,
                            v.position.title,
                            v.organisation_name
                                .as_deref()
                                .map(|o| format!(", {o}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect(),
            ),
        ),
    ];
    let mut sections = sections;
    if !points.is_empty() {
        sections.push(Section::text("VIII. GỢI Ý NỘI DUNG TRAO ĐỔI", points));
    }
    let holds = std::iter::once(class(p.classification))
        .chain(
            past.iter()
                .chain(ahead.iter())
                .map(|a| class(a.activity.classification)),
        )
        .chain(
            agreements
                .items
                .iter()
                .map(|a| class(a.agreement.classification)),
        )
        .chain(open.iter().map(|c| class(c.commitment.classification)));
    let doc = Document {
        parent: agency.as_ref().and_then(|a| a.parent_name.clone()),
        issuer: agency
            .as_ref()
            .map(|a| a.agency.name_vi.clone())
            .unwrap_or_default(),
        number: "Số:       /HS".into(),
        // Where the issuer is: its province, else the capital.
        place: agency
            .as_ref()
            .and_then(|a| a.province_name.clone())
            .unwrap_or_else(|| "Hà Nội".into()),
        date: today,
        kind: "HỒ SƠ ĐỐI TÁC".into(),
        title: p.name_vi.to_uppercase(),
        recipients: Vec::new(),
        sections,
        signer_position: "Người lập".into(),
        signer_name: Some(me.p.user.display_name.clone()),
        copies_to: vec!["Lưu: VT".into()],
        classification: holds.max().unwrap_or(Classification::None),
        urgency: None,
    };
    let bytes = crate::docx::render(&doc)?;
    Ok(crate::export::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("kieng-ho-so-doi-tac-{}.docx", today.format("%Y-%m-%d")),
    ))
}
