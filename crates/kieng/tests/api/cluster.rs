//! Several `kieng serve` processes on one database behave as one system: what
//! one process caches (directory, sessions, the commitments board's counts, activity
//! list pages) follows changes made through another within a second.

use crate::both;
use crate::helpers::TestApp;
use crate::search::search_on;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

/// Poll `check` until it holds, for at most `limit`.
async fn within<F, Fut>(limit: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "not visible within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The number at `field` of the JSON that `path` answers on `base` for `token`.
async fn number(base: String, token: String, path: &str, field: &str) -> u64 {
    let r = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    r.json::<serde_json::Value>().await.unwrap()[field]
        .as_u64()
        .unwrap()
}

async fn changes_through_one_server_reach_the_other_within_a_second(app: &TestApp) {
    let (other, stop) = app.second_server().await;
    let token = app.token("root").await;
    let list = |base: String, token: String| async move {
        number(base, token, "/api/v1/agencies?q=cuc%20moi", "total").await
    };
    // Warm the other server's directory, then change it through the first.
    assert_eq!(list(other.clone(), token.clone()).await, 0);
    let (s, _) = app
        .api(&token, Method::POST, "/api/v1/agencies", Some(json!({"code": "CM", "name_vi": "Cục Mới", "pillar": "state", "level": "central", "parent_id": app.agencies["A"].id})))
        .await;
    assert_eq!(s, 201);
    assert_eq!(
        list(app.base.clone(), token.clone()).await,
        1,
        "at once through the server that made it"
    );
    within(Duration::from_secs(1), || {
        let (o, t) = (other.clone(), token.clone());
        async move { list(o, t).await == 1 }
    })
    .await;

    // A user disabled through one server loses access through the other.
    let viewer = app.token("viewer").await;
    let me = |base: String, t: String| async move {
        reqwest::Client::new()
            .get(format!("{base}/api/v1/me"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(me(other.clone(), viewer.clone()).await, 200);
    let (s, _) = app
        .api(
            &token,
            Method::POST,
            &format!("/api/v1/users/{}/disable", app.users["viewer"]),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        me(app.base.clone(), viewer.clone()).await,
        401,
        "at once through the server that made it"
    );
    within(Duration::from_secs(2), || {
        let (o, v) = (other.clone(), viewer.clone());
        async move { me(o, v).await == 401 }
    })
    .await;

    // The commitments board's counts, cached per scope, follow a new overdue commitment.
    let overdue = |base: String, t: String| async move {
        number(base, t, "/api/v1/commitments/board", "overdue_total").await
    };
    let before = overdue(other.clone(), token.clone()).await;
    let (s, c) = app
        .api(&token, Method::POST, "/api/v1/commitments", Some(json!({"title": "Báo cáo kết quả",
            "source": "plan", "plan": "Kế hoạch năm", "owner_agency": "A", "due_on": "2020-01-01"})))
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(overdue(app.base.clone(), token.clone()).await, before + 1);
    within(Duration::from_secs(1), || {
        let (o, t) = (other.clone(), token.clone());
        async move { overdue(o, t).await == before + 1 }
    })
    .await;
    // Search: each server has its own index, following the database's change log.
    let found = |base: String, token: String| async move {
        search_on(&base, &token, "thanh nien lao").await["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(found(other.clone(), token.clone()).await, 0);
    // The activity list, kept per scope in each server, follows the database's
    // change log, whose position each server re-reads at most every 250 ms:
    // the other server's list shows the new activity within that.
    let activities = |base: String, token: String| async move {
        number(base, token, "/api/v1/activities", "total").await
    };
    let listed = activities(other.clone(), token.clone()).await;
    assert_eq!(activities(other.clone(), token.clone()).await, listed);
    let (s, a) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/activities",
            Some(crate::activities::visit(
                "Giao lưu thanh niên Lào",
                "A",
                vec![],
                3,
                4,
            )),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    // Through the server that saved it, at once.
    assert_eq!(
        activities(app.base.clone(), token.clone()).await,
        listed + 1
    );
    let took = within(Duration::from_secs(1), || {
        let (o, t) = (other.clone(), token.clone());
        async move { activities(o, t).await == listed + 1 }
    })
    .await;
    eprintln!("activity list: saved through one server, listed by the other after {took:?}");
    let took = within(Duration::from_secs(1), || {
        let (o, t) = (other.clone(), token.clone());
        async move { found(o, t).await == 1 }
    })
    .await;
    eprintln!("search: saved through one server, found through the other after {took:?}");
    let _ = stop.send(());
}

/// A server that was down catches up from the change log when it starts again.
async fn a_server_that_was_down_catches_up_when_it_starts(app: &TestApp) {
    let token = app.token("root").await;
    let (other, stop) = app.second_server().await;
    // Up long enough to have built its index once.
    within(Duration::from_secs(5), || {
        let (o, t) = (other.clone(), token.clone());
        async move { search_on(&o, &t, "a").await["building"] == false }
    })
    .await;
    let _ = stop.send(());
    let (s, a) = app
        .api(
            &token,
            Method::POST,
            "/api/v1/activities",
            Some(crate::activities::visit(
                "Hội thảo biển Đông lần thứ nhất",
                "A",
                vec![],
                3,
                4,
            )),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let _ = other;
    // The same data directory again: its index resumes from where it stopped.
    let (again, stop) = app.second_server().await;
    let v = search_on(&again, &token, "hoi thao bien dong").await;
    assert_eq!(v["total"], 1, "caught up before serving: {v}");
    assert_eq!(v["building"], false, "{v}");
    let _ = stop.send(());
}

/// A partner reclassified through one server stops filtering lists on the
/// other within a second (the partner filter is kept per process at the
/// partners' revision, which the database bumps itself).
async fn a_reclassified_partner_stops_filtering_on_every_server(app: &TestApp) {
    let (other, stop) = app.second_server().await;
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let id = crate::search::partner(
        app,
        &root,
        json!({"kind": "ngo", "name_vi": "Quỹ Hợp tác Mê Kông"}),
    )
    .await;
    crate::activities::create(
        app,
        &root,
        crate::activities::visit("Làm việc với Quỹ Mê Kông", "A", vec![id.as_str()], 4, 4),
    )
    .await;
    let path = format!("/api/v1/activities?partner={id}");
    let listed = |base: String| {
        let (officer, path) = (officer.clone(), path.clone());
        async move { number(base, officer, &path, "total").await }
    };
    // Both servers keep the partner's classification for the officer's filter.
    assert_eq!(listed(app.base.clone()).await, 1);
    assert_eq!(listed(other.clone()).await, 1);
    let (s, p) = app
        .api(&root, Method::GET, &format!("/api/v1/partners/{id}"), None)
        .await;
    assert_eq!(s, 200, "{p}");
    let (s, e) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/partners/{id}"),
            Some(json!({"kind": "ngo",
            "name_vi": "Quỹ Hợp tác Mê Kông", "classification": "toi_mat", "secret_item": "TOI_MAT",
            "version": p["partner"]["version"]})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        listed(app.base.clone()).await,
        0,
        "at once through the server that made it"
    );
    within(Duration::from_secs(1), || {
        let o = other.clone();
        let listed = &listed;
        async move { listed(o).await == 0 }
    })
    .await;
    let _ = stop.send(());
}

both!(
    a_reclassified_partner_stops_filtering_on_every_server,
    changes_through_one_server_reach_the_other_within_a_second,
    a_server_that_was_down_catches_up_when_it_starts,
);
