//! Multilateral diplomacy: the shipped mechanisms and roles with their
//! sources; a membership date refused without one; a candidacy's workflow;
//! the campaign board counting each country once by its latest word, within
//! the reader's clearance (a toi_mat pledge absent for a mat reader, from
//! the counts too); a reciprocal promise on the commitments board; a
//! candidacy outside scope absent everywhere; bad input a 422 that writes
//! nothing.

use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    the_shipped_mechanisms_carry_their_sources_and_a_date_needs_one,
    the_board_counts_each_countrys_latest_word_within_clearance,
);

async fn the_shipped_mechanisms_carry_their_sources_and_a_date_needs_one(app: &TestApp) {
    let officer = app.token("officer").await;
    let (s, tree) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/multilateral/mechanisms",
            None,
        )
        .await;
    assert_eq!(s, 200);
    let tree = tree.as_array().unwrap();
    let by = |code: &str| tree.iter().find(|m| m["code"] == code).cloned().unwrap();
    let un = by("UN");
    assert_eq!(un["since"], "20/09/1977");
    assert!(un["source"].as_str().unwrap().contains("https://"));
    assert_eq!(by("UNSC")["parent_id"], un["id"]);
    assert_eq!(by("ASEAN")["since"], "28/07/1995");
    for m in tree {
        if !m["since"].is_null() {
            assert!(
                !m["source"].as_str().unwrap().is_empty(),
                "{} has a date without a source",
                m["code"]
            );
        }
    }
    // Parents come before their children.
    let pos = |id: &Value| tree.iter().position(|m| &m["id"] == id).unwrap();
    for m in tree {
        if !m["parent_id"].is_null() {
            assert!(pos(&m["parent_id"]) < pos(&m["id"]));
        }
    }
    let unsc = by("UNSC")["id"].as_str().unwrap().to_string();
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/multilateral/mechanisms/{unsc}"),
            None,
        )
        .await;
    let seats: Vec<&Value> = d["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "council_seat")
        .collect();
    assert!(
        seats
            .iter()
            .any(|r| r["starts"] == "01/01/2020" && r["ends"] == "31/12/2021"),
        "{seats:?}"
    );
    let (s, roles) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/multilateral/roles?kind=host&mechanism=APEC",
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        roles["total"].as_u64().unwrap() >= 3,
        "APEC 2006, 2017, 2027: {roles}"
    );

    // A membership date needs its source; the administrator adds one.
    let admin = app.token("admin").await;
    let body = json!({"code": "cptpp", "kind": "grouping", "standing": "member",
        "name_vi": "Hiệp định Đối tác Toàn diện và Tiến bộ xuyên Thái Bình Dương",
        "since": "14/01/2019"});
    let (s, e) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/multilateral/mechanisms",
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["source"].is_string(), "{e}");
    let mut ok = body;
    ok["source"] = json!("https://www.mofa.gov.vn/");
    let (s, m) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/multilateral/mechanisms",
            Some(ok.clone()),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(
        (m["code"].as_str(), m["since"].as_str()),
        (Some("CPTPP"), Some("14/01/2019"))
    );
    // The same code again is named.
    let (s, e) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/multilateral/mechanisms",
            Some(ok),
        )
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["code"].is_string(), "{e}");
    // An officer may not.
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/multilateral/mechanisms",
            Some(json!({"code": "X", "kind": "forum", "standing": "member", "name_vi": "X"})),
        )
        .await;
    assert_eq!(s, 403);
    // A coordinator records a role; without a source it is refused.
    let coordinator = app.token("coordinator").await;
    let role = json!({"kind": "host", "title_vi": "Nước chủ nhà Hội nghị Cấp cao APEC 2027",
        "starts": "2027"});
    let path = format!(
        "/api/v1/multilateral/mechanisms/{}/roles",
        by("APEC")["id"].as_str().unwrap()
    );
    let (s, e) = app
        .api(&coordinator, Method::POST, &path, Some(role.clone()))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["source"].is_string());
    let mut role = role;
    role["source"] = json!("https://www.apec.org/");
    let (s, _) = app.api(&coordinator, Method::POST, &path, Some(role)).await;
    assert_eq!(s, 201);
    // The pages.
    let session = app.signed_in("officer").await;
    let html = session.get("/multilateral").await.text().await.unwrap();
    assert!(html.contains("Liên hợp quốc") && html.contains("CPTPP"));
    let r = session
        .get(&format!("/multilateral/mechanisms/{unsc}"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("2020"));
}

