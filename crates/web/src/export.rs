//! Spreadsheet exports: the coordinator's board as an XLSX workbook, one sheet
//! per section, and the partner list as XLSX or CSV; headings in the reader's
//! language, dates as real dates.

use crate::error::{WebError, WebResult};
use crate::i18n::{self, Lang};
use kieng_domain::partner_import::Column;
use kieng_store::StoreError;
use kieng_store::commitments::{Board, CommitmentRow};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

fn date_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: chrono::NaiveDate,
    fmt: &Format,
) -> Result<(), XlsxError> {
    use chrono::Datelike;
    let v = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    ws.write_datetime_with_format(row, col, &v, fmt)?;
    Ok(())
}

fn commitments_sheet(
    wb: &mut Workbook,
    name: &str,
    rows: &[CommitmentRow],
    lang: Lang,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let heads = [
        "commitment.due_on",
        "commitment.title",
        "commitment.owner",
        "commitment.responsible",
        "commitment.partner",
        "commitment.status",
        "commitment.source",
    ];
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, i18n::t(lang, h), &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let c = &r.commitment;
        date_cell(ws, row, 0, c.due_on, &date)?;
        ws.write_string(row, 1, &c.title)?;
        ws.write_string(
            row,
            2,
            r.owner.as_ref().map(|o| o.name_vi.as_str()).unwrap_or(""),
        )?;
        ws.write_string(row, 3, c.responsible.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, r.partner_name.as_deref().unwrap_or(""))?;
        let status = kieng_domain::commitment::Status::parse(&c.status)
            .map(|s| s.label().get(lang.code()).to_string())
            .unwrap_or_default();
        ws.write_string(row, 5, status)?;
        let source = kieng_domain::commitment::Source::parse(&c.source)
            .map(|s| s.label().get(lang.code()).to_string())
            .unwrap_or_default();
        ws.write_string(row, 6, source)?;
    }
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 36)?;
    ws.set_column_width(3, 24)?;
    ws.set_column_width(4, 24)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn workbook(b: &Board, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    commitments_sheet(&mut wb, i18n::t(lang, "xlsx.overdue"), &b.overdue, lang)?;
    commitments_sheet(&mut wb, i18n::t(lang, "xlsx.soon"), &b.soon, lang)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name(i18n::t(lang, "xlsx.expiring"))?;
    for (i, h) in [
        "agreement.expires_on",
        "agreement.title",
        "agreement.owner",
        "agreement.status",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, i as u16, i18n::t(lang, h), &bold)?;
    }
    for (i, r) in b.expiring.iter().enumerate() {
        let row = i as u32 + 1;
        let a = &r.agreement;
        if let Some(d) = a.expires_on {
            date_cell(ws, row, 0, d, &date)?;
        }
        ws.write_string(row, 1, &a.title_vi)?;
        ws.write_string(
            row,
            2,
            r.owner.as_ref().map(|o| o.name_vi.as_str()).unwrap_or(""),
        )?;
        let status = kieng_domain::agreement::Status::parse(&a.status)
            .map(|s| s.label().get(lang.code()).to_string())
            .unwrap_or_default();
        ws.write_string(row, 3, status)?;
    }
    ws.set_column_width(1, 60)?;
    wb.save_to_buffer()
}

/// The media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file as a download named `name`.
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The board as XLSX bytes.
pub fn board_workbook(b: &Board, lang: Lang) -> WebResult<Vec<u8>> {
    workbook(b, lang).map_err(|e| WebError::Store(StoreError::Internal(format!("xlsx: {e}"))))
}

/// One exported partner: the columns of the partner list export, in order.
pub struct PartnerLine {
    pub cells: Vec<String>,
}

/// The headings of the partner export (the import reads the same), in the
/// reader's language.
fn partner_headings(lang: Lang) -> Vec<String> {
    Column::ALL
        .iter()
        .map(|c| c.label().get(lang.code()).to_string())
        .collect()
}

