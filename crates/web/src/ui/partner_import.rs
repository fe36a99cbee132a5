//! Importing partners and contacts: upload an XLSX or CSV file, see what each
//! row would do (new, already in the registry, or a problem named by row and
//! column), then confirm. The upload is kept in the database between the
//! preview and the confirmation, so any server applies exactly what was shown.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::{FormState, render, render_status};
use crate::view::PageCtx;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kieng_domain::partner_import::Column;
use kieng_store::partners::Marking;
use kieng_store::partners::{ImportReport, RowStatus};
use serde::Deserialize;

/// A checked upload awaiting confirmation.
struct Preview {
    batch: uuid::Uuid,
    file_name: String,
    report: ImportReport,
}

#[derive(Template)]
#[template(path = "partners/import.html")]
struct ImportPage {
    page: PageCtx,
    form: FormState,
    marking: crate::ui::Marking,
    /// Each column's heading in the reader's language, and whether it is imported.
    columns: Vec<(String, bool)>,
    preview: Option<Preview>,
    /// After an import: partners created and rows skipped.
    done: Option<(usize, usize)>,
}

impl ImportPage {
    fn status(&self, s: &RowStatus) -> (&'static str, &str) {
        match s {
            RowStatus::New => ("status-approved", self.page.t("import.status_new")),
            RowStatus::Exists => ("status-cancelled", self.page.t("import.status_exists")),
            RowStatus::Invalid => ("warn-tag", self.page.t("import.status_invalid")),
        }
    }
}

async fn page(state: &AppState, me: &Me, form: FormState) -> WebResult<ImportPage> {
    Ok(ImportPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/partners", "import.title"),
        marking: crate::ui::marking(state, me).await?,
        columns: Column::ALL
            .iter()
            .map(|c| (c.label().get(me.lang.code()).to_string(), c.imported()))
            .collect(),
        form,
        preview: None,
        done: None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub created: Option<usize>,
    pub skipped: Option<usize>,
}

pub async fn form(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(d): QueryArgs<Done>,
) -> WebResult<Response> {
    let mut p = page(
        &state,
        &me,
        FormState::new(me.lang).with("classification", "none"),
    )
    .await?;
    p.done = d.created.map(|c| (c, d.skipped.unwrap_or(0)));
    Ok(render(&p))
}

/// Read the upload, keep it, and show what importing it would do.
pub async fn preview(
    State(state): State<AppState>,
    me: Me,
    upload: Multipart,
) -> WebResult<Response> {
    let mut form = FormState::new(me.lang);
    let up = match crate::sheet::upload(upload).await {
        Ok(u) => u,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form).await?,
            ));
        }
    };
    let field = |k: &str| up.fields.get(k).cloned().unwrap_or_default();
    let (classification, secret_item) = (field("classification"), field("secret_item"));
    form = form
        .with("classification", &classification)
        .with("secret_item", &secret_item);
    let name = up.file_name;
    let sheet = match crate::sheet::read_off_thread(up.bytes).await {
        Ok(s) => s,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, form).await?,
            ));
        }
    };
    let marking = Marking {
        classification: Some(classification).filter(|c| !c.is_empty()),
        secret_item: Some(secret_item).filter(|c| !c.is_empty()),
    };
    let report = state
        .store
        .partner_import(&me.ctx, &sheet, &marking, false)
        .await?;
    let batch = state
        .store
        .import_stage(&me.ctx, "partners", &name, &sheet, &marking)
        .await?;
    let mut p = page(&state, &me, form).await?;
    p.preview = Some(Preview {
        batch,
        file_name: name,
        report,
    });
    Ok(render(&p))
}

/// Apply the import the user previewed: every new row, or none.
pub async fn apply(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let batch = ids.uuid(0)?;
    let (file_name, report) = state.store.import_staged(&me.ctx, batch, true).await?;
    if report.applied {
        return Ok(Redirect::to(&format!(
            "/partners/import?created={}&skipped={}",
            report.new, report.existing
        ))
        .into_response());
    }
    // The registry changed since the preview: show the problems now found.
    let mut p = page(&state, &me, FormState::new(me.lang)).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}
