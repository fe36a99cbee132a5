//! Reading an uploaded spreadsheet into text cells: XLSX (its first worksheet)
//! or CSV (UTF-8, with or without a byte-order mark; comma, semicolon or tab
//! separated). Numbers read as written, dates as dd/mm/yyyy.

use calamine::{Data, Reader, Xlsx};
use kieng_domain::Msg;
use kieng_domain::partner_import::{MAX_BYTES, Sheet};

fn unreadable() -> Msg {
    Msg::new(
        "Không đọc được tệp: hãy lưu dưới dạng Excel (.xlsx) hoặc CSV UTF-8.",
        "The file could not be read: save it as Excel (.xlsx) or CSV UTF-8.",
    )
}

/// Read an uploaded file, XLSX if it is a zip archive, CSV otherwise.
pub fn read(bytes: &[u8]) -> Result<Sheet, Msg> {
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
        xlsx(bytes)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Err(Msg::new(
            "Tệp Excel 97–2003 (.xls): hãy lưu lại dưới dạng .xlsx.",
            "An Excel 97–2003 file (.xls): save it again as .xlsx.",
        ))
    } else {
        csv_sheet(bytes)
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

fn xlsx(bytes: &[u8]) -> Result<Sheet, Msg> {
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = match wb.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(unreadable()),
    };
    let first_row = range.start().map(|(r, _)| r as usize + 1).unwrap_or(1);
    let rows = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    Ok(Sheet::from_rows(first_row, rows))
}

fn csv_sheet(bytes: &[u8]) -> Result<Sheet, Msg> {
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
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Msg::new(
                format!("Tệp CSV hỏng ở dòng {line}: kiểm tra dấu ngoặc kép."),
                format!("The CSV file is broken at line {line}: check its quotes."),
            )
        })?;
        rows.push(rec.iter().map(str::to_string).collect());
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

    #[test]
    fn unreadable_files_get_a_message() {
        assert!(read(b"").is_err());
        assert!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).is_err());
        assert!(read(b"PK\x03\x04garbage").is_err());
        assert!(read(&[b'a', 0xFF, b'\n']).is_err());
    }
}
