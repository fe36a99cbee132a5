//! Crises: a community list imported with a bad row (nothing written), then
//! clean, its duplicates merged by passport or by name and birth date, the
//! counts equal to the registry; the counts through a second server within a
//! second; the registry masked outside the team, opened only by it and every
//! opening recorded; a case opened from an entry in one step; the database
//! holding no passport in clear; retention removing the personal data and
//! keeping the counts.

use crate::both;
use crate::helpers::{Session, TestApp};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

both!(
    a_community_list_is_imported_with_its_duplicates_merged_and_counted,
    the_registry_is_masked_outside_the_team_and_its_counts_reach_every_server,
    status_changes_at_once_keep_the_counts_and_never_fail,
);

async fn open_crisis(app: &TestApp, token: &str) -> String {
    let (s, c) = app
        .api(
            token,
            Method::POST,
            "/api/v1/protection/crises",
            Some(
                json!({"name": "Động đất Thổ Nhĩ Kỳ", "kind": "earthquake", "country": "TR",
                "area": "Hatay, Adana, Gaziantep", "agency": "A", "started_on": "06/02/2023"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["phase"], "precaution");
    assert_eq!(c["on_team"], true, "whoever opens a crisis coordinates it");
    c["id"].as_str().unwrap().to_string()
}

/// Upload a list on the import page: the preview's HTML.
async fn preview(session: &Session, id: &str, name: &str, csv: &str) -> (u16, String) {
    let (ct, body) = crate::files::multipart(name, csv.as_bytes());
    let r = session
        .client
        .post(format!(
            "{}/protection/crises/{id}/import?_csrf={}",
            session.base, session.csrf
        ))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn figure(html: &str, attr: &str) -> u64 {
    html.split(&format!("{attr}=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no {attr} in the page"))
}

async fn counts(app: &TestApp, token: &str, id: &str) -> Value {
    let (s, c) = app
        .api(
            token,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/counts"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{c}");
    c
}

fn by_status(c: &Value, status: &str) -> u64 {
    c["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == status)
        .unwrap()["people"]
        .as_u64()
        .unwrap()
}

/// Every text the database holds for crises, their imports and the audit.
async fn stored_text(app: &TestApp) -> String {
    let db = app.store.connection();
    let mut out = String::new();
    for sql in [
        "SELECT sealed AS t FROM crisis_people",
        "SELECT COALESCE(passport_key, '') AS t FROM crisis_people",
        "SELECT sheet AS t FROM import_batches",
        "SELECT COALESCE(after_json, '') AS t FROM audit_log",
        "SELECT COALESCE(before_json, '') AS t FROM audit_log",
        "SELECT what AS t FROM crisis_openings",
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

const HEAD: &str = "Họ tên,Ngày sinh,Số HC,SĐT,Địa điểm,Trạng thái,Chuyến\n";
const ROWS: &str = "Lê Văn Cường,01/02/1985,c 765-4321,+90 555 000 1122,Hatay,an toàn,TK-1\n\
Trần Thị Bình,03/04/1990,B1111111,,Adana,,\n\
Tran Thi Binh,03/04/1990,b111-1111,,,injured,\n\
Phạm Minh Đức,05/06/1970,P1111111,,Adana,safe,\n\
Pham Minh Duc,05/06/1970,,,Gaziantep,unconfirmed,\n\
Phạm Minh Đức,05/06/1970,P2222222,,Gaziantep,unconfirmed,\n\
Ngô Thị Hoa,07/08/1995,,,Hatay,evacuated,TK-1\n";

async fn a_community_list_is_imported_with_its_duplicates_merged_and_counted(app: &TestApp) {
    let officer = app.token("officer").await;
    let session = app.signed_in("officer").await;
    let id = open_crisis(app, &officer).await;

    // By phone: one citizen, unreachable.
    let (s, a) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people"),
            Some(json!({"full_name": "Lê Văn Cường", "birth_date": "01/02/1985", "passport": "C7654321",
                "status": "unreachable", "place": "Hatay"})),
        )
        .await;
    assert_eq!((s, &a["merged"]), (201, &json!(false)), "{a}");
    // A bad entry names its field and writes nothing.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people"),
            Some(json!({"full_name": " ", "status": "lost", "passport": "12"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(counts(app, &officer, &id).await["total"], 1);

    // A list with one bad row: its problems named, nothing written.
    let bad = format!("{HEAD}{ROWS}Đỗ Văn Khánh,31/02/1980,,,Adana,lost,\n");
    let (s, html) = preview(&session, &id, "cong-dong.csv", &bad).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Ngày sinh") && html.contains("Trạng thái"),
        "the bad row's columns are named"
    );
    assert!(
        !html.contains(&format!("action=\"/protection/crises/{id}/import/")),
        "a list with a problem cannot be confirmed"
    );
    assert_eq!(counts(app, &officer, &id).await["total"], 1);

    // The clean list: the preview says what will happen; confirming does it.
    let good = format!("{HEAD}{ROWS}");
    let (s, html) = preview(&session, &id, "cong-dong.csv", &good).await;
    assert_eq!(s, 200);
    assert_eq!(
        (
            figure(&html, "data-new"),
            figure(&html, "data-merged"),
            figure(&html, "data-possible")
        ),
        (4, 3, 1),
        "rows 3, 5, 7, 8 new; 2 merged by passport, 4 by passport and 6 by name within the file; 7 a possible duplicate"
    );
    assert!(
        !html.contains("Phạm Minh Đức"),
        "the preview shows initials only"
    );
    assert!(
        !stored_text(app).await.contains("B1111111"),
        "the staged list is sealed"
    );
    let batch = html
        .split(&format!("action=\"/protection/crises/{id}/import/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(
        counts(app, &officer, &id).await["total"],
        1,
        "a preview writes nothing"
    );
    let r = session
        .post_form(&format!("/protection/crises/{id}/import/{batch}"), &[])
        .await;
    assert!(
        r.status().is_redirection() || r.status() == 200,
        "{}",
        r.status()
    );
    let r = session
        .post_form(&format!("/protection/crises/{id}/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 404, "a confirmation is applied once");

    let c = counts(app, &officer, &id).await;
    assert_eq!(c["total"], 5, "{c}");
    assert_eq!(
        by_status(&c, "safe"),
        2,
        "Cường, reached since; Đức, safe in Adana"
    );
    assert_eq!(
        by_status(&c, "injured"),
        1,
        "the status that says most is kept"
    );
    assert_eq!(by_status(&c, "evacuated"), 1);
    assert_eq!(by_status(&c, "unconfirmed"), 1);
    assert_eq!(by_status(&c, "unreachable"), 0);
    let places: u64 = c["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["total"].as_u64().unwrap())
        .sum();
    assert_eq!(places, 5);
    // The registry lists what the counts count.
    let (_, reg) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/people?status=safe"),
            None,
        )
        .await;
    assert_eq!(reg["total"], 2);
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}"),
            None,
        )
        .await;
    assert_eq!(d["duplicate_groups"], 1, "{d}");
    assert_eq!(d["transports"][0]["transport"], "TK-1");
    assert_eq!(d["transports"][0]["people"], 2);

    // The same list again adds no one.
    let (_, html) = preview(&session, &id, "cong-dong.csv", &good).await;
    assert_eq!(
        (figure(&html, "data-new"), figure(&html, "data-merged")),
        (0, 7)
    );

    // The team sees the possible duplicates in clear and merges them.
    let r = session
        .post_form(&format!("/protection/crises/{id}/duplicates"), &[])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("P1111111") && html.contains("P2222222"),
        "{html}"
    );
    let (s, reg) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/personal?place=Gaziantep"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{reg}");
    let other = reg["items"][0]["id"].as_str().unwrap().to_string();
    let (_, reg) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/personal?place=Adana&status=safe"),
            None,
        )
        .await;
    let keep = reg["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(reg["items"][0]["full_name"], "Phạm Minh Đức");
    let (s, c) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/merge"),
            Some(json!({"keep": keep, "other": other})),
        )
        .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["total"], 4);
    let (_, reg) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/personal?place=Adana&status=safe"),
            None,
        )
        .await;
    assert!(
        reg["items"][0]["note"]
            .as_str()
            .unwrap_or("")
            .contains("P2222222"),
        "a second passport is kept: {reg}"
    );
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}"),
            None,
        )
        .await;
    assert_eq!(d["duplicate_groups"], 0);

    // A manifest: the flight's people in clear, for the team, recorded.
    let r = session
        .post_form(
            &format!("/protection/crises/{id}/manifest"),
            &[("transport", "TK-1")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX workbook");

    let stored = stored_text(app).await;
    for clear in [
        "C7654321",
        "B1111111",
        "P2222222",
        "Phạm Minh",
        "Lê Văn Cường",
    ] {
        assert!(!stored.contains(clear), "{clear} in clear in the database");
    }
}

async fn the_registry_is_masked_outside_the_team_and_its_counts_reach_every_server(app: &TestApp) {
    let officer = app.token("officer").await;
    let coordinator = app.token("coordinator").await;
    let viewer = app.token("viewer").await;
    let id = open_crisis(app, &officer).await;
    let (s, a) = app
        .api(&officer, Method::POST, &format!("/api/v1/protection/crises/{id}/people"),
            Some(json!({"full_name": "Vũ Thị Lan", "birth_date": "09/09/1999", "passport": "N9876543",
                "contact": "+90 532 000 0000", "place": "Antakya"})))
        .await;
    assert_eq!(s, 201, "{a}");
    let entry = a["id"].as_str().unwrap().to_string();

    // In scope but outside the team: the crisis and its counts, masked people.
    let (s, d) = app
        .api(
            &coordinator,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}"),
            None,
        )
        .await;
    assert_eq!((s, &d["on_team"]), (200, &json!(false)), "{d}");
    assert_eq!(
        d["duplicate_groups"],
        Value::Null,
        "only the team looks for duplicates"
    );
    let (s, reg) = app
        .api(
            &coordinator,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/people"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(reg["items"][0]["initials"], "V. T. L.");
    let text = reg.to_string();
    assert!(
        !text.contains("Vũ Thị Lan") && !text.contains("N9876543"),
        "{text}"
    );
    // A passport finds nothing outside the team: the answer says nothing.
    let (_, found) = app
        .api(
            &coordinator,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/people?passport=N9876543"),
            None,
        )
        .await;
    assert_eq!(found["total"], 0);
    let (_, found) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/people?passport=n%20987-6543"),
            None,
        )
        .await;
    assert_eq!(found["total"], 1, "the team finds an entry by passport");
    for (m, path) in [
        (
            Method::POST,
            format!("/api/v1/protection/crises/{id}/personal"),
        ),
        (
            Method::POST,
            format!("/api/v1/protection/crises/{id}/merge"),
        ),
    ] {
        let (s, _) = app
            .api(
                &coordinator,
                m,
                &path,
                Some(json!({"keep": entry, "other": entry})),
            )
            .await;
        assert!(s == 403 || s == 422, "{path}: {s}");
    }
    let page = app.signed_in("coordinator").await;
    let html = page
        .get(&format!("/protection/crises/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("V. T. L.") && !html.contains("Vũ Thị Lan"));
    for path in ["duplicates", "manifest"] {
        let r = page
            .post_form(
                &format!("/protection/crises/{id}/{path}"),
                &[("transport", "")],
            )
            .await;
        assert_eq!(r.status(), 403, "{path}");
    }
    // A viewer reads, never writes.
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people"),
            Some(json!({"full_name": "Ai Đó"})),
        )
        .await;
    assert_eq!(s, 403);

    // The team opens the registry; the opening is recorded, with the audit.
    let (s, reg) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/personal"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(reg["items"][0]["passport"], "N9876543");
    let db = app.store.connection();
    let n = |sql: &'static str| async move {
        let r = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        r.try_get::<i64>("", "n").unwrap()
    };
    assert_eq!(n("SELECT COUNT(*) AS n FROM crisis_openings").await, 1);
    assert_eq!(
        n("SELECT COUNT(*) AS n FROM audit_log WHERE entity_type = 'crisis' AND action = 'open_personal'").await,
        1
    );

    // A status change through one server is counted by the other within a second.
    let (other, stop) = app.second_server().await;
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people/{entry}"),
            Some(json!({"status": "evacuated", "transport": "TK-2", "version": 1})),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        (e["version"].as_i64(), e["initials"].as_str()),
        (Some(2), Some("V. T. L."))
    );
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people/{entry}"),
            Some(json!({"status": "safe", "version": 1})),
        )
        .await;
    assert_eq!(s, 409, "a stale status change is refused");
    let start = Instant::now();
    loop {
        let r: Value = reqwest::Client::new()
            .get(format!("{other}/api/v1/protection/crises/{id}/counts"))
            .bearer_auth(&coordinator)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if by_status(&r, "evacuated") == 1 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "not counted within a second: {r}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());

    // A case from the entry, in one step; asked again, the same case.
    let (s, k) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people/{entry}/case"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{k}");
    let case = k["case_id"].as_str().unwrap().to_string();
    let (_, again) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/people/{entry}/case"),
            None,
        )
        .await;
    assert_eq!(again["case_id"], case.as_str());
    let (s, c) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/cases/{case}"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(c["country"], "TR");
    assert_eq!(c["people"][0]["initials"], "V. T. L.");
    assert_eq!(c["on_team"], true);
    // The team finds the case by the person's passport or full name.
    for q in ["N9876543", "vu thi lan"] {
        let (_, l) = app
            .api(
                &officer,
                Method::GET,
                &format!("/api/v1/protection/cases?q={}", q.replace(' ', "%20")),
                None,
            )
            .await;
        assert_eq!(l["total"], 1, "{q}: {l}");
        let (_, l) = app
            .api(
                &coordinator,
                Method::GET,
                &format!("/api/v1/protection/cases?q={}", q.replace(' ', "%20")),
                None,
            )
            .await;
        assert_eq!(l["total"], 0, "outside the team {q} finds nothing");
    }

    // The case gives rise to a commitment and a line for the country's briefing.
    let (s, k) = app
        .api(&officer, Method::PUT, &format!("/api/v1/protection/cases/{case}"),
            Some(json!({"category": c["category"], "severity": c["severity"], "summary": c["summary"],
                "country": "TR", "agency": "A", "version": c["version"],
                "talking_point": "Đề nghị phía bạn hỗ trợ đưa công dân bị thương về nước"})))
        .await;
    assert_eq!(s, 200, "{k}");
    let (s, m) = app
        .api(&officer, Method::POST, "/api/v1/commitments",
            Some(json!({"title": "Phối hợp đưa công dân bị thương về nước", "source": "case", "source_id": case,
                "owner_agency": "A", "due_on": "2027-01-15"})))
        .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(m["protection_case_id"], case.as_str(), "{m}");
    let tr: String = {
        use kieng_store::entity::partner;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        partner::Entity::find()
            .filter(partner::Column::Kind.eq("country"))
            .filter(partner::Column::CountryCode.eq("TR"))
            .one(app.store.connection())
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string()
    };
    assert_eq!(
        m["partner_id"],
        tr.as_str(),
        "the country, when no authority is named"
    );
    let html = app
        .signed_in("officer")
        .await
        .get(&format!("/partners/{tr}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Đề nghị phía bạn hỗ trợ đưa công dân bị thương về nước ("),
        "the briefing's talking points"
    );

    // The data-subject export: everything the reader's teams hold about her.
    let session = app.signed_in("officer").await;
    let r = session
        .post_form("/protection/subject", &[("passport", "N 987 6543")])
        .await;
    assert_eq!(r.status(), 200);
    let x: Value = r.json().await.unwrap();
    assert_eq!(x["cases"].as_array().unwrap().len(), 1, "{x}");
    assert_eq!(x["cases"][0]["person"]["full_name"], "Vũ Thị Lan");
    assert_eq!(x["crises"].as_array().unwrap().len(), 1, "{x}");
    assert_eq!(x["crises"][0]["status"], "evacuated");
    let r = session
        .post_form("/protection/subject", &[("full_name", "Vũ Thị Lan")])
        .await;
    assert_eq!(r.status(), 422, "a name alone is not one person");
    let r = session
        .post_form(
            "/protection/subject",
            &[("full_name", "vu thi lan"), ("birth_date", "09/09/1999")],
        )
        .await;
    let x: Value = r.json().await.unwrap();
    assert_eq!(
        (
            x["cases"].as_array().unwrap().len(),
            x["crises"].as_array().unwrap().len()
        ),
        (1, 1)
    );
    let outside = app.signed_in("coordinator").await;
    let x: Value = outside
        .post_form("/protection/subject", &[("passport", "N9876543")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            x["cases"].as_array().unwrap().len(),
            x["crises"].as_array().unwrap().len()
        ),
        (0, 0),
        "outside the teams nothing is exported"
    );

    // Closed long ago: retention removes the personal data, the counts stay.
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}"),
            None,
        )
        .await;
    let (s, _) = app
        .api(&officer, Method::PUT, &format!("/api/v1/protection/crises/{id}"),
            Some(json!({"name": "Động đất Thổ Nhĩ Kỳ", "kind": "earthquake", "country": "TR", "phase": "closed",
                "area": "Hatay", "agency": "A", "started_on": "06/02/2023", "version": d["version"]})))
        .await;
    assert_eq!(s, 200);
    {
        use kieng_store::entity::crisis;
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        crisis::Entity::update_many()
            .col_expr(
                crisis::Column::ClosedAt,
                Expr::val(Some(chrono::Utc::now() - chrono::Duration::days(6 * 366))),
            )
            .filter(crisis::Column::IsOpen.eq(false))
            .exec(app.store.connection())
            .await
            .unwrap();
    }
    assert!(app.store.protection_purge().await.unwrap() >= 1);
    let (_, reg) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/protection/crises/{id}/personal"),
            None,
        )
        .await;
    assert_eq!(reg["items"][0]["full_name"], "", "{reg}");
    assert_eq!(reg["items"][0]["status"], "evacuated");
    assert_eq!(counts(app, &officer, &id).await["total"], 1);
}

