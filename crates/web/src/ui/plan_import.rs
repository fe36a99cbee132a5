//! A plan's tasks as a spreadsheet: the export (XLSX or CSV, the columns the
//! import reads plus progress and status), and the import of the sheets
//! officials keep: upload, preview by row (new, already in the plan, or a
//! problem named by row and column), confirm. The upload is kept in the
//! database between preview and confirmation, so any server applies exactly
//! what was shown.

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
use kieng_domain::import::SheetColumn;
use kieng_domain::plan::import::Column;
use kieng_store::Store;
use kieng_store::plans::{TaskImport, TaskRowStatus};
use serde::Deserialize;
use uuid::Uuid;

/// A checked upload awaiting confirmation.
struct Preview {
    batch: Uuid,
    file_name: String,
    report: TaskImport,
}

#[derive(Template)]
#[template(path = "plans/import.html")]
struct ImportPage {
    page: PageCtx,
    plan_id: Uuid,
    plan_title: String,
    form: FormState,
    /// Each column's heading in the reader's language, and whether it is imported.
    columns: Vec<(String, bool)>,
    preview: Option<Preview>,
    /// After an import: tasks created and rows skipped.
    done: Option<(usize, usize)>,
}

impl ImportPage {
    fn status(&self, s: &TaskRowStatus) -> (&'static str, &str) {
        match s {
            TaskRowStatus::New => ("status-approved", self.page.t("import.status_new")),
            TaskRowStatus::Exists => ("status-cancelled", self.page.t("import.status_exists")),
            TaskRowStatus::Invalid => ("warn-tag", self.page.t("import.status_invalid")),
        }
    }
}

async fn page(state: &AppState, me: &Me, plan_id: Uuid, form: FormState) -> WebResult<ImportPage> {
    let plan = state.store.plan_get(&me.ctx, plan_id, false).await?;
    if !plan.can_edit {
        return Err(kieng_store::StoreError::forbidden().into());
    }
    Ok(ImportPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/plans/{plan_id}/import"),
            "plan.import_title",
        ),
        plan_id,
        plan_title: plan.row.plan.title,
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
    ids: Ids,
    QueryArgs(d): QueryArgs<Done>,
) -> WebResult<Response> {
    let mut p = page(&state, &me, ids.uuid(0)?, FormState::new(me.lang)).await?;
    p.done = d.created.map(|c| (c, d.skipped.unwrap_or(0)));
    Ok(render(&p))
}

/// Read the upload, keep it, and show what importing it would do.
pub async fn preview(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    upload: Multipart,
) -> WebResult<Response> {
    let plan_id = ids.uuid(0)?;
    let mut form = FormState::new(me.lang);
    let up = crate::sheet::upload(upload).await;
    let read = match up {
        Ok(up) => crate::sheet::read_off_thread(up.bytes)
            .await
            .map(|s| (up.file_name, s)),
        Err(m) => Err(m),
    };
    let (file_name, sheet) = match read {
        Ok(x) => x,
        Err(m) => {
            form.errors.add("file", m);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &me, plan_id, form).await?,
            ));
        }
    };
    let report = state
        .store
        .plan_task_import(&me.ctx, plan_id, &sheet, false)
        .await?;
    let batch = state
        .store
        .import_stage(
            &me.ctx,
            &Store::task_import_kind(plan_id),
            &file_name,
            &sheet,
            &Default::default(),
        )
        .await?;
    let mut p = page(&state, &me, plan_id, form).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render(&p))
}

/// Apply the import the user previewed: every new task, or none.
pub async fn apply(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let (plan_id, batch) = (ids.uuid(0)?, ids.uuid(1)?);
    let (file_name, report) = state
        .store
        .plan_task_import_staged(&me.ctx, plan_id, batch, true)
        .await?;
    if report.applied {
        return Ok(Redirect::to(&format!(
            "/plans/{plan_id}/import?created={}&skipped={}",
            report.new, report.existing
        ))
        .into_response());
    }
    // The plan changed since the preview: show the problems now found.
    let mut p = page(&state, &me, plan_id, FormState::new(me.lang)).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

async fn export(state: &AppState, me: &Me, ids: Ids, xlsx: bool) -> WebResult<Response> {
    let en = me.lang == crate::i18n::Lang::En;
    let v = state.store.plan_get(&me.ctx, ids.uuid(0)?, en).await?;
    crate::export::list_download(
        "plan-tasks",
        crate::i18n::t(me.lang, "plan.tasks"),
        &crate::export::task_headings(me.lang),
        &crate::export::task_lines(&v.tasks, me.lang),
        &[
            (0, 8.0),
            (1, 60.0),
            (2, 36.0),
            (3, 36.0),
            (4, 30.0),
            (5, 14.0),
        ],
        xlsx,
    )
}

pub async fn export_xlsx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    export(&state, &me, ids, true).await
}

pub async fn export_csv(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    export(&state, &me, ids, false).await
}
