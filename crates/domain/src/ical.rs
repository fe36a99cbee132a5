//! iCalendar (RFC 5545) output: content lines escaped and folded at 75 octets
//! without splitting a character, VTIMEZONE components computed from the IANA
//! database for the span the events need, and events with a stable UID and a
//! SEQUENCE. Written here rather than with a crate because none of them builds a
//! VTIMEZONE from chrono-tz, and the rest is a few lines of text.

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};
use std::collections::BTreeMap;

/// One event of a feed.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across edits: the record's id.
    pub uid: String,
    /// Raised on every change a calendar shows.
    pub sequence: i32,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub tz: Tz,
    /// CONFIRMED | TENTATIVE | CANCELLED
    pub status: &'static str,
    pub categories: Vec<String>,
    pub confidential: bool,
    pub modified: DateTime<Utc>,
    /// A whole day (a deadline): written as a DATE, the day of `starts` in `tz`.
    pub all_day: bool,
}

/// Escape a TEXT value (RFC 5545 3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line: at most 75 octets a line, continuation lines start with
/// a space, never inside a UTF-8 sequence; each line ends with CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn offset_str(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let s = secs.abs();
    if s % 60 == 0 {
        format!("{sign}{:02}{:02}", s / 3600, s / 60 % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// The zone's offset at an instant: (seconds east of UTC, in daylight saving time).
fn offset_at(tz: Tz, t: DateTime<Utc>) -> ZoneOffset {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (o.fix().local_minus_utc(), !o.dst_offset().is_zero())
}

/// An offset: seconds east of UTC, and whether it is daylight saving time.
pub type ZoneOffset = (i32, bool);

/// The instants in `(from, to]` where the zone's offset changes, with the offsets around them.
pub fn transitions(
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, ZoneOffset, ZoneOffset)> {
    let mut out = Vec::new();
    let mut prev_t = from;
    let mut prev = offset_at(tz, from);
    let mut t = from;
    while t < to {
        t = (t + Duration::hours(12)).min(to);
        let cur = offset_at(tz, t);
        if cur.0 != prev.0 {
            // The first second with the new offset.
            let (mut lo, mut hi) = (prev_t.timestamp(), t.timestamp());
            let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(t);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, at(mid)).0 == prev.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((at(hi), prev, cur));
        }
        prev = cur;
        prev_t = t;
    }
    out
}

/// A VTIMEZONE for `tz` valid from `from` to `to`: the offset in force at `from`,
/// then one STANDARD or DAYLIGHT component a change.
pub fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VTIMEZONE");
    push_line(&mut out, &format!("TZID:{}", tz.name()));
    let component =
        |out: &mut String, at: DateTime<Utc>, before: (i32, bool), after: (i32, bool)| {
            let kind = if after.1 { "DAYLIGHT" } else { "STANDARD" };
            push_line(out, &format!("BEGIN:{kind}"));
            // The onset in the local time in force before it.
            let onset = at.naive_utc() + Duration::seconds(i64::from(before.0));
            push_line(out, &format!("DTSTART:{}", local(onset)));
            push_line(out, &format!("TZOFFSETFROM:{}", offset_str(before.0)));
            push_line(out, &format!("TZOFFSETTO:{}", offset_str(after.0)));
            push_line(out, &format!("END:{kind}"));
        };
    let first = offset_at(tz, from);
    component(&mut out, from, first, first);
    for (at, before, after) in transitions(tz, from, to) {
        component(&mut out, at, before, after);
    }
    push_line(&mut out, "END:VTIMEZONE");
    out
}

