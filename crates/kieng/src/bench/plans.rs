//! Plans: the national programme's tree of 2,000 tasks (the national
//! coordinator's), each reader's "my agency's tasks" and the plan list, and
//! progress reports saved by officers on tasks their agency leads.

use super::Base;
use super::drive::{Scenario, answered, ok, scenario};
use kieng_data::scale::plans::BIG_PLAN_TITLE;
use kieng_store::Store;
use kieng_store::entity::{agency, plan, plan_task};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    store: &Store,
    base: &Base,
    national: &[reqwest::Client],
    readers: &[reqwest::Client],
    writers: &[(String, String)],
    requests: usize,
) -> anyhow::Result<()> {
    let db = store.connection();
    let big: Option<Uuid> = plan::Entity::find()
        .select_only()
        .column(plan::Column::Id)
        .filter(plan::Column::Title.eq(BIG_PLAN_TITLE))
        .into_tuple()
        .one(db)
        .await?;
    if let Some(big) = big {
        // Its render one at a time (the target), then under 16 readers at once.
        for (name, clients) in [
            (
                "GET /plans/{id} (the national programme's tree of 2,000 tasks, one at a time)",
                &national[..national.len().min(1)],
            ),
            (
                "GET /plans/{id} (the national programme's tree of 2,000 tasks, all clients)",
                national,
            ),
        ] {
            let b = base.clone();
            scenarios.push(
                scenario(name, clients.to_vec(), requests, move |c, _| {
                    ok(c, format!("{b}/plans/{big}"))
                })
                .await,
            );
        }
    }
    for (name, path) in [
        (
            "GET /plans/tasks (each reader's agency's tasks)",
            "/plans/tasks",
        ),
        (
            "GET /plans/tasks?due=overdue (each reader's late tasks)",
            "/plans/tasks?due=overdue",
        ),
        (
            "GET /plans (each reader's plans, the first reads included)",
            "/plans",
        ),
    ] {
        let b = base.clone();
        scenarios.push(
            scenario(name, readers.to_vec(), requests, move |c, _| {
                ok(c, format!("{b}{path}"))
            })
            .await,
        );
    }
    // The plan list as readers meet it once their page is kept (until the
    // next plan write): each worker opens it once first, unmeasured.
    let name = "GET /plans (each reader's plans, kept since the last change)";
    let go = |b: Base| move |c: reqwest::Client, _| ok(c, format!("{b}/plans"));
    let _warm = scenario(
        &format!("{name}: warm-up"),
        readers.to_vec(),
        readers.len(),
        go(base.clone()),
    )
    .await;
    scenarios.push(scenario(name, readers.to_vec(), requests, go(base.clone())).await);
    // Officers report on tasks their agency leads in plans under way, one
    // writer at a time (the save target's measure).
    let mut savers = Vec::new();
    for (token, code) in writers {
        let Some(a) = agency::Entity::find()
            .filter(agency::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
        else {
            continue;
        };
        let tasks: Vec<Uuid> = plan_task::Entity::find()
            .select_only()
            .column(plan_task::Column::Id)
            .filter(plan_task::Column::LeadAgencyId.eq(a.id))
            .filter(plan_task::Column::Classification.eq(0))
            .filter(
                plan_task::Column::PlanId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(plan::Column::Id)
                        .from(plan::Entity)
                        .and_where(plan::Column::Status.eq("in_progress"))
                        .to_owned(),
                ),
            )
            .limit(10)
            .into_tuple()
            .all(db)
            .await?;
        if !tasks.is_empty() {
            savers.push((token.clone(), tasks));
            break;
        }
    }
    if !savers.is_empty() {
        let b = base.clone();
        let client = reqwest::Client::new();
        scenarios.push(
            scenario(
                "POST /api/v1/plans/tasks/{id}/progress (a progress report, one writer at a time)",
                savers,
                requests,
                move |(token, tasks): (String, Vec<Uuid>), i| {
                    let url = format!("{b}/api/v1/plans/tasks/{}/progress", tasks[i % tasks.len()]);
                    let c = client.clone();
                    async move {
                        let body = serde_json::json!({
                            "percent": 10 + i % 80,
                            "period": "quý IV/2026",
                            "done": format!("Báo cáo đo hiệu năng số {i}"),
                        });
                        answered(c.post(url).bearer_auth(token).json(&body).send().await, 201).await
                    }
                },
            )
            .await,
        );
    }
    Ok(())
}
