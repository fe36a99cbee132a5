//! Generated activities for benchmarks: `n` activities over twenty years led by
//! the generated agencies, each with one or two country partners, one in five
//! shared with another agency, and its head of delegation, loaded in bulk (not
//! audited: a fixture, not input). Deterministic.

use chrono::Duration;
use kieng_domain::Classification;
use kieng_domain::activity::BUILTIN_TYPES;
use kieng_domain::partner::name_key;
use kieng_domain::text::fold;
use kieng_store::entity::{activity, activity_person, partner};
use kieng_store::{Store, StoreError, now};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức", "Thu", "Hoài",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Khánh", "Lan", "Long", "Mai",
    "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Trang", "Tùng", "Vinh", "Yến", "Hùng", "Linh", "Phương",
];
const TITLES: &[&str] = &[
    "Làm việc với Đại sứ quán {p}",
    "Đoàn công tác thăm và làm việc tại {p}",
    "Tiếp đoàn đại biểu {p}",
    "Hội đàm trực tuyến với đối tác {p}",
    "Hội thảo hợp tác kinh tế với {p}",
    "Dự hội nghị quốc tế tổ chức tại {p}",
    "Lễ ký kết thỏa thuận hợp tác với {p}",
    "Tuần văn hóa Việt Nam tại {p}",
];

/// The busiest partners in the generated data (ISO codes).
const BUSY: [&str; 10] = ["CN", "LA", "KH", "JP", "KR", "US", "RU", "IN", "SG", "TH"];

