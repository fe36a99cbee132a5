//! Migration 54: the external line's key tasks as a plan template — the
//! nine key tasks of the 13th Congress's external line, each with the
//! paragraph it carries out (`data/reference/plan-templates.csv`). The file
//! is read as it is in this build; a later list ships in a later migration.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use sea_orm::{ConnectionTrait, Value};
use serde::Deserialize;
use uuid::Uuid;

const TEMPLATES_CSV: &str = include_str!("../../../data/reference/plan-templates.csv");

#[derive(Deserialize)]
struct Row {
    template_code: String,
    template_title: String,
    template_source: String,
    number: String,
    title: String,
    source_quote: String,
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let rows: Vec<Row> = reference_rows(TEMPLATES_CSV)?;
    let now = crate::now();
    let mut templates: Vec<(String, Uuid)> = Vec::new();
    let mut tasks = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let id = match templates.iter().find(|(c, _)| *c == r.template_code) {
            Some((_, id)) => *id,
            None => {
                let id = Uuid::now_v7();
                insert_rows(
                    db,
                    "plan_templates",
                    &["id", "code", "title", "source", "created_at"],
                    vec![vec![
                        id.into(),
                        r.template_code.clone().into(),
                        r.template_title.clone().into(),
                        r.template_source.clone().into(),
                        now.into(),
                    ]],
                )
                .await?;
                templates.push((r.template_code.clone(), id));
                id
            }
        };
        tasks.push(vec![
            Value::from(Uuid::now_v7()),
            id.into(),
            (i as i32 + 1).into(),
            r.number.clone().into(),
            r.title.clone().into(),
            r.source_quote.clone().into(),
        ]);
    }
    insert_rows(
        db,
        "plan_template_tasks",
        &[
            "id",
            "template_id",
            "position",
            "number",
            "title",
            "source_quote",
        ],
        tasks,
    )
    .await
}
