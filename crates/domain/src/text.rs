//! Text at the edge: NFC normalisation, clean single-line fields, and the
//! diacritic-insensitive key used to match Vietnamese names ("da nang" = "Đà Nẵng").

use crate::error::{FieldErrors, msgs};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC-normalise, drop control characters (keeping newlines when `multiline`),
/// and trim. Decomposed input ("Ngoại" typed as NFD) becomes the composed form,
/// so equality and tokenising behave.
pub fn clean(input: &str, multiline: bool) -> String {
    let nfc: String = input.nfc().collect();
    let kept: String = nfc
        .chars()
        .filter(|c| !c.is_control() || (multiline && (*c == '\n' || *c == '\t')))
        .map(|c| if !multiline && c == '\t' { ' ' } else { c })
        .collect();
    if multiline {
        kept.replace("\r\n", "\n").trim().to_string()
    } else {
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Characters that make a spreadsheet program read a cell as a formula
/// (`=HYPERLINK(…)`, `=cmd|…`, `@SUM(…)`), and the tab and carriage return that
/// hide one behind them.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell for a CSV file that a spreadsheet program will show as text: one
/// beginning like a formula gets an apostrophe in front (the OWASP rule).
/// XLSX cells are written as strings and need nothing.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell from an imported sheet: the apostrophe `csv_cell` put in front of a
/// formula-like text is taken off again.
pub fn from_csv_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// A formula where text is expected: `=`, `+` or `@` in front. (A leading `-` is
/// how Vietnamese notes begin their points, so it is exported neutralised but
/// accepted.)
pub fn formula_like(cell: &str) -> bool {
    let c = cell.trim_start();
    // A telephone number ("+84 24 3799 3000") is written with a plus and can
    // call nothing: only digits, spaces and ( ) - . / follow it.
    if let Some(rest) = c.strip_prefix('+')
        && !rest.is_empty()
        && rest
            .chars()
            .all(|ch| ch.is_ascii_digit() || " ()-./".contains(ch))
    {
        return false;
    }
    c.starts_with(['=', '+', '@'])
}

/// The matching key of a text: lower case, diacritics removed, đ folded to d,
/// runs of non-alphanumerics turned into one space.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut space = true;
    // Compatibility forms (fullwidth Ｈ, ligatures, superscripts) fold to the
    // letters they stand for, so they cannot slip past a duplicate check.
    for c in input.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l)));
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A required single-line text of at most `max` characters.
pub fn required(errors: &mut FieldErrors, field: &str, input: &str, max: usize) -> String {
    let v = clean(input, false);
    if v.is_empty() {
        errors.add(field, msgs::required());
    } else if v.chars().count() > max {
        errors.add(field, msgs::too_long(max));
    }
    v
}

/// An optional single-line text: empty becomes `None`.
pub fn optional(
    errors: &mut FieldErrors,
    field: &str,
    input: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = clean(input.unwrap_or(""), false);
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errors.add(field, msgs::too_long(max));
    }
    Some(v)
}

/// Items of a list typed as text, split on `seps`: cleaned, empty ones and
/// repeats (diacritics and case ignored) dropped, order kept.
pub fn list(v: Option<&str>, seps: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in v.unwrap_or("").split(seps) {
        let item = clean(item, false);
        if !item.is_empty() && seen.insert(fold(&item)) {
            out.push(item);
        }
    }
    out
}

/// A list field: one text with items on lines or between separators, as a
/// form sends it, or the items themselves, as the API sends them. Both parse
/// into the same input; items the API sends are never split again (a member
/// named "A — B" or an alias with a semicolon stays whole).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum Listed<T = String> {
    Items(Vec<T>),
    Text(String),
}

impl<T> From<&str> for Listed<T> {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}

impl<T> From<String> for Listed<T> {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl Listed<String> {
    /// The raw pieces, lazily: a text split at `seps`, or the items as sent.
    pub fn pieces<'a>(&'a self, seps: &'a [char]) -> impl Iterator<Item = &'a str> + 'a {
        let (text, items): (Option<&'a str>, &'a [String]) = match self {
            Self::Text(t) => (Some(t.as_str()), &[]),
            Self::Items(v) => (None, v.as_slice()),
        };
        text.into_iter()
            .flat_map(move |t| t.split(seps))
            .chain(items.iter().map(String::as_str))
    }

