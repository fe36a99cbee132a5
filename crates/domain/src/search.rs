//! Search rules without an engine: what a typed query means (folded words, the
//! last one a prefix), which record kinds exist, and how a match is highlighted
//! in the record's own text. The index itself lives in the store.
//!
//! Matching is on `text::fold` keys on both sides — lower case, marks removed,
//! đ → d — so "da nang", "Đà Nẵng", "DA NANG" and NFD input are the same words.

use crate::Msg;
use crate::code_enum;
use crate::text::fold;

code_enum!(
    /// The kinds of record the search box finds.
    Kind {
        Partner = "partner", "Đối tác", "Partner";
        Person = "person", "Nhân vật", "Person";
        Agency = "agency", "Cơ quan", "Agency";
        Activity = "activity", "Hoạt động", "Activity";
        Agreement = "agreement", "Văn kiện", "Agreement";
        Commitment = "commitment", "Cam kết", "Commitment";
        Report = "report", "Báo cáo", "Report";
        Plan = "plan", "Kế hoạch, chương trình", "Plan";
        Task = "task", "Nhiệm vụ", "Task";
        Case = "case", "Vụ việc bảo hộ công dân", "Protection case";
        Mechanism = "mechanism", "Cơ chế đa phương", "Multilateral mechanism";
        Role = "role", "Vai trò tại cơ chế đa phương", "Role held";
        Candidacy = "candidacy", "Ứng cử", "Candidacy";
    }
);

/// At most this many words are searched; a longer query gets a message.
pub const MAX_WORDS: usize = 12;
/// Input beyond this many characters is not read (the words must fit before it).
pub const MAX_INPUT: usize = 500;
/// The index keeps words up to this many bytes; a longer word is cut to it and
/// searched as a prefix.
pub const MAX_WORD_BYTES: usize = 40;

/// A query as the index reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Folded words, in the order typed. Every word must match a whole word of
    /// the record, except the last, which may be unfinished: it also matches the
    /// beginning of a word ("ngoai gi" finds "ngoại giao").
    pub words: Vec<String>,
    /// The whole query folded: a record whose title or alias folds to exactly
    /// this ranks first.
    pub exact: String,
}

impl Query {
    /// Read what the user typed. Anything is accepted — quotes, operators,
    /// brackets, emoji, control characters, NFC or NFD — since only letters and
    /// digits make words; a query without any, or with too many words, gets a
    /// message saying what to type instead.
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let head: String = input.chars().take(MAX_INPUT).collect();
        let exact = fold(&head);
        if exact.is_empty() {
            return Err(Msg::new(
                "Hãy gõ ít nhất một chữ hoặc một số để tìm.",
                "Type at least one letter or digit to search.",
            ));
        }
        let words: Vec<String> = exact.split(' ').map(cut).collect();
        if words.len() > MAX_WORDS || input.chars().count() > MAX_INPUT {
            return Err(Msg::new(
                format!("Câu tìm quá dài: hãy gõ tối đa {MAX_WORDS} từ."),
                format!("The query is too long: type at most {MAX_WORDS} words."),
            ));
        }
        Ok(Self { words, exact })
    }
}

/// Long names and the short forms officials write for them (folded). A record
/// whose text holds the long form is found by the short one too: "TP.HCM",
/// "TP HCM" and "TPHCM" find "Thành phố Hồ Chí Minh", "UBND" finds "Ủy ban
/// nhân dân". Only forms that mean one thing in foreign-affairs work are here.
const SHORT_FORMS: &[(&str, &[&str])] = &[
    ("thanh pho ho chi minh", &["tp hcm", "tphcm", "hcm"]),
    ("thanh pho", &["tp"]),
    ("uy ban nhan dan", &["ubnd"]),
    ("hoi dong nhan dan", &["hdnd"]),
    ("mat tran to quoc", &["mttq"]),
    ("dang cong san viet nam", &["dcsvn"]),
    ("cong hoa xa hoi chu nghia viet nam", &["chxhcn viet nam"]),
    ("bo ngoai giao", &["bng"]),
    ("so ngoai vu", &["snv"]),
    ("dai su quan", &["dsq"]),
    ("tong lanh su quan", &["tlsq"]),
    ("lien hop quoc", &["lhq"]),
    ("hiep hoi cac quoc gia dong nam a", &["asean"]),
];

/// The short forms of the long names in `folded` (a `fold`ed text), to be
/// indexed beside it.
pub fn short_forms(folded: &str) -> Vec<&'static str> {
    let padded = format!(" {folded} ");
    SHORT_FORMS
        .iter()
        .filter(|(long, _)| padded.contains(&format!(" {long} ")))
        .flat_map(|(_, short)| short.iter().copied())
        .collect()
}

