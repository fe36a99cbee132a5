//! Generated plans for benchmarks: `plans` plans of the generated agencies
//! over six years around today, `tasks` tasks in trees under them (the first
//! plan, the national programme, holds `BIG_PLAN` of them; the rest share
//! the others), each led by an agency with up to two coordinating, and
//! `progress` progress reports on the tasks of issued plans; each parent's
//! progress the weighted mean of its sub-tasks', as the service keeps it.
//! Loaded in bulk (not audited: a fixture, not input). Deterministic.

use chrono::{Datelike, NaiveDate};
use kieng_domain::Classification;
use kieng_domain::text::fold;
use kieng_store::entity::{plan, plan_progress, plan_task, plan_task_agency};
use kieng_store::{Store, StoreError, now};
use uuid::Uuid;

/// The national programme's title, by which `kieng bench` finds it.
pub const BIG_PLAN_TITLE: &str =
    "Chương trình hành động toàn quốc thực hiện đường lối đối ngoại (dữ liệu sinh tự động)";
/// How many tasks the national programme holds.
pub const BIG_PLAN: usize = 2_000;

const KINDS: &[&str] = &[
    "yearly_programme",
    "delegation_plan",
    "plan",
    "implementation",
    "project",
    "programme",
];
const TITLES: &[&str] = &[
    "Chương trình công tác đối ngoại năm {y}",
    "Kế hoạch đoàn ra, đoàn vào năm {y}",
    "Kế hoạch hợp tác quốc tế năm {y}",
    "Kế hoạch thực hiện Chỉ thị về công tác đối ngoại năm {y}",
    "Đề án nâng cao hiệu quả hội nhập quốc tế giai đoạn {y}",
    "Chương trình xúc tiến đầu tư, thương mại, du lịch năm {y}",
];
const TASKS: &[&str] = &[
    "Tổ chức đoàn cấp cao thăm {p}",
    "Đón đoàn {p} thăm và làm việc",
    "Tham vấn chính trị với {p}",
    "Hội nghị xúc tiến đầu tư tại {p}",
    "Ký kết thỏa thuận hợp tác với đối tác của {p}",
    "Tuyên truyền, quảng bá hình ảnh tại {p}",
    "Rà soát, đánh giá thực hiện các thỏa thuận với {p}",
];