async fn the_board_counts_each_countrys_latest_word_within_clearance(app: &TestApp) {
    use kieng_domain::user::{UserForm, UserInput};
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let (s, c) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/multilateral/candidacies",
            Some(
                json!({"mechanism": "unhrc", "post": "Thành viên Hội đồng Nhân quyền Liên hợp quốc",
                "term": "2029–2031", "election_on": "15/10/2028", "electorate": "un",
                "votes_needed": 97, "competitors": ["Ứng viên X"], "owner_agency": "A"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["status"], "considered");
    assert_eq!(c["board"]["voters"], 193);
    assert_eq!(c["board"]["to_ask"].as_array().unwrap().len(), 193);

    let pledge = |token: String, body: Value| {
        let id = id.clone();
        async move {
            app.api(
                &token,
                Method::POST,
                &format!("/api/v1/multilateral/candidacies/{id}/pledges"),
                Some(body),
            )
            .await
        }
    };
    for body in [
        json!({"country": "Pháp", "support": "written", "given_on": "10/01/2027", "channel": "Công hàm"}),
        json!({"country": "DE", "support": "oral", "given_on": "11/01/2027"}),
        json!({"country": "Duc", "support": "declined", "given_on": "12/02/2027"}),
        json!({"country": "Nhật Bản", "support": "reciprocal", "given_on": "12/02/2027",
               "reciprocal": "Ủng hộ ứng cử của Nhật Bản vào Hội đồng Chấp hành UNESCO", "reciprocal_due": "31/12/2027"}),
        json!({"country": "LA", "support": "written", "given_on": "12/02/2027", "competitor": "ứng viên x"}),
        json!({"country": "LA", "support": "oral", "given_on": "13/02/2027"}),
        json!({"country": "BR", "support": "conditional", "given_on": "13/02/2027"}),
    ] {
        let (s, b) = pledge(officer.clone(), body).await;
        assert_eq!(s, 201, "{b}");
    }
    // A toi_mat pledge, recorded by a reader cleared for it.
    let (s, b) = pledge(
        root.clone(),
        json!({"country": "KR", "support": "written", "given_on": "14/02/2027",
               "classification": "toi_mat", "secret_item": "TOI_MAT"}),
    )
    .await;
    assert_eq!(s, 201, "{b}");

    let board_of = |token: String| {
        let id = id.clone();
        async move {
            let (s, d) = app
                .api(
                    &token,
                    Method::GET,
                    &format!("/api/v1/multilateral/candidacies/{id}"),
                    None,
                )
                .await;
            assert_eq!(s, 200, "{d}");
            d["board"].clone()
        }
    };
    let b = board_of(officer.clone()).await;
    let certainty = |b: &Value, c: &str| {
        b["by_certainty"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["certainty"] == c)
            .unwrap()["countries"]
            .as_u64()
            .unwrap()
    };
    // FR written, JP reciprocal: firm; LA oral: likely; BR conditional; DE declined (its latest).
    assert_eq!(certainty(&b, "firm"), 2, "{b}");
    assert_eq!(certainty(&b, "likely"), 1);
    assert_eq!(certainty(&b, "uncertain"), 1);
    assert_eq!(certainty(&b, "against"), 1);
    assert_eq!(
        (b["pledged"].as_u64(), b["missing"].as_u64()),
        (Some(3), Some(94))
    );
    let total: u64 = b["by_certainty"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["countries"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 193, "each voter once");
    // The totals are the countries listed.
    let listed = |b: &Value, s: &[&str]| {
        b["countries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["support"].as_str().is_some_and(|x| s.contains(&x)))
            .count() as u64
    };
    assert_eq!(
        listed(&b, &["written", "reciprocal", "oral"]),
        b["pledged"].as_u64().unwrap()
    );
    let region_total: u64 = b["by_region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["voters"].as_u64().unwrap())
        .sum();
    assert_eq!(region_total, 193);
    assert_eq!(b["competitors"][0]["name"], "Ứng viên X");
    assert_eq!(b["competitors"][0]["pledged"], 1);
    assert_eq!(b["competitors"][0]["also_ours"], 1, "Laos pledged to both");
    let kr = |b: &Value| {
        b["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["country"] == "KR")
            .unwrap()["support"]
            .clone()
    };
    assert_eq!(
        kr(&b),
        Value::Null,
        "the toi_mat pledge does not exist for a mat reader"
    );
    let (_, listed_kr) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/multilateral/candidacies/{id}/pledges?country=KR"),
            None,
        )
        .await;
    assert_eq!(listed_kr.as_array().unwrap().len(), 0);
    let top = board_of(root.clone()).await;
    assert_eq!(kr(&top), "written");
    assert_eq!(
        top["pledged"].as_u64().unwrap(),
        b["pledged"].as_u64().unwrap() + 1
    );

    // The reciprocal promise is a commitment of the leading agency, on the board.
    let (_, jp) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/multilateral/candidacies/{id}/pledges?country=JP"),
            None,
        )
        .await;
    let commitment = jp[0]["commitment_id"].as_str().unwrap().to_string();
    let (s, k) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/commitments/{commitment}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{k}");
    assert_eq!(k["source"], "pledge");
    assert_eq!(k["due_on"], "2027-12-31");
    let (_, list) = app
        .api(&officer, Method::GET, "/api/v1/commitments?q=UNESCO", None)
        .await;
    assert!(list.to_string().contains(&commitment), "{list}");

    // Bad input: named, nothing written.
    let before = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/multilateral/candidacies/{id}/pledges"),
            None,
        )
        .await
        .1
        .as_array()
        .unwrap()
        .len();
    let (s, e) = pledge(
        officer.clone(),
        json!({"country": "Atlantis", "support": "maybe", "given_on": "31/02/2027", "competitor": "Ai đó"}),
    )
    .await;
    assert_eq!(s, 422);
    for f in ["country", "support", "given_on", "competitor"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (s, e) = pledge(
        officer.clone(),
        json!({"country": "FR", "support": "reciprocal", "given_on": "01/03/2027"}),
    )
    .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["reciprocal"].is_string());
    let after = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/multilateral/candidacies/{id}/pledges"),
            None,
        )
        .await
        .1
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);

    // The workflow: no result before it is announced; a result is final.
    let mv = |status: &str, version: i64| {
        let (id, status) = (id.clone(), status.to_string());
        let officer = officer.clone();
        async move {
            app.api(
                &officer,
                Method::POST,
                &format!("/api/v1/multilateral/candidacies/{id}/move"),
                Some(json!({"status": status, "version": version})),
            )
            .await
        }
    };
    let (s, _) = mv("elected", 1).await;
    assert_eq!(s, 422);
    let (s, d) = mv("announced", 1).await;
    assert_eq!(s, 200, "{d}");
    let (s, _) = mv("campaigning", 1).await;
    assert_eq!(s, 409, "stale version");
    let (s, d) = mv("elected", 2).await;
    assert_eq!((s, d["status"].as_str()), (200, Some("elected")));
    let (s, _) = mv("withdrawn", 3).await;
    assert_eq!(s, 422, "a result is final");

    // Outside scope: absent from the list, the page, the pledges, the history.
    let form = UserForm {
        username: "breader".into(),
        agency_id: app.agencies["B"].id.to_string(),
        role: "officer".into(),
        scope: "agency".into(),
        clearance: "toi_mat".into(),
        ..Default::default()
    };
    let input = UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    let u = app.store.user_add_cli(&input, PASSWORD).await.unwrap();
    let origin = kieng_store::audit::Origin::default();
    let outsider = app
        .store
        .token_create(u.id, "test", &origin)
        .await
        .unwrap()
        .1;
    let (_, l) = app
        .api(
            &outsider,
            Method::GET,
            "/api/v1/multilateral/candidacies",
            None,
        )
        .await;
    assert_eq!(l["total"], 0);
    for path in [
        format!("/api/v1/multilateral/candidacies/{id}"),
        format!("/api/v1/multilateral/candidacies/{id}/pledges"),
        format!("/api/v1/commitments/{commitment}"),
    ] {
        let (s, _) = app.api(&outsider, Method::GET, &path, None).await;
        assert_eq!(s, 404, "{path}");
    }
    let (s, _) = pledge(
        outsider.clone(),
        json!({"country": "FR", "support": "written", "given_on": "01/03/2027"}),
    )
    .await;
    assert_eq!(s, 404);
    let session = app.signed_in("officer").await;
    let r = session
        .get(&format!("/multilateral/candidacies/{id}"))
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Ứng viên X") && html.contains("Pháp"));
    let r = session
        .get(&format!("/multilateral/candidacies/{id}/history"))
        .await;
    assert_eq!(r.status(), 200);
}
