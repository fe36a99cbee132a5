//! Shipped reference facts (communes, provincial units, countries): an
//! administrator corrects them, the correction is audited, and a later
//! reference update leaves it as corrected.

use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::json;

both!(
    corrections_are_audited_and_outlive_updates,
    the_pages_correct
);

const SHIPPED: &str = include_str!("../../../../data/reference/communes.csv");

async fn corrections_are_audited_and_outlive_updates(app: &TestApp) {
    let admin = app.token("admin").await;
    let officer = app.token("officer").await;
    let fix = json!({"name": "Sì Lở Lầu Mới", "name_en": "Si Lo Lau Moi", "kind": "xa",
        "province_code": "VN34-07"});
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            "/api/v1/communes/03562",
            Some(fix.clone()),
        )
        .await;
    assert_eq!(s, 403);
    let (s, c) = app
        .api(&admin, Method::PUT, "/api/v1/communes/03562", Some(fix))
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["full_name"], "Xã Sì Lở Lầu Mới");
    assert!(c["corrected_at"].is_string());
    // Found by its corrected name, with or without diacritics.
    let (_, found) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/communes?province=VN34-07&q=si+lo+lau+moi",
            None,
        )
        .await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["code"], "03562");
    // What to fix is said field by field; a unit merged in 2025 is no province.
    for (bad, field) in [
        (
            json!({"name": "Xã Sì Lở Lầu", "kind": "xa", "province_code": "VN34-07"}),
            "name",
        ),
        (
            json!({"name": "Sì Lở Lầu", "kind": "huyen", "province_code": "VN34-07"}),
            "kind",
        ),
        (
            json!({"name": "Sì Lở Lầu", "kind": "xa", "province_code": "VN-01"}),
            "province_code",
        ),
    ] {
        let (s, e) = app
            .api(&admin, Method::PUT, "/api/v1/communes/03562", Some(bad))
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }
    let (s, _) = app
        .api(
            &admin,
            Method::PUT,
            "/api/v1/communes/99999",
            Some(json!({"name": "X", "kind": "xa", "province_code": "VN34-07"})),
        )
        .await;
    assert_eq!(s, 404);

    // A provincial unit and a country.
    let (s, p) = app
        .api(
            &admin,
            Method::PUT,
            "/api/v1/provinces/VN34-07",
            Some(json!({"name": "Lai Châu", "kind": "province"})),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    assert!(p["corrected_at"].is_string());
    let (s, c) = app
        .api(
            &admin,
            Method::PUT,
            "/api/v1/countries/CZ",
            Some(json!({"name_vi": "Cộng hòa Séc", "name_en": "Czechia"})),
        )
        .await;
    assert_eq!(s, 200, "{c}");
    let (_, all) = app
        .api(&officer, Method::GET, "/api/v1/countries", None)
        .await;
    let cz = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["alpha2"] == "CZ")
        .unwrap();
    assert_eq!(cz["name_vi"], "Cộng hòa Séc");

    // Every correction is in the audit log with what it was before.
    let root = app.token("root").await;
    for entity in ["commune", "province", "country"] {
        let (s, log) = app
            .api(
                &root,
                Method::GET,
                &format!("/api/v1/audit?entity_type={entity}&action=correct"),
                None,
            )
            .await;
        assert_eq!(s, 200);
        let items = log["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{entity}: {log}");
    }

    // A later update of the shipped list: it renames the corrected unit and
    // another, and adds one. The corrected unit keeps its correction; the
    // other follows the list; the new one is added.
    let updated = SHIPPED
        .replace(
            "03562,Sì Lở Lầu,Xã Sì Lở Lầu,Si Lo Lau,",
            "03562,Sì Lở Lầu Cũ,Xã Sì Lở Lầu Cũ,Si Lo Lau Cu,",
        )
        .replace(
            "00004,Ba Đình,Phường Ba Đình,Ba Dinh,",
            "00004,Ba Đình Mới,Phường Ba Đình Mới,Ba Dinh Moi,",
        )
        + "99999,Thử Nghiệm,Xã Thử Nghiệm,Thu Nghiem,Xã,12,Lai Châu\n";
    let done = app.store.reship_communes(&updated).await.unwrap();
    assert_eq!((done.added, done.updated, done.kept), (1, 1, 1));
    let name = |code: &'static str| async move { app.store.commune(code).await.unwrap().full_name };
    assert_eq!(name("03562").await, "Xã Sì Lở Lầu Mới");
    assert_eq!(name("00004").await, "Phường Ba Đình Mới");
    assert_eq!(name("99999").await, "Xã Thử Nghiệm");
    // Applied again, it changes nothing.
    let again = app.store.reship_communes(&updated).await.unwrap();
    assert_eq!((again.added, again.updated, again.kept), (0, 0, 1));
}

async fn the_pages_correct(app: &TestApp) {
    let s = app.signed_in("admin").await;
    let html = s
        .get("/reference/communes?province=VN34-07")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/reference/communes/03562\""));
    let html = s
        .get("/reference/communes/03562")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"Sì Lở Lầu\""), "{html}");
    let r = s
        .post_form(
            "/reference/communes/03562",
            &[("name", ""), ("kind", "xa"), ("province_code", "VN34-07")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = s
        .post_form(
            "/reference/communes/03562",
            &[
                ("name", "Sì Lở Lầu"),
                ("name_en", "Si Lo Lau"),
                ("kind", "xa"),
                ("province_code", "VN34-07"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = s
        .get("/reference/communes/03562")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đã đính chính lúc"));
    let r = s
        .post_form(
            "/reference/countries/CZ",
            &[("name_vi", "Séc"), ("name_en", "Czechia")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Others read the lists but correct nothing.
    let viewer = app.signed_in("viewer").await;
    let html = viewer
        .get("/reference/communes?province=VN34-07")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("href=\"/reference/communes/03562\""));
    assert_eq!(viewer.get("/reference/communes/03562").await.status(), 403);
}
