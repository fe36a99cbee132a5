//! The leaders' dashboard: every figure it shows is a link to a list, and
//! that list's total is the figure — for readers of different scopes and
//! clearances, and for a scope chosen at the top; nothing above a reader's
//! clearance is counted; a bad choice is a 422 that names the field.

use crate::activities::{create, day};
use crate::both;
use crate::helpers::{PASSWORD, Session, TestApp};
use reqwest::Method;
use serde_json::json;

both!(every_dashboard_figure_equals_the_total_of_the_list_it_opens);

fn ymd(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
        .date_naive()
        .to_string()
}

/// Each (link, figure) the dashboard page shows.
fn figures(html: &str) -> Vec<(String, u64)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let v = tag.split(&format!("{name}=\"")).nth(1)?;
        Some(v.split('"').next()?.to_string())
    };
    html.split("<a ")
        .skip(1)
        .filter_map(|rest| {
            let tag = rest.split('>').next()?;
            let n = attr(tag, "data-n")?.parse().ok()?;
            Some((
                attr(tag, "href")?
                    .replace("&amp;", "&")
                    .replace("&#38;", "&"),
                n,
            ))
        })
        .collect()
}

/// The dashboard of one reader, every figure checked against its list.
async fn check(s: &Session, who: &str, query: &str) -> Vec<(String, u64)> {
    let r = s.get(&format!("/dashboard?{query}")).await;
    assert_eq!(r.status(), 200, "{who}");
    let html = r.text().await.unwrap();
    let figs = figures(&html);
    assert!(figs.len() >= 10, "{who}: {figs:?}");
    for (href, n) in &figs {
        assert!(
            href.starts_with("/activities?")
                || href.starts_with("/commitments?")
                || href.starts_with("/plans/tasks?"),
            "{who}: {href}"
        );
        let r = s.get(href).await;
        assert_eq!(r.status(), 200, "{who}: {href}");
        let list = r.text().await.unwrap();
        let total: u64 = list
            .split("data-total=\"")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{who}: no total on {href}"));
        assert_eq!(total, *n, "{who}: {href}");
    }
    figs
}

fn figure(figs: &[(String, u64)], starts: &str) -> u64 {
    figs.iter()
        .find(|(h, _)| h.starts_with(starts))
        .map(|f| f.1)
        .unwrap_or_else(|| panic!("no figure {starts} in {figs:?}"))
}