/// Sixteen status changes at once, entries moving both ways between two
/// statuses (so two writers would lock the same tallies in opposite orders
/// without the crisis's lock): every one saved, the counts equal to the
/// entries (`kieng check` after the test compares the tallies too).
async fn status_changes_at_once_keep_the_counts_and_never_fail(app: &TestApp) {
    let officer = app.token("officer").await;
    let id = open_crisis(app, &officer).await;
    let mut entries = Vec::new();
    for i in 0..16 {
        let status = if i % 2 == 0 { "safe" } else { "injured" };
        let (s, a) = app
            .api(
                &officer,
                Method::POST,
                &format!("/api/v1/protection/crises/{id}/people"),
                Some(json!({"full_name": format!("Người thứ {i}"), "place": "Antakya", "status": status})),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        entries.push((a["id"].as_str().unwrap().to_string(), status));
    }
    let mut calls = Vec::new();
    for (entry, status) in &entries {
        let to = if *status == "safe" { "injured" } else { "safe" };
        let url = app.url(&format!("/api/v1/protection/crises/{id}/people/{entry}"));
        let token = officer.clone();
        calls.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"status": to, "version": 1}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for c in calls {
        assert_eq!(c.await.unwrap(), 200);
    }
    let (_, counts) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/protection/crises/{id}/counts"),
            None,
        )
        .await;
    assert_eq!(counts["total"], 16, "{counts}");
    let n = |s: &str| {
        counts["by_status"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["status"] == s)
            .unwrap()["people"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((n("safe"), n("injured")), (8, 8));
}
