//! The calendar: views and API within scope, and iCalendar feeds read back by an
//! independent parser (Python's `icalendar`, installed by `.ci/run`).

use crate::activities::{create, day, step, visit};
use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

/// Parse an iCalendar text with Python's icalendar; each event as JSON with UTC instants.
fn parse_ics(text: &str) -> Vec<Value> {
    use std::io::Write;
    const SCRIPT: &str = r#"
import sys, json, icalendar, datetime
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk('VEVENT'):
    utc = lambda d: d.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    out.append({'uid': str(e['UID']), 'summary': str(e['SUMMARY']), 'start': utc(e.decoded('DTSTART')),
                'end': utc(e.decoded('DTEND')), 'sequence': int(e.get('SEQUENCE', 0)), 'status': str(e.get('STATUS', ''))})
print(json.dumps(out))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (with the icalendar package, see .ci/run)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the feed does not parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn the_calendar_shows_what_the_user_may_see(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let body = json!({"title": "Tuần Văn hóa Việt Nam tại Paris", "type_code": "cultural", "lead_agency": "A",
        "starts_at": "2026-07-01T09:00", "ends_at": "2026-07-03T18:00", "time_zone": "Europe/Paris"});
    create(app, &officer, body).await;
    create(
        app,
        &root,
        json!({"title": "Hoạt động của cơ quan khác", "type_code": "talks", "lead_agency": "B",
        "starts_at": "2026-07-02T09:00", "ends_at": "2026-07-02T10:00"}),
    )
    .await;
    let (s, rows) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/calendar?from=2026-07-01&to=2026-07-31",
            None,
        )
        .await;
    assert_eq!(s, 200, "{rows}");
    let titles: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["activity"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Tuần Văn hóa Việt Nam tại Paris"],
        "out-of-scope activities stay out"
    );
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/calendar?from=2026-07-01&to=2028-07-31",
            None,
        )
        .await;
    assert_eq!(s, 422, "a span over 400 days is refused with a message");
    let s = app.signed_in("officer").await;
    for view in ["month", "week", "list"] {
        let r = s
            .get(&format!("/calendar?view={view}&date=2026-07-02"))
            .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("Tuần Văn hóa Việt Nam tại Paris"), "{view}");
        assert!(!html.contains("Hoạt động của cơ quan khác"), "{view}");
    }
    // The agency filter: an agency's activities as lead or participant.
    create(
        app,
        &root,
        json!({"title": "Hội đàm có Cục Lãnh sự tham gia", "type_code": "talks", "lead_agency": "B",
        "agencies": ["A1"], "starts_at": "2026-07-03T09:00", "ends_at": "2026-07-03T10:00"}),
    )
    .await;
    let root_s = app.signed_in("root").await;
    let html = root_s
        .get("/calendar?view=list&date=2026-07-02&agency=a1")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Hội đàm có Cục Lãnh sự tham gia"));
    assert!(!html.contains("Tuần Văn hóa Việt Nam tại Paris"));
    assert!(!html.contains("Hoạt động của cơ quan khác"));
    let html = root_s
        .get("/calendar?view=list&date=2026-07-02&agency=B")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Hội đàm có Cục Lãnh sự tham gia")
            && html.contains("Hoạt động của cơ quan khác")
    );
    assert!(!html.contains("Tuần Văn hóa Việt Nam tại Paris"));
    let r = root_s.get("/calendar?agency=KHONGCO").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("KHONGCO"));
}