/// The partner list as cells (aliases joined by "; ", flags as "x"; for a person,
/// the first position held now).
pub fn partner_lines(
    rows: Vec<kieng_store::partners::PartnerRow>,
    aliases: &std::collections::HashMap<uuid::Uuid, Vec<String>>,
    positions: &std::collections::HashMap<uuid::Uuid, Vec<kieng_store::partners::PositionView>>,
    lang: Lang,
) -> Vec<PartnerLine> {
    let flag = |b: bool| if b { "x".to_string() } else { String::new() };
    rows.into_iter()
        .map(|r| {
            let p = r.partner;
            let kind = kieng_domain::partner::PartnerKind::parse(&p.kind)
                .map(|k| k.label().get(lang.code()).to_string())
                .unwrap_or_default();
            let (level, since) = match r.current {
                Some(c) => (
                    if lang.code() == "en" {
                        c.level_en
                    } else {
                        c.level_vi
                    },
                    c.since,
                ),
                None => (String::new(), String::new()),
            };
            let now = positions.get(&p.id).and_then(|v| v.first());
            PartnerLine {
                cells: vec![
                    p.name_vi,
                    p.name_en.unwrap_or_default(),
                    kind,
                    p.code.unwrap_or_default(),
                    p.abbreviation.unwrap_or_default(),
                    aliases.get(&p.id).map(|a| a.join("; ")).unwrap_or_default(),
                    p.country_code.unwrap_or_default(),
                    level,
                    since,
                    flag(p.neighbour),
                    flag(p.traditional_friend),
                    p.notes.unwrap_or_default(),
                    now.map(|v| v.position.title.clone()).unwrap_or_default(),
                    now.and_then(|v| v.organisation_name.clone())
                        .unwrap_or_default(),
                    now.map(|v| v.from.clone()).unwrap_or_default(),
                ],
            }
        })
        .collect()
}

/// A list as an XLSX workbook: one sheet named `sheet`, a bold frozen
/// heading, the given column widths.
pub fn table_xlsx(
    sheet: &str,
    headings: &[String],
    rows: &[Vec<String>],
    widths: &[(u16, f64)],
) -> WebResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        for (i, h) in headings.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold)?;
        }
        for (i, l) in rows.iter().enumerate() {
            for (j, c) in l.iter().enumerate() {
                ws.write_string(i as u32 + 1, j as u16, c)?;
            }
        }
        for (col, w) in widths {
            ws.set_column_width(*col, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    };
    build().map_err(|e| WebError::Store(StoreError::Internal(format!("xlsx: {e}"))))
}

/// An import's blank workbook: a first sheet with the headings and one
/// example row, and a second with the values each coded column allows (a
/// column each, its heading the column's).
pub fn template_workbook(
    sheet: &str,
    headings: &[String],
    example: &[String],
    values_sheet: &str,
    values: &[(String, Vec<String>)],
) -> WebResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        for (i, h) in headings.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold)?;
            ws.set_column_width(i as u16, 24)?;
        }
        for (i, c) in example.iter().enumerate() {
            ws.write_string(1, i as u16, c)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let vs = wb.add_worksheet();
        vs.set_name(values_sheet)?;
        for (i, (h, list)) in values.iter().enumerate() {
            vs.write_string_with_format(0, i as u16, h, &bold)?;
            vs.set_column_width(i as u16, 36)?;
            for (j, v) in list.iter().enumerate() {
                vs.write_string(j as u32 + 1, i as u16, v)?;
            }
        }
        wb.save_to_buffer()
    };
    build().map_err(|e| WebError::Store(StoreError::Internal(format!("xlsx: {e}"))))
}

