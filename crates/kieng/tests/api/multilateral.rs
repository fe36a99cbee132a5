//! Multilateral diplomacy: the shipped mechanisms and roles with their
//! sources; a membership date refused without one; a candidacy's workflow;
//! the campaign board counting each country once by its latest word, within
//! the reader's clearance (a toi_mat pledge absent for a mat reader, from
//! the counts too); a reciprocal promise on the commitments board; a
//! candidacy outside scope absent everywhere; bad input a 422 that writes
//! nothing; a mechanism's meetings, outcomes and commitments in time, each
//! by its own rule; search over mechanisms, roles and candidacies.

use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    the_shipped_mechanisms_carry_their_sources_and_a_date_needs_one,
    the_board_counts_each_countrys_latest_word_within_clearance,
    a_mechanism_shows_its_meetings_outcomes_and_commitments_as_each_is_seen,
    search_finds_mechanisms_roles_and_the_candidacies_a_reader_sees,
    a_hosted_event_has_its_committee_and_a_programme_only_those_cleared_see,
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
    // The board's spreadsheet too: Korea's word only for the cleared reader.
    let line = |user: &'static str| {
        let id = id.clone();
        async move {
            let r = app
                .signed_in(user)
                .await
                .get(&format!("/multilateral/candidacies/{id}/board.csv"))
                .await;
            assert_eq!(r.status(), 200);
            r.text()
                .await
                .unwrap()
                .lines()
                .find(|l| l.contains("Hàn Quốc"))
                .unwrap()
                .to_string()
        }
    };
    assert!(!line("officer").await.contains("Cam kết bằng văn bản"));
    assert!(line("root").await.contains("Cam kết bằng văn bản"));
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

