//! The demo's citizen protection cases, at the embassy in Japan: a worker
//! injured on a building site (visited, in progress), a trainee held by the
//! police (waiting on the Japanese side), a tourist who lost her passport
//! (resolved) and a citizen out of reach after an earthquake, just taken in
//! with its clock running. Every person is invented and named as such.

use kieng_domain::protection::person::PersonForm;
use kieng_domain::protection::{ActionForm, CaseForm, IntakeForm};
use kieng_store::protection::CaseMoveForm;
use kieng_store::{Ctx, Store, StoreError};
use uuid::Uuid;

struct Demo {
    intake: IntakeForm,
    record: Option<(&'static str, &'static str)>,
    people: Vec<PersonForm>,
    actions: Vec<(&'static str, &'static str, bool)>,
    moves: Vec<&'static str>,
}

fn intake(severity: &str, category: &str, summary: &str, place: &str) -> IntakeForm {
    IntakeForm {
        source: "mission".into(),
        severity: severity.into(),
        category: Some(category.into()),
        summary: summary.into(),
        country: "JP".into(),
        place: Some(place.into()),
        agency: Some("DSQ-JP".into()),
        ..Default::default()
    }
}

fn person(role: &str, name: &str, born: &str, passport: &str, contact: &str) -> PersonForm {
    PersonForm {
        role: role.into(),
        full_name: name.into(),
        birth_date: (!born.is_empty()).then(|| born.into()),
        passport: (!passport.is_empty()).then(|| passport.into()),
        contact: (!contact.is_empty()).then(|| contact.into()),
        ..Default::default()
    }
}

async fn mv(store: &Store, ctx: &Ctx, id: Uuid, m: &str) -> Result<(), StoreError> {
    let version = store.case_get(ctx, id).await?.row.case.version;
    store
        .case_move(
            ctx,
            id,
            &CaseMoveForm {
                move_code: m.into(),
                reason: None,
                version,
            },
        )
        .await?;
    Ok(())
}

pub async fn load(store: &Store) -> Result<(), StoreError> {
    let ctx = store.acting_as("canbo.dsq").await?;
    let cases = [
        Demo {
            intake: intake(
                "critical",
                "accident",
                "Lao động Việt Nam bị thương do giàn giáo đổ tại công trường ở Saitama, đang cấp cứu (dữ liệu minh họa).",
                "Bệnh viện Đại học Saitama",
            ),
            record: Some((
                "canbo.dsq",
                "Liên hệ công ty phái cử về bảo hiểm tai nạn lao động",
            )),
            people: vec![
                person(
                    "citizen",
                    "Đỗ Văn Khánh (nhân vật minh họa)",
                    "14/02/1996",
                    "C9012345",
                    "Qua công ty phái cử",
                ),
                person(
                    "relative",
                    "Đỗ Thị Lan (nhân vật minh họa)",
                    "",
                    "",
                    "0903 000 111 (minh họa)",
                ),
            ],
            actions: vec![
                (
                    "call",
                    "Gọi cho bệnh viện, xác nhận công dân đã qua cơn nguy kịch.",
                    true,
                ),
                (
                    "visit",
                    "Cán bộ lãnh sự thăm công dân tại bệnh viện, trao đổi với bác sĩ điều trị.",
                    false,
                ),
            ],
            moves: vec!["start"],
        },
        Demo {
            intake: intake(
                "high",
                "detention",
                "Thực tập sinh bị cảnh sát Osaka tạm giữ để điều tra về một vụ trộm tại cửa hàng (dữ liệu minh họa).",
                "Đồn cảnh sát Naniwa, Osaka",
            ),
            record: Some(("canbo.dsq", "Đề nghị thăm lãnh sự theo Hiệp định lãnh sự")),
            people: vec![person(
                "citizen",
                "Vũ Minh Tuấn (nhân vật minh họa)",
                "03/11/2001",
                "C7788990",
                "",
            )],
            actions: vec![
                (
                    "note",
                    "Gửi công hàm đề nghị thông báo tình hình và bố trí thăm lãnh sự.",
                    false,
                ),
                (
                    "call",
                    "Điện thoại cho nghiệp đoàn tiếp nhận; công dân được liên lạc qua luật sư.",
                    true,
                ),
            ],
            moves: vec!["triage", "wait"],
        },
        Demo {
            intake: intake(
                "normal",
                "stranded",
                "Du khách bị mất hộ chiếu tại ga Shinjuku, cần giấy thông hành để về nước (dữ liệu minh họa).",
                "Tokyo",
            ),
            record: None,
            people: vec![person(
                "citizen",
                "Ngô Thị Mai (nhân vật minh họa)",
                "21/07/1990",
                "",
                "mai.minhhoa@example.vn",
            )],
            actions: vec![
                (
                    "call",
                    "Hướng dẫn trình báo mất hộ chiếu tại đồn cảnh sát gần nhất.",
                    true,
                ),
                (
                    "handover",
                    "Cấp giấy thông hành; công dân đã về nước.",
                    false,
                ),
            ],
            moves: vec!["start", "resolve"],
        },
        Demo {
            intake: IntakeForm {
                source: "family".into(),
                caller_name: Some("Lý Văn Sơn (nhân vật minh họa)".into()),
                caller_contact: Some("0987 000 222 (minh họa)".into()),
                citizen_name: Some("Lý Thị Hằng (nhân vật minh họa)".into()),
                ..intake(
                    "critical",
                    "missing",
                    "Gia đình báo mất liên lạc với con gái là thực tập sinh tại Ishikawa sau trận động đất sáng nay (dữ liệu minh họa).",
                    "Tỉnh Ishikawa",
                )
            },
            record: None,
            people: vec![],
            actions: vec![],
            moves: vec![],
        },
    ];
    for d in cases {
        let c = store.case_intake(&ctx, &d.intake).await?;
        for p in &d.people {
            store.case_person_add(&ctx, c.id, p).await?;
        }
        if let Some((officer, next)) = d.record {
            let v = store.case_get(&ctx, c.id).await?;
            let cur = &v.row.case;
            store
                .case_update(
                    &ctx,
                    c.id,
                    cur.version,
                    &CaseForm {
                        category: cur.category.clone(),
                        severity: cur.severity.clone(),
                        summary: cur.summary.clone(),
                        country: cur.country_code.clone(),
                        place: cur.place.clone(),
                        agency: "DSQ-JP".into(),
                        officer: Some(officer.into()),
                        next_action: Some(next.into()),
                        next_action_due: Some(
                            (kieng_store::today() + chrono::Duration::days(3))
                                .format("%d/%m/%Y")
                                .to_string(),
                        ),
                        classification: Some("none".into()),
                        ..Default::default()
                    },
                )
                .await?;
        }
        for (kind, note, first) in &d.actions {
            store
                .case_action_add(
                    &ctx,
                    c.id,
                    &ActionForm {
                        kind: (*kind).into(),
                        at: None,
                        note: (*note).into(),
                        first_contact: first.then(|| "1".into()),
                    },
                )
                .await?;
        }
        for m in &d.moves {
            mv(store, &ctx, c.id, m).await?;
        }
    }
    Ok(())
}

