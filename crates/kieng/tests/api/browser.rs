//! Browser journeys in headless Chromium through WebDriver (Debian's chromium and
//! chromium-driver, installed by .ci/run). Missing Chromium fails the test unless
//! KIENG_SKIP_BROWSER=1 says so explicitly.

use crate::helpers::{Db, PASSWORD, TestApp, spawn};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn chromedriver() -> Option<Driver> {
    if std::env::var("KIENG_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("browser test skipped: KIENG_SKIP_BROWSER=1");
        return None;
    }
    let bin =
        std::env::var("KIENG_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    #[allow(clippy::zombie_processes)] // `Driver::drop` kills and waits for it.
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin} ({e}): install chromium and chromium-driver (.ci/run does), or set KIENG_SKIP_BROWSER=1"));
    let url = format!("http://127.0.0.1:{port}");
    // Wait until the driver answers (bounded: 10 s), polling its status endpoint.
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.get(format!("{url}/status")).send().await.is_ok() {
            return Some(Driver { child, url });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut driver = Driver { child, url };
    let _ = driver.child.kill();
    let _ = driver.child.wait();
    panic!("chromedriver did not start");
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("KIENG_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

async fn fill(c: &Client, id: &str, value: &str) {
    let el = c.find(Locator::Id(id)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Wait (bounded) until the browser has navigated to a URL that satisfies `ok`,
/// so the next lookup cannot find an element of the page being left.
async fn wait_url(c: &Client, ok: impl Fn(&url::Url) -> bool) {
    for _ in 0..250 {
        if c.current_url().await.is_ok_and(|u| ok(&u)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the browser did not reach the expected page");
}

async fn sign_in(c: &Client, app: &TestApp, user: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    fill(c, "username", user).await;
    fill(c, "password", PASSWORD).await;
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("header .who"))
        .await
        .unwrap();
}

/// Sign in, create an agency, find it in the list and in the audit trail, sign out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_creates_an_agency_and_finds_it_everywhere() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let c = browser(&driver).await;
    sign_in(&c, &app, "root").await;

    c.goto(&app.url("/agencies/new")).await.unwrap();
    fill(&c, "code", "snv-ct").await;
    fill(&c, "name_vi", "Sở Ngoại vụ Cần Thơ").await;
    fill(&c, "name_en", "Can Tho Department of Foreign Affairs").await;
    c.find(Locator::Css("#level option[value=provincial]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#province_code option[value='VN34-06']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let h1 = c
        .wait()
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(h1.contains("Sở Ngoại vụ Cần Thơ"), "{h1}");
    assert!(
        c.find(Locator::Css(".notice"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Đã tạo")
    );

    // In the list, found without diacritics.
    c.goto(&app.url("/agencies")).await.unwrap();
    fill(&c, "q", "so ngoai vu can tho").await;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("q="))).await;
    let link = c
        .wait()
        .for_element(Locator::LinkText("Sở Ngoại vụ Cần Thơ"))
        .await
        .unwrap();
    let rows = c
        .find_all(Locator::Css("main table tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    link.click().await.unwrap();
    wait_url(&c, |u| {
        u.path().starts_with("/agencies/") && u.query().is_none()
    })
    .await;
    let url = c.current_url().await.unwrap();
    let id = url.path().rsplit('/').next().unwrap().to_string();

    // In the audit trail.
    c.goto(&app.url(&format!("/audit?entity_type=agency&entity_id={id}")))
        .await
        .unwrap();
    let cells = c
        .find(Locator::Css("main table tbody tr"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        cells.contains("Tạo mới") && cells.contains("root"),
        "{cells}"
    );

    // Sign out: the next page asks for sign-in again.
    c.find(Locator::Css("header form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Id("username")).await.unwrap();
    c.goto(&app.url("/agencies")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.close().await.unwrap();
    app.stop().await;
}

/// Open a partner, read its framework history, record an upgrade, see the chart change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_records_a_framework_upgrade_and_the_chart_changes() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let c = browser(&driver).await;
    sign_in(&c, &app, "root").await;

    c.goto(&app.url("/partners")).await.unwrap();
    fill(&c, "q", "argentina").await;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("q=argentina"))).await;
    c.wait()
        .for_element(Locator::LinkText("Argentina"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path().starts_with("/partners/")).await;
    let history = c
        .find(Locator::Css("ol.timeline"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("2010") && history.contains("Đối tác toàn diện"),
        "{history}"
    );
    assert_eq!(
        c.find_all(Locator::Css("svg.chart circle"))
            .await
            .unwrap()
            .len(),
        1
    );

    c.find(Locator::Css("#level_code option[value=strategic]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&c, "since", "05/2025").await;
    fill(&c, "source", "Thông cáo báo chí chung (kiểm thử)").await;
    c.find(Locator::Css(
        "form[action$='/frameworks'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("ok=framework"))
    })
    .await;
    assert_eq!(
        c.find_all(Locator::Css("svg.chart circle"))
            .await
            .unwrap()
            .len(),
        2,
        "the chart shows the upgrade"
    );
    let facts = c
        .find(Locator::Css("dl.facts"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        facts.contains("Đối tác chiến lược") && facts.contains("05/2025"),
        "{facts}"
    );
    c.close().await.unwrap();
    app.stop().await;
}

/// An officer proposes a delegation to Japan, a leader approves it, and the
/// calendar marks it: the party pillar has a visit to Japan the same week.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegation_is_proposed_approved_and_flagged_in_the_calendar() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let root = app.token("root").await;
    let (s, other) = app
        .api(
            &root,
            reqwest::Method::POST,
            "/api/v1/activities",
            Some(serde_json::json!({"title": "Ban Đối ngoại làm việc tại Tokyo", "type_code": "talks",
                "lead_agency": "B", "partners": ["Nhật Bản"],
                "starts_at": crate::activities::day(22, 9), "ends_at": crate::activities::day(22, 17)})),
        )
        .await;
    assert_eq!(s, 201, "{other}");
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url("/activities/new")).await.unwrap();
    fill(&c, "title", "Đoàn Bộ Ngoại giao thăm Nhật Bản").await;
    c.find(Locator::Css("#type_code option[value=outgoing_delegation]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // datetime-local inputs take their value in the browser's own format: set it directly.
    let (start, end) = (
        crate::activities::day(20, 9),
        crate::activities::day(23, 17),
    );
    c.execute(
        "document.getElementById('starts_at').value = arguments[0]; document.getElementById('ends_at').value = arguments[1];",
        vec![serde_json::json!(start), serde_json::json!(end)],
    )
    .await
    .unwrap();
    fill(&c, "partners", "nhat ban").await;
    fill(&c, "members", "Nguyễn Hữu Phước — Vụ trưởng").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let activity = c.current_url().await.unwrap().path().to_string();
    let warnings = c
        .find(Locator::Css(".warnbox"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        warnings.contains("Ban Đối ngoại làm việc tại Tokyo"),
        "{warnings}"
    );
    c.find(Locator::Css("button[value=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("ok=submitted"))
    })
    .await;

    c.delete_all_cookies().await.unwrap();
    sign_in(&c, &app, "leader").await;
    c.goto(&app.url(&activity)).await.unwrap();
    c.find(Locator::Css("button[value=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=approved"))).await;

    c.goto(&app.url(&format!("/calendar?view=week&date={}", &start[..10])))
        .await
        .unwrap();
    let item = c
        .find(Locator::XPath(
            "//a[contains(@class,'cal-item') and contains(., 'Đoàn Bộ Ngoại giao thăm Nhật Bản')]",
        ))
        .await
        .unwrap();
    assert!(
        item.attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("flagged")
    );
    assert!(item.text().await.unwrap().contains('⚠'));
    item.click().await.unwrap();
    wait_url(&c, |u| u.path() == activity).await;
    let status = c
        .find(Locator::Css("span.tag.status-approved"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "Đã duyệt");
    c.close().await.unwrap();
    app.stop().await;
}

/// Record an agreement signed during an activity, add a commitment to it, and
/// watch it move from "due soon" to "overdue" on the coordinator's board.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agreement_signed_during_an_activity_gets_a_commitment_that_turns_overdue() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    let act = crate::activities::create(
        &app,
        &officer,
        crate::activities::visit("Thăm chính thức Hàn Quốc", "A", vec!["Hàn Quốc"], -6, -4),
    )
    .await;
    let aid = act["activity"]["id"].as_str().unwrap().to_string();
    let day = |d: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(d))
            .date_naive()
            .to_string()
    };
    let set = |id: &'static str, v: String| {
        (
            format!("document.getElementById('{id}').value = arguments[0];"),
            vec![serde_json::json!(v)],
        )
    };
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url(&format!("/activities/{aid}")))
        .await
        .unwrap();
    c.find(Locator::Css(&format!(
        "a[href='/agreements/new?activity={aid}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_url(&c, |u| u.path() == "/agreements/new").await;
    fill(
        &c,
        "title_vi",
        "Bản ghi nhớ hợp tác đào tạo cán bộ ngoại giao",
    )
    .await;
    fill(&c, "partners", "han quoc").await;
    let (js, args) = set("signed_on", day(-5));
    c.execute(&js, args).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let agreement = c.current_url().await.unwrap().path().to_string();
    let facts = c
        .find(Locator::Css("dl.facts"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(facts.contains("Thăm chính thức Hàn Quốc"), "{facts}");
    assert!(facts.contains("Hàn Quốc"));
    let aid_short = agreement.trim_start_matches("/agreements/").to_string();
    c.find(Locator::Css(&format!(
        "a[href='/commitments/new?agreement={aid_short}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_url(&c, |u| u.path() == "/commitments/new").await;
    fill(&c, "title", "Tổ chức khóa đào tạo đầu tiên").await;
    fill(&c, "responsible", "Phạm Thu Hà").await;
    let (js, args) = set("due_on", day(2));
    c.execute(&js, args).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let commitment = c.current_url().await.unwrap().path().to_string();

    c.goto(&app.url("/commitments/board")).await.unwrap();
    let soon = c
        .find(Locator::Id("soon"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(soon.contains("Tổ chức khóa đào tạo đầu tiên"), "{soon}");
    let overdue = c
        .find(Locator::Id("overdue"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!overdue.contains("Tổ chức khóa đào tạo đầu tiên"));

    // The deadline was yesterday after all.
    c.goto(&app.url(&format!("{commitment}/edit")))
        .await
        .unwrap();
    let (js, args) = set("due_on", day(-1));
    c.execute(&js, args).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    c.goto(&app.url("/commitments/board")).await.unwrap();
    let overdue = c
        .find(Locator::Id("overdue"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overdue.contains("Tổ chức khóa đào tạo đầu tiên"),
        "{overdue}"
    );
    assert!(overdue.contains("Quá hạn 1 ngày"), "{overdue}");
    let owners = c
        .find(Locator::Css("main .grid2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        owners.contains("Bộ Ngoại giao") && owners.contains("Hàn Quốc"),
        "{owners}"
    );
    c.close().await.unwrap();
    app.stop().await;
}

/// A working day: the officer picks a partner by typing "han" (no
/// diacritics) and submits; the leader approves on the home page; the
/// officer reads the approval with its note under the bell; at phone width
/// nothing is wider than the screen and the menu folds behind a button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_is_decided_from_the_home_page_and_the_author_is_told() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url("/activities/new")).await.unwrap();
    fill(&c, "title", "Tiếp Đại sứ Hàn Quốc chào xã giao").await;
    fill(&c, "starts_at", "15/03/2027 09:00").await;
    fill(&c, "ends_at", "15/03/2027 11:00").await;
    fill(&c, "partners", "han").await;
    let choice = c
        .wait()
        .for_element(Locator::XPath(
            "//ul[contains(@class,'pick')]/li[contains(., 'Hàn Quốc')]",
        ))
        .await
        .unwrap();
    choice.click().await.unwrap();
    let typed = c
        .find(Locator::Id("partners"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(typed.starts_with("Hàn Quốc"), "{typed}");
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let activity = c.current_url().await.unwrap().path().to_string();
    // Shown as typed, day first.
    let when = c
        .find(Locator::Css("dl.facts"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(when.contains("15/03/2027 09:00"), "{when}");
    c.find(Locator::Css("button[value=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("ok=submitted"))
    })
    .await;

    c.delete_all_cookies().await.unwrap();
    sign_in(&c, &app, "leader").await;
    let id = activity.trim_start_matches("/activities/");
    let form = c
        .find(Locator::Css(&format!(
            "#awaiting form[action='/activities/{id}/transition?back=home']"
        )))
        .await
        .unwrap();
    form.find(Locator::Css("textarea"))
        .await
        .unwrap()
        .send_keys("Đồng ý, giao Vụ Đông Bắc Á chuẩn bị nội dung.")
        .await
        .unwrap();
    form.find(Locator::Css("button[value=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| {
        u.path() == "/" && u.query().is_some_and(|q| q.contains("ok=approved"))
    })
    .await;

    c.delete_all_cookies().await.unwrap();
    sign_in(&c, &app, "officer").await;
    let bell = c
        .find(Locator::Css("header .bell .count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(bell, "1");
    c.goto(&app.url("/notifications")).await.unwrap();
    let list = c
        .find(Locator::Css("ol.notes"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Tiếp Đại sứ Hàn Quốc chào xã giao"), "{list}");
    assert!(
        list.contains("Đồng ý, giao Vụ Đông Bắc Á chuẩn bị nội dung."),
        "{list}"
    );

    // A phone: 390 px wide, nothing wider, the menu behind its button.
    c.set_window_size(390, 844).await.unwrap();
    for path in [
        "/",
        "/activities",
        &activity,
        "/coordination",
        "/commitments/board",
    ] {
        c.goto(&app.url(path)).await.unwrap();
        let width = c
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, client) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
        assert!(
            scroll <= client,
            "{path}: the page is {scroll} px wide on a {client} px screen"
        );
    }
    let menu = c.find(Locator::Css("nav.side")).await.unwrap();
    assert!(!menu.is_displayed().await.unwrap(), "the menu is folded");
    c.find(Locator::Css(".menu-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(menu.is_displayed().await.unwrap(), "the button opens it");
}

/// The yearly review from the dashboard: a leader opens the dashboard, drills
/// into a figure and sees the list behind it, starts the period's review from
/// there, writes the assessment beside the figures and submits; it is
/// approved, takes its number, and the Word document downloads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_drills_into_the_dashboard_and_downloads_the_yearly_review() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let a = crate::activities::create(
        &app,
        &officer,
        crate::activities::visit("Tiếp Đại sứ Hàn Quốc", "A", vec!["Hàn Quốc"], 0, 0),
    )
    .await;
    for (t, who) in [("submit", &officer), ("approve", &leader)] {
        let (s, e) = crate::activities::step(&app, who, &a, t, None).await;
        assert_eq!(s, 200, "{e}");
    }
    let c = browser(&driver).await;
    sign_in(&c, &app, "leader").await;
    c.find(Locator::Css("nav a[href='/dashboard']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/dashboard").await;
    let tile = c.find(Locator::Css("a.tile")).await.unwrap();
    assert_eq!(tile.attr("data-n").await.unwrap().as_deref(), Some("1"));
    tile.click().await.unwrap();
    wait_url(&c, |u| u.path() == "/activities").await;
    let list = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Tiếp Đại sứ Hàn Quốc"), "{list}");
    c.back().await.unwrap();
    wait_url(&c, |u| u.path() == "/dashboard").await;
    c.find(Locator::Css("a.button[href^='/reports/new']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/reports/new").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let report = c.current_url().await.unwrap().path().to_string();
    let results = c
        .find(Locator::Id("section-activities"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(results.contains("Hàn Quốc"), "{results}");
    fill(
        &c,
        "body-assessment",
        "Quan hệ với Hàn Quốc được thúc đẩy trên nhiều lĩnh vực.",
    )
    .await;
    c.find(Locator::Css("#part-assessment button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    c.find(Locator::Css("button[value=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("ok=report_submitted"))
    })
    .await;
    c.goto(&app.url(&report)).await.unwrap();
    c.find(Locator::Css("button[value=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("ok=report_approved"))
    })
    .await;
    let head = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(head.contains("Số: 01/BC"), "{head}");
    assert!(head.contains("Quan hệ với Hàn Quốc được thúc đẩy"));
    let href = c
        .find(Locator::Css("a[href$='/report.docx']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let s = app.signed_in("leader").await;
    let r = s.get(&href).await;
    assert_eq!(r.status(), 200);
    let d = crate::briefing::read(&r.bytes().await.unwrap());
    assert!(d.to_string().contains("Số: 01/BC"), "{d}");
    c.close().await.unwrap();
    app.stop().await;
}

/// An officer copies the external line's template into this year's
/// programme, issues it, assigns a sub-task to a unit, reports it done with
/// an activity as evidence, and sees the plan start and its progress rise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_is_copied_from_the_template_and_its_progress_reported() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    crate::activities::create(
        &app,
        &officer,
        crate::activities::visit("Tiếp Đại sứ Hàn Quốc", "A", vec!["Hàn Quốc"], -2, -2),
    )
    .await;
    use chrono::Datelike;
    let y = (chrono::Utc::now() + chrono::Duration::hours(7)).year();
    let set = |id: &str, v: &str| {
        (
            format!("document.getElementById('{id}').value = arguments[0];"),
            vec![serde_json::json!(v)],
        )
    };
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.find(Locator::Css("nav a[href='/plans']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/plans").await;
    c.find(Locator::Css("a[href='/plans/new']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/plans/new").await;
    fill(&c, "title", &format!("Chương trình đối ngoại năm {y}")).await;
    let (js, args) = set("template", "XIII-DOI-NGOAI");
    c.execute(&js, args).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let plan = c.current_url().await.unwrap().path().to_string();
    let rows = c
        .find_all(Locator::Css("table.tree tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 9);
    // Issue it: the decision's number and date first.
    c.goto(&app.url(&format!("{plan}/edit"))).await.unwrap();
    fill(&c, "decision_number", "15/QĐ-BNG").await;
    fill(&c, "decision_date", &format!("10/01/{y}")).await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    // From the plan's own address, so the move's answer (the same address
    // with ?ok=saved) is a navigation the wait can see.
    c.goto(&app.url(&plan)).await.unwrap();
    c.find(Locator::Css("button[name=move][value=issue]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    let progress = c
        .find(Locator::Css("strong[data-progress]"))
        .await
        .unwrap()
        .attr("data-progress")
        .await
        .unwrap();
    assert_eq!(progress.as_deref(), Some("0"));
    // The first task: split, its part assigned to the consular department.
    c.find(Locator::Css("table.tree tbody tr a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path().starts_with("/plans/tasks/")).await;
    c.find(Locator::Css("a[href*='/tasks/new?parent=']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path().ends_with("/tasks/new")).await;
    fill(&c, "title", "Chuẩn bị đề án đổi mới phương thức đối ngoại").await;
    let (js, args) = set("lead_agency", "A1");
    c.execute(&js, args).await.unwrap();
    fill(&c, "deadline", &format!("quý IV/{y}")).await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    // Report it done, the activity picked as evidence.
    fill(&c, "percent", "100").await;
    fill(&c, "done", "Đã trình đề án.").await;
    c.execute(
        "for (const o of document.getElementById('evidence').options) { o.selected = o.text.includes('Tiếp Đại sứ Hàn Quốc'); }",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css(
        "form[action$='/progress'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    let text = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("Tiếp Đại sứ Hàn Quốc"), "{text}");
    // The plan: started by the report, one task of nine done.
    c.goto(&app.url(&plan)).await.unwrap();
    let progress = c
        .find(Locator::Css("strong[data-progress]"))
        .await
        .unwrap()
        .attr("data-progress")
        .await
        .unwrap();
    assert_eq!(progress.as_deref(), Some("11"));
    let head = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(head.contains("Đang triển khai"), "{head}");
    let first = c
        .find(Locator::Css("table.tree tbody tr"))
        .await
        .unwrap()
        .attr("data-state")
        .await
        .unwrap();
    assert_eq!(first.as_deref(), Some("done"));
    c.close().await.unwrap();
    app.stop().await;
}

/// The hotline officer takes a critical case in, triages it and records the
/// consular visit that stops its clock; the leader finds it on the home page;
/// a coordinator of the same agency sees its people masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_critical_case_is_taken_in_worked_and_seen_masked_outside_its_team() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let set = |id: &str, v: &str| {
        (
            format!("document.getElementById('{id}').value = arguments[0];"),
            vec![serde_json::json!(v)],
        )
    };
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.find(Locator::Css("nav a[href='/protection']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/protection").await;
    c.find(Locator::Css("a[href='/protection/new']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/protection/new").await;
    let (js, args) = set("severity", "critical");
    c.execute(&js, args).await.unwrap();
    let (js, args) = set("category", "fishermen");
    c.execute(&js, args).await.unwrap();
    fill(
        &c,
        "summary",
        "Tàu cá cùng 12 ngư dân bị bắt giữ gần đảo Natuna.",
    )
    .await;
    fill(&c, "country", "Indonesia").await;
    fill(&c, "caller_name", "Trần Thị Bích").await;
    fill(&c, "citizen_name", "Nguyễn Văn Hải").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let case = c.current_url().await.unwrap().path().to_string();
    let number = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(number.starts_with("BH-"), "{number}");
    // Triage, from the case's own address so the answer is a navigation.
    c.goto(&app.url(&case)).await.unwrap();
    c.find(Locator::Css(
        "form.inline:has(input[name=move][value=triage]) button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    c.goto(&app.url(&case)).await.unwrap();
    let (js, args) = set("kind", "visit");
    c.execute(&js, args).await.unwrap();
    fill(&c, "note", "Thăm lãnh sự các ngư dân tại nơi tạm giữ.").await;
    c.find(Locator::Css("input[name=first_contact]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form[action$='/actions'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    let clock = c
        .find(Locator::Css("[data-clock]"))
        .await
        .unwrap()
        .attr("data-clock")
        .await
        .unwrap();
    assert_eq!(clock.as_deref(), Some("met"));
    let text = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Đã phân loại") && text.contains("Thăm lãnh sự các ngư dân"),
        "{text}"
    );
    c.close().await.unwrap();

    // The leader: the open critical case on the home page.
    let c = browser(&driver).await;
    sign_in(&c, &app, "leader").await;
    let home = c
        .find(Locator::Css("#protection"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains(&number), "{home}");
    c.close().await.unwrap();

    // A coordinator of the agency, not on the team: initials, no way to open.
    let c = browser(&driver).await;
    sign_in(&c, &app, "coordinator").await;
    c.goto(&app.url(&case)).await.unwrap();
    let text = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("N. V. H.") && !text.contains("Nguyễn Văn Hải"),
        "{text}"
    );
    assert!(
        c.find(Locator::Css("form[action$='/personal']"))
            .await
            .is_err()
    );
    c.close().await.unwrap();
    app.stop().await;
}

/// A mission officer opens a crisis, takes a citizen down by phone, moves
/// them to the bus out and sees the counts follow, then opens a case for
/// them in one step; a coordinator of the agency sees initials only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crisis_registry_is_kept_counted_and_a_case_opened_from_it() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let set = |id: &str, v: &str| {
        (
            format!("document.getElementById('{id}').value = arguments[0];"),
            vec![serde_json::json!(v)],
        )
    };
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url("/protection")).await.unwrap();
    c.find(Locator::Css("a[href='/protection/crises']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/protection/crises").await;
    c.find(Locator::Css("a[href='/protection/crises/new']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/protection/crises/new").await;
    fill(&c, "name", "Động đất Thổ Nhĩ Kỳ").await;
    let (js, args) = set("kind", "earthquake");
    c.execute(&js, args).await.unwrap();
    fill(&c, "country", "Thổ Nhĩ Kỳ").await;
    fill(&c, "area", "Hatay, Kahramanmaraş").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let crisis = c.current_url().await.unwrap().path().to_string();

    // By phone: a citizen out of reach in Antakya.
    c.find(Locator::Css("details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&c, "full_name", "Vũ Thị Lan").await;
    fill(&c, "birth_date", "09/09/1999").await;
    fill(&c, "passport", "N9876543").await;
    fill(&c, "place", "Antakya").await;
    let (js, args) = set("status", "unreachable");
    c.execute(&js, args).await.unwrap();
    c.find(Locator::Css("form[action$='/people'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    let n = |status: &'static str| {
        let c = c.clone();
        async move {
            c.find(Locator::Css(&format!("li[data-status={status}]")))
                .await
                .unwrap()
                .attr("data-n")
                .await
                .unwrap()
                .unwrap()
        }
    };
    assert_eq!(n("unreachable").await, "1");

    // Reached: on the bus out.
    c.execute(
        "document.querySelector('form.entry-status select[name=status]').value = 'evacuated';\
         document.querySelector('form.entry-status input[name=transport]').value = 'Xe 1 — Adana';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("form.entry-status button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=saved"))).await;
    assert_eq!(n("unreachable").await, "0");
    assert_eq!(n("evacuated").await, "1");
    let text = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("Xe 1 — Adana"), "{text}");

    // A case for her, in one step.
    c.find(Locator::Css("form[action$='/case'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(h1.starts_with("BH-"), "{h1}");
    c.close().await.unwrap();

    // A coordinator of the agency, not on the crisis's team: initials only.
    let c = browser(&driver).await;
    sign_in(&c, &app, "coordinator").await;
    c.goto(&app.url(&crisis)).await.unwrap();
    let text = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("V. T. L.") && !text.contains("Vũ Thị Lan"),
        "{text}"
    );
    assert!(
        c.find(Locator::Css("form[action$='/personal']"))
            .await
            .is_err()
    );
    c.close().await.unwrap();
    app.stop().await;
}

/// An officer opens a candidacy, then, from the page of a visit to Korea,
/// records the written support Korea gave there; the campaign board moves
/// from none pledged to one, and the country's line names its word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pledge_given_during_an_activity_moves_the_campaign_board() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    let act = crate::activities::create(
        &app,
        &officer,
        crate::activities::visit("Thăm chính thức Hàn Quốc", "A", vec!["Hàn Quốc"], -6, -4),
    )
    .await;
    let aid = act["activity"]["id"].as_str().unwrap().to_string();
    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url("/multilateral")).await.unwrap();
    c.find(Locator::Css("a[href='/multilateral/candidacies']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/multilateral/candidacies").await;
    c.find(Locator::Css("a[href='/multilateral/candidacies/new']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/multilateral/candidacies/new").await;
    fill(&c, "post", "Thành viên Hội đồng Nhân quyền Liên hợp quốc").await;
    fill(&c, "mechanism", "UNHRC").await;
    fill(&c, "term", "2029–2031").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    let candidacy = c.current_url().await.unwrap().path().to_string();
    let pledged = |c: Client| async move {
        c.find(Locator::Css("[data-pledged]"))
            .await
            .unwrap()
            .attr("data-pledged")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    assert_eq!(pledged(c.clone()).await, "0");

    // At the visit's page: record Korea's word on the candidacy.
    c.goto(&app.url(&format!("/activities/{aid}")))
        .await
        .unwrap();
    c.find(Locator::Css(&format!("#pledges a[href^='{candidacy}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == candidacy).await;
    assert!(c.find(Locator::Css("[data-from-activity]")).await.is_ok());
    let country = c
        .find(Locator::Id("country"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(country, "Hàn Quốc");
    fill(&c, "channel", "Hội đàm cấp Bộ trưởng").await;
    c.find(Locator::Css("form[action$='/pledges'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("ok=created"))).await;
    assert_eq!(pledged(c.clone()).await, "1");
    let line = c
        .find(Locator::Css("tr[data-country='KR']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(line.contains("bằng văn bản"), "{line}");
    // The pledge links back to the activity it was given at.
    c.goto(&app.url(&format!("{candidacy}/pledges?country=KR")))
        .await
        .unwrap();
    assert!(
        c.find(Locator::Css(&format!("a[href='/activities/{aid}']")))
            .await
            .is_ok()
    );
    c.close().await.unwrap();
    app.stop().await;
}

/// Bring the past in: download the blank workbook, fill two rows, import
/// them, and see them in the partner's dossier timeline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_activities_are_imported_from_the_template_into_the_partners_timeline() {
    let Some(driver) = chromedriver().await else {
        return;
    };
    let app = spawn(Db::Sqlite).await;
    let session = app.signed_in("officer").await;
    let r = session.get("/activities/import/template.xlsx").await;
    assert_eq!(r.status(), 200);
    let template = kieng_web::sheet::read(&r.bytes().await.unwrap()).unwrap();
    assert!(
        template.headings.iter().any(|h| h == "Trạng thái") && !template.rows.is_empty(),
        "the headings and an example row: {template:?}"
    );
    // Two rows filled in under the template's own headings.
    let col = |name: &str| template.headings.iter().position(|h| h == name).unwrap() as u16;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in template.headings.iter().enumerate() {
        ws.write_string(0, i as u16, h).unwrap();
    }
    for (row, (day, title)) in [
        ("15/03/2016", "Đoàn Bộ Ngoại giao thăm Tokyo năm 2016"),
        ("tháng 9/2017", "Đón đoàn Nghị sĩ Nhật Bản năm 2017"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = row as u32 + 1;
        ws.write_string(r, col("Bắt đầu (giờ Việt Nam)"), day)
            .unwrap();
        ws.write_string(r, col("Tên hoạt động"), title).unwrap();
        ws.write_string(r, col("Loại hoạt động"), "talks").unwrap();
        ws.write_string(r, col("Cơ quan chủ trì"), "A").unwrap();
        ws.write_string(r, col("Đối tác"), "Nhật Bản").unwrap();
        ws.write_string(r, col("Trạng thái"), "Đã thực hiện")
            .unwrap();
    }
    let path = app.dir.join("hoat-dong-cu.xlsx");
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();

    let c = browser(&driver).await;
    sign_in(&c, &app, "officer").await;
    c.goto(&app.url("/activities")).await.unwrap();
    c.find(Locator::Css("a[href='/activities/import']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.path() == "/activities/import").await;
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let new = c
        .wait()
        .for_element(Locator::Css("strong[data-new]"))
        .await
        .unwrap()
        .attr("data-new")
        .await
        .unwrap();
    assert_eq!(new.as_deref(), Some("2"));
    c.find(Locator::Css("form[action^='/activities/import/'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_url(&c, |u| u.query().is_some_and(|q| q.contains("created=2"))).await;

    let token = app.token("officer").await;
    let (_, p) = app
        .api(
            &token,
            reqwest::Method::GET,
            "/api/v1/partners?q=nhat%20ban",
            None,
        )
        .await;
    let japan = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            if x["partner"].is_object() {
                &x["partner"]
            } else {
                x
            }
        })
        .find(|x| x["name_vi"] == "Nhật Bản")
        .unwrap_or_else(|| panic!("{p}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.goto(&app.url(&format!("/partners/{japan}")))
        .await
        .unwrap();
    let timeline = c
        .find(Locator::Id("timeline"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        timeline.contains("Đoàn Bộ Ngoại giao thăm Tokyo năm 2016")
            && timeline.contains("Đón đoàn Nghị sĩ Nhật Bản năm 2017"),
        "{timeline}"
    );
    c.close().await.unwrap();
    app.stop().await;
}
