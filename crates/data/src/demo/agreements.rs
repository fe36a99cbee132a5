//! Demo agreements and commitments, dated from today and entered through the
//! same services as real input, so the board, the expiry watch and a
//! provincial agreement's late step all have something to show. Invented texts.

use chrono::Datelike;
use kieng_domain::agreement::AgreementForm;
use kieng_domain::commitment::CommitmentForm;
use kieng_domain::days::add_days;
use kieng_store::entity::activity;
use kieng_store::{Ctx, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn day(offset: i64) -> String {
    let today = kieng_store::today();
    let d = if offset >= 0 {
        add_days(today, offset as u64)
    } else {
        today
            .checked_sub_days(chrono::Days::new(offset.unsigned_abs()))
            .unwrap_or(today)
    };
    d.format("%Y-%m-%d").to_string()
}

async fn demo_activity(store: &Store, title: &str) -> Result<Option<activity::Model>, StoreError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::Title.eq(title))
        .one(store.connection())
        .await?)
}

pub async fn load(store: &Store, admin: &Ctx) -> Result<(), StoreError> {
    // The public holidays of the Labour Code 2019 (art. 112). For 2026 the
    // lunar ones are known: Tết as the Government set it for civil servants
    // (14–22/02), the Hùng Kings' day (26/04, a Sunday, so the Monday after
    // is off), and National Day's second day (01/09, the day before, for the
    // demo: check the year's official plan). Other years get the fixed days;
    // the lunar ones are the administrator's to enter.
    let y = kieng_store::today().year();
    let on = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let mut days: Vec<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, &str)> = vec![
        (on(1, 1), on(1, 1), "Tết Dương lịch"),
        (on(4, 30), on(4, 30), "Ngày Chiến thắng"),
        (on(5, 1), on(5, 1), "Ngày Quốc tế lao động"),
        (on(9, 2), on(9, 2), "Quốc khánh"),
    ];
    if y == 2026 {
        days.extend([
            (
                on(2, 14),
                on(2, 22),
                "Tết Nguyên đán (lịch nghỉ của cán bộ, công chức)",
            ),
            (on(4, 26), on(4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
            (on(4, 27), on(4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"),
            (on(9, 1), on(9, 1), "Quốc khánh (ngày liền kề)"),
        ]);
    }
    for (from, to, name) in days {
        store
            .calendar_days_set(admin, from, to, "holiday", name)
            .await?;
    }
    let treaty = store
        .agreement_create(
            admin,
            &AgreementForm {
                kind: "treaty".into(),
                title_vi: "Hiệp định về miễn thị thực cho người mang hộ chiếu công vụ (minh họa)"
                    .into(),
                title_en: Some(
                    "Agreement on visa exemption for holders of official passports (illustration)"
                        .into(),
                ),
                owner_agency: "BNG".into(),
                signed_for: Some("state".into()),
                agencies: Some("BNG-LS".into()),
                partners: Some("Nhật Bản".into()),
                signatory: Some("Trịnh Quốc Khánh".into()),
                signatory_level: Some("minister".into()),
                place: Some("Tokyo".into()),
                signed_on: Some(day(-1800)),
                in_force_on: Some(day(-1740)),
                expires_on: Some(day(60)),
                term: Some("5 năm".into()),
                renewal: Some("by_agreement".into()),
                legal_basis: Some(
                    "Luật Điều ước quốc tế 2016 (sửa đổi, bổ sung bởi Luật số 137/2025/QH15)"
                        .into(),
                ),
                ..Default::default()
            },
        )
        .await?;
    let report = demo_activity(store, "Điện đàm với Bộ trưởng Ngoại giao Lào").await?;
    // Each demo account owns some: (title, source, source id, plan, owner, due, who).
    let mut commitments = vec![
        (
            "Gửi dự thảo kế hoạch hợp tác năm tới cho phía Lào",
            "activity",
            report.as_ref().map(|a| a.id.to_string()),
            None,
            "BNG",
            -3,
            "dieuphoi",
        ),
        (
            "Tổ chức tham khảo chính trị cấp Thứ trưởng",
            "activity",
            report.as_ref().map(|a| a.id.to_string()),
            None,
            "BNG",
            10,
            "lanhdao",
        ),
        (
            "Đánh giá 5 năm thực hiện Hiệp định, đề xuất gia hạn",
            "agreement",
            Some(treaty.id.to_string()),
            None,
            "BNG-LS",
            20,
            "dieuphoi",
        ),
        (
            "Báo cáo tình hình thực hiện các thỏa thuận quốc tế 6 tháng",
            "plan",
            None,
            Some("Kế hoạch công tác đối ngoại năm"),
            "SNV-HN",
            -12,
            "chuyenvien",
        ),
        (
            "Tổng hợp nhu cầu tiếp nhận thực tập sinh của các tỉnh vùng Chubu",
            "plan",
            None,
            Some("Kế hoạch công tác năm của Đại sứ quán"),
            "DSQ-JP",
            14,
            "canbo.dsq",
        ),
    ];
    if let Some(us) = demo_activity(store, "Tiếp Đại sứ Hoa Kỳ chào xã giao").await? {
        commitments.push((
            "Cung cấp thông tin về các dự án hợp tác giáo dục",
            "activity",
            Some(us.id.to_string()),
            None,
            "SNV-HN",
            5,
            "chuyenvien",
        ));
    }
    for (title, source, source_id, plan, owner, due, who) in commitments {
        store
            .commitment_create(
                admin,
                &CommitmentForm {
                    title: title.into(),
                    source: source.into(),
                    source_id,
                    plan: plan.map(Into::into),
                    owner_agency: owner.into(),
                    responsible_user: Some(who.into()),
                    due_on: day(due),
                    ..Default::default()
                },
            )
            .await?;
    }
    // A province's agreement: opinions asked, signed, the report not yet sent.
    let hn = store
            .agreement_create(
                admin,
                &AgreementForm {
                    kind: "international_agreement".into(),
                    title_vi: "Thỏa thuận hợp tác giữa thành phố Hà Nội và thành phố Seoul về quy hoạch đô thị (minh họa)".into(),
                    owner_agency: "SNV-HN".into(),
                    signed_for: Some("provincial_committee".into()),
                    partners: Some("Hàn Quốc".into()),
                    signed_on: Some(day(-20)),
                    expires_on: Some(day(1800)),
                    renewal: Some("automatic".into()),
                    legal_basis: Some("Luật Thỏa thuận quốc tế 2020, Điều 18, 19".into()),
                    ..Default::default()
                },
            )
            .await?;
    for (kind, body, requested, done) in [
        (
            "opinion",
            Some("Bộ Ngoại giao"),
            Some(day(-45)),
            Some(day(-38)),
        ),
        (
            "opinion",
            Some("Bộ Xây dựng"),
            Some(day(-45)),
            Some(day(-30)),
        ),
        ("decision", None, None, Some(day(-25))),
    ] {
        store
            .agreement_step_add(
                admin,
                hn.id,
                &kieng_store::agreements::StepForm {
                    kind: kind.into(),
                    body: body.map(Into::into),
                    requested_on: requested,
                    done_on: done,
                    reference: None,
                },
            )
            .await?;
    }
    Ok(())
}
