//! Reading an uploaded spreadsheet into text cells: XLSX (its first worksheet)
//! or CSV (UTF-8, with or without a byte-order mark; comma, semicolon or tab
//! separated). Numbers read as written, dates as dd/mm/yyyy.
//!
//! A hostile file costs little: an XLSX archive's members are inflated once,
//! counting, and refused past `MAX_MEMBER_BYTES` / `MAX_INFLATED_BYTES` before
//! anything parses them (a member's declared size may lie); the sheet is then read
//! cell by cell as a stream, and a cell with text outside `MAX_SHEET_ROWS` ×
//! `MAX_COLUMNS`, or longer than `MAX_CELL_CHARS`, refuses the file. Memory is
//! bounded by those limits, never by the dimensions a file claims.

use calamine::{Data, DataRef, Reader, Xlsx};
use kieng_domain::Msg;
use kieng_domain::partner_import::{MAX_BYTES, MAX_ROWS, Sheet};
use std::io::Read;

/// Rows read at most: the data rows an import takes, its heading and some
/// title or blank rows above it.
pub const MAX_SHEET_ROWS: usize = MAX_ROWS + HEADROOM;
/// Title and blank rows read above an import's heading.
const HEADROOM: usize = 50;
/// Columns read at most (the partner sheet has 15).
pub const MAX_COLUMNS: usize = 64;
/// Excel's own limit for the text of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// An archive member inflated past this is refused.
pub const MAX_MEMBER_BYTES: u64 = 32 << 20;
/// All members together.
pub const MAX_INFLATED_BYTES: u64 = 64 << 20;
/// The text of all cells together (a shared string may be named by many cells).
pub const MAX_TEXT_BYTES: usize = 32 << 20;
/// Members in an archive (a workbook has a dozen or two).
pub const MAX_MEMBERS: usize = 500;

fn too_big(rows: usize) -> Msg {
    Msg::new(
        format!(
            "Tệp quá lớn để nhập: tối đa {rows} dòng, {MAX_COLUMNS} cột và {MAX_CELL_CHARS} ký tự mỗi ô; chia tệp ra hoặc bỏ các cột, dòng không dùng."
        ),
        format!(
            "The file is too large to import: at most {rows} rows, {MAX_COLUMNS} columns and {MAX_CELL_CHARS} characters a cell; split the file or delete unused columns and rows."
        ),
    )
}

fn unreadable() -> Msg {
    Msg::new(
        "Không đọc được tệp: hãy lưu dưới dạng Excel (.xlsx) hoặc CSV UTF-8.",
        "The file could not be read: save it as Excel (.xlsx) or CSV UTF-8.",
    )
}

/// An import form as uploaded: the file's name and bytes, and the other
/// fields' text.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub fields: std::collections::HashMap<String, String>,
}

/// Read a multipart import form (the body limit of the route bounds it).
pub async fn upload(mut form: axum::extract::Multipart) -> Result<Upload, Msg> {
    let unreadable = || {
        Msg::new(
            "Không đọc được tệp tải lên.",
            "The upload could not be read.",
        )
    };
    let mut up = Upload {
        file_name: String::new(),
        bytes: Vec::new(),
        fields: Default::default(),
    };
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.file_name = field.file_name().unwrap_or("").to_string();
            up.bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
        } else if !name.is_empty() && up.fields.len() < 16 {
            let text = field.text().await.map_err(|_| unreadable())?;
            up.fields.insert(name, text.chars().take(1000).collect());
        }
    }
    Ok(up)
}

/// Read an uploaded file on a blocking thread: inflating and parsing a
/// workbook is CPU work that must not hold a request thread.
pub async fn read_off_thread(bytes: Vec<u8>) -> Result<Sheet, Msg> {
    read_rows_off_thread(bytes, MAX_ROWS).await
}

/// `read_off_thread` for an import that takes up to `rows` data rows.
pub async fn read_rows_off_thread(bytes: Vec<u8>, rows: usize) -> Result<Sheet, Msg> {
    tokio::task::spawn_blocking(move || read_rows(&bytes, rows))
        .await
        .unwrap_or_else(|_| Err(unreadable()))
}

/// Read an uploaded file, XLSX if it is a zip archive, CSV otherwise.
pub fn read(bytes: &[u8]) -> Result<Sheet, Msg> {
    read_rows(bytes, MAX_ROWS)
}

