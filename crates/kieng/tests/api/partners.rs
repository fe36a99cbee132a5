//! Partners: the seeded registry, duplicate detection, framework history.

use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

async fn find(app: &TestApp, token: &str, q: &str) -> Value {
    let (s, page) = app
        .api(token, Method::GET, &format!("/api/v1/partners?q={q}"), None)
        .await;
    assert_eq!(s, 200);
    page
}

async fn countries_and_frameworks_are_seeded(app: &TestApp) {
    let t = app.token("viewer").await;
    let (_, all) = app
        .api(&t, Method::GET, "/api/v1/partners?kind=country", None)
        .await;
    assert_eq!(all["total"], 249, "every ISO 3166-1 country is a partner");
    // Found by Vietnamese name without diacritics, by English name, by ISO alpha-3.
    for q in ["han%20quoc", "South%20Korea", "KOR"] {
        let page = find(app, &t, q).await;
        assert_eq!(page["items"][0]["partner"]["code"], "KR", "{q}");
        assert_eq!(
            page["items"][0]["current"]["level_code"],
            "comprehensive_strategic"
        );
        assert_eq!(page["items"][0]["current"]["since"], "12/2022");
    }
    let (_, csp) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?level=comprehensive_strategic",
            None,
        )
        .await;
    assert!(csp["total"].as_u64().unwrap() >= 15);
    // The EU is an organisation, not a country, with its framework.
    let eu = find(app, &t, "lien%20minh%20chau%20au").await;
    assert_eq!(eu["items"][0]["partner"]["kind"], "organisation");
    assert_eq!(eu["items"][0]["current"]["since"], "29/01/2026");
    // The dossier carries the history with its source.
    assert_eq!(
        find(app, &t, "trung%20quoc").await["items"][0]["partner"]["code"],
        "CN",
        "the exact name ranks first"
    );
    let id = find(app, &t, "CHN").await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, d) = app
        .api(&t, Method::GET, &format!("/api/v1/partners/{id}"), None)
        .await;
    assert!(
        d["frameworks"][0]["source"]
            .as_str()
            .unwrap()
            .contains("baodaknong")
    );
    assert!(
        d["current"]["official_name"]
            .as_str()
            .unwrap()
            .contains("cooperative")
    );
}

async fn duplicates_are_caught_whatever_the_diacritics_and_case(app: &TestApp) {
    let t = app.token("officer").await;
    let body = |name: &str, aliases: Vec<&str>| json!({"kind": "party", "name_vi": name, "aliases": aliases, "country_code": "FR"});
    let (s, p) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(body("Đảng Cộng sản Pháp", vec!["PCF"])),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    for (name, aliases) in [
        ("dang cong san phap", vec![]),
        ("ĐẢNG CỘNG SẢN PHÁP", vec![]),
        ("Parti communiste", vec!["pcf"]),
    ] {
        let (s, e) = app
            .api(
                &t,
                Method::POST,
                "/api/v1/partners",
                Some(body(name, aliases)),
            )
            .await;
        assert_eq!(s, 409, "{name}");
        assert_eq!(e["error"]["code"], "duplicate");
        assert_eq!(e["error"]["current"][0]["id"], p["id"]);
    }
    // A country cannot be created twice: countries are not created at all.
    let (s, e) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "country", "name_vi": "Hàn Quốc"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["kind"].is_string());
    // "Han Quoc" as another kind of partner is offered the country first.
    let (s, e) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "other_organisation", "name_vi": "Han Quoc"})),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["current"][0]["kind"], "country");
    // Confirmed as a different partner, it is created.
    let (s, _) = app.api(&t, Method::POST, "/api/v1/partners", Some(json!({"kind": "other_organisation", "name_vi": "Han Quoc", "allow_duplicate": true}))).await;
    assert_eq!(s, 201);
    // Viewers record nothing.
    let v = app.token("viewer").await;
    let (s, _) = app
        .api(
            &v,
            Method::POST,
            "/api/v1/partners",
            Some(body("Đảng Xanh", vec![])),
        )
        .await;
    assert_eq!(s, 403);
}

async fn current_level_is_the_latest_by_date_whatever_the_order_of_entry(app: &TestApp) {
    let root = app.token("root").await;
    let id = find(app, &root, "argentina").await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let add = |level: &str, since: &str| json!({"level_code": level, "since": since, "source": "kiểm thử"});
    // The upgrade is entered first, the older establishment after it.
    let (s, d) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("comprehensive_strategic", "2025-06-01")),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let (_, d) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("strategic", "2015")),
        )
        .await;
    assert_eq!(d["current"]["level_code"], "comprehensive_strategic");
    assert_eq!(d["current"]["since"], "01/06/2025");
    assert_eq!(
        d["frameworks"].as_array().unwrap().len(),
        3,
        "seeded 2010 step + two new"
    );
    assert_eq!(d["frameworks"][0]["since"], "01/06/2025", "newest first");
    // Bad input: no source, a future date, an unknown level.
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(json!({"level_code": "best_friends", "since": "2999", "source": ""})),
        )
        .await;
    assert_eq!(s, 422);
    for f in ["level_code", "since", "source"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    // A scoped administrator cannot change the shared registry.
    let admin = app.token("admin").await;
    let (s, _) = app
        .api(
            &admin,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("strategic", "2020")),
        )
        .await;
    assert_eq!(s, 403);
    // Audited.
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}&action=framework"),
            None,
        )
        .await;
    assert_eq!(audit["total"], 2);
}

async fn classified_partners_stay_hidden_above_clearance(app: &TestApp) {
    let root = app.token("root").await;
    let (s, p) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Bí Mật", "classification": "toi_mat"})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let officer = app.token("officer").await;
    assert_eq!(find(app, &officer, "quy%20bi%20mat").await["total"], 0);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{}", p["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 404);
    // Nor is it offered as a duplicate (its existence would leak).
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ bí mật"})),
        )
        .await;
    assert_eq!(s, 201);
}

both!(
    countries_and_frameworks_are_seeded,
    duplicates_are_caught_whatever_the_diacritics_and_case,
    current_level_is_the_latest_by_date_whatever_the_order_of_entry,
    classified_partners_stay_hidden_above_clearance,
);
