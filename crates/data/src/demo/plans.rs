//! The demo's plans: the Ministry's external-affairs programme for this
//! year, copied from the external line's template, issued, with tasks split
//! among units and embassies and progress reported with the demo's
//! activities as evidence and figures against two tasks' indicators; and Hanoi's yearly delegation plan, one of whose
//! tasks is already late, with its planned delegations set against the
//! delegations that happened. The decision numbers are invented.

use chrono::Datelike;
use kieng_domain::plan::indicator::IndicatorForm;
use kieng_domain::plan::{PlanForm, ProgressForm, TaskForm};
use kieng_store::entity::{activity, plan_task};
use kieng_store::{Ctx, Store, StoreError};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

async fn activity_titled(store: &Store, title: &str) -> Result<Option<Uuid>, StoreError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::Title.eq(title))
        .one(store.connection())
        .await?
        .map(|a| a.id))
}

fn task(title: &str, lead: &str, with: &str, deadline: String, parent: Option<Uuid>) -> TaskForm {
    TaskForm {
        title: title.into(),
        lead_agency: lead.into(),
        coordinating: Some(with.into()),
        deadline,
        weight: Some("1".into()),
        parent: parent.map(|p| p.to_string()),
        ..Default::default()
    }
}

fn report(percent: u8, period: String, done: &str, evidence: Option<Uuid>) -> ProgressForm {
    ProgressForm {
        percent: percent.to_string(),
        period,
        done: done.into(),
        problems: None,
        evidence: evidence.map(|e| format!("activity:{e}")),
        ..Default::default()
    }
}

/// Issue a draft plan with an invented decision number.
async fn issue(
    store: &Store,
    ctx: &Ctx,
    id: Uuid,
    form: &PlanForm,
    number: &str,
    date: String,
) -> Result<(), StoreError> {
    let p = store
        .plan_update(
            ctx,
            id,
            1,
            &PlanForm {
                decision_number: Some(number.into()),
                decision_date: Some(date),
                template: None,
                ..form.clone()
            },
        )
        .await?;
    store.plan_move(ctx, id, p.version, "issue", None).await?;
    Ok(())
}

pub async fn load(store: &Store) -> Result<(), StoreError> {
    let y = kieng_store::today().year();
    let today = kieng_store::today();
    let quarter = |d: chrono::NaiveDate| format!("quý {}/{}", (d.month() - 1) / 3 + 1, d.year());
    let coordinator = store.acting_as("dieuphoi").await?;

    let form = PlanForm {
        kind: "yearly_programme".into(),
        title: format!("Chương trình công tác đối ngoại năm {y} của Bộ Ngoại giao"),
        owner_agency: "BNG".into(),
        period_from: format!("{y}-01-01"),
        period_to: format!("{y}-12-31"),
        summary: Some("Cụ thể hóa chín nhiệm vụ trọng tâm của đường lối đối ngoại thành việc của từng đơn vị trong năm (dữ liệu minh họa).".into()),
        classification: Some("none".into()),
        template: Some("XIII-DOI-NGOAI".into()),
        ..Default::default()
    };
    let plan = store.plan_create(&coordinator, &form).await?;
    issue(
        store,
        &coordinator,
        plan.id,
        &form,
        "25/QĐ-BNG (minh họa)",
        format!("{y}-01-15"),
    )
    .await?;
    let tops = plan_task::Entity::find()
        .filter(plan_task::Column::PlanId.eq(plan.id))
        .filter(plan_task::Column::ParentId.is_null())
        .order_by_asc(plan_task::Column::Position)
        .all(store.connection())
        .await?;
    let top = |i: usize| tops.get(i).map(|t| t.id);
    let visit = store
        .task_create(
            &coordinator,
            plan.id,
            &task(
                "Chuẩn bị và tổ chức chuyến thăm chính thức Nhật Bản của Bộ trưởng",
                "BNG",
                "DSQ-JP",
                quarter(today),
                top(1),
            ),
        )
        .await?;
    let invest = store
        .task_create(
            &coordinator,
            plan.id,
            &task(
                "Hội nghị gặp mặt các cơ quan đại diện nước ngoài về xúc tiến đầu tư vào Hà Nội",
                "SNV-HN",
                "BNG-NGKT",
                format!("tháng 10/{y}"),
                top(5),
            ),
        )
        .await?;
    let citizens = store
        .task_create(
            &coordinator,
            plan.id,
            &task(
                "Rà soát quy trình bảo hộ công dân Việt Nam gặp nạn ở nước ngoài",
                "BNG-LS",
                "DSQ-JP, DSQ-US, DSQ-FR",
                format!("quý II/{y}"),
                top(6),
            ),
        )
        .await?;
    store
        .task_create(
            &coordinator,
            plan.id,
            &task(
                "Giao lưu hữu nghị nhân dân nhân kỷ niệm quan hệ ngoại giao",
                "LHHN",
                "",
                format!("năm {y}"),
                top(7),
            ),
        )
        .await?;
    let evidence = activity_titled(store, "Bộ trưởng Ngoại giao thăm chính thức Nhật Bản").await?;
    store
        .progress_add(
            &coordinator,
            visit.id,
            &report(
                60,
                quarter(today),
                "Đã thống nhất chương trình, nội dung làm việc với phía Nhật Bản; đoàn tiền trạm đã sang làm việc.",
                evidence,
            ),
        )
        .await?;
    // Indicators, with the figure each report gives for its period.
    let guests = store
        .indicator_add(
            &coordinator,
            invest.id,
            &IndicatorForm {
                name: "Cơ quan đại diện nước ngoài nhận lời tham dự".into(),
                unit: "cơ quan".into(),
                baseline: Some("35".into()),
                target: "60".into(),
            },
        )
        .await?;
    let reviewed = store
        .indicator_add(
            &coordinator,
            citizens.id,
            &IndicatorForm {
                name: "Cơ quan đại diện đã rà soát quy trình".into(),
                unit: "cơ quan đại diện".into(),
                baseline: None,
                target: "3".into(),
            },
        )
        .await?;
    store
        .progress_add(
            &coordinator,
            invest.id,
            &ProgressForm {
                actuals: vec![(guests.id.to_string(), "42".into())],
                ..report(
                    30,
                    quarter(today),
                    "Đã lập danh sách khách mời, đang xin ý kiến lãnh đạo thành phố về thời gian tổ chức.",
                    None,
                )
            },
        )
        .await?;
    store
        .progress_add(
            &coordinator,
            citizens.id,
            &ProgressForm {
                actuals: vec![(reviewed.id.to_string(), "3".into())],
                ..report(
                    80,
                    format!("quý II/{y}"),
                    "Đã rà soát xong quy trình tại ba cơ quan đại diện; còn chờ ý kiến của Cục Lãnh sự.",
                    None,
                )
            },
        )
        .await?;

    // Hanoi's delegation plan: one task due last month and not done.
    let last_month = today
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(today);
    let hanoi = PlanForm {
        kind: "delegation_plan".into(),
        title: format!("Kế hoạch đoàn ra, đoàn vào năm {y} của Thành phố Hà Nội"),
        owner_agency: "SNV-HN".into(),
        period_from: format!("{y}-01-01"),
        period_to: format!("{y}-12-31"),
        classification: Some("none".into()),
        ..Default::default()
    };
    let p = store.plan_create(&coordinator, &hanoi).await?;
    let late = store
        .task_create(
            &coordinator,
            p.id,
            &task(
                "Đón đoàn Thành phố Osaka (Nhật Bản) thăm và làm việc",
                "SNV-HN",
                "",
                format!("tháng {}/{}", last_month.month(), last_month.year()),
                None,
            ),
        )
        .await?;
    store
        .task_create(
            &coordinator,
            p.id,
            &task(
                "Đoàn lãnh đạo thành phố thăm và làm việc tại Pháp",
                "SNV-HN",
                "DSQ-FR",
                format!("quý IV/{y}"),
                None,
            ),
        )
        .await?;
    issue(
        store,
        &coordinator,
        p.id,
        &hanoi,
        "112/KH-UBND (minh họa)",
        format!("{y}-01-20"),
    )
    .await?;
    store
        .progress_add(
            &coordinator,
            late.id,
            &report(
                40,
                quarter(last_month),
                "Đã trao đổi thư mời; phía bạn đề nghị lùi thời gian do thay đổi nhân sự.",
                None,
            ),
        )
        .await?;
    delegations(store, &coordinator, p.id, today).await
}

