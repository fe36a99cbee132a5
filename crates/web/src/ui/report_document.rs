//! A review report as the documents it is issued in: the Decree-30 `.docx`,
//! the print-ready HTML page, and a workbook of every table. All three are
//! drawn from the same `ReportView` the report page shows — the frozen
//! snapshot once submitted — so they never hold more than the reader sees.
//! The document's mark is the highest of the report's own classification and
//! what its figures count.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::Ids;
use crate::i18n::Lang;
use crate::middleware::Me;
use crate::view::PageCtx;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kieng_domain::Classification;
use kieng_domain::document::{Block, DocTable, Document, Section, place_and_date};
use kieng_domain::report::{Figures, Table};
use kieng_store::reports::{ReportView, lines};

/// "I", "II", … for the document's headings.
fn roman(n: usize) -> String {
    const R: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    R.get(n.saturating_sub(1))
        .map(|s| (*s).to_string())
        .unwrap_or_else(|| n.to_string())
}

/// The classification the document carries.
pub(crate) fn mark_of(v: &ReportView) -> Classification {
    let own = Classification::ALL
        .get(
            usize::try_from(v.row.report.classification)
                .unwrap_or(0)
                .min(3),
        )
        .copied()
        .unwrap_or(Classification::None);
    own.max(v.figures.holds)
}

/// A table's cells: label, the period, the one before, the change.
pub(crate) fn cells(t: &Table, lang: Lang) -> Vec<Vec<String>> {
    let en = lang == Lang::En;
    let mut rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            vec![
                if en { r.en.clone() } else { r.vi.clone() },
                r.now.to_string(),
                r.before.to_string(),
                r.change(),
            ]
        })
        .collect();
    if t.summed && t.rows.len() > 1 {
        let (a, b) = t.total();
        let total = kieng_domain::report::Row {
            key: String::new(),
            vi: String::new(),
            en: String::new(),
            now: a,
            before: b,
        };
        rows.push(vec![
            if en { "Total" } else { "Tổng cộng" }.to_string(),
            a.to_string(),
            b.to_string(),
            total.change(),
        ]);
    }
    rows
}

/// The heading row: what is counted, the period, the one before, the change.
pub(crate) fn head(f: &Figures, lang: Lang) -> Vec<String> {
    let en = lang == Lang::En;
    let p = |m: kieng_domain::Msg| if en { m.en } else { m.vi };
    vec![
        if en { "Item" } else { "Nội dung" }.to_string(),
        p(f.period.label()),
        p(f.previous.label()),
        if en { "Change" } else { "Tăng, giảm" }.to_string(),
    ]
}

/// The report as a Decree-30 document.
pub(crate) fn document(v: &ReportView) -> Document {
    let r = &v.row.report;
    let f = &v.figures;
    let mut results = Vec::new();
    results.push(Block::Paragraph(format!(
        "Phạm vi: {}. Số liệu {} so sánh với {}, tính các hồ sơ đã duyệt, đã thực hiện hoặc đã báo cáo kết quả.",
        v.scope_vi,
        f.period.label().vi,
        f.previous.label().vi
    )));
    for (i, s) in f.sections.iter().enumerate() {
        results.push(Block::Heading(format!("{}. {}", i + 1, s.vi)));
        for t in &s.tables {
            if t.rows.is_empty() {
                continue;
            }
            results.push(Block::Paragraph(format!("{}:", t.vi)));
            results.push(Block::Table(DocTable {
                head: head(f, Lang::Vi),
                rows: cells(t, Lang::Vi),
            }));
        }
        for item in &s.items {
            results.push(Block::Item(item.clone()));
        }
    }
    let mut sections = vec![Section {
        heading: "I. KẾT QUẢ CÔNG TÁC ĐỐI NGOẠI".into(),
        blocks: results,
    }];
    for (i, t) in v.texts.iter().enumerate() {
        let paragraphs: Vec<String> = t
            .body
            .split("\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        sections.push(Section::text(
            format!("{}. {}", roman(i + 2), t.part.label().vi.to_uppercase()),
            paragraphs,
        ));
    }
    let mut copies = lines(&r.copies_to);
    if !copies.iter().any(|c| c.starts_with("Lưu")) {
        copies.push("Lưu: VT".into());
    }
    Document {
        parent: v.issuer_parent.clone(),
        issuer: v
            .row
            .issuer
            .as_ref()
            .map(|a| a.name_vi.clone())
            .unwrap_or_default(),
        number: v.row.number.clone(),
        place: v.issuer_province.clone().unwrap_or_else(|| "Hà Nội".into()),
        date: r
            .approved_at
            .map(kieng_store::activities::vn_date)
            .unwrap_or_else(kieng_store::today),
        kind: "BÁO CÁO".into(),
        title: r.title.clone(),
        recipients: lines(&r.recipients),
        sections,
        signer_position: r.signer_position.clone(),
        signer_name: r.signer_name.clone(),
        copies_to: copies,
        classification: mark_of(v),
        urgency: r
            .urgency
            .as_deref()
            .and_then(kieng_domain::report::Urgency::parse)
            .map(|u| u.label().vi),
    }
}