/// Several tables as one workbook, a sheet each: the sheet named by the
/// table (cut to Excel's 31 characters, without the characters it refuses,
/// numbered to stay unique), the same heading row on each, figures as numbers.
pub fn tables_workbook(
    heading: &[String],
    sheets: &[(String, Vec<Vec<String>>)],
) -> WebResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        for (n, (title, rows)) in sheets.iter().enumerate() {
            let ws = wb.add_worksheet();
            let clean: String = title
                .chars()
                .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
                .collect();
            let name = format!("{} {}", n + 1, clean);
            ws.set_name(name.chars().take(31).collect::<String>().trim())?;
            for (i, h) in heading.iter().enumerate() {
                ws.write_string_with_format(0, i as u16, h, &bold)?;
            }
            for (i, l) in rows.iter().enumerate() {
                for (j, c) in l.iter().enumerate() {
                    let (row, col) = (i as u32 + 1, j as u16);
                    match c.parse::<f64>() {
                        Ok(v) if j > 0 => ws.write_number(row, col, v)?,
                        _ => ws.write_string(row, col, c)?,
                    };
                }
            }
            ws.set_column_width(0, 48)?;
            for col in 1..heading.len() as u16 {
                ws.set_column_width(col, 22)?;
            }
            ws.set_freeze_panes(1, 0)?;
        }
        wb.save_to_buffer()
    };
    build().map_err(|e| WebError::Store(StoreError::Internal(format!("xlsx: {e}"))))
}

/// A list as CSV: UTF-8 with a byte-order mark so spreadsheet programs read
/// Vietnamese correctly, RFC 4180 quoting, formula-like cells neutralised
/// (`text::csv_cell`).
pub fn table_csv(headings: &[String], rows: &[Vec<String>]) -> WebResult<Vec<u8>> {
    let err = |e: String| WebError::Store(StoreError::Internal(format!("csv: {e}")));
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(headings).map_err(|e| err(e.to_string()))?;
    for l in rows {
        w.write_record(
            l.iter()
                .map(|c| kieng_domain::text::csv_cell(c).into_owned()),
        )
        .map_err(|e| err(e.to_string()))?;
    }
    w.into_inner().map_err(|e| err(e.to_string()))
}

/// The partner list as an XLSX workbook.
pub fn partners_xlsx(lines: &[PartnerLine], lang: Lang) -> WebResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
    table_xlsx(
        i18n::t(lang, "nav.partners"),
        &partner_headings(lang),
        &rows,
        &[(0, 40.0), (1, 36.0), (2, 24.0), (7, 30.0)],
    )
}

/// The partner list as CSV.
pub fn partners_csv(lines: &[PartnerLine], lang: Lang) -> WebResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
    table_csv(&partner_headings(lang), &rows)
}

