//! Administrative documents in the format every Vietnamese agency uses
//! (Decree 30/2020/NĐ-CP, Annex I): what a document says, and the format's
//! rules that are not typography — how the place and date are written, the
//! classification mark a document carries (the highest of what it holds).
//! The `.docx` is drawn from this in `web::docx`.

use crate::Classification;
use chrono::{Datelike, NaiveDate};

/// A4, in twentieths of a point.
pub const A4_TWIPS: (u32, u32) = (11_906, 16_838);

/// Margins (Annex I, 2: top and bottom 20–25 mm, left 30–35 mm, right
/// 15–20 mm), in twentieths of a point: top 20, bottom 20, left 30, right 15 mm.
pub const MARGINS_TWIPS: Margins = Margins {
    top: 1_134,
    bottom: 1_134,
    left: 1_701,
    right: 850,
};

/// Body text: Times New Roman, 13–14 pt (Annex I); 14 pt here.
pub const FONT: &str = "Times New Roman";
pub const BODY_HALF_POINTS: usize = 28;

/// The national title and motto (Annex I, 1 and Art. 8).
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Margins {
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
}

/// One part of a document's body: a heading and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

impl Section {
    /// A heading and plain paragraphs.
    pub fn text(heading: impl Into<String>, paragraphs: Vec<String>) -> Self {
        Self {
            heading: heading.into(),
            blocks: paragraphs.into_iter().map(Block::Paragraph).collect(),
        }
    }
}

/// What a section holds, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A sub-heading ("1. Hoạt động đối ngoại"), bold.
    Heading(String),
    Paragraph(String),
    /// A line of a list ("- …").
    Item(String),
    Table(DocTable),
}

/// A table with a header row; the first column is text, the others figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTable {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A document as the format lays it out, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The body the issuer belongs to, if any (the first line, upper case).
    pub parent: Option<String>,
    /// The issuing body (bold, upper case).
    pub issuer: String,
    /// "Số: 12/BC-SNV", or the number left blank for the clerk to fill.
    pub number: String,
    pub place: String,
    pub date: NaiveDate,
    /// "BÁO CÁO", "HỒ SƠ" — the kind of document, then what it is about.
    pub kind: String,
    pub title: String,
    /// "Kính gửi" (reports sent upward); none for others.
    pub recipients: Vec<String>,
    pub sections: Vec<Section>,
    /// The signer's position (upper case) and name.
    pub signer_position: String,
    pub signer_name: Option<String>,
    /// "Nơi nhận".
    pub copies_to: Vec<String>,
    /// The highest classification of what it holds.
    pub classification: Classification,
    /// "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" when it must travel fast.
    pub urgency: Option<String>,
}

/// "Hà Nội, ngày 04 tháng 02 năm 2026": a day below 10 and the months 1 and
/// 2 take a leading zero (Decree 30, Annex I, II.5.b).
pub fn place_and_date(place: &str, d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        d.day(),
        d.year()
    )
}

/// The mark a document carries: the highest classification among what it
/// holds (`None` when everything is unclassified).
pub fn mark(holds: impl IntoIterator<Item = Classification>) -> Option<&'static str> {
    match holds.into_iter().max().unwrap_or(Classification::None) {
        Classification::None => None,
        Classification::Mat => Some("MẬT"),
        Classification::ToiMat => Some("TỐI MẬT"),
        Classification::TuyetMat => Some("TUYỆT MẬT"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_below_ten_and_the_first_two_months_take_a_zero() {
        assert_eq!(
            place_and_date("Hà Nội", d("2026-02-04")),
            "Hà Nội, ngày 04 tháng 02 năm 2026"
        );
        assert_eq!(
            place_and_date("Đà Nẵng", d("2026-03-15")),
            "Đà Nẵng, ngày 15 tháng 3 năm 2026"
        );
        assert_eq!(
            place_and_date("Huế", d("2026-12-01")),
            "Huế, ngày 01 tháng 12 năm 2026"
        );
    }

    #[test]
    fn the_mark_is_the_highest_held() {
        assert_eq!(mark([]), None);
        assert_eq!(mark([Classification::None, Classification::None]), None);
        assert_eq!(
            mark([Classification::None, Classification::Mat]),
            Some("MẬT")
        );
        assert_eq!(
            mark([Classification::ToiMat, Classification::Mat]),
            Some("TỐI MẬT")
        );
    }

    #[test]
    fn the_page_is_a4_with_the_annex_margins() {
        // 210 × 297 mm and 20/20/30/15 mm, at 56.7 twips a millimetre.
        assert_eq!(A4_TWIPS, (11_906, 16_838));
        let mm = |t: i32| (f64::from(t) / 56.692).round() as i32;
        let m = MARGINS_TWIPS;
        assert_eq!(
            (mm(m.top), mm(m.bottom), mm(m.left), mm(m.right)),
            (20, 20, 30, 15)
        );
    }
}
