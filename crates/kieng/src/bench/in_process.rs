//! The two commonest lists measured through the store in process, beside their
//! pages: the same readers, filters and requests, with no HTTP, session, handler
//! or rendering — the list's SQL and the store's code around it alone. The pages
//! are held against this floor (the "within 1.5× of the raw SQL time").

use super::activities::{first_read_day, partner_from};
use super::drive::{Scenario, scenario};
use kieng_store::activities::ActivityFilter;
use kieng_store::{Ctx, Store, StoreConfig};
use std::sync::Arc;

/// Push the in-process scenarios' results onto `scenarios`: one worker per
/// reader in `users`, as the HTTP scenarios have one client per user.
pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    database_url: &str,
    users: &[String],
    partners: &[uuid::Uuid],
    requests: usize,
) -> anyhow::Result<()> {
    let store = Store::connect(database_url, StoreConfig::default()).await?;
    let mut readers: Vec<Arc<Ctx>> = Vec::new();
    for u in users {
        let ctx = store
            .acting_as(u)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        readers.push(Arc::new(ctx));
    }
    let s = store.clone();
    scenarios.push(
        scenario(
            "store in process: latest 50, each a first read (no HTTP)",
            readers.clone(),
            requests,
            move |ctx, i| {
                let (s, f) = (
                    s.clone(),
                    ActivityFilter {
                        from: Some(first_read_day(i)),
                        ..ActivityFilter::default()
                    },
                );
                async move { s.activity_list_read(&ctx, &f).await.is_ok() }
            },
        )
        .await,
    );
    // Kept as the page is: each reader's first read, unmeasured, keeps it.
    for r in &readers {
        let _ = store.activity_list(r, &ActivityFilter::default()).await;
    }
    let s = store.clone();
    scenarios.push(
        scenario(
            "store in process: latest 50, kept since the last change",
            readers.clone(),
            super::fast(requests),
            move |ctx, _| {
                let s = s.clone();
                async move {
                    s.activity_list(&ctx, &ActivityFilter::default())
                        .await
                        .is_ok()
                }
            },
        )
        .await,
    );
    let (s, ps) = (store.clone(), Arc::new(partners.to_vec()));
    scenarios.push(
        scenario(
            "store in process: one partner from a date (no HTTP)",
            readers,
            requests,
            move |ctx, i| {
                let (partner, from) = partner_from(&ps, i);
                let (s, f) = (
                    s.clone(),
                    ActivityFilter {
                        partner: Some(partner),
                        from: Some(from),
                        ..ActivityFilter::default()
                    },
                );
                async move { s.activity_list_read(&ctx, &f).await.is_ok() }
            },
        )
        .await,
    );
    store.close().await;
    Ok(())
}
