//! Generated commitments for benchmarks: `n` commitments owned by the generated
//! agencies, promised to countries, deadlines over four years around today
//! (most past ones done, about one in eight left overdue), loaded in bulk (not
//! audited: a fixture, not input). Deterministic. Also a national coordinator,
//! whose scope holds every one of them.

use kieng_domain::Classification;
use kieng_domain::text::fold;
use kieng_store::bulk::Touched;
use kieng_store::entity::{agency, commitment, user};
use kieng_store::{Store, StoreError, now};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

const TITLES: &[&str] = &[
    "Cử đoàn chuyên gia sang {p} trao đổi kinh nghiệm",
    "Gửi dự thảo kế hoạch hợp tác năm tới cho phía {p}",
    "Tổ chức tham khảo chính trị với {p}",
    "Báo cáo kết quả thực hiện thỏa thuận với {p}",
    "Trao học bổng cho sinh viên {p}",
    "Hoàn thiện hồ sơ dự án hợp tác với {p}",
    "Mời đoàn {p} dự hội chợ thương mại",
];
const PLANS: &[&str] = &[
    "Kế hoạch công tác đối ngoại năm",
    "Chương trình hành động thực hiện Nghị quyết",
    "Kế hoạch hợp tác song phương giai đoạn 5 năm",
];

/// Load `n` commitments; returns how many were written.
pub async fn load(store: &Store, n: usize) -> Result<usize, StoreError> {
    let (agencies, partners) = super::directory::fixture(store).await?;
    let t0 = now();
    let today = kieng_store::today();
    let mut rng = crate::Xorshift::new(0x2545_F491_4F6C_DD1D, 0x9E37_79B9_7F4A_7C15);
    let mut next = move || rng.next();
    let mut written = 0;
    for start in (0..n).step_by(20_000) {
        let end = (start + 20_000).min(n);
        let mut rows = Vec::with_capacity(end - start);
        for k in start..end {
            let r = next();
            let owner = &agencies[(r % agencies.len() as u64) as usize];
            let p = &partners[((r >> 16) % partners.len() as u64) as usize];
            // Three years back, one ahead.
            let offset = ((r >> 24) % (4 * 365)) as i64 - 3 * 365;
            let due_on = today + chrono::Duration::days(offset);
            let roll = (r >> 40) % 100;
            let status = if offset < 0 {
                match roll {
                    0..=84 => "done",
                    85..=87 => "dropped",
                    88..=93 => "open",
                    _ => "in_progress",
                }
            } else if roll < 80 {
                "open"
            } else {
                "in_progress"
            };
            let title = TITLES[k % TITLES.len()].replace("{p}", &p.name_vi);
            rows.push(commitment::Model {
                id: Uuid::now_v7(),
                title_fold: fold(&title),
                title,
                detail: None,
                source: "plan".into(),
                activity_id: None,
                agreement_id: None,
                protection_case_id: None,
                mechanism_id: None,
                pledge_id: None,
                plan: Some(PLANS[k % PLANS.len()].into()),
                partner_id: Some(p.id),
                owner_agency_id: owner.id,
                source_agency_id: None,
                responsible: Some(format!("Cán bộ {}", k % 997)),
                responsible_user_id: None,
                due_on,
                status: status.into(),
                is_open: matches!(status, "open" | "in_progress"),
                status_note: (status == "dropped").then(|| "Phía bạn không còn nhu cầu.".into()),
                done_on: (status == "done").then_some(due_on),
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
        }
        let load = store.bulk_load(&[]).await?;
        load.insert(&rows, 500).await?;
        load.touched(Touched::Commitments).await?;
        load.finish().await?;
        written += rows.len();
    }
    store.analyze().await?;
    Ok(written)
}

/// A coordinator whose scope is every agency (the national board's reader);
/// returns the username.
pub async fn national_coordinator(store: &Store, password: &str) -> Result<String, StoreError> {
    let name = "bench-national";
    if user::Entity::find()
        .filter(user::Column::Username.eq(name))
        .one(store.connection())
        .await?
        .is_some()
    {
        return Ok(name.into());
    }
    let a = agency::Entity::find()
        .filter(agency::Column::Code.starts_with("BENCH-"))
        .order_by_asc(agency::Column::Code)
        .one(store.connection())
        .await?
        .ok_or_else(|| StoreError::Internal("seed the directory first".into()))?;
    let t = now();
    let load = store.bulk_load(&[]).await?;
    load.insert(
        &[user::Model {
            id: Uuid::now_v7(),
            username: name.into(),
            display_name: "Điều phối toàn quốc".into(),
            agency_id: a.id,
            role: "coordinator".into(),
            scope: "all".into(),
            clearance: Classification::Mat as i16,
            password_hash: kieng_store::auth::hash_password(password).await?,
            must_change_password: false,
            locale: "vi".into(),
            disabled_at: None,
            version: 1,
            created_at: t,
            created_by: None,
            updated_at: t,
            updated_by: None,
        }],
        1,
    )
    .await?;
    load.finish().await?;
    Ok(name.into())
}