/// `read` for an import that takes up to `rows` data rows (its heading and
/// some title or blank rows above it are read too).
pub fn read_rows(bytes: &[u8], max_rows: usize) -> Result<Sheet, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("Chưa chọn tệp.", "No file was chosen."));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Msg::new(
            format!("Tệp quá lớn: tối đa {} MB.", MAX_BYTES / 1024 / 1024),
            format!(
                "The file is too large: {} MB at most.",
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        xlsx(bytes, max_rows)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(Msg::new(
            "Tệp Excel 97–2003 (.xls): hãy lưu lại dưới dạng .xlsx.",
            "An Excel 97–2003 file (.xls): save it again as .xlsx.",
        ))
    } else {
        csv_sheet(bytes, max_rows)
    }
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "x" } else { "" }.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or("").to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// Inflate every member of the archive once, counting, without keeping it.
fn check_archive(bytes: &[u8], max_rows: usize) -> Result<(), Msg> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    if zip.len() > MAX_MEMBERS {
        return Err(too_big(max_rows));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let member = zip.by_index(i).map_err(|_| unreadable())?;
        if member.size() > MAX_MEMBER_BYTES {
            return Err(too_big(max_rows));
        }
        let inflated = std::io::copy(&mut member.take(MAX_MEMBER_BYTES + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        total += inflated;
        if inflated > MAX_MEMBER_BYTES || total > MAX_INFLATED_BYTES {
            return Err(too_big(max_rows));
        }
    }
    Ok(())
}

fn cell_ref(d: &DataRef<'_>) -> String {
    match d {
        DataRef::SharedString(s) => (*s).to_string(),
        other => cell(&Data::from(other.clone())),
    }
}

fn xlsx(bytes: &[u8], max_rows: usize) -> Result<Sheet, Msg> {
    check_archive(bytes, max_rows)?;
    let limit = max_rows + HEADROOM;
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let name = wb.sheet_names().first().cloned().ok_or_else(unreadable)?;
    let mut cells = wb.worksheet_cells_reader(&name).map_err(|_| unreadable())?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut first_row: Option<usize> = None;
    let mut text_bytes = 0usize;
    while let Some(c) = cells.next_cell().map_err(|_| unreadable())? {
        let text = cell_ref(c.get_value());
        if text.trim().is_empty() {
            // Formatting alone, anywhere on the sheet, is no content.
            continue;
        }
        text_bytes += text.len();
        if text_bytes > MAX_TEXT_BYTES {
            return Err(too_big(max_rows));
        }
        let (r, col) = (c.get_position().0 as usize, c.get_position().1 as usize);
        if r >= limit || col >= MAX_COLUMNS || text.chars().count() > MAX_CELL_CHARS {
            return Err(too_big(max_rows));
        }
        let first = *first_row.get_or_insert(r);
        if r < first {
            // Rows come in order in every workbook Excel or LibreOffice writes;
            // one that goes back is read as a fresh start of the grid.
            let mut earlier = vec![Vec::new(); first - r];
            earlier.extend(rows);
            rows = earlier;
            first_row = Some(r);
        }
        let i = r - first_row.unwrap_or(r);
        if rows.len() <= i {
            rows.resize(i + 1, Vec::new());
        }
        let row = &mut rows[i];
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col] = text;
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, String::new());
    }
    Ok(Sheet::from_rows(first_row.unwrap_or(0) + 1, rows))
}

