//! Consultations on a hosted conference (Decision 06/2020/QĐ-TTg, Art. 5): each
//! body answers within 15 days of receiving the request; a conference the
//! Prime Minister approves consults the Foreign and Public Security ministries.

use crate::activities::{create, day};
use crate::both;
use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    bodies_answer_within_fifteen_days,
    the_page_records_and_corrects
);

fn ago(days: i64) -> String {
    ((Utc::now() + Duration::hours(7)).date_naive() - Duration::days(days)).to_string()
}

fn conference(authority: &str) -> Value {
    json!({"title": "Diễn đàn hợp tác Mekong", "type_code": "conference_hosted", "lead_agency": "A",
        "authority": authority, "starts_at": day(60, 8), "ends_at": day(61, 17)})
}

async fn consult(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    app.api(
        token,
        Method::POST,
        &format!("/api/v1/activities/{id}/consultations"),
        Some(body),
    )
    .await
}

async fn bodies_answer_within_fifteen_days(app: &TestApp) {
    let officer = app.token("officer").await;
    let a = create(app, &officer, conference("prime_minister")).await;
    let id = a["activity"]["id"].as_str().unwrap().to_string();
    assert_eq!(a["consults"], true);
    assert_eq!(a["consult_missing"], json!(["mofa", "mps"]));

    // Received 18 days ago and not answered: three days past its due day.
    let (s, v) = consult(
        app,
        &officer,
        &id,
        json!({"body": "Bộ Ngoại giao (Vụ ASEAN)", "requested_on": ago(20), "received_on": ago(18),
            "reference": "123/SNgV-HTQT"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let c = &v["consultations"][0];
    assert_eq!(c["due"], json!(ago(3)));
    assert_eq!(c["state"], "overdue");
    assert_eq!(c["days"], 3);
    assert_eq!(v["consult_missing"], json!(["mps"]));
    // Sent today, receipt not recorded: due 15 days from sending.
    let (s, v) = consult(
        app,
        &officer,
        &id,
        json!({"body": "Bộ Công an", "requested_on": ago(0)}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["consultations"][1]["state"], "waiting");
    assert_eq!(v["consultations"][1]["days"], 15);
    assert_eq!(v["consult_missing"], json!([]));

    // Dates out of order, or ahead of today, say which field to fix.
    for (bad, field) in [
        (
            json!({"body": "UBND thành phố", "requested_on": ago(5), "received_on": ago(6)}),
            "received_on",
        ),
        (
            json!({"body": "UBND thành phố", "requested_on": ago(5), "answered_on": ago(7)}),
            "answered_on",
        ),
        (
            json!({"body": "UBND thành phố", "requested_on": ago(-2)}),
            "requested_on",
        ),
        (json!({"body": "", "requested_on": ago(1)}), "body"),
    ] {
        let (s, e) = consult(app, &officer, &id, bad).await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"][field].is_string(), "{field}: {e}");
    }

    // The answer came a day late.
    let cid = v["consultations"][0]["id"].as_str().unwrap();
    let (s, v) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{id}/consultations/{cid}"),
            Some(
                json!({"body": "Bộ Ngoại giao (Vụ ASEAN)", "requested_on": ago(20),
                "received_on": ago(18), "answered_on": ago(2), "note": "Đồng ý"}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["consultations"][0]["state"], "answered_late");
    assert_eq!(v["consultations"][0]["note"], "Đồng ý");

    // Removed by mistake: gone from the activity, kept in its history.
    let (s, v) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/activities/{id}/consultations/{cid}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["consultations"].as_array().unwrap().len(), 1);
    assert_eq!(v["consult_missing"], json!(["mofa"]));
    let (s, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}/history"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for want in ["consultation", "consultation_edit", "consultation_remove"] {
        assert!(actions.contains(&want), "{want} in {actions:?}");
    }
    // An id from another activity is not found through this one.
    let other = create(app, &officer, conference("other")).await;
    let oid = other["activity"]["id"].as_str().unwrap();
    let kept = v["consultations"][0]["id"].as_str().unwrap();
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/activities/{oid}/consultations/{kept}"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(other["consult_missing"], json!([]));

    // The Party's conferences and other activities have no such consultations.
    let party = create(app, &officer, conference("party_rules")).await;
    assert_eq!(party["consults"], false);
    let pid = party["activity"]["id"].as_str().unwrap();
    let (s, e) = consult(
        app,
        &officer,
        pid,
        json!({"body": "Bộ Công an", "requested_on": ago(1)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");

    // Only the lead agency's writers record them; others do not see it at all.
    let (s, u) = app
        .api(
            &app.token("root").await,
            Method::POST,
            "/api/v1/users",
            Some(
                json!({"username": "canbo.ban", "agency_id": app.agencies["B"].id,
                "role": "officer", "scope": "agency", "clearance": "mat"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{u}");
    app.sql("UPDATE users SET must_change_password = false WHERE username = 'canbo.ban'")
        .await;
    let uid: uuid::Uuid = u["user"]["id"]
        .as_str()
        .or(u["id"].as_str())
        .unwrap()
        .parse()
        .unwrap();
    let (_, outsider) = app
        .store
        .token_create(uid, "test", &kieng_store::audit::Origin::default())
        .await
        .unwrap();
    let (s, _) = consult(
        app,
        &outsider,
        &id,
        json!({"body": "Bộ Công an", "requested_on": ago(1)}),
    )
    .await;
    assert_eq!(s, 404);
}

async fn the_page_records_and_corrects(app: &TestApp) {
    let officer = app.token("officer").await;
    let a = create(app, &officer, conference("prime_minister")).await;
    let id = a["activity"]["id"].as_str().unwrap();
    let s = app.signed_in("officer").await;
    let html = s
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"consultations\""));
    assert!(html.contains("Bộ Công an"), "the required bodies are named");
    // A mistake comes back with the add form open and the field marked.
    let r = s
        .post_form(
            &format!("/activities/{id}/consultations"),
            &[("body", "Bộ Ngoại giao"), ("requested_on", "31/02/2026")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nhập ngày dạng"), "{html}");
    assert!(html.contains("value=\"Bộ Ngoại giao\""));
    let sent = (Utc::now() + Duration::hours(7) - Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    let r = s
        .post_form(
            &format!("/activities/{id}/consultations"),
            &[("body", "Bộ Ngoại giao"), ("requested_on", &sent)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = s
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("quá 15 ngày chưa trả lời"),
        "overdue is warned"
    );
    assert!(html.contains("Quá hạn 5 ngày"));
}