/// A word cut to what the index keeps, on a character boundary.
fn cut(w: &str) -> String {
    if w.len() <= MAX_WORD_BYTES {
        return w.to_string();
    }
    let mut end = MAX_WORD_BYTES;
    while !w.is_char_boundary(end) {
        end -= 1;
    }
    w[..end].to_string()
}

/// A run of a text, marked when it is (the beginning of) a searched word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Does one word of a record match one of the searched words? As the index
/// does: a whole word, or for the last (perhaps unfinished) word its beginning.
fn hits(word: &str, words: &[String]) -> bool {
    let key = fold(word);
    let Some((last, whole)) = words.split_last() else {
        return false;
    };
    key.starts_with(last.as_str()) || whole.contains(&key)
}

/// The words of `text` split into segments, those matching `words` marked.
pub fn highlight(text: &str, words: &[String]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, hit: bool| match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(s),
        _ => out.push(Segment {
            text: s.to_string(),
            hit,
        }),
    };
    let mut start = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || is_mark(c);
        if word_char != in_word {
            if i > start {
                let part = &text[start..i];
                push(part, in_word && hits(part, words));
            }
            start = i;
            in_word = word_char;
        }
    }
    if start < text.len() {
        let part = &text[start..];
        push(part, in_word && hits(part, words));
    }
    out
}