fn csv_sheet(bytes: &[u8], max_rows: usize) -> Result<Sheet, Msg> {
    let limit = max_rows + HEADROOM;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Msg::new(
            "Tệp CSV không phải UTF-8: trong Excel chọn «CSV UTF-8» khi lưu.",
            "The CSV file is not UTF-8: choose «CSV UTF-8» when saving in Excel.",
        )
    })?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in r.records() {
        if rows.len() >= limit {
            return Err(too_big(max_rows));
        }
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Msg::new(
                format!("Tệp CSV hỏng ở dòng {line}: kiểm tra dấu ngoặc kép."),
                format!("The CSV file is broken at line {line}: check its quotes."),
            )
        })?;
        if rec.len() > MAX_COLUMNS && rec.iter().skip(MAX_COLUMNS).any(|c| !c.trim().is_empty())
            || rec.iter().any(|c| c.chars().count() > MAX_CELL_CHARS)
        {
            return Err(too_big(max_rows));
        }
        rows.push(rec.iter().take(MAX_COLUMNS).map(str::to_string).collect());
    }
    Ok(Sheet::from_rows(1, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_semicolons_and_quotes() {
        let s =
            read("\u{FEFF}Tên tiếng Việt;Loại đối tác\n\"Đảng A; B\";party\n".as_bytes()).unwrap();
        assert_eq!(s.headings, vec!["Tên tiếng Việt", "Loại đối tác"]);
        assert_eq!(s.rows, vec![vec!["Đảng A; B", "party"]]);
    }

    #[test]
    fn xlsx_written_by_the_export_reads_back() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(2, 0, "Tên tiếng Việt").unwrap();
        ws.write_string(2, 1, "Giữ chức vụ từ").unwrap();
        ws.write_string(3, 0, "Bà B").unwrap();
        ws.write_number(3, 1, 2019).unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 10, 7).unwrap();
        let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        ws.write_datetime_with_format(4, 1, &d, &f).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let s = read(&bytes).unwrap();
        assert_eq!(s.heading_row, 3);
        assert_eq!(s.row_number(0), 4);
        assert_eq!(s.rows[0], vec!["Bà B", "2019"]);
        assert_eq!(s.rows[1][1], "07/10/2024");
    }

    /// A workbook of the given first-sheet XML (and shared strings), as small
    /// as Excel reads: the shapes of the hostile files the attack used.
    fn workbook(sheet: &str, shared: Option<&str>) -> Vec<u8> {
        use std::io::Write;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut member = |name: &str, text: &str| {
            z.start_file(name, opts).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        };
        member(
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        );
        member(
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        member(
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        let mut rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#.to_string();
        if shared.is_some() {
            rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        }
        rels.push_str("</Relationships>");
        member("xl/_rels/workbook.xml.rels", &rels);
        member("xl/worksheets/sheet1.xml", sheet);
        if let Some(sst) = shared {
            member("xl/sharedStrings.xml", sst);
        }
        z.finish().unwrap().into_inner()
    }

    fn sheet_xml(dimension: &str, cells: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
        )
    }

    #[test]
    fn a_sheet_claiming_every_cell_costs_only_its_cells() {
        // A1 and the last cell of a sheet: 1.4 KB that once took 3 GB.
        let far = sheet_xml(
            "A1:XFD1048576",
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Tên tiếng Việt</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        );
        let bytes = workbook(&far, None);
        assert!(bytes.len() < 2048);
        let e = read(&bytes).unwrap_err();
        assert!(e.get("vi").contains("quá lớn"), "{e:?}");
        // The same claim with nothing but formatting far away reads A1 alone.
        let styled = sheet_xml(
            "A1:XFD1048576",
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Tên tiếng Việt</t></is></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>"#,
        );
        let s = read(&workbook(&styled, None)).unwrap();
        assert_eq!(s.headings, vec!["Tên tiếng Việt"]);
        assert!(s.rows.is_empty());
    }

    #[test]
    fn inflation_and_shared_string_bombs_are_refused() {
        // 40 MB of blanks inside the sheet deflate to a few kilobytes.
        let padded = sheet_xml("A1", &" ".repeat(40 << 20));
        let bytes = workbook(&padded, None);
        assert!(bytes.len() < 200 * 1024);
        assert!(read(&bytes).unwrap_err().get("en").contains("too large"));
        // One long shared string named by every cell of a wide block.
        let sst = format!(
            r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
            "a".repeat(30_000)
        );
        let cells: String = (1..=2_000)
            .map(|r| {
                let row: String = (0..26)
                    .map(|c| format!(r#"<c r="{}{r}" t="s"><v>0</v></c>"#, (b'A' + c) as char))
                    .collect();
                format!(r#"<row r="{r}">{row}</row>"#)
            })
            .collect();
        let bytes = workbook(&sheet_xml("A1:Z2000", &cells), Some(&sst));
        assert!(read(&bytes).unwrap_err().get("en").contains("too large"));
    }

    #[test]
    fn csv_with_too_many_columns_or_rows_is_refused() {
        let wide = format!("a{}x\n", ",".repeat(MAX_COLUMNS + 5));
        assert!(read(wide.as_bytes()).is_err());
        let trailing_blanks = format!("a,b{}\n1,2\n", ",".repeat(MAX_COLUMNS + 5));
        assert_eq!(read(trailing_blanks.as_bytes()).unwrap().rows.len(), 1);
        let long = "a\n".repeat(MAX_SHEET_ROWS + 1);
        assert!(read(long.as_bytes()).is_err());
    }

    #[test]
    fn unreadable_files_get_a_message() {
        assert!(read(b"").is_err());
        assert!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).is_err());
        assert!(read(b"PK\x03\x04garbage").is_err());
        assert!(read(&[b'a', 0xFF, b'\n']).is_err());
    }
}
