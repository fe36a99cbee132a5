//! The yearly review for everything: the national coordinator's report over
//! one year of the national dataset (about 50,000 activities in it) counted
//! in process, one at a time, as a submission counts it; and its page over
//! HTTP while it is a draft (counted afresh on every view).

use super::Base;
use super::drive::{Scenario, ok, scenario};
use kieng_domain::report::{Period, PeriodKind, ScopeKind};
use kieng_store::{Store, StoreConfig};
use std::sync::Arc;

/// The years the reviews cover in turn (the generated data's busiest).
const YEARS: [i32; 3] = [2023, 2024, 2025];

pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    database_url: &str,
    base: &Base,
    national: &str,
    client: reqwest::Client,
    requests: usize,
) -> anyhow::Result<()> {
    let e = |e: kieng_store::StoreError| anyhow::anyhow!("{e}");
    let store = Store::connect(database_url, StoreConfig::default()).await?;
    let ctx = store.acting_as(national).await.map_err(e)?;
    let reader = Arc::new(
        store
            .report_reader(&ctx, ScopeKind::All, None, ctx.actor.clearance)
            .await
            .map_err(e)?,
    );
    let n = requests.clamp(1, 30);
    let s = store.clone();
    scenarios.push(
        scenario(
            "the yearly review for everything, counted in process (one at a time)",
            vec![reader],
            n,
            move |ctx, i| {
                let s = s.clone();
                let p = Period::of(PeriodKind::Year, YEARS[i % YEARS.len()], 1);
                async move {
                    match p {
                        Some(p) => s.report_figures(&ctx, p).await.is_ok(),
                        None => false,
                    }
                }
            },
        )
        .await,
    );
    // A draft review of 2024 for everything, viewed over HTTP.
    let form = kieng_domain::report::ReportForm {
        title: "Tổng kết công tác đối ngoại năm 2024".into(),
        period: "year".into(),
        year: Some("2024".into()),
        scope: "all".into(),
        classification: Some("none".into()),
        ..Default::default()
    };
    let r = store.report_create(&ctx, &form).await.map_err(e)?;
    store.close().await;
    let b = base.clone();
    let path = format!("/reports/{}", r.id);
    scenarios.push(
        scenario(
            "GET /reports/{id} (the yearly review for everything, a draft, one at a time)",
            vec![client],
            n,
            move |c, _| {
                let url = format!("{b}{path}");
                ok(c, url)
            },
        )
        .await,
    );
    Ok(())
}

/// The year the dashboards show (the generated data's busiest).
const DASHBOARD_YEAR: i32 = 2025;

/// The leaders' dashboard of one year, after the first load: the national
/// coordinator's (everything) from every client, then each reader's own
/// scope. Each worker opens its dashboard once first, unmeasured: the first
/// load counts the year, the rest are answered from what is kept while no
/// change touches the scope.
pub(super) async fn dashboard_scenarios(
    scenarios: &mut Vec<Scenario>,
    base: &Base,
    national: &[reqwest::Client],
    readers: &[reqwest::Client],
    requests: usize,
) {
    let path = format!("/dashboard?period=year&year={DASHBOARD_YEAR}");
    for (name, clients) in [
        (
            "GET /dashboard (the national coordinator's year, after the first load)",
            national,
        ),
        (
            "GET /dashboard (each reader's own scope, a year, after the first load)",
            readers,
        ),
    ] {
        let go = |b: Base, path: String| {
            move |c: reqwest::Client, _| {
                let url = format!("{b}{path}");
                ok(c, url)
            }
        };
        let _warm = scenario(
            &format!("{name}: warm-up"),
            clients.to_vec(),
            clients.len(),
            go(base.clone(), path.clone()),
        )
        .await;
        scenarios.push(
            scenario(
                name,
                clients.to_vec(),
                requests,
                go(base.clone(), path.clone()),
            )
            .await,
        );
    }
}