/// Load the plans; returns (plans, tasks, progress reports) written.
pub async fn load(
    store: &Store,
    plans: usize,
    tasks: usize,
    progress: usize,
) -> Result<(usize, usize, usize), StoreError> {
    if plans == 0 {
        return Ok((0, 0, 0));
    }
    let (agencies, partners) = super::directory::fixture(store).await?;
    let t0 = now();
    let today = kieng_store::today();
    let mut rng = crate::Xorshift::new(0x1F83_D9AB_FB41_BD6B, 0x5BE0_CD19_137E_2179);
    let mut next = move || rng.next();
    let big = BIG_PLAN.min(tasks);
    let per_plan = (tasks - big) / plans.saturating_sub(1).max(1);
    // About a tenth of the plans are drafts, with no reports.
    let reports_per_task = progress as f64 / tasks.max(1) as f64 / 0.9;
    let mut written = (0, 0, 0);
    let batch = 100;
    for start in (0..plans).step_by(batch) {
        let mut p_rows = Vec::new();
        let mut t_rows = Vec::new();
        let mut a_rows = Vec::new();
        let mut r_rows = Vec::new();
        for i in start..(start + batch).min(plans) {
            let r = next();
            let owner = &agencies[(r % agencies.len() as u64) as usize];
            let year = today.year() - 4 + ((r >> 8) % 6) as i32;
            let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
            let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
            let status = if i == 0 || (year == today.year() && (r >> 12) % 10 != 0) {
                "in_progress"
            } else if year < today.year() {
                "closed"
            } else if (r >> 12) % 2 == 0 {
                "issued"
            } else {
                "draft"
            };
            let class = if i % 50 == 49 {
                Classification::Mat as i16
            } else {
                0
            };
            let title = if i == 0 {
                BIG_PLAN_TITLE.to_string()
            } else {
                TITLES[i % TITLES.len()].replace("{y}", &year.to_string())
            };
            let (from, to) = if i == 0 {
                (
                    NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today),
                    NaiveDate::from_ymd_opt(today.year() + 1, 12, 31).unwrap_or(today),
                )
            } else {
                (from, to)
            };
            let id = Uuid::now_v7();
            p_rows.push(plan::Model {
                id,
                kind: KINDS[i % KINDS.len()].into(),
                title_fold: fold(&title),
                title,
                owner_agency_id: owner.id,
                decision_number: (status != "draft")
                    .then(|| format!("{}/QĐ-{}", i % 400 + 1, owner.code)),
                decision_date: (status != "draft").then_some(from),
                period_from: from,
                period_to: to,
                summary: None,
                status: status.into(),
                status_note: None,
                template_id: None,
                classification: class,
                secret_item_id: None,
                version: 1,
                created_at: t0,
                created_by: None,
                updated_at: t0,
                updated_by: None,
                deleted_at: None,
                deleted_by: None,
            });
            let n = if i == 0 { big } else { per_plan };
            // The tree: a tenth of the tasks at the top, each other under an
            // earlier one (at most four levels deep).
            let tops = (n / 10).max(1);
            // A plan's tasks go to its issuing agency and four others it works
            // with; the national programme's to every agency.
            let circle: Vec<&kieng_store::entity::agency::Model> = if i == 0 {
                agencies.iter().collect()
            } else {
                std::iter::once(owner)
                    .chain(
                        (1..5u64)
                            .map(|j| &agencies[((r >> (8 * j)) % agencies.len() as u64) as usize]),
                    )
                    .collect()
            };
            let pick = |x: u64| {
                if i != 0 && x % 10 < 6 {
                    owner
                } else {
                    circle[(x % circle.len() as u64) as usize]
                }
            };
            let mut ids: Vec<Uuid> = Vec::with_capacity(n);
            let mut parent: Vec<Option<usize>> = Vec::with_capacity(n);
            let mut depth: Vec<usize> = Vec::with_capacity(n);
            let mut agencies_of: Vec<Vec<(Uuid, &'static str)>> = Vec::with_capacity(n);
            let mut positions: std::collections::HashMap<Option<usize>, i32> = Default::default();
            let mut own: Vec<(u32, u8, bool, NaiveDate)> = Vec::with_capacity(n);
            for k in 0..n {
                let r = next();
                let mut up = (k >= tops).then(|| (r % k as u64) as usize);
                if up.is_some_and(|u| depth[u] >= 3) {
                    up = Some((r % tops as u64) as usize);
                }
                let d = up.map(|u| depth[u] + 1).unwrap_or(0);
                let lead = pick(r >> 16);
                let mut mine = vec![(lead.id, "lead")];
                for c in 0..((r >> 24) % 3) {
                    let a = pick(r >> (28 + 4 * c));
                    if mine.iter().all(|(x, _)| *x != a.id) {
                        mine.push((a.id, "coordinating"));
                    }
                }
                let due = from
                    + chrono::Duration::days(
                        ((r >> 40) % ((to - from).num_days().max(1) as u64)) as i64,
                    );
                let cancelled = (r >> 50) % 40 == 0;
                let partner = &partners[((r >> 32) % partners.len() as u64) as usize];
                let title = TASKS[k % TASKS.len()].replace("{p}", &partner.name_vi);
                let pos = positions.entry(up).or_insert(0);
                *pos += 1;
                let tid = Uuid::now_v7();
                ids.push(tid);
                parent.push(up);
                depth.push(d);
                agencies_of.push(mine);
                own.push((1 + ((r >> 44) % 3) as u32, 0, cancelled, due));
                t_rows.push(plan_task::Model {
                    id: tid,
                    plan_id: id,
                    parent_id: up.map(|u| ids[u]),
                    position: *pos,
                    title_fold: fold(&title),
                    title,
                    output: None,
                    source_quote: None,
                    lead_agency_id: lead.id,
                    plan_owner_id: owner.id,
                    deadline_kind: "day".into(),
                    due_on: due,
                    weight: own[k].0 as i32,
                    progress: 0,
                    reported_at: None,
                    cancelled,
                    cancel_reason: cancelled.then(|| "Không còn phù hợp.".into()),
                    classification: class,
                    secret_item_id: None,
                    version: 1,
                    created_at: t0,
                    created_by: None,
                    updated_at: t0,
                    updated_by: None,
                    deleted_at: None,
                    deleted_by: None,
                });
            }
            // Progress reports on issued plans' tasks: rising to a last percent.
            let first_task = t_rows.len() - n;
            if status != "draft" {
                for k in 0..n {
                    let r = next();
                    let reports = (reports_per_task + ((r % 100) as f64 / 100.0)) as usize;
                    let due = own[k].3;
                    let done_by = if due < today { 100 } else { 30 + (r >> 8) % 60 };
                    let last = if (r >> 20) % 8 == 0 {
                        done_by / 2
                    } else {
                        done_by
                    } as u8;
                    for j in 0..reports {
                        let pct = (u64::from(last) * (j as u64 + 1) / reports as u64) as i16;
                        let at = from + chrono::Duration::days(30 * (j as i64 + 1));
                        r_rows.push(plan_progress::Model {
                            id: Uuid::now_v7(),
                            task_id: ids[k],
                            period_kind: "month".into(),
                            period_end: at,
                            percent: pct,
                            done: "Đã triển khai theo kế hoạch (dữ liệu sinh tự động).".into(),
                            problems: None,
                            agency_id: agencies_of[k][0].0,
                            at: t0,
                            actor_id: None,
                        });
                    }
                    if reports > 0 {
                        own[k].1 = last;
                        t_rows[first_task + k].reported_at = Some(t0);
                    }
                }
            }
            // Parents take their sub-tasks' weighted progress, as the service keeps it.
            let facts: Vec<kieng_domain::plan::Facts> = (0..n)
                .map(|k| kieng_domain::plan::Facts {
                    parent: parent[k],
                    weight: own[k].0,
                    progress: own[k].1,
                    cancelled: own[k].2,
                    due: own[k].3,
                })
                .collect();
            let (computed, _) = kieng_domain::plan::compute(&facts, from, to, today);
            // Each task seen through its own agencies and those above it.
            let mut seen_through: Vec<Vec<Uuid>> = Vec::with_capacity(n);
            for k in 0..n {
                let t = &mut t_rows[first_task + k];
                t.progress = i16::from(computed[k].progress);
                let above: Vec<Uuid> = parent[k]
                    .map(|u| seen_through[u].clone())
                    .unwrap_or_default();
                let mut all = Vec::new();
                for (a, role) in agencies_of[k]
                    .iter()
                    .copied()
                    .chain(above.iter().map(|a| (*a, "above")))
                {
                    if all.contains(&a) {
                        continue;
                    }
                    all.push(a);
                    a_rows.push(plan_task_agency::Model {
                        task_id: t.id,
                        agency_id: a,
                        role: role.into(),
                        plan_id: id,
                        due_on: t.due_on,
                        progress: t.progress,
                        cancelled: t.cancelled,
                        classification: class,
                        deleted_at: None,
                    });
                }
                seen_through.push(all);
            }
        }
        let load = store.bulk_load(&[]).await?;
        load.insert(&p_rows, 500).await?;
        load.insert(&t_rows, 500).await?;
        load.insert(&a_rows, 1000).await?;
        load.insert(&r_rows, 500).await?;
        load.finish().await?;
        written.0 += p_rows.len();
        written.1 += t_rows.len();
        written.2 += r_rows.len();
    }
    // The agencies each plan is seen through, as the writes keep them.
    kieng_store::plans::plan_agencies_refresh(store.connection(), None).await?;
    store.analyze().await?;
    Ok(written)
}
