//! Demo activities: a few weeks of work across the three pillars, dated from
//! today, entered through the same services as real input (so the calendar,
//! the coordination warnings and the audit trail all have something to show).
//! The people named are invented.

use chrono::{Duration, Utc};
use kieng_domain::activity::{ActivityForm, Transition};
use kieng_store::entity::user;
use kieng_store::{Ctx, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// title, type, lead, partners, from/to (days from today), zone, city, country,
/// head, members, authority, final status
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    (i64, i64),
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ACTIVITIES: &[Row] = &[
    (
        "Bộ trưởng Ngoại giao thăm chính thức Nhật Bản",
        "outgoing_delegation",
        "BNG",
        "Nhật Bản",
        (12, 15),
        "Asia/Tokyo",
        "Tokyo",
        "JP",
        "Trịnh Quốc Khánh",
        "Đỗ Minh Hải — Vụ trưởng Vụ Đông Bắc Á\nVũ Thị Lan — Chuyên viên",
        "",
        "approved",
    ),
    (
        "Làm việc với Cơ quan Hợp tác Quốc tế Nhật Bản (JICA) về vốn ODA",
        "talks",
        "BNG-NGKT",
        "Nhật Bản",
        (13, 13),
        "Asia/Ho_Chi_Minh",
        "Hà Nội",
        "VN",
        "Ngô Văn Phúc",
        "Đỗ Minh Hải — Vụ trưởng Vụ Đông Bắc Á",
        "",
        "submitted",
    ),
    (
        "Giao lưu nhân dân Việt – Nhật tại Osaka",
        "outgoing_delegation",
        "LHHN",
        "Nhật Bản",
        (17, 19),
        "Asia/Tokyo",
        "Osaka",
        "JP",
        "Bùi Thị Hạnh",
        "Lâm Quang Vinh — Trưởng ban Châu Á",
        "",
        "submitted",
    ),
    (
        "Đón đoàn Thượng viện Pháp",
        "incoming_delegation",
        "BNG",
        "Pháp",
        (5, 6),
        "Asia/Ho_Chi_Minh",
        "Hà Nội",
        "VN",
        "",
        "Phan Văn Tùng — Phó Vụ trưởng Vụ Châu Âu",
        "",
        "approved",
    ),
    (
        "Đón đoàn Đảng Cộng sản Pháp",
        "incoming_delegation",
        "TU-HP-DN",
        "Pháp",
        (6, 7),
        "Asia/Ho_Chi_Minh",
        "Hải Phòng",
        "VN",
        "",
        "",
        "",
        "draft",
    ),
    (
        "Hội thảo quốc tế về hợp tác kinh tế biển",
        "conference_hosted",
        "SNV-DN",
        "",
        (25, 26),
        "Asia/Ho_Chi_Minh",
        "Đà Nẵng",
        "VN",
        "",
        "",
        "prime_minister",
        "draft",
    ),
    (
        "Tiếp Đại sứ Hoa Kỳ chào xã giao",
        "talks",
        "SNV-HN",
        "Hoa Kỳ",
        (-30, -30),
        "Asia/Ho_Chi_Minh",
        "Hà Nội",
        "VN",
        "Đặng Thu Trang",
        "",
        "",
        "done",
    ),
    (
        "Điện đàm với Bộ trưởng Ngoại giao Lào",
        "call",
        "BNG",
        "Lào",
        (-10, -10),
        "Asia/Ho_Chi_Minh",
        "Hà Nội",
        "VN",
        "Trịnh Quốc Khánh",
        "",
        "",
        "reported",
    ),
    (
        "Lễ ký thỏa thuận hợp tác giữa TP Hồ Chí Minh và tỉnh Gyeonggi",
        "signing",
        "SNV-HCM",
        "Hàn Quốc",
        (40, 40),
        "Asia/Seoul",
        "Suwon",
        "KR",
        "",
        "",
        "",
        "submitted",
    ),
    (
        "Tuần Văn hóa Việt Nam tại Paris",
        "cultural",
        "DSQ-FR",
        "Pháp",
        (60, 66),
        "Europe/Paris",
        "Paris",
        "FR",
        "",
        "Hồ Ngọc Mai — Bí thư thứ nhất",
        "",
        "approved",
    ),
    (
        "Đối thoại chính sách Việt Nam – EU",
        "conference_abroad",
        "BNG",
        "Liên minh châu Âu",
        (30, 31),
        "Europe/Brussels",
        "Brussels",
        "BE",
        "Ngô Văn Phúc",
        "",
        "",
        "approved",
    ),
    (
        "Đoàn công tác làm việc tại bang New South Wales",
        "outgoing_delegation",
        "TLSQ-SYD",
        "AUS",
        (20, 22),
        "Australia/Sydney",
        "Sydney",
        "AU",
        "",
        "",
        "",
        "cancelled",
    ),
    // The embassy officer's own: a draft, one ended whose report is owed.
    (
        "Làm việc với tỉnh Aichi về lao động kỹ năng đặc định",
        "talks",
        "DSQ-JP",
        "Nhật Bản",
        (18, 18),
        "Asia/Tokyo",
        "Nagoya",
        "JP",
        "",
        "Phạm Quốc Dũng — Bí thư thứ nhất",
        "",
        "draft",
    ),
    (
        "Gặp gỡ cộng đồng người Việt Nam tại Tokyo nhân dịp Quốc khánh",
        "cultural",
        "DSQ-JP",
        "",
        (-20, -20),
        "Asia/Tokyo",
        "Tokyo",
        "JP",
        "",
        "",
        "",
        "done",
    ),
    // Hà Nội's delegations of the year: one in its delegation plan, one outside it.
    (
        "Đoàn lãnh đạo Thành phố thăm và làm việc tại Thủ đô Viêng Chăn",
        "outgoing_delegation",
        "SNV-HN",
        "Lào",
        (-45, -42),
        "Asia/Vientiane",
        "Viêng Chăn",
        "LA",
        "",
        "",
        "",
        "done",
    ),
    (
        "Đoàn Sở Ngoại vụ dự Diễn đàn các thành phố ASEAN tại Singapore",
        "outgoing_delegation",
        "SNV-HN",
        "Singapore",
        (-70, -68),
        "Asia/Singapore",
        "Singapore",
        "SG",
        "",
        "",
        "",
        "done",
    ),
    // The Hà Nội officer's: a proposal the leader returned with a reason.
    (
        "Đón đoàn Hội đồng thành phố Seoul",
        "incoming_delegation",
        "SNV-HN",
        "Hàn Quốc",
        (35, 37),
        "Asia/Ho_Chi_Minh",
        "Hà Nội",
        "VN",
        "",
        "",
        "",
        "returned",
    ),
];

fn local(days: i64, hour: u32) -> String {
    let d = (Utc::now() + Duration::hours(7) + Duration::days(days)).date_naive();
    format!("{d}T{hour:02}:00")
}

/// The hosted conference's consultations (Decision 06/2020/QĐ-TTg, Art. 5):
/// the Foreign Ministry answered in time, Public Security is two days late.
async fn consultations(store: &Store, ctx: &Ctx, id: uuid::Uuid) -> Result<(), StoreError> {
    let day = |n: i64| {
        (Utc::now() + Duration::hours(7) - Duration::days(n))
            .date_naive()
            .to_string()
    };
    for (body, received, answered) in [
        ("Bộ Ngoại giao (Vụ Tổng hợp kinh tế)", 18, Some(6)),
        ("Bộ Công an (Cục An ninh đối ngoại)", 17, None),
    ] {
        let form = kieng_domain::consultation::ConsultationForm {
            body: body.into(),
            requested_on: day(20),
            received_on: Some(day(received)),
            answered_on: answered.map(day),
            reference: Some("Minh họa".into()),
            note: None,
        };
        store.activity_consultation_add(ctx, id, &form).await?;
    }
    Ok(())
}

/// A demo account as the services' context.
pub(crate) async fn demo_ctx(store: &Store, username: &str) -> Result<Ctx, StoreError> {
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(store.connection())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Ctx {
        actor: store.actor_of(&u).await?,
        request_id: Some("demo".into()),
        ip: None,
    })
}

