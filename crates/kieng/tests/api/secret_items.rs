//! The state-secrets catalogue: a classified record names the item it rests
//! on, at the item's level; administrators keep the catalogue, audited.

use crate::activities::visit;
use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

both!(
    a_classified_record_names_its_catalogue_item,
    administrators_keep_the_catalogue_and_every_change_is_audited,
    the_catalogue_page_lists_adds_and_retires,
);

async fn item(app: &TestApp, token: &str, code: &str, level: &str) -> Value {
    let (s, v) = app
        .api(
            token,
            Method::POST,
            "/api/v1/secret-items",
            Some(json!({"code": code, "level": level,
                "catalogue": "Quyết định số 1178/QĐ-TTg ngày 04/08/2020",
                "title": format!("Mục {code}")})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    v
}

async fn a_classified_record_names_its_catalogue_item(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let mut body = visit("Tham vấn chính trị", "A", vec!["Lao"], 5, 5);
    body["classification"] = json!("mat");

    // Classified without a basis: refused, saying what to add.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/activities",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["secret_item"].is_string(), "{e}");
    // An item of another level: refused.
    body["secret_item"] = json!("TOI_MAT");
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/activities",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["fields"]["secret_item"]
            .as_str()
            .unwrap()
            .contains("Tối mật"),
        "{e}"
    );
    // An item no catalogue has: refused.
    body["secret_item"] = json!("KHONG-CO");
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/activities",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["secret_item"].is_string(), "{e}");

    // By id or by code, at its level: saved with it.
    let own = item(app, &root, "NG-M-07", "mat").await;
    body["secret_item"] = own["id"].clone();
    let (s, a) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/activities",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["activity"]["secret_item_id"], own["id"]);
    let id = a["activity"]["id"].as_str().unwrap().to_string();

    // Unclassified records name none, whatever the form says.
    let mut open = visit("Gặp gỡ báo chí", "A", vec!["Lao"], 6, 6);
    open["secret_item"] = json!("MAT");
    let (s, o) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(open))
        .await;
    assert_eq!(s, 201, "{o}");
    assert!(o["activity"]["secret_item_id"].is_null(), "{o}");

    // Retired: no new record may name it, the one naming it keeps it.
    let (s, r) = app
        .api(
            &root,
            Method::POST,
            &format!(
                "/api/v1/secret-items/{}/retirement",
                own["id"].as_str().unwrap()
            ),
            Some(json!({"retired": true, "version": own["version"]})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["retired"], true);
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/activities",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["secret_item"].is_string(), "{e}");
    let mut edit = body.clone();
    edit["version"] = json!(1);
    edit["title"] = json!("Tham vấn chính trị lần thứ 5");
    let (s, r) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["secret_item_id"], own["id"]);

    // The other records: a partner and an agreement say the same.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Kín", "classification": "mat"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["secret_item"].is_string(), "{e}");
    let (s, p) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Kín", "classification": "mat", "secret_item": "MAT"})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    assert!(p["secret_item_id"].is_string(), "{p}");

    // The record's page names its basis.
    let web = app.signed_in("officer").await;
    let html = web
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("NG-M-07"), "the basis shows on the page");
}

async fn administrators_keep_the_catalogue_and_every_change_is_audited(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // Everyone signed in reads it; only administrators change it.
    let (s, list) = app
        .api(&officer, Method::GET, "/api/v1/secret-items", None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/secret-items",
            Some(json!({"code": "X-1", "level": "mat", "catalogue": "QĐ", "title": "T"})),
        )
        .await;
    assert_eq!(s, 403);

    let created = item(app, &root, "ng-tm-02", "toi_mat").await;
    assert_eq!(created["code"], "NG-TM-02", "codes are kept in capitals");
    let id = created["id"].as_str().unwrap();
    // A code taken, a level of "none", a code with diacritics: 422 naming the field.
    for (body, field) in [
        (
            json!({"code": "NG-TM-02", "level": "mat", "catalogue": "QĐ", "title": "T"}),
            "code",
        ),
        (
            json!({"code": "NG-X", "level": "none", "catalogue": "QĐ", "title": "T"}),
            "level",
        ),
        (
            json!({"code": "NGĐ", "level": "mat", "catalogue": "QĐ", "title": "T"}),
            "code",
        ),
        (
            json!({"code": "NG-Y", "level": "mat", "catalogue": "", "title": "T"}),
            "catalogue",
        ),
    ] {
        let (s, e) = app
            .api(&root, Method::POST, "/api/v1/secret-items", Some(body))
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }
    // Corrected with the version read; a stale correction is a conflict.
    let fix = json!({"code": "NG-TM-02", "level": "toi_mat", "catalogue": "Quyết định số 1178/QĐ-TTg, Điều 2",
        "title": "Mục đã đính chính", "version": 1});
    let (s, v) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/secret-items/{id}"),
            Some(fix.clone()),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["version"], 2);
    let (s, _) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/secret-items/{id}"),
            Some(fix),
        )
        .await;
    assert_eq!(s, 409);
    let (s, log) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{log}");
    let text = log.to_string();
    assert!(
        text.contains("Mục đã đính chính"),
        "the correction is audited: {log}"
    );
    assert!(
        text.contains("\"create\""),
        "the creation is audited: {log}"
    );
}

async fn the_catalogue_page_lists_adds_and_retires(app: &TestApp) {
    let officer = app.signed_in("officer").await;
    let r = officer.get("/secret-items").await;
    assert!(
        r.status() == 403 || r.status() == 404,
        "not for officers: {}",
        r.status()
    );
    let admin = app.signed_in("root").await;
    let html = admin.get("/secret-items").await.text().await.unwrap();
    assert!(html.contains("TOI_MAT"), "lists the items");
    let r = admin
        .post_form(
            "/secret-items",
            &[
                ("code", "NG-M-09"),
                ("level", "mat"),
                ("catalogue", ""),
                ("title", "Mục mới"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "an empty catalogue is refused on the page");
    let body = r.text().await.unwrap();
    assert!(body.contains("NG-M-09"), "what was typed is kept");
    let r = admin
        .post_form(
            "/secret-items",
            &[
                ("code", "NG-M-09"),
                ("level", "mat"),
                ("catalogue", "QĐ 1178/QĐ-TTg"),
                ("title", "Mục mới"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let items = app.store.secret_items().await.unwrap();
    let new = items.iter().find(|i| i.code == "NG-M-09").unwrap();
    let r = admin
        .post_form(
            &format!("/secret-items/{}/retire", new.id),
            &[("version", "1"), ("retired", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        app.store
            .secret_item(new.id)
            .await
            .unwrap()
            .unwrap()
            .retired
    );
}
