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

/// `GET /partners/{id}/briefing.docx`.
pub async fn docx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let store = &state.store;
    let ctx = &me.ctx;
    let d = store.partner_get(ctx, id).await?;
    let today = kieng_store::today();
    let year_ago = today - chrono::Duration::days(365);
    let activities = store
        .activity_list(
            ctx,
            &ActivityFilter {
                partner: Some(id),
                from: Some(year_ago),
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
    let (past, ahead): (Vec<_>, Vec<_>) = activities
        .items
        .iter()
        .partition(|a| a.activity.starts_at <= chrono::Utc::now());
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
    let holds = std::iter::once(class(p.classification))
        .chain(
            activities
                .items
                .iter()
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
    };
    let bytes = crate::docx::render(&doc)?;
    Ok(crate::export::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("kieng-ho-so-doi-tac-{}.docx", today.format("%Y-%m-%d")),
    ))
}