/// The headings of the activity list export, in the reader's language.
pub fn activity_headings(lang: Lang) -> Vec<String> {
    [
        "export.starts",
        "export.ends",
        "activity.title",
        "activity.type",
        "field.pillar",
        "export.channel",
        "activity.lead_agency",
        "export.partners",
        "export.city",
        "export.country",
        "activity.head",
        "activity.status",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The activity list as cells: times in Vietnam's time, labels in the
/// reader's language.
pub fn activity_lines(
    rows: &[kieng_store::activities::ActivityRow],
    types: &[kieng_store::entity::activity_type::Model],
    partners: &std::collections::HashMap<uuid::Uuid, Vec<String>>,
    lang: Lang,
) -> Vec<Vec<String>> {
    let en = lang.code() == "en";
    let vn = |t: chrono::DateTime<chrono::Utc>| {
        (t + chrono::Duration::hours(7))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let label = |m: kieng_domain::Msg| m.get(lang.code()).to_string();
    rows.iter()
        .map(|r| {
            let a = &r.activity;
            let ty = types
                .iter()
                .find(|t| t.code == a.type_code)
                .map(|t| {
                    if en {
                        t.name_en.clone()
                    } else {
                        t.name_vi.clone()
                    }
                })
                .unwrap_or_else(|| a.type_code.clone());
            vec![
                vn(a.starts_at),
                vn(a.ends_at),
                a.title.clone(),
                ty,
                kieng_domain::agency::Pillar::parse(&a.pillar)
                    .map(|p| label(p.label()))
                    .unwrap_or_default(),
                a.channel
                    .as_deref()
                    .and_then(kieng_domain::activity::Channel::parse)
                    .map(|c| label(c.label()))
                    .unwrap_or_default(),
                r.lead
                    .as_ref()
                    .map(|l| l.name_vi.clone())
                    .unwrap_or_default(),
                partners
                    .get(&a.id)
                    .map(|p| p.join("; "))
                    .unwrap_or_default(),
                a.city.clone().unwrap_or_default(),
                a.country_code.clone().unwrap_or_default(),
                a.head_name.clone().unwrap_or_default(),
                kieng_domain::activity::Status::parse(&a.status)
                    .map(|s| label(s.label()))
                    .unwrap_or_default(),
                usize::try_from(a.classification)
                    .ok()
                    .and_then(|r| kieng_domain::Classification::ALL.get(r))
                    .map(|c| label(c.label()))
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// The headings of the agreement list export.
pub fn agreement_headings(lang: Lang) -> Vec<String> {
    [
        "agreement.title",
        "export.title_en",
        "export.agreement_kind",
        "agreement.status",
        "export.signed_on",
        "export.in_force_on",
        "agreement.expires_on",
        "agreement.owner",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The headings of the citizen protection case list export.
pub fn case_headings(lang: Lang) -> Vec<String> {
    [
        "case.number",
        "case.intake",
        "case.severity",
        "case.category",
        "case.status",
        "case.country",
        "case.place",
        "case.agency",
        "case.officer",
        "case.first_contact_due",
        "case.first_contact",
        "case.summary",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The case list's rows: nothing personal is on them.
pub fn case_lines(rows: &[kieng_store::protection::CaseRow], lang: Lang) -> Vec<Vec<String>> {
    use kieng_domain::protection::{Category, Severity, Status};
    let l = lang.code();
    let vn = |t: chrono::DateTime<chrono::Utc>| {
        (t + chrono::Duration::hours(7))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    rows.iter()
        .map(|r| {
            let c = &r.case;
            vec![
                c.number.clone(),
                vn(c.opened_at),
                Severity::parse(&c.severity)
                    .map(|s| s.label().get(l).to_string())
                    .unwrap_or_default(),
                Category::parse(&c.category)
                    .map(|s| s.label().get(l).to_string())
                    .unwrap_or_default(),
                Status::parse(&c.status)
                    .map(|s| s.label().get(l).to_string())
                    .unwrap_or_default(),
                r.country_name.clone(),
                c.place.clone().unwrap_or_default(),
                r.agency_name.clone(),
                r.officer_name.clone().unwrap_or_default(),
                vn(c.first_contact_due),
                c.first_contact_at.map(vn).unwrap_or_default(),
                c.summary.clone(),
                classification(c.classification, lang),
            ]
        })
        .collect()
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn classification(rank: i16, lang: Lang) -> String {
    usize::try_from(rank)
        .ok()
        .and_then(|r| kieng_domain::Classification::ALL.get(r))
        .map(|c| c.label().get(lang.code()).to_string())
        .unwrap_or_default()
}

/// The agreement list as cells.
pub fn agreement_lines(
    rows: &[kieng_store::agreements::AgreementRow],
    lang: Lang,
) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let a = &r.agreement;
            vec![
                a.title_vi.clone(),
                a.title_en.clone().unwrap_or_default(),
                kieng_domain::agreement::Kind::parse(&a.kind)
                    .map(|k| k.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                kieng_domain::agreement::Status::parse(&a.status)
                    .map(|s| s.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                day(a.signed_on),
                day(a.in_force_on),
                day(a.expires_on),
                r.owner
                    .as_ref()
                    .map(|o| o.name_vi.clone())
                    .unwrap_or_default(),
                classification(a.classification, lang),
            ]
        })
        .collect()
}

/// The headings of the commitment list export.
pub fn commitment_headings(lang: Lang) -> Vec<String> {
    [
        "commitment.due_on",
        "commitment.title",
        "commitment.owner",
        "commitment.responsible",
        "commitment.partner",
        "commitment.status",
        "commitment.source",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The commitment list as cells.
pub fn commitment_lines(rows: &[CommitmentRow], lang: Lang) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let c = &r.commitment;
            vec![
                day(Some(c.due_on)),
                c.title.clone(),
                r.owner
                    .as_ref()
                    .map(|o| o.name_vi.clone())
                    .unwrap_or_default(),
                c.responsible.clone().unwrap_or_default(),
                r.partner_name.clone().unwrap_or_default(),
                kieng_domain::commitment::Status::parse(&c.status)
                    .map(|s| s.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                kieng_domain::commitment::Source::parse(&c.source)
                    .map(|s| s.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                classification(c.classification, lang),
            ]
        })
        .collect()
}

/// A list's cells as the download asked for: XLSX or CSV, named by the list
/// and today's date.
pub fn list_download(
    list: &str,
    sheet: &str,
    headings: &[String],
    rows: &[Vec<String>],
    widths: &[(u16, f64)],
    xlsx: bool,
) -> WebResult<axum::response::Response> {
    let (bytes, kind, ext) = if xlsx {
        (table_xlsx(sheet, headings, rows, widths)?, XLSX, "xlsx")
    } else {
        (table_csv(headings, rows)?, "text/csv; charset=utf-8", "csv")
    };
    let name = format!(
        "kieng-{list}-{}.{ext}",
        kieng_store::today().format("%Y-%m-%d")
    );
    Ok(download(bytes, kind, &name))
}

/// The headings of the agency list export.
pub fn agency_headings(lang: Lang) -> Vec<String> {
    [
        "field.code",
        "field.name_vi",
        "field.name_en",
        "field.abbreviation",
        "field.pillar",
        "field.also_pillar",
        "field.level",
        "field.province",
        "field.commune",
        "field.country",
        "field.status",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The agency list as cells; provinces and communes by their codes.
pub fn agency_lines(rows: &[kieng_store::entity::agency::Model], lang: Lang) -> Vec<Vec<String>> {
    use kieng_domain::agency::{AgencyStatus, Level, Pillar};
    let label = |m: kieng_domain::Msg| m.get(lang.code()).to_string();
    let pillar = |p: &str| {
        Pillar::parse(p)
            .map(|p| label(p.label()))
            .unwrap_or_default()
    };
    rows.iter()
        .map(|a| {
            vec![
                a.code.clone(),
                a.name_vi.clone(),
                a.name_en.clone().unwrap_or_default(),
                a.abbreviation.clone().unwrap_or_default(),
                pillar(&a.pillar),
                a.also_pillar.as_deref().map(pillar).unwrap_or_default(),
                Level::parse(&a.level)
                    .map(|l| label(l.label()))
                    .unwrap_or_default(),
                a.province_code.clone().unwrap_or_default(),
                a.commune_code.clone().unwrap_or_default(),
                a.country_code.clone().unwrap_or_default(),
                AgencyStatus::parse(&a.status)
                    .map(|s| label(s.label()))
                    .unwrap_or_default(),
                classification(a.classification, lang),
            ]
        })
        .collect()
}

/// The headings of the audit export.
pub fn audit_headings(lang: Lang) -> Vec<String> {
    [
        "audit.seq",
        "export.at",
        "audit.actor",
        "audit.action",
        "audit.entity_type",
        "export.entity_id",
        "export.classification",
        "export.request_id",
        "IP",
        "export.before",
        "export.after",
    ]
    .iter()
    .map(|k| {
        if k.contains('.') {
            i18n::t(lang, k).to_string()
        } else {
            k.to_string()
        }
    })
    .collect()
}

/// The audit entries as cells: times in Vietnam's time, the versions as JSON.
pub fn audit_lines(rows: &[kieng_store::audit::AuditEntry], lang: Lang) -> Vec<Vec<String>> {
    let keyed = |prefix: &str, code: &str| {
        let key = format!("{prefix}.{code}");
        if i18n::has_key(&key) {
            i18n::t(lang, &key).to_string()
        } else {
            code.to_string()
        }
    };
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    rows.iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                (e.at + chrono::Duration::hours(7))
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string(),
                e.actor_name.clone().unwrap_or_default(),
                keyed("action", &e.action),
                keyed("entity", &e.entity_type),
                e.entity_id.clone().unwrap_or_default(),
                e.classification.label().get(lang.code()).to_string(),
                e.request_id.clone().unwrap_or_default(),
                e.ip.clone().unwrap_or_default(),
                json(&e.before),
                json(&e.after),
            ]
        })
        .collect()
}

/// The headings of the user list export.
pub fn user_headings(lang: Lang) -> Vec<String> {
    [
        "auth.username",
        "field.display_name",
        "field.agency",
        "field.role",
        "field.scope",
        "field.clearance",
        "export.disabled_at",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The user list as cells (never a password hash).
pub fn user_lines(rows: &[kieng_store::users::UserView], lang: Lang) -> Vec<Vec<String>> {
    use kieng_domain::access::{Role, Scope};
    let label = |m: kieng_domain::Msg| m.get(lang.code()).to_string();
    rows.iter()
        .map(|v| {
            let u = &v.user;
            vec![
                u.username.clone(),
                u.display_name.clone(),
                v.agency_name.clone(),
                Role::parse(&u.role)
                    .map(|r| label(r.label()))
                    .unwrap_or_default(),
                Scope::parse(&u.scope)
                    .map(|s| label(s.label()))
                    .unwrap_or_default(),
                classification(u.clearance, lang),
                u.disabled_at
                    .map(|d| day(Some((d + chrono::Duration::hours(7)).date_naive())))
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// The headings of the plan list export.
pub fn plan_headings(lang: Lang) -> Vec<String> {
    [
        "plan.kind",
        "plan.title",
        "plan.owner",
        "plan.decision",
        "plan.period",
        "plan.status",
        "plan.progress",
        "plan.state",
        "plan.tasks",
        "export.classification",
    ]
    .iter()
    .map(|k| i18n::t(lang, k).to_string())
    .collect()
}

/// The plan list as cells.
pub fn plan_lines(rows: &[kieng_store::plans::PlanRow], lang: Lang) -> Vec<Vec<String>> {
    use kieng_domain::plan::{Kind, Status};
    rows.iter()
        .map(|r| {
            let p = &r.plan;
            vec![
                Kind::parse(&p.kind)
                    .map(|k| k.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                p.title.clone(),
                r.owner
                    .as_ref()
                    .map(|o| o.name_vi.clone())
                    .unwrap_or_default(),
                [
                    p.decision_number.clone().unwrap_or_default(),
                    day(p.decision_date),
                ]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" · "),
                format!("{} – {}", day(Some(p.period_from)), day(Some(p.period_to))),
                Status::parse(&p.status)
                    .map(|s| s.label().get(lang.code()).to_string())
                    .unwrap_or_default(),
                format!("{}%", r.progress),
                r.state.label().get(lang.code()).to_string(),
                r.tasks.to_string(),
                classification(p.classification, lang),
            ]
        })
        .collect()
}

/// The headings of a plan's task sheet, as its import reads them.
pub fn task_headings(lang: Lang) -> Vec<String> {
    use kieng_domain::import::SheetColumn;
    kieng_domain::plan::import::Column::ALL
        .iter()
        .map(|c| c.label().get(lang.code()).to_string())
        .collect()
}

/// A plan's tasks as cells, in the tree's order.
pub fn task_lines(tasks: &[kieng_store::plans::TaskNode], lang: Lang) -> Vec<Vec<String>> {
    tasks
        .iter()
        .map(|n| {
            let t = &n.task;
            vec![
                n.number.clone(),
                t.title.clone(),
                n.lead
                    .as_ref()
                    .map(|a| a.name_vi.clone())
                    .unwrap_or_default(),
                n.coordinating
                    .iter()
                    .map(|a| a.name_vi.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                t.output.clone().unwrap_or_default(),
                n.deadline.clone(),
                t.weight.to_string(),
                t.source_quote.clone().unwrap_or_default(),
                t.progress.to_string(),
                n.state.label().get(lang.code()).to_string(),
            ]
        })
        .collect()
}
