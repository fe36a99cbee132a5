//! Citizen protection: a case taken in, triaged and worked; its personal data
//! shown only to its team and each opening recorded; masked for everyone else
//! who may see the case (page, API, list, history); absent above clearance
//! and outside scope; sealed in the database; bad input a 422 that names the
//! field and writes nothing.

use crate::both;
use crate::helpers::{Db, TestApp};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

both!(
    a_case_is_taken_in_and_worked_with_its_personal_data_kept_to_its_team,
    the_case_pages_mask_for_readers_outside_the_team,
    a_new_key_seals_everything_again_and_the_old_one_is_refused,
    closed_cases_lose_their_personal_data_after_retention_unless_held,
    the_fund_is_approved_within_its_limit_and_totalled_by_mission,
    a_scope_reads_its_cases_page_by_page_as_the_rule_says,
);

const PASSPORT: &str = "C7654321";
const CITIZEN: &str = "Nguyễn Văn Hải";

async fn intake(app: &TestApp, token: &str) -> Value {
    let (s, c) = app
        .api(
            token,
            Method::POST,
            "/api/v1/protection/cases",
            Some(
                json!({"source": "hotline", "severity": "critical", "category": "fishermen",
                "summary": "Tàu cá QNg-90123 cùng 12 ngư dân bị bắt giữ gần đảo Natuna.",
                "country": "Indonesia", "place": "Natuna", "agency": "A",
                "caller_name": "Trần Thị Bích", "caller_contact": "0912 345 678",
                "citizen_name": CITIZEN}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    c
}

/// Every text of the database's tables that could hold a person: nothing
/// personal may be found in clear.
async fn stored_text(app: &TestApp) -> String {
    let db = app.store.connection();
    let mut out = String::new();
    for sql in [
        "SELECT sealed AS t FROM protection_people",
        "SELECT COALESCE(after_json, '') AS t FROM audit_log",
        "SELECT COALESCE(before_json, '') AS t FROM audit_log",
        "SELECT summary AS t FROM protection_cases",
        "SELECT note AS t FROM protection_actions",
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap();
        for r in rows {
            out.push_str(&r.try_get::<String>("", "t").unwrap());
            out.push('\n');
        }
    }
    out
}

async fn a_case_is_taken_in_and_worked_with_its_personal_data_kept_to_its_team(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    let coordinator = app.token("coordinator").await;
    let leader = app.token("leader").await;
    let root = app.token("root").await;

    // Bad input names its fields and writes nothing.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/protection/cases",
            Some(json!({"source": "radio", "severity": "", "summary": " ", "country": "Atlantis"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    for f in ["source", "severity", "summary", "country"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (_, l) = app
        .api(&root, Method::GET, "/api/v1/protection/cases", None)
        .await;
    assert_eq!(l["total"], 0);
    // A viewer takes nothing in.
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            "/api/v1/protection/cases",
            Some(json!({"source": "hotline", "severity": "high", "summary": "x", "country": "JP"})),
        )
        .await;
    assert_eq!(s, 403);

    // The hotline officer takes the case in: critical, two hours on the clock.
    let c = intake(app, &officer).await;
    let id = c["id"].as_str().unwrap().to_string();
    assert!(c["number"].as_str().unwrap().starts_with("BH-"), "{c}");
    assert_eq!(c["status"], "new");
    assert_eq!(c["country"], "ID");
    assert_eq!(c["clock"], "left");
    assert!(
        (115..=120).contains(&c["clock_minutes"].as_i64().unwrap()),
        "{c}"
    );
    let initials: Vec<&str> = c["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["initials"].as_str().unwrap())
        .collect();
    assert_eq!(initials, ["T. T. B.", "N. V. H."]);
    assert!(
        !c.to_string().contains(CITIZEN),
        "masked even for the team: {c}"
    );
    assert_eq!(c["on_team"], true, "the intake officer is on the team");

    // A viewer of the agency sees the case, masked, and may not open it.
    let (s, v) = app
        .api(
            &viewer,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["on_team"], false);
    assert!(!v.to_string().contains("Bích"), "{v}");
    let path = format!("/api/v1/protection/cases/{id}/personal");
    let (s, _) = app.api(&viewer, Method::POST, &path, None).await;
    assert_eq!(s, 403);
    // So does the coordinator (in scope, not on the team).
    let (s, _) = app.api(&coordinator, Method::POST, &path, None).await;
    assert_eq!(s, 403);
    let (_, l) = app
        .api(&viewer, Method::GET, "/api/v1/protection/cases", None)
        .await;
    assert_eq!(l["total"], 1);
    assert!(!l.to_string().contains("Bích") && !l.to_string().contains(CITIZEN));

    // The team opens it; every opening is recorded, on the case and in the audit.
    let (s, o) = app.api(&officer, Method::POST, &path, None).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(o["people"][1]["full_name"], CITIZEN);
    assert_eq!(o["people"][0]["contact"], "0912 345 678");
    let (s, o) = app.api(&leader, Method::POST, &path, None).await;
    assert_eq!(s, 200, "the mission's leader is on the team: {o}");
    let openings: Vec<&str> = o["openings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["user"].as_str().unwrap())
        .collect();
    assert_eq!(openings, ["leader", "officer"]);
    let (s, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}/history"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "open_personal").count(),
        2,
        "{actions:?}"
    );

    // A person with a passport: sealed, never in clear in the database.
    let (s, p) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/people"),
            Some(
                json!({"role": "citizen", "full_name": "Lê Văn Tâm", "birth_date": "02/09/1988",
                "passport": "c 765-4321", "health": "Bị thương nhẹ ở tay"}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["people"][2]["initials"], "L. V. T.");
    assert_eq!(p["people"][2]["has_passport"], true);
    assert!(p["people"][2]["passport"].is_null());
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/people"),
            Some(json!({"role": "citizen", "full_name": "", "passport": "12"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (_, o) = app.api(&officer, Method::POST, &path, None).await;
    assert_eq!(o["people"][2]["passport"], PASSPORT);
    assert_eq!(
        o["people"].as_array().unwrap().len(),
        3,
        "the bad person wrote nothing"
    );
    let stored = stored_text(app).await;
    for secret in [
        PASSPORT,
        CITIZEN,
        "Trần Thị Bích",
        "0912 345 678",
        "Bị thương",
    ] {
        assert!(
            !stored.contains(secret),
            "{secret} in clear in the database"
        );
    }
    if app.db == Db::Sqlite {
        let file = app
            .database_url
            .trim_start_matches("sqlite://")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        for f in [file.clone(), format!("{file}-wal")] {
            if let Ok(bytes) = std::fs::read(&f) {
                let hit = bytes
                    .windows(PASSPORT.len())
                    .any(|w| w == PASSPORT.as_bytes());
                assert!(!hit, "{PASSPORT} in {f}");
            }
        }
    }

    // The workflow: triage, a consular visit that is the first contact, the
    // moves it may not make.
    let mv = |m: &str, version: i64, reason: Option<&str>| json!({"move": m, "version": version, "reason": reason});
    let version = o["version"].as_i64().unwrap();
    let (s, t) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/move"),
            Some(mv("triage", version, None)),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["status"], "triaged");
    let version = t["version"].as_i64().unwrap();
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/move"),
            Some(mv("close", version, None)),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/move"),
            Some(mv("start", version - 1, None)),
        )
        .await;
    assert_eq!(s, 409, "a stale version");
    let (s, a) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/actions"),
            Some(
                json!({"kind": "call", "note": "Gọi cho thuyền trưởng qua Cảnh sát biển Indonesia.",
                "first_contact": true}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["clock"], "met");
    assert!(a["first_contact_at"].is_string());
    let kinds: Vec<&str> = a["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["move"].as_str().unwrap_or(x["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, ["call", "triage"]);
    // The viewer may not act.
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            &format!("/api/v1/protection/cases/{id}/actions"),
            Some(json!({"kind": "call", "note": "x"})),
        )
        .await;
    assert_eq!(s, 403);

    // Above clearance and outside scope, the case does not exist.
    let b_viewer = crate::plans::viewer(app, "xem-ban", "B", "toi_mat").await;
    let (s, _) = app
        .api(
            &b_viewer,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (_, l) = app
        .api(&b_viewer, Method::GET, "/api/v1/protection/cases", None)
        .await;
    assert_eq!(l["total"], 0);
    let (_, cur) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}"),
            None,
        )
        .await;
    // The mission's leader (on the team) assigns the officer and classifies it.
    let (s, m) = app
        .api(
            &leader,
            Method::PUT,
            &format!("/api/v1/protection/cases/{id}"),
            Some(json!({"category": "fishermen", "severity": "critical", "summary": cur["summary"],
                "country": "ID", "agency": "A", "officer": "officer", "classification": "mat",
                "secret_item": "MAT", "next_action": "Thăm lãnh sự", "next_action_due": "20/12/2026",
                "version": cur["version"]})),
        )
        .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["officer"], "officer");
    let unclassified = crate::plans::viewer(app, "xem-a", "A", "none").await;
    let (s, _) = app
        .api(
            &unclassified,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (_, l) = app
        .api(&unclassified, Method::GET, "/api/v1/protection/cases", None)
        .await;
    assert_eq!(l["total"], 0);
    let (_, l) = app
        .api(
            &viewer,
            Method::GET,
            "/api/v1/protection/cases?status=triaged&severity=critical&country=ID",
            None,
        )
        .await;
    assert_eq!(l["total"], 1, "{l}");

    // Joining the team opens the personal data: only the team names its
    // colleagues and its officer.
    let team = format!("/api/v1/protection/cases/{id}/team");
    let (s, _) = app
        .api(
            &coordinator,
            Method::POST,
            &team,
            Some(json!({"username": "coordinator"})),
        )
        .await;
    assert_eq!(s, 403);
    let (_, cur) = app
        .api(
            &coordinator,
            Method::GET,
            &format!("/api/v1/protection/cases/{id}"),
            None,
        )
        .await;
    let (s, _) = app
        .api(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/protection/cases/{id}"),
            Some(
                json!({"category": "fishermen", "severity": "critical", "summary": cur["summary"],
                "country": "ID", "agency": "A", "officer": "coordinator", "classification": "mat",
                "secret_item": "MAT", "version": cur["version"]}),
            ),
        )
        .await;
    assert_eq!(s, 403);
    // Nor move the case to another mission, whose leaders would join.
    let (s, m) = app
        .api(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/protection/cases/{id}"),
            Some(
                json!({"category": "fishermen", "severity": "critical", "summary": cur["summary"],
                "country": "ID", "agency": "A1", "officer": "officer", "classification": "mat",
                "secret_item": "MAT", "version": cur["version"]}),
            ),
        )
        .await;
    assert_eq!(s, 403, "{m}");
    let (s, t) = app
        .api(
            &officer,
            Method::POST,
            &team,
            Some(json!({"username": "coordinator"})),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let (s, _) = app.api(&coordinator, Method::POST, &path, None).await;
    assert_eq!(s, 200, "a colleague named on the team opens it");
}

async fn the_case_pages_mask_for_readers_outside_the_team(app: &TestApp) {
    let officer = app.signed_in("officer").await;
    let r = officer.get("/protection/new").await;
    assert_eq!(r.status(), 200);
    // The intake form keeps what was typed and names the field.
    let r = officer
        .post_form(
            "/protection",
            &[
                ("source", "hotline"),
                ("severity", "high"),
                ("summary", ""),
                ("country", "JP"),
                ("citizen_name", CITIZEN),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(CITIZEN),
        "what was typed stays with its typist"
    );
    let r = officer
        .post_form(
            "/protection",
            &[
                ("source", "family"),
                ("severity", "high"),
                ("category", "illness"),
                (
                    "summary",
                    "Du học sinh nhập viện tại Osaka, gia đình không liên lạc được.",
                ),
                ("country", "Nhật Bản"),
                ("place", "Osaka"),
                ("agency", "A"),
                ("caller_name", "Phạm Thị Hoa"),
                ("citizen_name", CITIZEN),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let at = r.headers()["location"].to_str().unwrap().to_string();
    let path = at.split('?').next().unwrap().to_string();
    let page = officer.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("N. V. H.") && !page.contains(CITIZEN),
        "masked by default"
    );
    assert!(
        page.contains(&format!("action=\"{path}/personal\"")),
        "the team may open"
    );
    let r = officer.post_form(&format!("{path}/personal"), &[]).await;
    assert_eq!(r.status(), 200);
    let opened = r.text().await.unwrap();
    assert!(opened.contains(CITIZEN) && opened.contains("Phạm Thị Hoa"));
    // A consular visit through the form.
    let r = officer
        .post_form(
            &format!("{path}/actions"),
            &[
                ("kind", "visit"),
                ("note", "Thăm tại bệnh viện"),
                ("first_contact", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The coordinator of the same agency: the case, masked, no way to open.
    let coord = app.signed_in("coordinator").await;
    let page = coord.get(&path).await.text().await.unwrap();
    assert!(page.contains("N. V. H.") && !page.contains(CITIZEN));
    assert!(!page.contains(&format!("action=\"{path}/personal\"")));
    assert!(page.contains("Thăm tại bệnh viện"));
    let r = coord.post_form(&format!("{path}/personal"), &[]).await;
    assert_eq!(r.status(), 403);
    let r = coord.get(&format!("{path}/history")).await;
    assert_eq!(r.status(), 200);
    let h = r.text().await.unwrap();
    assert!(!h.contains(CITIZEN) && !h.contains("Phạm Thị Hoa"));
    let list = coord
        .get("/protection?status=open")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("data-total=\"1\""), "{list}");
    assert!(!list.contains(CITIZEN));
    let r = coord.get("/protection.csv?status=open").await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("Osaka") && csv.contains("BH-"), "{csv}");
    assert!(!csv.contains(CITIZEN) && !csv.contains("Phạm Thị Hoa"));
    let r = coord.get("/protection.xlsx").await;
    assert_eq!(r.status(), 200);

    // Japan's dossier counts the open case, and its figure opens the list
    // that holds it.
    let japan: String = {
        use kieng_store::entity::partner;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        partner::Entity::find()
            .filter(partner::Column::Kind.eq("country"))
            .filter(partner::Column::CountryCode.eq("JP"))
            .one(app.store.connection())
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string()
    };
    let dossier = coord
        .get(&format!("/partners/{japan}"))
        .await
        .text()
        .await
        .unwrap()
        .replace("&#38;", "&amp;");
    let link = "/protection?status=open&amp;country=JP&amp;category=illness";
    assert!(
        dossier.contains(&format!("href=\"{link}\" data-n=\"1\"")),
        "{dossier}"
    );
    let list = coord
        .get(&link.replace("&amp;", "&"))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("data-total=\"1\""));

    // Search finds a case by its number for those who see it; never by a
    // person's name, which the index does not hold.
    let number = page_number(&opened);
    let coordinator = app.token("coordinator").await;
    crate::search::until_found(app, &coordinator, &number, &number, true).await;
    crate::search::until_found(app, &coordinator, "Osaka Nhật Bản", &number, true).await;
    let (_, v) = crate::search::search(app, &coordinator, CITIZEN, "").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0, "{v}");
    let (_, v) = crate::search::search(app, &coordinator, "Phạm Thị Hoa", "").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0, "{v}");
    let b = crate::plans::viewer(app, "xem-ban-tim", "B", "toi_mat").await;
    let (_, v) = crate::search::search(app, &b, &number, "").await;
    assert!(!v.to_string().contains(&number), "{v}");
}

/// The case number in a case page's heading.
fn page_number(html: &str) -> String {
    let at = html.find("BH-").unwrap();
    html[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

async fn a_new_key_seals_everything_again_and_the_old_one_is_refused(app: &TestApp) {
    use kieng_store::protection::{ProtectionConfig, Sealer};
    let officer = app.token("officer").await;
    let c = intake(app, &officer).await;
    let id: uuid::Uuid = c["id"].as_str().unwrap().parse().unwrap();
    let new = Sealer::from_base64(&Sealer::generate()).unwrap();
    assert_eq!(app.store.reseal(&new).await.unwrap(), 2);
    let db = app.store.connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT sealed FROM protection_people",
        ))
        .await
        .unwrap();
    for r in rows {
        let s: String = r.try_get("", "sealed").unwrap();
        assert_eq!(Sealer::key_of(&s), Some(new.id()));
    }
    // A server still given the old key refuses to start on this database.
    let e = app.store.sealing_key_check().await.unwrap_err().to_string();
    assert!(e.contains(new.id()), "{e}");
    // One given the new key reads the people.
    let store = kieng_store::Store::connect(
        &app.database_url,
        kieng_store::StoreConfig {
            protection: ProtectionConfig {
                sealer: Some(new),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    store.sealing_key_check().await.unwrap();
    let ctx = store.acting_as("officer").await.unwrap();
    let v = store.case_open_personal(&ctx, id).await.unwrap();
    assert_eq!(v.people[1].data.as_ref().unwrap().full_name, CITIZEN);
    store.close().await;
}

async fn closed_cases_lose_their_personal_data_after_retention_unless_held(app: &TestApp) {
    use kieng_store::entity::protection_case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let officer = app.token("officer").await;
    let mut ids = Vec::new();
    for hold in [false, true] {
        let c = intake(app, &officer).await;
        let id = c["id"].as_str().unwrap().to_string();
        let mut version = c["version"].as_i64().unwrap();
        if hold {
            let (s, m) = app
                .api(
                    &officer,
                    Method::PUT,
                    &format!("/api/v1/protection/cases/{id}"),
                    Some(json!({"category": "fishermen", "severity": "critical", "summary": c["summary"],
                        "country": "ID", "agency": "A", "legal_hold": true, "version": version})),
                )
                .await;
            assert_eq!(s, 200, "{m}");
            assert_eq!(m["legal_hold"], true);
            version = m["version"].as_i64().unwrap();
        }
        for m in ["start", "resolve", "close"] {
            let (s, v) = app
                .api(
                    &officer,
                    Method::POST,
                    &format!("/api/v1/protection/cases/{id}/move"),
                    Some(json!({"move": m, "version": version})),
                )
                .await;
            assert_eq!(s, 200, "{v}");
            version = v["version"].as_i64().unwrap();
        }
        ids.push(id);
    }
    // Nothing is due while the cases closed today.
    assert_eq!(app.store.protection_purge().await.unwrap(), 0);
    let long_ago = chrono::Utc::now() - chrono::Duration::days(6 * 366);
    protection_case::Entity::update_many()
        .col_expr(protection_case::Column::ClosedAt, Expr::val(long_ago))
        .filter(protection_case::Column::IsOpen.eq(false))
        .exec(app.store.connection())
        .await
        .unwrap();
    assert_eq!(app.store.protection_purge().await.unwrap(), 1);
    assert_eq!(app.store.protection_purge().await.unwrap(), 0, "once");
    let get = |id: &str| {
        let path = format!("/api/v1/protection/cases/{id}/personal");
        let officer = officer.clone();
        async move { app.api(&officer, Method::POST, &path, None).await.1 }
    };
    let purged = get(&ids[0]).await;
    assert_eq!(purged["people"].as_array().unwrap().len(), 0, "{purged}");
    assert!(purged["personal_purged_at"].is_string());
    assert_eq!(purged["status"], "closed", "the case stays");
    let held = get(&ids[1]).await;
    assert_eq!(held["people"][1]["full_name"], CITIZEN);
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/cases/{}/history", ids[0]),
            None,
        )
        .await;
    assert!(h.to_string().contains("purge_personal"), "{h}");
    let (_, l) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/protection/cases?status=closed",
            None,
        )
        .await;
    assert_eq!(l["total"], 2, "the counts stay");
}

async fn the_fund_is_approved_within_its_limit_and_totalled_by_mission(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    // A leader of the consular department (A1), who approves above the limit.
    let form = kieng_domain::user::UserForm {
        username: "lanhsu".into(),
        agency_id: app.agencies["A1"].id.to_string(),
        role: "leader".into(),
        scope: "agency".into(),
        clearance: "mat".into(),
        ..Default::default()
    };
    let input =
        kieng_domain::user::UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    app.store
        .user_add_cli(&input, crate::helpers::PASSWORD)
        .await
        .unwrap();
    let c = intake(app, &officer).await;
    let path = format!(
        "/api/v1/protection/cases/{}/fund",
        c["id"].as_str().unwrap()
    );
    let add = |body: Value| {
        let (officer, path) = (officer.clone(), path.clone());
        async move { app.api(&officer, Method::POST, &path, Some(body)).await }
    };
    let (s, v) = add(
        json!({"kind": "advance", "amount": "120.000", "currency": "JPY",
        "amount_vnd": "20.400.000", "purpose": "Tạm ứng viện phí", "refundable": true,
        "approved_by": "leader"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["fund"][0]["approval"], "mission");
    assert_eq!(v["fund"][0]["rule"], "Quy chế quỹ (thử nghiệm)");
    // Above the mission's limit the mission's leader may not approve.
    let big = json!({"kind": "payment", "amount": "60.000.000", "currency": "VND",
        "purpose": "Chi phí đưa thi hài về nước", "approved_by": "leader"});
    let (s, e) = add(big.clone()).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["approved_by"].is_string(), "{e}");
    let mut big = big;
    big["approved_by"] = json!("lanhsu");
    let (s, v) = add(big).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["fund"][1]["approval"], "consular");
    let (s, v) = add(
        json!({"kind": "repayment", "amount": "5.000.000", "currency": "VND",
        "purpose": "Gia đình hoàn trả một phần"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v["ledger"],
        json!({"advanced": "20400000", "paid": "60000000", "repaid": "5000000", "outstanding": "15400000"})
    );
    let (s, e) =
        add(json!({"kind": "advance", "amount": "0", "currency": "yen", "purpose": ""})).await;
    assert_eq!(s, 422, "{e}");
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            &path,
            Some(json!({"kind": "repayment", "amount": "1", "currency": "VND", "purpose": "x"})),
        )
        .await;
    assert_eq!(s, 403);
    let (_, t) = app
        .api(&viewer, Method::GET, "/api/v1/protection/fund", None)
        .await;
    assert_eq!(t.as_array().unwrap().len(), 1, "{t}");
    assert_eq!(t[0]["cases"], 1);
    assert_eq!(t[0]["outstanding"], "15400000");
    let b = crate::plans::viewer(app, "xem-quy", "B", "toi_mat").await;
    let (_, t) = app
        .api(&b, Method::GET, "/api/v1/protection/fund", None)
        .await;
    assert_eq!(t, json!([]));
    let s = app.signed_in("viewer").await;
    let page = s.get("/protection/fund").await.text().await.unwrap();
    assert!(page.contains("15.400.000"), "{page}");
}

/// A small scope's case list is read agency by agency (`case_page_in_scope`):
/// page by page it answers exactly what the rule as one set answers, cases
/// in charge and cases taken in alike, for scopes of one agency, a pillar
/// and everything, with a filter and without.
async fn a_scope_reads_its_cases_page_by_page_as_the_rule_says(app: &TestApp) {
    use kieng_domain::user::{UserForm, UserInput};
    use kieng_store::entity::protection_case;
    use kieng_store::protection::CaseFilter;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut a1 = String::new();
    for (name, agency, role, scope) in [
        ("a1officer", "A1", "officer", "agency"),
        ("breader", "B", "viewer", "agency"),
        ("statereader", "A", "viewer", "pillar"),
    ] {
        let form = UserForm {
            username: name.into(),
            agency_id: app.agencies[agency].id.to_string(),
            role: role.into(),
            scope: scope.into(),
            clearance: "mat".into(),
            ..Default::default()
        };
        let input = UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
        let u = app
            .store
            .user_add_cli(&input, crate::helpers::PASSWORD)
            .await
            .unwrap();
        if name == "a1officer" {
            let origin = kieng_store::audit::Origin::default();
            a1 = app
                .store
                .token_create(u.id, "test", &origin)
                .await
                .unwrap()
                .1;
        }
    }
    let officer = app.token("officer").await;
    // 70 cases: taken in by A or A1, in the charge of A, A1 or B; a few closed.
    for i in 0..70 {
        let (token, charge) = match i % 5 {
            0 => (&officer, "A"),
            1 => (&officer, "B"),
            2 => (&a1, "B"),
            3 => (&a1, "A1"),
            _ => (&officer, "A1"),
        };
        let (s, c) = app
            .api(
                token,
                Method::POST,
                "/api/v1/protection/cases",
                Some(
                    json!({"source": "hotline", "severity": "normal", "category": "other",
                    "summary": format!("Trường hợp thứ {i}"), "country": "JP", "agency": charge}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{c}");
    }
    for reader in ["viewer", "a1officer", "breader", "statereader", "root"] {
        let ctx = app.store.acting_as(reader).await.unwrap();
        for status in [None, Some("open".to_string())] {
            // The rule as one set, newest intake first.
            let mut q = protection_case::Entity::find()
                .select_only()
                .column(protection_case::Column::Id)
                .filter(protection_case::Column::DeletedAt.is_null());
            if let Some(ids) = ctx.actor.read.ids() {
                q = q.filter(
                    Condition::any()
                        .add(protection_case::Column::AgencyId.is_in(ids.clone()))
                        .add(protection_case::Column::IntakeAgencyId.is_in(ids)),
                );
            }
            if status.is_some() {
                q = q.filter(protection_case::Column::IsOpen.eq(true));
            }
            let expected: Vec<uuid::Uuid> = q
                .order_by_desc(protection_case::Column::OpenedAt)
                .order_by_desc(protection_case::Column::Id)
                .into_tuple()
                .all(app.store.connection())
                .await
                .unwrap();
            let mut listed = Vec::new();
            for page in 1..=3 {
                let f = CaseFilter {
                    status: status.clone(),
                    page: Some(page),
                    ..Default::default()
                };
                let p = app.store.case_list(&ctx, &f).await.unwrap();
                assert_eq!(p.total, expected.len() as u64, "{reader} {status:?}");
                if p.page < page {
                    break;
                }
                listed.extend(p.items.iter().map(|r| r.case.id));
            }
            assert_eq!(listed, expected, "{reader} {status:?}");
        }
    }
    let ctx = app.store.acting_as("breader").await.unwrap();
    let p = app
        .store
        .case_list(&ctx, &CaseFilter::default())
        .await
        .unwrap();
    assert_eq!(
        p.total, 28,
        "B sees the cases in its charge, whoever took them in"
    );
    // The total is kept while no case is written: one more case moves it.
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/protection/cases",
            Some(
                json!({"source": "hotline", "severity": "normal", "category": "other",
                "summary": "Trường hợp thứ 70", "country": "JP", "agency": "B"}),
            ),
        )
        .await;
    assert_eq!(s, 201);
    let p = app
        .store
        .case_list(&ctx, &CaseFilter::default())
        .await
        .unwrap();
    assert_eq!(p.total, 29);
}