/// The ids of the country partners, for benchmark requests.
pub async fn partner_ids(store: &Store) -> Result<Vec<Uuid>, StoreError> {
    Ok(partner::Entity::find()
        .filter(partner::Column::Kind.eq("country"))
        .order_by_asc(partner::Column::Code)
        .all(store.connection())
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// The partners a quarter of the generated activities go to (a country's
/// neighbours and closest partners take far more of its work than the rest).
pub async fn busy_partner_ids(store: &Store) -> Result<Vec<Uuid>, StoreError> {
    let mut rows = partner::Entity::find()
        .filter(partner::Column::Code.is_in(BUSY.iter().copied()))
        .all(store.connection())
        .await?;
    rows.sort_by_key(|p| BUSY.iter().position(|c| Some(*c) == p.code.as_deref()));
    Ok(rows.into_iter().map(|p| p.id).collect())
}

/// A user's id by name.
pub async fn user_id(store: &Store, name: &str) -> Result<Uuid, StoreError> {
    Ok(store
        .user_by_name(name)
        .await?
        .ok_or(StoreError::NotFound)?
        .id)
}

/// Load `n` activities; returns how many were written. The directory must exist.
pub async fn load(store: &Store, n: usize) -> Result<usize, StoreError> {
    let (agencies, partners) = super::directory::fixture(store).await?;
    let busy: Vec<&partner::Model> = BUSY
        .iter()
        .filter_map(|c| partners.iter().find(|p| p.code.as_deref() == Some(*c)))
        .collect();
    let t0 = now();
    // Twenty years back, one ahead, in minutes.
    let span_minutes: i64 = 21 * 365 * 24 * 60;
    let origin = t0 - Duration::days(20 * 365);
    let mut written = 0;
    let mut rng = crate::Xorshift::new(0x9E37_79B9_7F4A_7C15, 0x2545_F491_4F6C_DD1D);
    let mut next = move || rng.next();
    const BATCH: usize = 20_000;
    // One transaction for the whole load; the indexes are built once at the
    // end, from sorted data.
    let load = store
        .bulk_load(&[
            "activities",
            "activity_partners",
            "activity_people",
            "activity_agencies",
            "activity_partner_agencies",
        ])
        .await?;
    let mut i = 0;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut acts = Vec::with_capacity(end - i);
        let mut links = Vec::new();
        let mut people = Vec::new();
        let mut with = Vec::new();
        for k in i..end {
            let r = next();
            let lead = &agencies[(r % agencies.len() as u64) as usize];
            let p1 = if (r >> 61) & 3 == 0 && !busy.is_empty() {
                busy[((r >> 16) % busy.len() as u64) as usize]
            } else {
                &partners[((r >> 16) % partners.len() as u64) as usize]
            };
            let starts =
                origin + Duration::minutes(((r >> 8) % span_minutes as u64) as i64 / 30 * 30);
            let ends = starts + Duration::hours(2 + ((r >> 40) % 96) as i64);
            let (ty, _, _) = BUILTIN_TYPES[k % BUILTIN_TYPES.len()];
            let title = TITLES[k % TITLES.len()].replace("{p}", &p1.name_vi);
            let head = format!(
                "{} {} {}",
                FAMILY[(r >> 20) as usize % FAMILY.len()],
                MIDDLE[(r >> 28) as usize % MIDDLE.len()],
                GIVEN[(r >> 36) as usize % GIVEN.len()]
            );
            let id = Uuid::now_v7();
            let status = if starts > t0 {
                ["draft", "submitted", "approved"][k % 3]
            } else {
                ["reported", "reported", "reported", "done", "cancelled"][k % 5]
            };
            acts.push(activity::Model {
                id,
                type_code: ty.into(),
                text_fold: fold(&format!("{title} {head}")),
                title,
                pillar: lead.pillar.clone(),
                lead_agency_id: lead.id,
                head_name: Some(head.clone()),
                head_level: Some("department".into()),
                starts_at: starts,
                ends_at: ends,
                time_zone: "Asia/Ho_Chi_Minh".into(),
                country_code: p1.country_code.clone(),
                city: None,
                purpose: Some(
                    "Trao đổi về hợp tác song phương và các vấn đề cùng quan tâm.".into(),
                ),
                programme: None,
                inviting_party: None,
                funding: Some("Ngân sách nhà nước".into()),
                authority: None,
                filed_on: None,
                channel: None,
                decision_number: None,
                decision_date: None,
                approver: None,
                status: status.into(),
                status_note: None,
                submitted_at: None,
                outcome: (status == "reported").then(|| "Đạt mục đích đề ra.".into()),
                reported_at: None,
                sequence: 0,
                owner_agency_id: lead.id,
                secret_item_id: None,
                classification: if k % 50 == 49 {
                    Classification::Mat as i16
                } else {
                    0
                },
                version: 1,
                created_at: t0,
                created_by: None,
                updated_at: t0,
                updated_by: None,
                deleted_at: None,
                deleted_by: None,
            });
            let a = acts
                .last()
                .ok_or_else(|| StoreError::Internal("bench".into()))?;
            links.push(kieng_store::activities::link(a, p1.id));
            if k % 4 == 0 {
                let p2 = &partners[((r >> 24) % partners.len() as u64) as usize];
                if p2.id != p1.id {
                    links.push(kieng_store::activities::link(a, p2.id));
                }
            }
            // One in five is shared with another agency (often of another pillar).
            if k % 5 == 0 {
                let other = &agencies[((r >> 44) % agencies.len() as u64) as usize];
                if other.id != lead.id {
                    with.push(kieng_store::activities::participation(a, other.id));
                }
            }
            people.push(activity_person::Model {
                activity_id: id,
                name_key: name_key(&head),
                name: head,
                position: None,
                head: true,
                starts_at: starts,
                ends_at: ends,
            });
        }
        load.insert(&acts, 500).await?;
        load.insert(&links, 2000).await?;
        load.insert(&with, 2000).await?;
        load.insert(&people, 1500).await?;
        written += acts.len();
        i = end;
    }
    // Which agencies take part with each partner, from the links just written
    // (and any recorded before: those already have theirs).
    load.execute(
        "INSERT INTO activity_partner_agencies (partner_id, agency_id, activity_id)
             SELECT ap.partner_id, aa.agency_id, ap.activity_id
             FROM activity_partners ap JOIN activity_agencies aa ON aa.activity_id = ap.activity_id
             WHERE NOT EXISTS (SELECT 1 FROM activity_partner_agencies x
                 WHERE x.partner_id = ap.partner_id AND x.agency_id = aa.agency_id
                   AND x.activity_id = ap.activity_id)",
    )
    .await?;
    load.finish().await?;
    store.analyze().await?;
    Ok(written)
}