fn file_name(v: &ReportView, ext: &str) -> String {
    format!(
        "kieng-bao-cao-{}-{}.{ext}",
        v.period.from.format("%Y-%m-%d"),
        v.period.to.format("%Y-%m-%d")
    )
}

/// `GET /reports/{id}/report.docx`.
pub async fn docx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let v = state.store.report_get(&me.ctx, ids.uuid(0)?).await?;
    let bytes = crate::docx::render(&document(&v))?;
    Ok(crate::export::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &file_name(&v, "docx"),
    ))
}

/// `GET /reports/{id}/tables.xlsx`: every table of the report, a sheet each.
pub async fn xlsx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let v = state.store.report_get(&me.ctx, ids.uuid(0)?).await?;
    let heading = head(&v.figures, me.lang);
    let mut sheets = Vec::new();
    for s in &v.figures.sections {
        for t in &s.tables {
            let title = if me.lang == Lang::En { &t.en } else { &t.vi };
            sheets.push((title.clone(), cells(t, me.lang)));
        }
    }
    let bytes = crate::export::tables_workbook(&heading, &sheets)?;
    Ok(crate::export::download(
        bytes,
        crate::export::XLSX,
        &file_name(&v, "xlsx"),
    ))
}

#[derive(Template)]
#[template(path = "reports/print.html")]
struct PrintPage {
    page: PageCtx,
    doc: Document,
    date_line: String,
    mark: Option<&'static str>,
}

impl PrintPage {
    fn is_heading(b: &Block) -> Option<&str> {
        match b {
            Block::Heading(h) => Some(h),
            _ => None,
        }
    }
    fn is_paragraph(b: &Block) -> Option<&str> {
        match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        }
    }
    fn is_item(b: &Block) -> Option<&str> {
        match b {
            Block::Item(p) => Some(p),
            _ => None,
        }
    }
    fn is_table(b: &Block) -> Option<&DocTable> {
        match b {
            Block::Table(t) => Some(t),
            _ => None,
        }
    }
}

/// `GET /reports/{id}/print`: the document as a page to print (A4, the
/// Decree-30 layout, the mark at the top and foot of every sheet).
pub async fn print(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.report_get(&me.ctx, id).await?;
    let doc = document(&v);
    let mark = kieng_domain::document::mark([doc.classification]);
    let rank = doc.classification as i16;
    Ok(crate::ui::render(&PrintPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/reports/{id}/print"),
            "report.print",
        )
        .with_title(v.row.report.title.clone())
        .with_marking([rank]),
        date_line: place_and_date(&doc.place, doc.date),
        mark,
        doc,
    }))
}