async fn feeds_follow_rfc_5545_and_the_owners_clearance(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let paris = create(app, &officer, json!({"title": "Đối thoại chính sách tại Paris", "type_code": "talks",
        "lead_agency": "A", "starts_at": day(30, 9), "ends_at": day(30, 12), "time_zone": "Europe/Paris"}))
    .await;
    let cancelled = create(app, &officer, visit("Tiếp xúc bị hủy", "A", vec![], 10, 10)).await;
    step(
        app,
        &officer,
        &cancelled,
        "cancel",
        Some("Phía bạn lùi lịch"),
    )
    .await;
    let mut secret = visit("Hoạt động tối mật", "A", vec![], 12, 12);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    // The page shows the link once.
    let s = app.signed_in("officer").await;
    let r = s
        .post_form("/calendar/feeds", &[("label", "Lịch của tôi")])
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("/feeds/").expect("the new link is shown");
    let end = start + html[start..].find(".ics").unwrap() + 4;
    let path = html[start..end].to_string();
    let r = app.anon().get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = r.text().await.unwrap();
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
    let events = parse_ics(&text);
    let by_title = |t: &str| events.iter().find(|e| e["summary"] == t).cloned();
    let e = by_title("Đối thoại chính sách tại Paris").expect("the activity is in the feed");
    assert_eq!(
        e["start"],
        json!(paris["activity"]["starts_at"]),
        "the same instant once parsed"
    );
    assert_eq!(
        e["uid"],
        format!("{}@kieng", paris["activity"]["id"].as_str().unwrap())
    );
    let seq = e["sequence"].as_i64().unwrap();
    assert_eq!(by_title("Tiếp xúc bị hủy").unwrap()["status"], "CANCELLED");
    assert!(
        by_title("Hoạt động tối mật").is_none(),
        "never above the owner's clearance"
    );
    // The same calendar for a client holding a token, under the caller's own rights.
    let own = app
        .anon()
        .get(app.url("/api/v1/calendar.ics?type_code=talks"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let own = parse_ics(&own.text().await.unwrap());
    assert!(
        own.iter()
            .any(|e| e["summary"] == "Đối thoại chính sách tại Paris")
    );
    assert!(!own.iter().any(|e| e["summary"] == "Hoạt động tối mật"));
    let top = app
        .anon()
        .get(app.url("/api/v1/calendar.ics"))
        .bearer_auth(&root)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        parse_ics(&top)
            .iter()
            .any(|e| e["summary"] == "Hoạt động tối mật")
    );
    // A change raises SEQUENCE; the UID stays.
    let id = paris["activity"]["id"].as_str().unwrap();
    let (st, _) = step(app, &officer, &paris, "submit", None).await;
    assert_eq!(st, 200);
    let text = app
        .anon()
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let e = parse_ics(&text)
        .into_iter()
        .find(|e| e["uid"] == format!("{id}@kieng"))
        .unwrap();
    assert!(e["sequence"].as_i64().unwrap() > seq);
    // Revoked: the link is dead.
    let feeds_page = s.get("/calendar").await.text().await.unwrap();
    let i = feeds_page.find("/calendar/feeds/").unwrap() + "/calendar/feeds/".len();
    let feed_id = &feeds_page[i..i + 36];
    let r = s
        .post_form(&format!("/calendar/feeds/{feed_id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let r = app.anon().get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .anon()
        .get(app.url("/feeds/guess.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

both!(
    the_calendar_shows_what_the_user_may_see,
    feeds_follow_rfc_5545_and_the_owners_clearance,
    a_month_cell_shows_six_and_counts_the_rest,
);

async fn a_month_cell_shows_six_and_counts_the_rest(app: &TestApp) {
    let officer = app.token("officer").await;
    let at = |d: u32, h: u32| format!("2026-08-{d:02}T{h:02}:00");
    let talk = |title: String, partners: Vec<&str>, d: u32, h: u32| {
        json!({"title": title, "type_code": "talks", "lead_agency": "A", "partners": partners,
               "starts_at": at(d, h), "ends_at": at(d, h + 1)})
    };
    // Eight on the 12th, in order of start; the first two share a partner.
    let mut ids = Vec::new();
    for i in 1..=8u32 {
        let partners = if i <= 2 { vec!["Lào"] } else { vec![] };
        let a = create(
            app,
            &officer,
            talk(format!("Tiếp khách số {i}"), partners, 12, 7 + i),
        )
        .await;
        ids.push(a["activity"]["id"].as_str().unwrap().to_string());
    }
    // A fair over three days, and a talk near a cancelled one with the same partner.
    create(
        app,
        &officer,
        json!({"title": "Hội chợ hàng Việt", "type_code": "cultural", "lead_agency": "A",
        "starts_at": at(20, 9), "ends_at": at(22, 17)}),
    )
    .await;
    let lone = create(
        app,
        &officer,
        talk("Làm việc với Cuba".into(), vec!["Cuba"], 25, 9),
    )
    .await;
    let gone = create(
        app,
        &officer,
        talk("Đoàn Cuba lùi lịch".into(), vec!["Cuba"], 26, 9),
    )
    .await;
    step(app, &officer, &gone, "cancel", Some("Phía bạn lùi lịch")).await;
    // A two-week exhibition overlaps a talk at its end: flagged although it began
    // over fourteen days before (the probe's second, whole range). Twelve days
    // apart is not near.
    create(
        app,
        &officer,
        json!({"title": "Triển lãm ảnh Thái Lan", "type_code": "cultural", "lead_agency": "A",
        "partners": ["Thái Lan"], "starts_at": at(13, 8), "ends_at": at(28, 17)}),
    )
    .await;
    let late = create(
        app,
        &officer,
        talk("Hội đàm với Thái Lan".into(), vec!["Thái Lan"], 27, 9),
    )
    .await;
    let apart: Vec<String> = {
        let mut v = Vec::new();
        for d in [5, 17] {
            let a = create(
                app,
                &officer,
                talk(format!("Gặp Campuchia ngày {d}"), vec!["Campuchia"], d, 9),
            )
            .await;
            v.push(a["activity"]["id"].as_str().unwrap().to_string());
        }
        v
    };
    let s = app.signed_in("officer").await;
    let month = |date: &'static str| {
        let s = &s;
        async move {
            s.get(&format!("/calendar?date={date}"))
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let html = month("2026-08-01").await;
    for i in 1..=6 {
        assert!(
            html.contains(&format!("Tiếp khách số {i}<")),
            "{i} is shown"
        );
    }
    for i in 7..=8 {
        assert!(
            !html.contains(&format!("Tiếp khách số {i}<")),
            "{i} is counted, not shown"
        );
    }
    assert!(html.contains("+2 "), "the cell counts the two more");
    assert_eq!(
        html.matches("Hội chợ hàng Việt<").count(),
        3,
        "on each of its days"
    );
    let flagged = |id: &str| html.contains(&format!("flagged\" href=\"/activities/{id}\""));
    assert!(
        flagged(&ids[0]) && flagged(&ids[1]),
        "same partner, same day"
    );
    assert!(!flagged(&ids[2]));
    assert!(
        !flagged(lone["activity"]["id"].as_str().unwrap()),
        "a cancelled neighbour does not count"
    );
    assert!(
        flagged(late["activity"]["id"].as_str().unwrap()),
        "a long activity that began weeks before still overlaps"
    );
    assert!(
        !flagged(&apart[0]) && !flagged(&apart[1]),
        "twelve days apart"
    );
    // A new talk with Cambodia the day after the 5th flags it at the next read.
    create(
        app,
        &officer,
        talk("Gặp Campuchia lần hai".into(), vec!["Campuchia"], 6, 9),
    )
    .await;
    let again = month("2026-08-01").await;
    assert!(
        again.contains(&format!("flagged\" href=\"/activities/{}\"", apart[0])),
        "flagged at once after the change"
    );
    assert!(again.contains("Gặp Campuchia lần hai<"));
    // Another agency's activity this agency takes part in is in its month, and
    // follows its activity when the dates move (the participation link carries the start).
    let root = app.token("root").await;
    let mut shared = json!({"title": "Hội đàm do cơ quan khác chủ trì", "type_code": "talks",
        "lead_agency": "B", "agencies": ["A"], "starts_at": at(14, 9), "ends_at": at(14, 11)});
    let a = create(app, &root, shared.clone()).await;
    let html = month("2026-08-01").await;
    assert!(
        html.contains("Hội đàm do cơ quan khác chủ trì"),
        "shared with the reader's agency"
    );
    shared["starts_at"] = json!("2026-10-14T09:00");
    shared["ends_at"] = json!("2026-10-14T11:00");
    shared["version"] = a["activity"]["version"].clone();
    let id = a["activity"]["id"].as_str().unwrap();
    let (st, r) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(shared),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    let aug = month("2026-08-01").await;
    let oct = month("2026-10-01").await;
    assert!(!aug.contains("Hội đàm do cơ quan khác chủ trì"));
    assert!(
        oct.contains("Hội đàm do cơ quan khác chủ trì"),
        "moved with its activity"
    );
    // The week shows all eight.
    let week = s
        .get("/calendar?view=week&date=2026-08-12")
        .await
        .text()
        .await
        .unwrap();
    assert!((1..=8).all(|i| week.contains(&format!("Tiếp khách số {i}"))));

    // On the week's hour axis (07:00 is its first half-hour row): a visit at the
    // same hour as the first goes beside it; two days make a bar over them.
    create(
        app,
        &officer,
        json!({"title": "Gặp song song", "type_code": "talks", "lead_agency": "A",
               "starts_at": at(12, 8), "ends_at": "2026-08-12T09:30"}),
    )
    .await;
    create(
        app,
        &officer,
        json!({"title": "Hội nghị hai ngày", "type_code": "talks", "lead_agency": "A",
               "starts_at": at(13, 9), "ends_at": at(14, 17)}),
    )
    .await;
    let week = s
        .get("/calendar?view=week&date=2026-08-12")
        .await
        .text()
        .await
        .unwrap();
    // The classes of the link whose text ends with `title`.
    let class_of = |title: &str| {
        let end = week.find(&format!("{title}</a>")).expect(title);
        let start = week[..end].rfind("<a class=\"").unwrap() + 10;
        week[start..start + week[start..].find('"').unwrap()].to_string()
    };
    assert!(class_of("Tiếp khách số 1").contains("wr3 wh2 wl1"));
    assert!(class_of("Gặp song song").contains("wr3 wh3 wl2"));
    assert!(class_of("Tiếp khách số 2").contains("wr5 wh2 wl1"));
    // 12 August 2026 is a Wednesday: the 13th and 14th are columns 4 and 5
    // (below the bar of an earlier several-day activity).
    let bar = class_of("Hội nghị hai ngày");
    assert!(bar.contains("bc4 bw2 bl2"), "{bar}");
    assert!(
        week.contains("class=\"wk-col lanes-2"),
        "the 12th has two columns"
    );
}
