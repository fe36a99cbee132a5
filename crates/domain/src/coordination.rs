//! Coordination: why two activities clash, said as an official would say it.
//!
//! Two activities clash for one or more reasons at once — they share a partner
//! within the coordination window, one person is in both at the same time, or
//! both are incoming delegations from one partner in the same week. The board
//! shows one entry per pair with every reason, and one acknowledgement covers
//! the pair from either side.

use crate::Msg;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use uuid::Uuid;

/// One reason two activities clash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// They share these partners; `days_apart` is 0 when they overlap or
    /// fall on one day.
    SamePartner {
        partners: String,
        days_apart: i64,
        overlap: bool,
    },
    /// This person is in both at once.
    SamePerson { name: String },
    /// Both are incoming delegations from these partners in one ISO week.
    IncomingWeek { partners: String },
}

impl Reason {
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::SamePartner { .. } => "same_partner",
            Reason::SamePerson { .. } => "same_person",
            Reason::IncomingWeek { .. } => "incoming_week",
        }
    }

    /// What is true, in a few words: "cùng đối tác Nhật Bản, cách nhau 2 ngày".
    pub fn label(&self) -> Msg {
        match self {
            Reason::SamePartner {
                partners,
                overlap: true,
                ..
            } => Msg::new(
                format!("cùng đối tác {partners}, trùng thời gian"),
                format!("same partner {partners}, at the same time"),
            ),
            Reason::SamePartner {
                partners,
                days_apart: 0,
                ..
            } => Msg::new(
                format!("cùng đối tác {partners}, cùng ngày"),
                format!("same partner {partners}, on the same day"),
            ),
            Reason::SamePartner {
                partners,
                days_apart,
                ..
            } => Msg::new(
                format!("cùng đối tác {partners}, cách nhau {days_apart} ngày"),
                format!(
                    "same partner {partners}, {days_apart} day{} apart",
                    if *days_apart == 1 { "" } else { "s" }
                ),
            ),
            Reason::SamePerson { name } => Msg::new(
                format!("{name} có mặt ở cả hai cùng lúc"),
                format!("{name} is in both at once"),
            ),
            Reason::IncomingWeek { partners } => Msg::new(
                format!("hai đoàn vào của {partners} trong cùng một tuần"),
                format!("two incoming delegations from {partners} in one week"),
            ),
        }
    }
}

/// Every reason of a pair in one line, joined with "; ".
pub fn label(reasons: &[Reason]) -> Msg {
    let (vi, en): (Vec<String>, Vec<String>) = reasons
        .iter()
        .map(|r| {
            let m = r.label();
            (m.vi, m.en)
        })
        .unzip();
    Msg::new(vi.join("; "), en.join("; "))
}

/// Whole calendar days between two spans in Vietnam's time: 0 when they
/// overlap or one ends the day the other starts.
pub fn days_apart(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> i64 {
    let tz: Tz = chrono_tz::Asia::Ho_Chi_Minh;
    let day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let (first, second) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    (day(second.0) - day(first.1)).num_days().max(0)
}

/// The two activities of a pair in a fixed order, whichever side reads it:
/// what an acknowledgement is filed under.
pub fn pair(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The key a reader sends back to acknowledge the pair of `this` and `other`,
/// read from `this` side.
pub fn pair_key(other: Uuid) -> String {
    format!("pair:{other}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vn(d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Ho_Chi_Minh
            .with_ymd_and_hms(2027, 3, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn days_apart_counts_calendar_days_in_vietnam() {
        // 1–2 March and 4 March: two days apart, whichever comes first.
        assert_eq!(days_apart((vn(1, 9), vn(2, 17)), (vn(4, 9), vn(4, 11))), 2);
        assert_eq!(days_apart((vn(4, 9), vn(4, 11)), (vn(1, 9), vn(2, 17))), 2);
        // Overlapping, or the same day: none.
        assert_eq!(days_apart((vn(1, 9), vn(3, 17)), (vn(2, 9), vn(2, 11))), 0);
        assert_eq!(days_apart((vn(1, 8), vn(1, 9)), (vn(1, 15), vn(1, 16))), 0);
        // 23:30 in Hà Nội is already the next day in UTC+7, not in UTC.
        let late = chrono_tz::Asia::Ho_Chi_Minh
            .with_ymd_and_hms(2027, 3, 1, 23, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(days_apart((vn(1, 8), late), (vn(2, 8), vn(2, 9))), 1);
    }

    #[test]
    fn labels_say_what_is_true() {
        let r = Reason::SamePartner {
            partners: "Nhật Bản".into(),
            days_apart: 2,
            overlap: false,
        };
        assert_eq!(r.label().vi, "cùng đối tác Nhật Bản, cách nhau 2 ngày");
        assert_eq!(r.label().en, "same partner Nhật Bản, 2 days apart");
        let day = Reason::SamePartner {
            partners: "Nhật Bản".into(),
            days_apart: 0,
            overlap: false,
        };
        assert_eq!(day.label().vi, "cùng đối tác Nhật Bản, cùng ngày");
        let same = Reason::SamePartner {
            partners: "Nhật Bản".into(),
            days_apart: 0,
            overlap: true,
        };
        let both = label(&[
            same,
            Reason::SamePerson {
                name: "Trần Văn Cường".into(),
            },
        ]);
        assert_eq!(
            both.vi,
            "cùng đối tác Nhật Bản, trùng thời gian; Trần Văn Cường có mặt ở cả hai cùng lúc"
        );
        assert_eq!(r.kind(), "same_partner");
    }

    #[test]
    fn a_pair_reads_the_same_from_either_side() {
        let (a, b) = (Uuid::from_u128(2), Uuid::from_u128(1));
        assert_eq!(pair(a, b), pair(b, a));
        assert_eq!(pair(a, b), (b, a));
    }
}