/// Record the demo activities: a demo officer enters and moves those of their
/// own agency (so each has drafts, returns and reports of their own), the
/// administrator the rest; the demo leader decides those within their scope.
pub async fn load(store: &Store, admin: &Ctx) -> Result<(), StoreError> {
    let leader = demo_ctx(store, "lanhdao").await?;
    let officers = [
        demo_ctx(store, "chuyenvien").await?,
        demo_ctx(store, "canbo.dsq").await?,
    ];
    for (
        title,
        ty,
        lead,
        partners,
        (from, to),
        tz,
        city,
        country,
        head,
        members,
        authority,
        status,
    ) in ACTIVITIES
    {
        let form = ActivityForm {
            title: (*title).into(),
            type_code: (*ty).into(),
            lead_agency: (*lead).into(),
            partners: Some((*partners).into()),
            head_name: Some((*head).into()),
            head_level: (!head.is_empty()).then(|| "minister".into()),
            members: Some((*members).into()),
            starts_at: local(*from, 9),
            ends_at: local(*to, 17),
            time_zone: Some((*tz).into()),
            city: Some((*city).into()),
            country_code: Some((*country).into()),
            purpose: Some("Dữ liệu minh họa.".into()),
            authority: Some((*authority).into()),
            ..Default::default()
        };
        let lead_id = store
            .agency_by_code(lead)
            .await?
            .map(|a| a.id)
            .ok_or(StoreError::NotFound)?;
        let author = officers
            .iter()
            .find(|o| o.actor.write.contains(lead_id))
            .unwrap_or(admin);
        let a = store.activity_create(author, &form).await?;
        if *ty == "conference_hosted" {
            consultations(store, author, a.id).await?;
        }
        let path: &[Transition] = match *status {
            "submitted" => &[Transition::Submit],
            "approved" => &[Transition::Submit, Transition::Approve],
            "done" => &[
                Transition::Submit,
                Transition::Approve,
                Transition::Complete,
            ],
            "reported" => &[
                Transition::Submit,
                Transition::Approve,
                Transition::Complete,
                Transition::Report,
            ],
            "cancelled" => &[Transition::Cancel],
            "returned" => &[Transition::Submit, Transition::Return],
            _ => &[],
        };
        let mut version = a.version;
        for t in path {
            let ctx = if t.is_decision() { &leader } else { author };
            let note = match t {
                    Transition::Return => Some("Đề nghị bổ sung chương trình chi tiết, thành phần đoàn và dự toán kinh phí (minh họa).".into()),
                    Transition::Report => Some("Hai bên thống nhất tăng cường trao đổi đoàn và tham khảo chính trị định kỳ (minh họa).".into()),
                    Transition::Cancel => Some("Phía bạn đề nghị lùi thời gian (minh họa).".into()),
                    _ => None,
                };
            let form = kieng_store::activities::TransitionForm {
                transition: t.as_str().into(),
                note,
                version,
            };
            match store.activity_transition(ctx, a.id, &form).await {
                Ok(m) => version = m.version,
                // The demo leader's scope is the state pillar: others stay submitted.
                Err(StoreError::NotFound | StoreError::Forbidden(_)) => break,
                Err(e) => return Err(e),
            }
        }
    }
    // One classified record (Mật): readers cleared below it never see it, and
    // its printed page carries the marking.
    store
        .activity_create(
            admin,
            &ActivityForm {
                title: "Tham vấn chính trị cấp Thứ trưởng Ngoại giao Việt Nam – Trung Quốc".into(),
                type_code: "talks".into(),
                lead_agency: "BNG".into(),
                partners: Some("Trung Quốc".into()),
                starts_at: local(28, 9),
                ends_at: local(28, 17),
                city: Some("Hà Nội".into()),
                country_code: Some("VN".into()),
                purpose: Some("Dữ liệu minh họa.".into()),
                classification: Some("mat".into()),
                secret_item: Some("DEMO-M-01".into()),
                ..Default::default()
            },
        )
        .await?;
    Ok(())
}