/// The demo's crisis: an earthquake exercise on the Noto peninsula, its
/// registry loaded from a community list as a mission would — sixty invented
/// people in three towns, some on the bus out, one pair sharing a name and a
/// birth date under two passports for the team to decide.
pub async fn load_crisis(store: &Store) -> Result<(), StoreError> {
    use kieng_domain::import::Sheet;
    use kieng_domain::protection::crisis::CrisisForm;
    let ctx = store.acting_as("canbo.dsq").await?;
    let c = store
        .crisis_create(
            &ctx,
            &CrisisForm {
                name: "Động đất bán đảo Noto (diễn tập, dữ liệu minh họa)".into(),
                kind: "earthquake".into(),
                phase: Some("voluntary_departure".into()),
                country: "JP".into(),
                area: "Tỉnh Ishikawa: Wajima, Suzu, Nanao".into(),
                agency: Some("DSQ-JP".into()),
                started_on: None,
                note: Some(
                    "Diễn tập ứng phó; mọi người trong danh sách là nhân vật minh họa.".into(),
                ),
                version: None,
            },
        )
        .await?;
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    let middle = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"];
    let given = [
        "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Linh", "Nam", "Phương",
    ];
    let places = ["Wajima", "Suzu", "Nanao"];
    let statuses = [
        "safe",
        "safe",
        "safe",
        "unconfirmed",
        "unreachable",
        "injured",
        "evacuated",
    ];
    let mut rows = vec![vec![
        "Họ và tên".to_string(),
        "Ngày sinh".into(),
        "Số hộ chiếu".into(),
        "Nơi ở hiện tại".into(),
        "Tình trạng".into(),
        "Chuyến".into(),
    ]];
    for i in 0..60usize {
        let status = statuses[i % statuses.len()];
        rows.push(vec![
            format!(
                "{} {} {} (minh họa)",
                family[i % family.len()],
                middle[(i / 8) % middle.len()],
                given[(i * 7) % given.len()]
            ),
            format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 1975 + i % 30),
            format!("C{:07}", 2_000_000 + i * 37),
            places[i % places.len()].to_string(),
            status.into(),
            if status == "evacuated" {
                "Xe buýt 1 — Kanazawa".into()
            } else {
                String::new()
            },
        ]);
    }
    // The same name and birth date as the first row, another passport.
    let mut twin = rows[1].clone();
    twin[2] = "C3999999".into();
    twin[3] = "Nanao".into();
    rows.push(twin);
    let sheet = Sheet::from_rows(1, rows);
    let r = store.crisis_import(&ctx, c.id, &sheet, true, None).await?;
    if !r.applied {
        return Err(StoreError::Internal(format!(
            "the demo's community list: {:?}",
            r.problems
        )));
    }
    Ok(())
}
