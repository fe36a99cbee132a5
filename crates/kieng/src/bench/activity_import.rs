//! Bringing the past in: a file of 20,000 past activities checked (the
//! preview) and then written, through the store, for an agency of the
//! national dataset with nothing on record before 1990 (the rows fall
//! between 1960 and 1989, so every run's file is new).

use super::drive::{Scenario, scenario};
use kieng_domain::import::Sheet;
use kieng_store::Store;
use kieng_store::entity::{activity, agency, partner};
use kieng_store::partners::Marking;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::Arc;

/// The rows of the file (the measure).
const ROWS: usize = 20_000;

pub(super) async fn scenarios(scenarios: &mut Vec<Scenario>, store: &Store) -> anyhow::Result<()> {
    let ctx = store
        .acting_as("bench-national")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let before = chrono::NaiveDate::from_ymd_opt(1990, 1, 1)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut lead = None;
    for a in agency::Entity::find()
        .filter(agency::Column::Code.starts_with("BENCH-"))
        .filter(agency::Column::Status.eq("active"))
        .order_by_asc(agency::Column::Code)
        .limit(200)
        .all(store.connection())
        .await?
    {
        let taken = activity::Entity::find()
            .filter(activity::Column::LeadAgencyId.eq(a.id))
            .filter(activity::Column::StartsAt.lt(before))
            .count(store.connection())
            .await?;
        if taken == 0 {
            lead = Some(a);
            break;
        }
    }
    let Some(lead) = lead else {
        return Ok(());
    };
    let partners: Vec<String> = partner::Entity::find()
        .select_only()
        .column(partner::Column::NameVi)
        .filter(partner::Column::Kind.eq("country"))
        .filter(partner::Column::Code.is_in(["JP", "LA", "KH", "FR", "KR", "CN", "US", "RU"]))
        .into_tuple()
        .all(store.connection())
        .await?;
    if partners.is_empty() {
        return Ok(());
    }
    let mut rows = vec![
        [
            "Bắt đầu (giờ Việt Nam)",
            "Tên hoạt động",
            "Loại hoạt động",
            "Cơ quan chủ trì",
            "Đối tác",
            "Thành phố",
            "Trạng thái",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let first = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default();
    for k in 0..ROWS {
        // Each day of 1960–1989 once per partner pair: (lead, type, day,
        // partner) never repeats within the file.
        let day = first + chrono::Duration::days((k / 2) as i64);
        rows.push(vec![
            day.format("%d/%m/%Y").to_string(),
            format!("Hoạt động lưu trữ số {k} (đo hiệu năng)"),
            "talks".into(),
            lead.code.clone(),
            partners[k % partners.len().min(2)].clone(),
            ["Hà Nội", "Tokyo", "Viêng Chăn", "Paris"][k % 4].into(),
            ["Đã thực hiện", "Đã báo cáo kết quả", "Đã hủy"][k % 3].into(),
        ]);
    }
    let sheet = Arc::new(Sheet::from_rows(1, rows));
    let ctx = Arc::new(ctx);
    for (name, apply) in [
        (
            "store in process: 20,000 past activities checked (the preview)",
            false,
        ),
        ("store in process: 20,000 past activities written", true),
    ] {
        let s = store.clone();
        scenarios.push(
            scenario(name, vec![(ctx.clone(), sheet.clone())], 1, move |(ctx, sheet), _| {
                let s = s.clone();
                async move {
                    let r = s
                        .activity_import(&ctx, "luu-tru-do-hieu-nang.xlsx", &sheet, &Marking::default(), apply)
                        .await;
                    matches!(r, Ok(r) if r.problems.is_empty() && r.new == ROWS && r.applied == apply)
                }
            })
            .await,
        );
    }
    Ok(())
}