    /// The items: cleaned, empty ones and repeats (diacritics and case
    /// ignored) dropped, order kept.
    pub fn items(&self, seps: &[char]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for item in self.pieces(seps) {
            let item = clean(item, false);
            if !item.is_empty() && seen.insert(fold(&item)) {
                out.push(item);
            }
        }
        out
    }
}

impl<T: std::fmt::Display> Listed<T> {
    /// The field as a form shows it again: the text, or the items a line each.
    pub fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Items(v) => v.iter().map(T::to_string).collect::<Vec<_>>().join("\n"),
        }
    }
}

/// The items of an optional list field (none when absent).
pub fn listed(v: Option<&Listed>, seps: &[char]) -> Vec<String> {
    v.map(|l| l.items(seps)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_the_same_from_a_form_and_from_the_api() {
        let typed: Listed = "Hàn Quốc; Nhật Bản\nhan quoc".into();
        assert_eq!(typed.items(&['\n', ';']), ["Hàn Quốc", "Nhật Bản"]);
        let sent: Listed = serde_json::from_str(r#"["Quỹ A; B", " Nhật Bản ", ""]"#).unwrap();
        assert_eq!(
            sent.items(&['\n', ';']),
            ["Quỹ A; B", "Nhật Bản"],
            "never split again"
        );
        let text: Listed = serde_json::from_str(r#""x\ny""#).unwrap();
        assert_eq!(text, Listed::Text("x\ny".into()));
        let form: Listed = serde_urlencoded::from_str::<Vec<(String, Listed)>>("a=x%0Ay")
            .unwrap()
            .remove(0)
            .1;
        assert_eq!(form.items(&['\n']), ["x", "y"]);
    }

    #[test]
    fn folds_vietnamese_and_d() {
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("DA NANG"), "da nang");
        assert_eq!(fold("Thành phố Hồ Chí Minh"), "thanh pho ho chi minh");
        assert_eq!(fold("Bộ Ngoại giao"), "bo ngoai giao");
        assert_eq!(fold("  Hàn   Quốc!! "), "han quoc");
        assert_eq!(fold("Ｈàn Ｑuốc"), "han quoc", "fullwidth letters");
        assert_eq!(fold("ﬁ²"), "fi2");
    }

    #[test]
    fn formulas_are_neutralised_in_csv_and_refused_on_import() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "'\t=1");
        assert_eq!(csv_cell("Hàn Quốc"), "Hàn Quốc");
        assert_eq!(csv_cell(""), "");
        assert_eq!(from_csv_cell("'=1"), "=1");
        assert_eq!(from_csv_cell("'- điểm một"), "- điểm một");
        assert_eq!(from_csv_cell("'Hà"), "'Hà");
        assert!(formula_like("=cmd|' /C calc'!A0"));
        assert!(formula_like("  @SUM(1)"));
        assert!(!formula_like("- điểm một"));
        assert!(!formula_like("Hàn Quốc"));
        assert!(!formula_like("+84 24 3799 3000"));
        assert!(!formula_like("+1 (202) 555-0100"));
        assert!(formula_like("+1+cmd"));
        assert!(formula_like("+"));
    }

    #[test]
    fn folds_every_vowel_with_every_tone() {
        let vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
        let bases = ["a", "a", "a", "e", "e", "i", "o", "o", "o", "u", "u", "y"];
        let tones = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
        for (v, b) in vowels.iter().zip(bases) {
            for t in tones {
                let composed: String = format!("{v}{t}").nfc().collect();
                assert_eq!(fold(&composed), b, "{composed}");
                assert_eq!(fold(&composed.to_uppercase()), b, "{composed}");
            }
        }
    }

    #[test]
    fn clean_normalises_nfd_and_strips_controls() {
        let nfd: String = "Ngoại giao".nfd().collect();
        assert_ne!(nfd, "Ngoại giao");
        assert_eq!(clean(&nfd, false), "Ngoại giao");
        assert_eq!(clean(" a\u{0}b \t c\n", false), "ab c");
        assert_eq!(clean("a\r\nb\u{7}", true), "a\nb");
    }
}