async fn a_mechanism_shows_its_meetings_outcomes_and_commitments_as_each_is_seen(app: &TestApp) {
    use crate::activities::{create, visit};
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    let root = app.token("root").await;
    let (_, tree) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/multilateral/mechanisms",
            None,
        )
        .await;
    let mechanism = |code: &str| {
        tree.as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let asean = mechanism("ASEAN");
    let amm = mechanism("AMM");
    let held = create(
        app,
        &officer,
        visit(
            "Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 58",
            "A",
            vec!["Nhat Ban"],
            -3,
            -2,
        ),
    )
    .await;
    let held = held["activity"]["id"].as_str().unwrap().to_string();
    let coming = create(
        app,
        &officer,
        visit(
            "Hội nghị Cấp cao ASEAN lần thứ 49",
            "A",
            vec!["Nhat Ban"],
            30,
            31,
        ),
    )
    .await;
    let coming = coming["activity"]["id"].as_str().unwrap().to_string();
    let link = |token: String, m: String, a: String| async move {
        app.api(
            &token,
            Method::POST,
            &format!("/api/v1/multilateral/mechanisms/{m}/meetings"),
            Some(json!({"activity": a})),
        )
        .await
    };
    let (s, e) = link(viewer.clone(), amm.clone(), held.clone()).await;
    assert_eq!(s, 403, "a viewer links nothing: {e}");
    let (s, d) = link(officer.clone(), amm.clone(), held.clone()).await;
    assert_eq!(s, 201, "{d}");
    let (s, _) = link(officer.clone(), amm.clone(), held.clone()).await;
    assert_eq!(s, 201, "linking again changes nothing");
    let (s, _) = link(officer.clone(), asean.clone(), coming.clone()).await;
    assert_eq!(s, 201);
    // A commitment made at the meeting is one made in the forum.
    let (s, c) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/commitments",
            Some(
                json!({"title": "Chủ trì soạn thảo Tuyên bố về an ninh nguồn nước",
                "source": "activity", "source_id": held, "owner_agency": "A",
                "due_on": "31/12/2027"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let detail = |token: String, m: String| async move {
        let (s, d) = app
            .api(
                &token,
                Method::GET,
                &format!("/api/v1/multilateral/mechanisms/{m}"),
                None,
            )
            .await;
        assert_eq!(s, 200, "{d}");
        d
    };
    let d = detail(officer.clone(), asean.clone()).await;
    let ids = |v: &Value, key: &str, field: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[field].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&d, "upcoming", "activity_id"), vec![coming.clone()]);
    assert_eq!(
        ids(&d, "meetings", "activity_id"),
        vec![held.clone()],
        "the AMM's meeting is ASEAN's too"
    );
    assert_eq!(d["meetings"][0]["mechanism_id"], amm.as_str());
    assert_eq!(
        ids(&d, "commitments", "id"),
        vec![c["id"].as_str().unwrap().to_string()]
    );
    // The AMM's own page has its meeting, not ASEAN's summit.
    let d = detail(officer.clone(), amm.clone()).await;
    assert!(d["upcoming"].as_array().unwrap().is_empty());
    assert_eq!(ids(&d, "meetings", "activity_id"), vec![held.clone()]);

    // Outcomes: each seen through the agency that recorded it, within clearance.
    let dmy = |days: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
            .date_naive()
            .format("%d/%m/%Y")
            .to_string()
    };
    let outcome = |token: String, body: Value| {
        let amm = amm.clone();
        async move {
            app.api(
                &token,
                Method::POST,
                &format!("/api/v1/multilateral/mechanisms/{amm}/outcomes"),
                Some(body),
            )
            .await
        }
    };
    let (s, e) = outcome(
        officer.clone(),
        json!({"kind": "document", "title": "Thông cáo chung AMM-58", "adopted_on": "31/02/2026"}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["adopted_on"].is_string(), "{e}");
    let (s, e) = outcome(
        officer.clone(),
        json!({"kind": "document", "title": "Thông cáo chung", "adopted_on": dmy(-2), "owner_agency": "B"}),
    )
    .await;
    assert_eq!(s, 422, "not an agency the officer writes for: {e}");
    assert!(e["error"]["fields"]["owner_agency"].is_string(), "{e}");
    let (s, d) = outcome(
        officer.clone(),
        json!({"kind": "document", "title": "Thông cáo chung AMM-58", "adopted_on": dmy(-2), "activity": held}),
    )
    .await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(
        d["outcomes"].as_array().unwrap().len(),
        1,
        "nothing half-written before: {d}"
    );
    assert_eq!(d["outcomes"][0]["activity_id"], held.as_str());
    for body in [
        json!({"kind": "initiative", "title": "Sáng kiến tối mật", "adopted_on": dmy(-2),
               "owner_agency": "A", "classification": "toi_mat", "secret_item": "TOI_MAT"}),
        json!({"kind": "initiative", "title": "Sáng kiến của Ban Đối ngoại", "adopted_on": dmy(-1),
               "owner_agency": "B"}),
    ] {
        let (s, d) = outcome(root.clone(), body).await;
        assert_eq!(s, 201, "{d}");
    }
    let titles = |d: &Value| -> Vec<String> {
        d["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&detail(officer.clone(), amm.clone()).await),
        vec!["Thông cáo chung AMM-58"],
        "a toi_mat outcome and another agency's are absent for the officer"
    );
    assert_eq!(titles(&detail(root.clone(), asean.clone()).await).len(), 3);
    // An outcome the officer cannot see cannot be removed by id either.
    let all = detail(root.clone(), amm.clone()).await;
    let hidden = all["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["classification"] == "toi_mat")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/multilateral/outcomes/{hidden}"),
            None,
        )
        .await;
    assert_eq!(s, 404);

    // The review report's multilateral section counts the meeting once it is
    // approved (under ASEAN, the top of the AMM's tree) and the outcomes the
    // reader sees.
    let leader = app.token("leader").await;
    let act = json!({"activity": {"id": held}});
    let (s, e) = crate::activities::step(app, &officer, &act, "submit", None).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = crate::activities::step(app, &leader, &act, "approve", None).await;
    assert_eq!(s, 200, "{e}");
    let ymd = |days: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
            .date_naive()
            .to_string()
    };
    let (s, r) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/reports",
            Some(
                json!({"title": "Báo cáo đa phương", "period": "custom", "from": ymd(-30),
                "to": ymd(60), "scope": "all", "recipients": ["Ban Thường vụ"],
                "signer_position": "Bộ trưởng", "classification": "none"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let section = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "multilateral")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    let row = |table: &str, key: &str| -> i64 {
        section["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == table)
            .and_then(|t| {
                t["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["key"] == key)
            })
            .map(|x| x["now"].as_i64().unwrap())
            .unwrap_or(0)
    };
    assert_eq!(row("meetings", &asean), 1, "{section}");
    assert_eq!(
        row("meetings", &amm),
        0,
        "counted under the top of its tree"
    );
    assert_eq!(row("outcomes", "document"), 1, "{section}");
    assert_eq!(
        row("outcomes", "initiative"),
        0,
        "the toi_mat initiative and agency B's are not counted for the officer"
    );

    // Unlinking takes the meeting off the page.
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/multilateral/mechanisms/{amm}/meetings/{held}"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let d = detail(officer.clone(), asean.clone()).await;
    assert!(d["meetings"].as_array().unwrap().is_empty(), "{d}");
}

async fn search_finds_mechanisms_roles_and_the_candidacies_a_reader_sees(app: &TestApp) {
    use crate::search::until_found;
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // Shipped reference is found by every reader, by name and abbreviation.
    until_found(
        app,
        &officer,
        "hoi dong bao an",
        "Hội đồng Bảo an Liên hợp quốc",
        true,
    )
    .await;
    let (_, found) = crate::search::search(app, &officer, "APEC", "&kind=mechanism").await;
    assert!(
        found["items"].as_array().unwrap().iter().any(|h| h["href"]
            .as_str()
            .is_some_and(|x| x.starts_with("/multilateral/mechanisms/"))),
        "{found}"
    );
    let (_, roles) = crate::search::search(app, &officer, "APEC", "&kind=role").await;
    assert!(
        roles["total"].as_u64().unwrap() >= 3,
        "APEC hosted: {roles}"
    );
    // A candidacy of agency B: found by a reader of B's, absent for the officer of A.
    let (s, c) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/multilateral/candidacies",
            Some(json!({"mechanism": "ILC", "post": "Ủy viên Ủy ban Luật pháp quốc tế nhiệm kỳ thử",
                "election_on": "12/11/2031", "electorate": "un", "votes_needed": 97, "owner_agency": "B"})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let title = "Ủy viên Ủy ban Luật pháp quốc tế nhiệm kỳ thử";
    until_found(
        app,
        &root,
        "uy ban luat phap quoc te nhiem ky thu",
        title,
        true,
    )
    .await;
    let (_, none) =
        crate::search::search(app, &officer, "uy ban luat phap quoc te nhiem ky thu", "").await;
    assert!(
        !none["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"] == title),
        "{none}"
    );
    // The list's spreadsheet follows the same rule.
    let csv = |user: &'static str| async move {
        let r = app
            .signed_in(user)
            .await
            .get("/multilateral/candidacies.csv?mechanism=ILC")
            .await;
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    };
    assert!(!csv("officer").await.contains(title));
    assert!(csv("root").await.contains(title));
    let r = app
        .signed_in("officer")
        .await
        .get("/multilateral/roles.xlsx?kind=host")
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.bytes().await.unwrap().starts_with(b"PK"),
        "an XLSX workbook"
    );
}

async fn a_hosted_event_has_its_committee_and_a_programme_only_those_cleared_see(app: &TestApp) {
    let coordinator = app.token("coordinator").await;
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let plan = |token: String, body: Value| async move {
        let (s, p) = app
            .api(&token, Method::POST, "/api/v1/plans", Some(body))
            .await;
        assert_eq!(s, 201, "{p}");
        p["id"].as_str().unwrap().to_string()
    };
    let open = plan(
        coordinator.clone(),
        json!({"kind": "plan", "title": "Kế hoạch tổ chức Năm APEC 2027", "owner_agency": "A",
            "period_from": "2026-01-01", "period_to": "2027-12-31"}),
    )
    .await;
    let secret = plan(
        root.clone(),
        json!({"kind": "plan", "title": "Phương án an ninh APEC 2027", "owner_agency": "A",
            "period_from": "2026-01-01", "period_to": "2027-12-31",
            "classification": "toi_mat", "secret_item": "TOI_MAT"}),
    )
    .await;
    let (_, apec) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/multilateral/roles?kind=host&mechanism=APEC",
            None,
        )
        .await;
    let apec_id = apec["items"][0]["mechanism_id"]
        .as_str()
        .unwrap()
        .to_string();
    let role = |token: String, body: Value| {
        let apec_id = apec_id.clone();
        async move {
            app.api(
                &token,
                Method::POST,
                &format!("/api/v1/multilateral/mechanisms/{apec_id}/roles"),
                Some(body),
            )
            .await
        }
    };
    let host = |plan: &str, title: &str| {
        json!({"kind": "host", "title_vi": title, "starts": "2027", "ends": "2027",
            "source": "https://www.apec.org/", "agency": "A1", "plan": plan})
    };
    // A programme the recorder cannot see is not theirs to name.
    let (s, e) = role(
        coordinator.clone(),
        host(&secret, "Nước chủ nhà APEC 2027 (an ninh)"),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["plan"].is_string(), "{e}");
    // Neither a committee on a role that is not hosting.
    let mut chair = host(&open, "Chủ tịch Nhóm công tác");
    chair["kind"] = json!("chair");
    let (s, e) = role(coordinator.clone(), chair).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["agency"].is_string(), "{e}");
    let (s, d) = role(
        coordinator.clone(),
        host(&open, "Nước chủ nhà APEC 2027 (tổ chức)"),
    )
    .await;
    assert_eq!(s, 201, "{d}");
    let (s, d) = role(
        root.clone(),
        host(&secret, "Nước chủ nhà APEC 2027 (an ninh)"),
    )
    .await;
    assert_eq!(s, 201, "{d}");
    let hosting = |token: String| {
        let apec_id = apec_id.clone();
        async move {
            let (_, d) = app
                .api(
                    &token,
                    Method::GET,
                    &format!("/api/v1/multilateral/mechanisms/{apec_id}"),
                    None,
                )
                .await;
            let mut plans: Vec<String> = d["hosting"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|h| h["plan_id"].as_str().map(str::to_string))
                .collect();
            plans.sort();
            let committees = d["hosting"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|h| h["agency_name"] == "Cục Lãnh sự")
                .count();
            (plans, committees)
        }
    };
    let (plans, committees) = hosting(officer.clone()).await;
    assert_eq!(
        plans,
        vec![open.clone()],
        "the toi_mat programme's id is not shown to a mat reader"
    );
    assert_eq!(committees, 2);
    let (plans, _) = hosting(root.clone()).await;
    let mut both = vec![open, secret];
    both.sort();
    assert_eq!(plans, both);
}