/// Hanoi's planned delegations of the year, each dated relative to today
/// (those whose month falls outside this year are left out): the Vientiane
/// visit confirmed against its activity, the Seoul council's visit with its
/// activity suggested, an Osaka visit past its month and not held, a visit
/// to France dropped with its reason.
async fn delegations(
    store: &Store,
    coordinator: &Ctx,
    plan: Uuid,
    today: chrono::NaiveDate,
) -> Result<(), StoreError> {
    use kieng_domain::plan::delegation::DelegationForm;
    use kieng_store::plans::DecideForm;
    let at = |days: i64| today + chrono::Duration::days(days);
    let rows = [
        (
            "outgoing_delegation",
            "Lào",
            Some("provincial_leader"),
            at(-45),
            "Thăm và làm việc với Thủ đô Viêng Chăn",
        ),
        (
            "incoming_delegation",
            "Hàn Quốc",
            None,
            at(35),
            "Đón đoàn Hội đồng thành phố Seoul",
        ),
        (
            "outgoing_delegation",
            "Nhật Bản",
            Some("provincial_leader"),
            at(-35),
            "Xúc tiến đầu tư tại Osaka",
        ),
        (
            "outgoing_delegation",
            "Pháp",
            Some("provincial_leader"),
            at(20),
            "Thăm và làm việc tại vùng Île-de-France",
        ),
    ];
    let mut made = Vec::new();
    for (direction, partner, level, day, purpose) in rows {
        if day.year() != today.year() {
            made.push(None);
            continue;
        }
        let form = DelegationForm {
            direction: direction.into(),
            partner: partner.into(),
            head_level: level.map(Into::into),
            month: format!("{}/{}", day.month(), day.year()),
            purpose: Some(purpose.into()),
            ..Default::default()
        };
        made.push(Some(store.delegation_add(coordinator, plan, &form).await?));
    }
    if let (Some(Some(d)), Some(a)) = (
        made.first(),
        activity_titled(
            store,
            "Đoàn lãnh đạo Thành phố thăm và làm việc tại Thủ đô Viêng Chăn",
        )
        .await?,
    ) {
        let decide = DecideForm {
            action: "match".into(),
            activity: Some(a.to_string()),
            version: d.version,
            ..Default::default()
        };
        store.delegation_decide(coordinator, d.id, &decide).await?;
    }
    if let Some(Some(d)) = made.get(3) {
        let decide = DecideForm {
            action: "drop".into(),
            reason: Some("Phía bạn đề nghị lùi sang năm sau do lịch bầu cử địa phương.".into()),
            version: d.version,
            ..Default::default()
        };
        store.delegation_decide(coordinator, d.id, &decide).await?;
    }
    Ok(())
}