/// A whole calendar: its name, one VTIMEZONE a zone used, the events.
pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Kieng//Kieng//VI");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    let mut spans: BTreeMap<&str, (Tz, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for e in events.iter().filter(|e| !e.all_day) {
        let s = spans.entry(e.tz.name()).or_insert((e.tz, e.starts, e.ends));
        s.1 = s.1.min(e.starts);
        s.2 = s.2.max(e.ends);
    }
    for (tz, from, to) in spans.values() {
        out.push_str(&vtimezone(
            *tz,
            *from - Duration::days(1),
            *to + Duration::days(1),
        ));
    }
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", e.uid));
        push_line(&mut out, &format!("DTSTAMP:{}", utc(now)));
        push_line(&mut out, &format!("LAST-MODIFIED:{}", utc(e.modified)));
        push_line(&mut out, &format!("SEQUENCE:{}", e.sequence.max(0)));
        let tzid = e.tz.name();
        if e.all_day {
            let day = e.starts.with_timezone(&e.tz).date_naive();
            push_line(
                &mut out,
                &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
            );
            let next = day.succ_opt().unwrap_or(day);
            push_line(
                &mut out,
                &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
            );
        } else {
            push_line(
                &mut out,
                &format!(
                    "DTSTART;TZID={tzid}:{}",
                    local(e.starts.with_timezone(&e.tz).naive_local())
                ),
            );
            push_line(
                &mut out,
                &format!(
                    "DTEND;TZID={tzid}:{}",
                    local(e.ends.with_timezone(&e.tz).naive_local())
                ),
            );
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if let Some(l) = &e.location {
            push_line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if !e.categories.is_empty() {
            let c: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
            push_line(&mut out, &format!("CATEGORIES:{}", c.join(",")));
        }
        push_line(&mut out, &format!("STATUS:{}", e.status));
        push_line(
            &mut out,
            if e.confidential {
                "CLASS:CONFIDENTIAL"
            } else {
                "CLASS:PUBLIC"
            },
        );
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!(
            "SUMMARY:{}",
            "Đoàn đại biểu cấp cao thăm chính thức ".repeat(5)
        );
        push_line(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn paris_changes_clock_twice_a_year() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let t = transitions(tz, at("2026-01-01T00:00:00Z"), at("2026-12-31T00:00:00Z"));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, at("2026-03-29T01:00:00Z"));
        assert_eq!((t[0].1.0, t[0].2.0, t[0].2.1), (3600, 7200, true));
        assert_eq!(t[1].0, at("2026-10-25T01:00:00Z"));
        let v = vtimezone(tz, at("2026-01-01T00:00:00Z"), at("2026-12-31T00:00:00Z"));
        assert!(v.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"), "{v}");
        assert!(v.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"), "{v}");
        let hcm: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        assert!(
            transitions(hcm, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).is_empty()
        );
    }

    #[test]
    fn events_carry_local_times_in_their_zone() {
        let e = Event {
            uid: "x@kieng".into(),
            sequence: 3,
            summary: "Tuần Văn hóa, Paris".into(),
            description: String::new(),
            location: Some("Paris".into()),
            starts: at("2026-07-01T07:00:00Z"),
            ends: at("2026-07-01T15:00:00Z"),
            tz: "Europe/Paris".parse().unwrap(),
            status: "CANCELLED",
            categories: vec![],
            confidential: false,
            modified: at("2026-06-01T00:00:00Z"),
            all_day: false,
        };
        let c = calendar("Lịch", std::slice::from_ref(&e), at("2026-06-02T00:00:00Z"));
        assert!(c.contains("DTSTART;TZID=Europe/Paris:20260701T090000\r\n"));
        assert!(c.contains("SEQUENCE:3\r\n") && c.contains("STATUS:CANCELLED\r\n"));
        assert!(c.contains("SUMMARY:Tuần Văn hóa\\, Paris\r\n"));
        assert!(c.starts_with("BEGIN:VCALENDAR\r\n") && c.ends_with("END:VCALENDAR\r\n"));
        // A deadline is a whole day in its zone, and needs no VTIMEZONE.
        let d = Event {
            all_day: true,
            tz: chrono_tz::Asia::Ho_Chi_Minh,
            starts: at("2026-09-29T18:00:00Z"),
            ends: at("2026-09-29T18:00:00Z"),
            ..e
        };
        let c = calendar("Lịch", &[d], at("2026-06-02T00:00:00Z"));
        assert!(
            c.contains("DTSTART;VALUE=DATE:20260930\r\nDTEND;VALUE=DATE:20261001\r\n"),
            "{c}"
        );
        assert!(!c.contains("BEGIN:VTIMEZONE"));
    }
}
