//! Attached files: which kinds are accepted (decided by the file's first bytes
//! agreeing with its extension, never by what the browser claims), their size
//! limit, and a safe file name. Nothing accepted here can run in a browser:
//! no HTML, SVG, scripts or executables.

use crate::{Msg, text};

/// The largest file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// extension, content type, magic prefix (empty: checked as text)
const KINDS: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        b"PK\x03\x04",
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        b"PK\x03\x04",
    ),
    (
        "doc",
        "application/msword",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ),
    (
        "xls",
        "application/vnd.ms-excel",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ),
    (
        "ppt",
        "application/vnd.ms-powerpoint",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ),
    ("txt", "text/plain; charset=utf-8", b""),
    ("csv", "text/csv; charset=utf-8", b""),
];

/// The accepted extensions, for messages and the file picker.
pub fn accepted() -> String {
    KINDS
        .iter()
        .map(|(e, _, _)| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A safe display name: no path, no control characters, at most 200 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let n: String = text::clean(base, false)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | ':' | '*' | '?'))
        .collect();
    let n = n
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if n.chars().count() > 200 {
        let ext = n
            .rsplit_once('.')
            .map(|(_, e)| e.to_string())
            .unwrap_or_default();
        let stem: String = n.chars().take(190).collect();
        format!("{stem}.{ext}")
    } else {
        n
    }
}

/// Accept a file: its content type from the extension, confirmed by its content.
pub fn check(name: &str, bytes: &[u8]) -> Result<&'static str, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("Tệp rỗng.", "The file is empty."));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Msg::new(
            format!("Tệp quá lớn: tối đa {} MB.", MAX_BYTES / 1024 / 1024),
            format!(
                "The file is too large: at most {} MB.",
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let Some((_, content_type, magic)) = KINDS.iter().find(|(e, _, _)| *e == ext) else {
        return Err(Msg::new(
            format!("Loại tệp không được chấp nhận; chỉ nhận {}.", accepted()),
            format!("This kind of file is not accepted; only {}.", accepted()),
        ));
    };
    let ok = if magic.is_empty() {
        // Text: UTF-8, no NUL, and nothing a browser would take for markup.
        std::str::from_utf8(bytes).is_ok_and(|t| {
            let head = t.trim_start_matches('\u{feff}').trim_start().to_lowercase();
            !t.contains('\0') && !head.starts_with('<')
        })
    } else {
        bytes.starts_with(magic)
    };
    if ok {
        Ok(content_type)
    } else {
        Err(Msg::new(
            format!("Nội dung tệp không khớp với đuôi .{ext}."),
            format!("The file's content does not match its .{ext} extension."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_match_the_extension() {
        assert_eq!(
            check("Báo cáo.PDF", b"%PDF-1.7 ...").unwrap(),
            "application/pdf"
        );
        assert!(
            check("x.pdf", b"<html><script>").is_err(),
            "HTML dressed as PDF"
        );
        assert!(check("x.html", b"<html>").is_err());
        assert!(check("x.svg", b"<svg onload=alert(1)>").is_err());
        assert!(check("x.exe", b"MZ\x90\x00").is_err());
        assert!(
            check("x.txt", b"  <!doctype html>").is_err(),
            "markup as text"
        );
        assert!(check("x.txt", b"ab\0cd").is_err());
        assert!(check("danh sach.csv", "Họ tên,Chức vụ\n".as_bytes()).is_ok());
        assert!(check("x.docx", b"PK\x03\x04....").is_ok());
        assert!(check("x.png", b"").is_err());
        assert!(check("x.pdf", &vec![b'%'; MAX_BYTES + 1]).is_err());
    }

    #[test]
    fn names_lose_paths_and_tricks() {
        assert_eq!(clean_name("C:\\Users\\a\\Kế hoạch.docx"), "Kế hoạch.docx");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\"<c>.pdf"), "abc.pdf");
        assert!(clean_name(&format!("{}.pdf", "x".repeat(300))).ends_with(".pdf"));
    }
}