/// Combining marks belong to the word they follow (NFD text).
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// About `max` characters of `text` around its first match, highlighted, with
/// "…" where it was cut. `None` when nothing in the text matches.
pub fn snippet(text: &str, words: &[String], max: usize) -> Option<Vec<Segment>> {
    let all = highlight(text, words);
    let first = all.iter().position(|s| s.hit)?;
    let before: usize = all[..first].iter().map(|s| s.text.chars().count()).sum();
    let total = text.chars().count();
    let from = if total <= max {
        0
    } else {
        before.saturating_sub(max / 4).min(total - max)
    };
    // Start and end on word boundaries: move `from` to the next space.
    let chars: Vec<char> = text.chars().collect();
    let mut from = from;
    if from > 0 {
        while from < before && !chars[from - 1].is_whitespace() {
            from += 1;
        }
    }
    let mut to = (from + max).min(total);
    if to < total {
        while to > from + max / 2 && !chars[to].is_whitespace() {
            to -= 1;
        }
    }
    let window: String = chars[from..to].iter().collect();
    let mut segs = highlight(window.trim(), words);
    if from > 0 {
        segs.insert(
            0,
            Segment {
                text: "… ".into(),
                hit: false,
            },
        );
    }
    if to < total {
        segs.push(Segment {
            text: " …".into(),
            hit: false,
        });
    }
    Some(segs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_find_long_names() {
        let city = fold("Sở Ngoại vụ Thành phố Hồ Chí Minh");
        let found = short_forms(&city);
        for q in ["TP.HCM", "TP HCM", "TPHCM", "snv"] {
            let words = Query::parse(q).unwrap().words;
            assert!(
                words
                    .iter()
                    .all(|w| found.iter().any(|f| f.split(' ').any(|x| x == w))),
                "{q} in {found:?}"
            );
        }
        // Whole words only: "thanh phong" is not a city.
        assert!(short_forms(&fold("Nguyễn Thanh Phong")).is_empty());
        assert!(
            short_forms(&fold("Hồ Chí Minh")).is_empty(),
            "the person, not the city"
        );
    }
    use unicode_normalization::UnicodeNormalization;

    /// Every Vietnamese vowel with every tone mark, in both cases, folds to its
    /// bare letter — typed precomposed (NFC) or decomposed (NFD).
    #[test]
    fn every_vowel_with_every_tone_folds() {
        let vowels = [
            ('a', "aàáảãạ ăằắẳẵặ âầấẩẫậ"),
            ('e', "eèéẻẽẹ êềếểễệ"),
            ('i', "iìíỉĩị"),
            ('o', "oòóỏõọ ôồốổỗộ ơờớởỡợ"),
            ('u', "uùúủũụ ưừứửữự"),
            ('y', "yỳýỷỹỵ"),
        ];
        let mut n = 0;
        for (base, forms) in vowels {
            for c in forms.chars().filter(|c| !c.is_whitespace()) {
                for s in [c.to_string(), c.to_uppercase().collect::<String>()] {
                    assert_eq!(fold(&s), base.to_string(), "{s}");
                    let nfd: String = s.nfd().collect();
                    assert_eq!(fold(&nfd), base.to_string(), "NFD {s}");
                    n += 1;
                }
            }
        }
        assert_eq!(n, 2 * 12 * 6, "12 vowels × 6 tones × 2 cases");
        assert_eq!(fold("đ"), "d");
        assert_eq!(fold("Đ"), "d");
        assert_eq!(fold("ĐÀ NẴNG"), "da nang");
    }

    #[test]
    fn the_same_place_typed_three_ways_is_one_query() {
        let a = Query::parse("da nang").unwrap();
        let b = Query::parse("Đà Nẵng").unwrap();
        let c = Query::parse("DA NANG").unwrap();
        let d = Query::parse(&"Đà Nẵng".nfd().collect::<String>()).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(c, d);
        assert_eq!(a.words, ["da", "nang"]);
    }

    #[test]
    fn operators_and_symbols_are_not_syntax() {
        let q = Query::parse("\"TP.HCM\" AND (ngoại:giao) -Mỹ* 🇻🇳\u{0007}").unwrap();
        assert_eq!(q.words, ["tp", "hcm", "and", "ngoai", "giao", "my"]);
        assert_eq!(q.exact, "tp hcm and ngoai giao my");
    }

    #[test]
    fn nothing_to_search_and_too_much_get_messages() {
        for q in ["", "   ", "\"()\":*", "🇻🇳 🎉", "\u{0000}\u{001b}"] {
            assert!(Query::parse(q).is_err(), "{q:?}");
        }
        let long = "ngoại giao ".repeat(1000);
        let e = Query::parse(&long).unwrap_err();
        assert!(e.en.contains("at most"));
        // A single very long word is cut to what the index keeps, not refused.
        let q = Query::parse(&"ư".repeat(30)).unwrap();
        assert_eq!(q.words[0].len(), 30);
        let q = Query::parse(&"đ".repeat(60)).unwrap();
        assert_eq!(q.words[0].len(), MAX_WORD_BYTES);
    }

    #[test]
    fn matches_are_highlighted_in_the_original_text() {
        let words = Query::parse("ngoai gi").unwrap().words;
        let h = highlight("Bộ Ngoại giao (Việt Nam) · Ngoạn", &words);
        let hit: Vec<&str> = h
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hit, ["Ngoại", "giao"]);
        let joined: String = h.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Bộ Ngoại giao (Việt Nam) · Ngoạn");
        // Only the last word may be unfinished: "ha" is not the beginning of "Hải".
        let h = highlight("Hà Nội, Hải Phòng", &Query::parse("ha noi").unwrap().words);
        let hit: Vec<&str> = h
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hit, ["Hà", "Nội"]);
        // NFD text keeps its marks inside the highlighted word.
        let nfd: String = "Đà Nẵng".nfd().collect();
        let h = highlight(&nfd, &Query::parse("da").unwrap().words);
        assert!(h[0].hit && fold(&h[0].text) == "da");
    }

    #[test]
    fn a_snippet_is_cut_around_the_first_match() {
        let text = format!(
            "{} đoàn công tác tại Đà Nẵng {}",
            "mở bài ".repeat(40),
            "kết ".repeat(40)
        );
        let words = Query::parse("da nang").unwrap().words;
        let s = snippet(&text, &words, 80).unwrap();
        let joined: String = s.iter().map(|s| s.text.as_str()).collect();
        assert!(
            joined.starts_with("… ") && joined.ends_with(" …"),
            "{joined}"
        );
        assert!(joined.chars().count() <= 90);
        assert!(s.iter().any(|s| s.hit && s.text == "Nẵng"));
        assert!(snippet("không có gì", &words, 80).is_none());
        let short = snippet("Đà Nẵng", &words, 80).unwrap();
        assert_eq!(short.len(), 3);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any input parses or gets a message, and the words are never empty
        /// and never hold anything but folded letters and digits.
        #[test]
        fn any_input_is_safe(s in "\\PC{0,80}|[\"'():*+\\-!~^{}\\[\\]\\\\/ \u{0300}-\u{0323}a-zđĐ🎉]{0,60}") {
            if let Ok(q) = Query::parse(&s) {
                prop_assert!(!q.words.is_empty());
                for w in &q.words {
                    prop_assert!(!w.is_empty() && w.len() <= MAX_WORD_BYTES);
                    prop_assert!(w.chars().all(char::is_alphanumeric));
                }
            }
            let h = highlight(&s, &["a".to_string()]);
            let joined: String = h.iter().map(|x| x.text.as_str()).collect();
            prop_assert_eq!(joined, s.clone());
            let _ = snippet(&s, &["a".to_string()], 20);
        }
    }
}
