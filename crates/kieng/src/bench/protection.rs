//! Citizen protection: each reader's case list over twenty years of cases,
//! the national coordinator's, and a crisis of tens of thousands of people —
//! its live counts and page under all clients, status changes saved one
//! writer at a time and all at once, and a community list of 10,000 people
//! checked and imported through the store.

use super::Base;
use super::drive::{Scenario, answered, ok, scenario};
use kieng_data::scale::protection::CRISIS_NAME;
use kieng_domain::import::Sheet;
use kieng_store::Store;
use kieng_store::entity::{crisis, crisis_person, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use uuid::Uuid;

/// The people of the list imported (the measure).
const IMPORTED: usize = 10_000;

pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    store: &Store,
    base: &Base,
    national: &[reqwest::Client],
    readers: &[reqwest::Client],
    requests: usize,
) -> anyhow::Result<()> {
    for (name, path) in [
        (
            "GET /protection (each reader's cases, newest first)",
            "/protection",
        ),
        (
            "GET /protection?status=open (each reader's open cases)",
            "/protection?status=open",
        ),
    ] {
        let b = base.clone();
        scenarios.push(
            scenario(name, readers.to_vec(), requests, move |c, _| {
                ok(c, format!("{b}{path}"))
            })
            .await,
        );
    }
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /protection (the national coordinator: every case)",
            national.to_vec(),
            requests,
            move |c, _| ok(c, format!("{b}/protection")),
        )
        .await,
    );
    let db = store.connection();
    let Some(c) = crisis::Entity::find()
        .filter(crisis::Column::Name.eq(CRISIS_NAME))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let id = c.id;
    for (name, path) in [
        (
            "GET /api/v1/protection/crises/{id}/counts (the crisis's live counts)",
            format!("/api/v1/protection/crises/{id}/counts"),
        ),
        (
            "GET /protection/crises/{id} (the crisis page: counts, flights, a registry page)",
            format!("/protection/crises/{id}"),
        ),
    ] {
        let b = base.clone();
        scenarios.push(
            scenario(name, national.to_vec(), requests, move |c, _| {
                ok(c, format!("{b}{path}"))
            })
            .await,
        );
    }
    // Status changes by the national coordinator (a writer of the crisis's
    // mission), each on an entry of its own at the version it has.
    let Some(who) = user::Entity::find()
        .filter(user::Column::Username.eq("bench-national"))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let (_, token) = store
        .token_create(who.id, "bench", &kieng_store::audit::Origin::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let entries: Vec<(Uuid, i32)> = crisis_person::Entity::find()
        .select_only()
        .column(crisis_person::Column::Id)
        .column(crisis_person::Column::Version)
        .filter(crisis_person::Column::CrisisId.eq(id))
        .filter(crisis_person::Column::Merged.eq(false))
        .order_by_asc(crisis_person::Column::Id)
        .limit((2 * requests) as u64)
        .into_tuple()
        .all(db)
        .await?;
    if entries.len() >= 2 * requests {
        let entries = Arc::new(entries);
        let taken = Arc::new(AtomicUsize::new(0));
        let statuses = ["safe", "evacuated", "injured", "unreachable"];
        for (name, clients) in [
            (
                "POST /api/v1/protection/crises/{id}/people/{entry} (a status change, one writer at a time)",
                vec![token.clone()],
            ),
            (
                "POST /api/v1/protection/crises/{id}/people/{entry} (status changes, all clients at once)",
                vec![token.clone(); national.len()],
            ),
        ] {
            let b = base.clone();
            let client = reqwest::Client::new();
            let (entries, taken) = (entries.clone(), taken.clone());
            scenarios.push(
                scenario(name, clients, requests, move |token: String, i| {
                    let (entry, version) = entries[taken.fetch_add(1, Ordering::Relaxed)];
                    let url = format!("{b}/api/v1/protection/crises/{id}/people/{entry}");
                    let c = client.clone();
                    async move {
                        let body = serde_json::json!({
                            "status": statuses[i % statuses.len()],
                            "version": version,
                        });
                        answered(c.post(url).bearer_auth(token).json(&body).send().await, 200).await
                    }
                })
                .await,
            );
        }
    }
    // A community list of 10,000 people, checked (the preview) then written,
    // into a crisis of its own.
    let ctx = store
        .acting_as("bench-national")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let fresh = store
        .crisis_create(
            &ctx,
            &kieng_domain::protection::crisis::CrisisForm {
                name: format!("Danh sách nhập đo hiệu năng {}", Uuid::now_v7()),
                kind: "conflict".into(),
                country: "IL".into(),
                area: "Tel Aviv".into(),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut rows = vec![
        [
            "Họ và tên",
            "Ngày sinh",
            "Số hộ chiếu",
            "Điện thoại",
            "Nơi ở hiện tại",
            "Tình trạng",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for k in 0..IMPORTED {
        rows.push(vec![
            format!("Nguyễn Văn Nhập {k}"),
            format!("{:02}/{:02}/{}", 1 + k % 28, 1 + k % 12, 1960 + k % 45),
            format!("N{:08}", k),
            format!("+972 5{:08}", k),
            ["Tel Aviv", "Haifa", "Jerusalem", "Eilat"][k % 4].into(),
            ["an toàn", "chưa xác minh", "không liên lạc được"][k % 3].into(),
        ]);
    }
    let sheet = Arc::new(Sheet::from_rows(1, rows));
    let s = store.clone();
    let (ctx, fid) = (Arc::new(ctx), fresh.id);
    scenarios.push(
        scenario(
            "store in process: a protection crisis list of 10,000 people checked, then imported",
            vec![(ctx, sheet)],
            1,
            move |(ctx, sheet), _| {
                let s = s.clone();
                async move {
                    let checked = s.crisis_import(&ctx, fid, &sheet, false, None).await;
                    let applied = s.crisis_import(&ctx, fid, &sheet, true, None).await;
                    matches!((checked, applied), (Ok(c), Ok(a)) if c.problems.is_empty() && a.applied && a.new == IMPORTED)
                }
            },
        )
        .await,
    );
    Ok(())
}