async fn every_dashboard_figure_equals_the_total_of_the_list_it_opens(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // A viewer of the party's agency B, unclassified.
    let form = kieng_domain::user::UserForm {
        username: "xem.b".into(),
        agency_id: app.agencies["B"].id.to_string(),
        role: "viewer".into(),
        scope: "agency".into(),
        clearance: "none".into(),
        ..Default::default()
    };
    let input =
        kieng_domain::user::UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    app.store.user_add_cli(&input, PASSWORD).await.unwrap();

    let act = |title: &str, lead: &str, kind: &str, partners: Vec<&str>, d: i64| {
        json!({"title": title, "type_code": kind, "lead_agency": lead, "partners": partners,
            "starts_at": day(d, 9), "ends_at": day(d, 11)})
    };
    create(
        app,
        &officer,
        act("Hội đàm với Nhật Bản", "A", "talks", vec!["Nhật Bản"], 2),
    )
    .await;
    create(
        app,
        &officer,
        act(
            "Đoàn ra Hàn Quốc",
            "A",
            "outgoing_delegation",
            vec!["Han Quoc", "Nhật Bản"],
            -20,
        ),
    )
    .await;
    create(
        app,
        &root,
        act(
            "Tiếp đoàn đảng Nhật Bản",
            "B",
            "incoming_delegation",
            vec!["Nhật Bản"],
            5,
        ),
    )
    .await;
    let mut mat = act("Tham vấn mật", "A", "talks", vec!["Han Quoc"], 3);
    mat["classification"] = json!("mat");
    mat["secret_item"] = json!("MAT");
    create(app, &root, mat).await;
    let mut top = act("Trao đổi tối mật", "A", "talks", vec!["Nhật Bản"], 4);
    top["classification"] = json!("toi_mat");
    top["secret_item"] = json!("TOI_MAT");
    create(app, &root, top).await;
    // Last period's: the trend's base.
    create(
        app,
        &officer,
        act("Hội đàm năm trước", "A", "talks", vec!["Nhật Bản"], -200),
    )
    .await;
    let (s, c) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/commitments",
            Some(json!({"title": "Việc quá hạn",
            "source": "plan", "plan": "Kế hoạch", "owner_agency": "A", "due_on": ymd(-3)})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    // Tasks, counted by their lead agency whatever the period.
    let dmy = |days: i64| {
        chrono::NaiveDate::parse_from_str(&ymd(days), "%Y-%m-%d")
            .unwrap()
            .format("%d/%m/%Y")
            .to_string()
    };
    let plan = crate::plans::new_plan(app, &root, "A").await;
    let plan = plan["id"].as_str().unwrap();
    for body in [
        json!({"title": "Báo cáo quá hạn", "lead_agency": "A", "deadline": dmy(-3)}),
        json!({"title": "Việc của Ban sắp đến hạn", "lead_agency": "B", "deadline": dmy(2)}),
        json!({"title": "Việc tối mật quá hạn", "lead_agency": "A", "deadline": dmy(-2),
            "classification": "toi_mat", "secret_item": "TOI_MAT"}),
        json!({"title": "Việc phối hợp", "lead_agency": "A", "coordinating": ["B"], "deadline": dmy(120)}),
    ] {
        crate::plans::add_task(app, &root, plan, body).await;
    }

    let period = format!("period=custom&from={}&to={}", ymd(-60), ymd(60));
    let root_s = app.signed_in("root").await;
    let all = check(&root_s, "root", &period).await;
    assert_eq!(figure(&all, "/activities?from"), 5, "{all:?}");
    assert!(
        all.iter().any(|(h, _)| h.contains("country=JP")),
        "the map: {all:?}"
    );
    assert!(
        all.iter().any(|(h, _)| h.contains("region=")),
        "the continents"
    );
    assert!(
        all.iter().any(|(h, _)| h.contains("partner=")),
        "the partners"
    );
    assert_eq!(figure(&all, "/commitments?due=overdue"), 1);
    assert_eq!(figure(&all, "/plans/tasks?scope=all&due=overdue"), 2);
    assert_eq!(figure(&all, "/plans/tasks?scope=all&due=soon"), 1);
    assert_eq!(figure(&all, "/plans/tasks?scope=all&due=open"), 4);
    // The officer (agency A, Mật): never the Tối mật activity or task, nor B's.
    let off = check(&app.signed_in("officer").await, "officer", &period).await;
    assert_eq!(figure(&off, "/activities?from"), 3, "{off:?}");
    assert_eq!(figure(&off, "/plans/tasks?scope=all&due=overdue"), 1);
    assert_eq!(figure(&off, "/plans/tasks?scope=all&due=open"), 2);
    // B's unclassified viewer: B's one activity and the one task B leads.
    let b = check(&app.signed_in("xem.b").await, "xem.b", &period).await;
    assert_eq!(figure(&b, "/activities?from"), 1, "{b:?}");
    assert_eq!(figure(&b, "/commitments?due=overdue"), 0);
    assert_eq!(figure(&b, "/plans/tasks?scope=all&due=open"), 1);
    assert_eq!(figure(&b, "/plans/tasks?scope=all&due=soon"), 1);
    // Root narrowed to the party's pillar: the lists narrowed alike.
    let party = check(
        &root_s,
        "root/party",
        &format!("{period}&scope=pillar&scope_ref=party"),
    )
    .await;
    assert_eq!(figure(&party, "/activities?from"), 1, "{party:?}");
    assert_eq!(
        figure(&party, "/plans/tasks?scope=pillar&scope_ref=party&due=open"),
        1
    );
    assert!(
        party.iter().all(|(h, _)| h.contains("scope=pillar")),
        "{party:?}"
    );

    // The review report's section on plans counts the tasks due in its
    // period as the report's reader sees them: an unclassified report leaves
    // the Tối mật one out.
    let (s, r) = app
        .api(&root, Method::POST, "/api/v1/reports", Some(json!({"title": "Báo cáo đối ngoại",
            "period": "custom", "from": ymd(-60), "to": ymd(0), "scope": "all",
            "recipients": ["Ban Thường vụ"], "signer_position": "Bộ trưởng", "classification": "none"})))
        .await;
    assert_eq!(s, 201, "{r}");
    let tasks = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "plans")
        .unwrap_or_else(|| panic!("{r}"))["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["key"].as_str().unwrap().to_string(),
                row["now"].as_i64().unwrap(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect::<Vec<_>>();
    assert_eq!(tasks, [("overdue".to_string(), 1)], "{r}");

    // Bad choices name their field.
    for q in [
        "period=quarter&year=2026&part=7",
        "scope=agency",
        "period=custom&from=2026-05-01",
    ] {
        let r = root_s.get(&format!("/dashboard?{q}")).await;
        assert_eq!(r.status(), 422, "{q}");
    }
    let r = root_s.get("/activities?scope=pillar&scope_ref=nope").await;
    assert_eq!(r.status(), 422);
}
