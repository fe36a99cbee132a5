//! Importing past activities: download the blank workbook, upload an XLSX or
//! CSV file, see what each row would do (new, already in Kiềng, or a problem
//! named by row and column), then confirm. The upload is kept in the
//! database between the preview and the confirmation, so any server applies
//! exactly what was shown.

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
use kieng_domain::activity_import::{Column, MAX_ROWS, PAST};
use kieng_store::activities::{ActivityImportReport, IMPORT_KIND};
use kieng_store::partners::{Marking, RowStatus};
use serde::Deserialize;

/// A checked upload awaiting confirmation.
struct Preview {
    batch: uuid::Uuid,
    file_name: String,
    report: ActivityImportReport,
}

#[derive(Template)]
#[template(path = "activities/import.html")]
struct ImportPage {
    page: PageCtx,
    form: FormState,
    marking: crate::ui::Marking,
    /// Each column's heading in the reader's language, and whether it is imported.
    columns: Vec<(String, bool)>,
    preview: Option<Preview>,
    /// After an import: activities created and rows skipped.
    done: Option<(usize, usize)>,
    max_rows: usize,
    /// The kinds a partner missing from Kiềng may be created as.
    kinds: Vec<crate::ui::Choice>,
    /// What creating a missing partner came to (a duplicate named).
    partner_notice: Option<String>,
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
        page: PageCtx::new(me.lang, Some(&me.p), "/activities", "activity_import.title"),
        marking: crate::ui::marking(state, me).await?,
        columns: Column::ALL
            .iter()
            .map(|c| (c.label().get(me.lang.code()).to_string(), c.imported()))
            .collect(),
        form,
        preview: None,
        done: None,
        max_rows: MAX_ROWS,
        // Countries come from the ISO list: never created here.
        kinds: crate::ui::choices(
            &kieng_domain::partner::PartnerKind::ALL
                .into_iter()
                .filter(|k| *k != kieng_domain::partner::PartnerKind::Country)
                .collect::<Vec<_>>(),
            kieng_domain::partner::PartnerKind::as_str,
            kieng_domain::partner::PartnerKind::label,
            me.lang,
        ),
        partner_notice: None,
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

/// The blank workbook: the headings, one example row, and the values each
/// coded column allows on a second sheet.
pub async fn template(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let l = me.lang.code();
    let columns: Vec<Column> = Column::ALL.into_iter().filter(|c| c.imported()).collect();
    let headings: Vec<String> = columns
        .iter()
        .map(|c| c.label().get(l).to_string())
        .collect();
    let example: Vec<String> = columns
        .iter()
        .map(|c| {
            match c {
                Column::Starts => "12/05/2019",
                Column::Ends => "14/05/2019",
                Column::Title => "Đoàn lãnh đạo tỉnh thăm và làm việc tại Lào (ví dụ)",
                Column::Type => "Đoàn ra",
                Column::Pillar => "Ngoại giao Nhà nước",
                Column::Channel => "",
                Column::LeadAgency => "SNV-QN",
                Column::Partners => "Lào",
                Column::City => "Viêng Chăn",
                Column::Country => "LA",
                Column::Head => "",
                Column::Status => "Đã thực hiện",
                Column::Classification => "",
            }
            .to_string()
        })
        .collect();
    let types = state.store.activity_types().await?;
    let label = |m: kieng_domain::Msg| m.get(l).to_string();
    let values = vec![
        (
            label(Column::Type.label()),
            types
                .iter()
                .map(|t| {
                    if l == "en" {
                        t.name_en.clone()
                    } else {
                        t.name_vi.clone()
                    }
                })
                .collect(),
        ),
        (
            label(Column::Status.label()),
            PAST.iter().map(|s| label(s.label())).collect(),
        ),
        (
            label(Column::Pillar.label()),
            kieng_domain::agency::Pillar::ALL
                .iter()
                .map(|p| label(p.label()))
                .collect(),
        ),
        (
            label(Column::Starts.label()),
            [
                "12/05/2019",
                "12/05/2019 09:00",
                "5/2019",
                "tháng 5/2019",
                "2019",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
    ];
    let bytes = crate::export::template_workbook(
        crate::i18n::t(me.lang, "nav.activities"),
        &headings,
        &example,
        crate::i18n::t(me.lang, "activity_import.values"),
        &values,
    )?;
    Ok(crate::export::download(
        bytes,
        crate::export::XLSX,
        "kieng-activities-template.xlsx",
    ))
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
    let sheet = match crate::sheet::read_rows_off_thread(up.bytes, MAX_ROWS).await {
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
        .activity_import(&me.ctx, &name, &sheet, &marking, false)
        .await?;
    let batch = state
        .store
        .import_stage(&me.ctx, IMPORT_KIND, &name, &sheet, &marking)
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
    let (file_name, report) = state
        .store
        .activity_import_staged(&me.ctx, batch, true)
        .await?;
    if report.applied {
        return Ok(Redirect::to(&format!(
            "/activities/import?created={}&skipped={}",
            report.new, report.existing
        ))
        .into_response());
    }
    // Kiềng changed since the preview: show the problems now found.
    let mut p = page(&state, &me, FormState::new(me.lang)).await?;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// A partner the file names that Kiềng lacks, created from the preview.
#[derive(Debug, Default, Deserialize)]
pub struct NewPartner {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
}

/// Create a partner the preview found missing — refused when it may be one
/// Kiềng has under another name (the duplicate check names them) — and
/// check the staged file again.
pub async fn add_partner(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    crate::extract::FormBody(f): crate::extract::FormBody<NewPartner>,
) -> WebResult<Response> {
    let batch = ids.uuid(0)?;
    state
        .store
        .import_batch_owned(&me.ctx, batch, IMPORT_KIND)
        .await?;
    let form = kieng_domain::partner::PartnerForm {
        name_vi: f.name.clone(),
        kind: f.kind.clone(),
        ..Default::default()
    };
    let l = me.lang.code();
    let notice = match state.store.partner_create(&me.ctx, &form, false).await {
        Ok(p) => Some(format!(
            "{} «{}».",
            crate::i18n::t(me.lang, "activity_import.partner_created"),
            p.name_vi
        )),
        Err(kieng_store::StoreError::Duplicate { candidates }) => {
            let names: Vec<String> = candidates
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name_vi"].as_str().map(str::to_string))
                .collect();
            Some(format!(
                "{} {}",
                crate::i18n::t(me.lang, "activity_import.partner_similar"),
                names.join("; ")
            ))
        }
        Err(kieng_store::StoreError::Invalid(e)) => Some(
            e.0.values()
                .map(|m| m.get(l).to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(e) => return Err(e.into()),
    };
    let (file_name, report) = state
        .store
        .activity_import_staged(&me.ctx, batch, false)
        .await?;
    let mut p = page(&state, &me, FormState::new(me.lang)).await?;
    p.partner_notice = notice;
    p.preview = Some(Preview {
        batch,
        file_name,
        report,
    });
    Ok(render(&p))
}
