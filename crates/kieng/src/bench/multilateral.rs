//! Multilateral campaigns: the campaign board of twenty candidacies, each
//! with the words of the UN's 193 members over a campaign, opened by every
//! client at once (the page and its JSON), and the list of candidacies.

use super::Base;
use super::drive::{Scenario, ok, scenario};
use kieng_data::scale::multilateral::POST_PREFIX;
use kieng_store::Store;
use kieng_store::entity::candidacy;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::Arc;
use uuid::Uuid;

pub(super) async fn scenarios(
    scenarios: &mut Vec<Scenario>,
    store: &Store,
    base: &Base,
    national: &[reqwest::Client],
    requests: usize,
) -> anyhow::Result<()> {
    let ids: Vec<Uuid> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .filter(candidacy::Column::Post.starts_with(POST_PREFIX))
        .order_by_asc(candidacy::Column::Id)
        .into_tuple()
        .all(store.connection())
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    let ids = Arc::new(ids);
    for (name, api) in [
        (
            "GET /multilateral/candidacies/{id} (a campaign board: 193 countries and their histories)",
            false,
        ),
        (
            "GET /api/v1/multilateral/candidacies/{id} (a campaign board, JSON)",
            true,
        ),
    ] {
        let (b, ids) = (base.clone(), ids.clone());
        scenarios.push(
            scenario(name, national.to_vec(), requests, move |c, i| {
                let id = ids[i % ids.len()];
                let path = if api {
                    format!("{b}/api/v1/multilateral/candidacies/{id}")
                } else {
                    format!("{b}/multilateral/candidacies/{id}")
                };
                ok(c, path)
            })
            .await,
        );
    }
    let b = base.clone();
    scenarios.push(
        scenario(
            "GET /multilateral/candidacies (the national coordinator's candidacies)",
            national.to_vec(),
            requests,
            move |c, _| ok(c, format!("{b}/multilateral/candidacies")),
        )
        .await,
    );
    Ok(())
}
