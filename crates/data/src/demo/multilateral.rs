//! The demo's multilateral campaign: an illustrative candidacy of Vietnam's
//! to the International Law Commission, led by the Ministry, with the words
//! of thirty countries recorded over a year — written, oral, conditional,
//! one refusal, one reciprocal deal with its commitment, and pledges to a
//! competing candidate. The candidacy and every pledge are invented and say
//! so. Two meetings — a General Assembly high-level week held, an ASEAN
//! foreign ministers' meeting to come — show a mechanism's page, with an
//! illustrative initiative put forward at the first.

use kieng_domain::activity::ActivityForm;
use kieng_domain::multilateral::{CandidacyForm, OutcomeForm, PledgeForm};
use kieng_store::multilateral::MoveForm;
use kieng_store::{Store, StoreError};

/// (country, support, given on, to the competitor).
const WORDS: &[(&str, &str, &str, bool)] = &[
    ("LA", "written", "15/01/2026", false),
    ("KH", "written", "20/01/2026", false),
    ("CU", "written", "03/02/2026", false),
    ("FR", "oral", "10/02/2026", false),
    ("FR", "written", "12/05/2026", false),
    ("JP", "reciprocal", "24/02/2026", false),
    ("IN", "oral", "02/03/2026", false),
    ("ID", "written", "09/03/2026", false),
    ("TH", "oral", "16/03/2026", false),
    ("MY", "written", "23/03/2026", false),
    ("SG", "conditional", "30/03/2026", false),
    ("PH", "oral", "06/04/2026", false),
    ("BR", "oral", "13/04/2026", false),
    ("ZA", "conditional", "20/04/2026", false),
    ("DZ", "written", "27/04/2026", false),
    ("EG", "oral", "04/05/2026", false),
    ("NG", "unknown", "11/05/2026", false),
    ("AR", "oral", "18/05/2026", false),
    ("MX", "conditional", "25/05/2026", false),
    ("CL", "written", "01/06/2026", false),
    ("KR", "oral", "08/06/2026", false),
    ("AU", "conditional", "15/06/2026", false),
    ("NZ", "declined", "22/06/2026", false),
    ("NZ", "written", "22/06/2026", true),
    ("DE", "oral", "29/06/2026", false),
    ("IT", "oral", "06/07/2026", false),
    ("HU", "written", "13/07/2026", false),
    ("RU", "written", "20/07/2026", false),
    ("MN", "written", "27/07/2026", false),
    ("MZ", "oral", "03/08/2026", false),
    ("AO", "oral", "10/08/2026", false),
    ("PE", "written", "17/08/2026", true),
];

const COMPETITOR: &str = "Ứng viên B (minh họa)";

pub async fn load(store: &Store) -> Result<(), StoreError> {
    let ctx = store.acting_as("dieuphoi").await?;
    let c = store
        .candidacy_create(
            &ctx,
            &CandidacyForm {
                mechanism: "ILC".into(),
                post: "Thành viên Ủy ban Luật pháp quốc tế (ứng cử minh họa)".into(),
                term: Some("2028–2032".into()),
                election_on: Some("15/11/2027".into()),
                method: Some(
                    "Đại hội đồng Liên hợp quốc bỏ phiếu kín; ghế của Nhóm châu Á – Thái Bình Dương"
                        .into(),
                ),
                electorate: "un".into(),
                votes_needed: Some("97".into()),
                competitors: Some(kieng_domain::text::Listed::Text(COMPETITOR.into())),
                owner_agency: "BNG".into(),
                note: Some(
                    "Dữ liệu minh họa: hồ sơ và mọi ý kiến của các nước dưới đây là hư cấu, chỉ để trình diễn bảng vận động."
                        .into(),
                ),
                ..Default::default()
            },
        )
        .await?;
    for status in ["decided", "announced", "campaigning"] {
        let v = store.candidacy_get(&ctx, c.id).await?;
        store
            .candidacy_move(
                &ctx,
                c.id,
                &MoveForm {
                    status: status.into(),
                    note: None,
                    version: Some(v.row.c.version),
                },
            )
            .await?;
    }
    for (country, support, on, theirs) in WORDS {
        let reciprocal = *support == "reciprocal";
        store
            .pledge_add(
                &ctx,
                c.id,
                &PledgeForm {
                    country: (*country).into(),
                    support: (*support).into(),
                    given_on: (*on).into(),
                    channel: Some("Trao đổi của Đại sứ quán (minh họa)".into()),
                    competitor: theirs.then(|| COMPETITOR.into()),
                    reciprocal: reciprocal.then(|| {
                        "Ủng hộ ứng cử của nước bạn vào Hội đồng Chấp hành UNESCO (minh họa)".into()
                    }),
                    reciprocal_due: reciprocal.then(|| "31/10/2027".into()),
                    note: Some("Dữ liệu minh họa".into()),
                    ..Default::default()
                },
            )
            .await?;
    }
    meetings(store, &ctx).await
}

/// A date-time `days` from today at `hour`, in the form's words.
fn local(days: i64, hour: u32) -> String {
    let d = kieng_store::today() + chrono::Duration::days(days);
    format!("{d}T{hour:02}:00")
}

async fn meetings(store: &Store, ctx: &kieng_store::Ctx) -> Result<(), StoreError> {
    let held = store
        .activity_create(
            ctx,
            &ActivityForm {
                title: "Đoàn Việt Nam dự Tuần lễ cấp cao Khóa họp 81 Đại hội đồng Liên hợp quốc (minh họa)".into(),
                type_code: "conference_abroad".into(),
                lead_agency: "BNG".into(),
                starts_at: local(-75, 9),
                ends_at: local(-70, 17),
                time_zone: Some("America/New_York".into()),
                city: Some("New York".into()),
                country_code: Some("US".into()),
                purpose: Some("Dữ liệu minh họa.".into()),
                ..Default::default()
            },
        )
        .await?;
    let coming = store
        .activity_create(
            ctx,
            &ActivityForm {
                title: "Hội nghị Bộ trưởng Ngoại giao ASEAN (minh họa)".into(),
                type_code: "conference_abroad".into(),
                lead_agency: "BNG".into(),
                starts_at: local(40, 9),
                ends_at: local(42, 17),
                time_zone: Some("Asia/Manila".into()),
                city: Some("Manila".into()),
                country_code: Some("PH".into()),
                purpose: Some("Dữ liệu minh họa.".into()),
                ..Default::default()
            },
        )
        .await?;
    store.meeting_link(ctx, "UNGA", held.id, true).await?;
    store.meeting_link(ctx, "AMM", coming.id, true).await?;
    let unga = store.mechanism_find("UNGA").await?;
    store
        .outcome_create(
            ctx,
            unga.id,
            &OutcomeForm {
                kind: "initiative".into(),
                title: "Sáng kiến về thích ứng với nước biển dâng (minh họa)".into(),
                adopted_on: (kieng_store::today() - chrono::Duration::days(72))
                    .format("%d/%m/%Y")
                    .to_string(),
                activity: Some(held.id.to_string()),
                owner_agency: Some("BNG".into()),
                note: Some("Dữ liệu minh họa".into()),
                ..Default::default()
            },
        )
        .await?;
    Ok(())
}
