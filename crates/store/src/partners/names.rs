//! A partner's names as the `partner_names` rows search and duplicate checks
//! read: every name and alias, each folded key once.

use crate::entity::partner_name;
use kieng_domain::partner::name_key;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

pub(crate) fn names_of(
    id: Uuid,
    names: &[(String, &'static str)],
) -> Vec<partner_name::ActiveModel> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|(n, _)| !n.trim().is_empty())
        .filter(|(n, _)| seen.insert(name_key(n)))
        .map(|(n, source)| partner_name::ActiveModel {
            partner_id: Set(id),
            name_key: Set(name_key(n)),
            name: Set(n.clone()),
            source: Set((*source).into()),
        })
        .collect()
}
