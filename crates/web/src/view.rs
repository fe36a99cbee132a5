//! What every page shares: the language, the signed-in user, the CSRF token,
//! the navigation, and formatting (dates dd/mm/yyyy in Vietnam's time).

use crate::i18n::{self, Lang};
use crate::middleware::Principal;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Timelike, Utc};
use kieng_domain::agency::{AgencyStatus, Level, LineageKind, Pillar};
use kieng_domain::{Classification, Msg};

/// Vietnam keeps one offset all year (UTC+7, no daylight saving).
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A day as Vietnamese pages write it, dd/mm/yyyy — from its numbers: a list
/// page writes two hundred, and chrono's `format` reads its pattern and names
/// the offset each time (a tenth of the kept list page's CPU, measured).
fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Today in Vietnam as an HTML date input wants it (yyyy-mm-dd).
pub fn today_iso() -> String {
    kieng_store::today().format("%Y-%m-%d").to_string()
}

/// A module of PRODUCT.md in the navigation: its slug and whether it is built.
pub struct NavItem {
    pub href: &'static str,
    pub key: &'static str,
    pub built: bool,
}

pub const MODULES: &[NavItem] = &[
    NavItem {
        href: "/dashboard",
        key: "nav.dashboard",
        built: true,
    },
    NavItem {
        href: "/partners",
        key: "nav.partners",
        built: true,
    },
    NavItem {
        href: "/people",
        key: "nav.persons",
        built: true,
    },
    NavItem {
        href: "/activities",
        key: "nav.activities",
        built: true,
    },
    NavItem {
        href: "/coordination",
        key: "nav.coordination",
        built: true,
    },
    NavItem {
        href: "/calendar",
        key: "nav.calendar",
        built: true,
    },
    NavItem {
        href: "/agreements",
        key: "nav.agreements",
        built: true,
    },
    NavItem {
        href: "/commitments/board",
        key: "nav.commitments",
        built: true,
    },
    NavItem {
        href: "/multilateral",
        key: "nav.multilateral",
        built: true,
    },
    NavItem {
        href: "/plans",
        key: "nav.programmes",
        built: true,
    },
    NavItem {
        href: "/protection",
        key: "nav.citizens",
        built: true,
    },
    NavItem {
        href: "/modules/economic",
        key: "nav.economic",
        built: false,
    },
    NavItem {
        href: "/modules/people",
        key: "nav.people",
        built: false,
    },
    NavItem {
        href: "/modules/overseas",
        key: "nav.overseas",
        built: false,
    },
    NavItem {
        href: "/modules/research",
        key: "nav.research",
        built: false,
    },
    NavItem {
        href: "/reports",
        key: "nav.reports",
        built: true,
    },
];

pub struct UserBadge {
    pub display_name: String,
    pub username: String,
    pub role: String,
    pub is_admin: bool,
    /// Unread notifications as the bell shows them ("3", "99+"); none at zero.
    pub unread: Option<String>,
}

/// The frame of every page.
pub struct PageCtx {
    pub lang: Lang,
    pub title: String,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub path: String,
    pub notice: Option<String>,
    /// The highest classification on the page (its code), printed at the top
    /// and foot of every printed page ("MẬT"); none for unclassified pages.
    pub marking: Option<&'static str>,
}

impl PageCtx {
    pub fn new(lang: Lang, principal: Option<&Principal>, path: &str, title_key: &str) -> Self {
        Self {
            lang,
            title: i18n::t(lang, title_key).to_string(),
            user: principal.map(|p| UserBadge {
                display_name: p.user.display_name.clone(),
                username: p.user.username.clone(),
                role: p.actor.role.label().get(lang.code()).to_string(),
                is_admin: p.actor.is_admin(),
                unread: (p.unread > 0).then(|| kieng_store::notifications::bell(p.unread)),
            }),
            csrf: principal.and_then(|p| p.csrf.clone()).unwrap_or_default(),
            path: path.to_string(),
            notice: None,
            marking: None,
        }
    }

    /// Mark the page with the highest of these classification ranks.
    pub fn with_marking(mut self, ranks: impl IntoIterator<Item = i16>) -> Self {
        let top = ranks.into_iter().max().unwrap_or(0);
        self.marking = Classification::ALL
            .get(usize::try_from(top).unwrap_or(0).min(3))
            .filter(|c| **c > Classification::None)
            .map(|c| c.as_str());
        self
    }

    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// A notice after a redirect (`?ok=saved`): only known keys are shown.
    pub fn with_notice(mut self, ok: Option<&str>) -> Self {
        if let Some(k) = ok {
            let key = format!("notice.{k}");
            if i18n::has_key(&key) {
                self.notice = Some(i18n::t(self.lang, &key).to_string());
            }
        }
        self
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        i18n::t(self.lang, key)
    }

    pub fn msg<'a>(&self, m: &'a Msg) -> &'a str {
        m.get(self.lang.code())
    }

    /// Why two activities clash, every reason in one line.
    pub fn clash(&self, reasons: &[kieng_domain::coordination::Reason]) -> String {
        kieng_domain::coordination::label(reasons)
            .get(self.lang.code())
            .to_string()
    }

    /// The column an import's problem names, or "whole file".
    pub fn problem_column(&self, p: &kieng_domain::import::Problem) -> String {
        p.column
            .clone()
            .unwrap_or_else(|| self.t("import.whole_file").to_string())
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn other_lang(&self) -> &'static str {
        self.lang.other().code()
    }

    pub fn modules(&self) -> &'static [NavItem] {
        MODULES
    }

    /// The running version, for the footer.
    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin)
    }

    /// `aria-current` for the navigation entry of the current section.
    pub fn current(&self, prefix: &str) -> &'static str {
        let hit = if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        };
        if hit { "page" } else { "false" }
    }

    pub fn date(&self, d: &DateTime<Utc>) -> String {
        dmy(d.with_timezone(&vn_offset()).date_naive())
    }

    pub fn datetime(&self, d: &DateTime<Utc>) -> String {
        let local = d.with_timezone(&vn_offset());
        format!(
            "{} {:02}:{:02}",
            dmy(local.date_naive()),
            local.hour(),
            local.minute()
        )
    }

    /// The time of day in Vietnam, HH:MM.
    pub fn time(&self, d: &DateTime<Utc>) -> String {
        let local = d.with_timezone(&vn_offset());
        format!("{:02}:{:02}", local.hour(), local.minute())
    }

    pub fn day(&self, d: &NaiveDate) -> String {
        dmy(*d)
    }

    pub fn pillar(&self, v: &str) -> String {
        Pillar::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// An activity's channel beyond the pillars, by name.
    pub fn channel(&self, v: &str) -> String {
        kieng_domain::activity::Channel::parse(v)
            .map(|c| c.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn level(&self, v: &str) -> String {
        Level::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn status(&self, v: &str) -> String {
        AgencyStatus::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn lineage(&self, v: &str) -> String {
        LineageKind::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// The label of a stored classification rank (0–3).
    pub fn classification(&self, rank: &i16) -> String {
        Classification::ALL
            .get((*rank).clamp(0, 3) as usize)
            .map(|c| c.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// An audit action in words; an action without wording shows its code.
    pub fn action(&self, code: &str) -> String {
        let key = format!("action.{code}");
        if i18n::has_key(&key) {
            i18n::t(self.lang, &key).to_string()
        } else {
            code.to_string()
        }
    }

    /// The wording of `prefix.code` (a warning kind, …); the code itself if there is none.
    pub fn keyed(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        if i18n::has_key(&key) {
            i18n::t(self.lang, &key).to_string()
        } else {
            code.to_string()
        }
    }

    /// A lineage event seen from the agency it points at ("… merged into this agency").
    pub fn lineage_incoming(&self, kind: &str) -> String {
        let key = format!("lineage_in.{kind}");
        if i18n::has_key(&key) {
            i18n::t(self.lang, &key).to_string()
        } else {
            self.lineage(kind)
        }
    }

    pub fn partner_kind(&self, v: &str) -> String {
        kieng_domain::partner::PartnerKind::parse(v)
            .map(|k| k.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn role(&self, v: &str) -> String {
        kieng_domain::Role::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn scope(&self, v: &str) -> String {
        kieng_domain::Scope::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// An activity's status in words.
    pub fn activity_status(&self, v: &str) -> String {
        kieng_domain::activity::Status::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn head_level(&self, v: &str) -> String {
        kieng_domain::activity::HeadLevel::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// A workflow move in words ("Phê duyệt").
    pub fn transition(&self, v: &str) -> String {
        kieng_domain::activity::Transition::parse(v)
            .map(|p| p.label().get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    /// An instant shown in an IANA zone (an activity abroad in its own time).
    pub fn in_zone(&self, d: &DateTime<Utc>, tz: &str) -> String {
        match tz.parse::<chrono_tz::Tz>() {
            Ok(z) => d.with_timezone(&z).format("%d/%m/%Y %H:%M").to_string(),
            Err(_) => self.datetime(d),
        }
    }

    /// An agreement's kind in words.
    pub fn agreement_kind(&self, v: &str) -> String {
        self.label(kieng_domain::agreement::Kind::parse(v).map(|x| x.label()))
    }

    pub fn agreement_status(&self, v: &str) -> String {
        self.label(kieng_domain::agreement::Status::parse(v).map(|x| x.label()))
    }

    pub fn candidacy_status(&self, v: &str) -> String {
        self.label(kieng_domain::multilateral::Status::parse(v).map(|x| x.label()))
    }

    pub fn support(&self, v: &str) -> String {
        self.label(kieng_domain::multilateral::Support::parse(v).map(|x| x.label()))
    }

    pub fn outcome_kind(&self, v: &str) -> String {
        self.label(kieng_domain::multilateral::OutcomeKind::parse(v).map(|x| x.label()))
    }

    pub fn renewal(&self, v: &str) -> String {
        self.label(kieng_domain::agreement::Renewal::parse(v).map(|x| x.label()))
    }

    pub fn step_kind(&self, v: &str) -> String {
        self.label(kieng_domain::agreement::StepKind::parse(v).map(|x| x.label()))
    }

    pub fn commitment_status(&self, v: &str) -> String {
        self.label(kieng_domain::commitment::Status::parse(v).map(|x| x.label()))
    }

    pub fn report_status(&self, v: &str) -> String {
        self.label(kieng_domain::report::Status::parse(v).map(|x| x.label()))
    }

    pub fn plan_kind(&self, v: &str) -> String {
        self.label(kieng_domain::plan::Kind::parse(v).map(|x| x.label()))
    }

    pub fn plan_status(&self, v: &str) -> String {
        self.label(kieng_domain::plan::Status::parse(v).map(|x| x.label()))
    }

    /// A planned delegation's direction ("Đoàn ra").
    pub fn direction(&self, v: &str) -> String {
        self.label(kieng_domain::plan::delegation::Direction::parse(v).map(|x| x.label()))
    }

    /// What became of a planned delegation.
    pub fn outcome(&self, o: &kieng_domain::plan::delegation::Outcome) -> String {
        self.label(Some(o.label()))
    }

    /// A month as officials write it: "6/2026".
    pub fn month(&self, d: &NaiveDate) -> String {
        d.format("%-m/%Y").to_string()
    }

    /// A computed status's label.
    pub fn task_state(&self, s: &kieng_domain::plan::State) -> String {
        self.label(Some(s.label()))
    }

    pub fn commitment_source(&self, v: &str) -> String {
        self.label(kieng_domain::commitment::Source::parse(v).map(|x| x.label()))
    }

    pub fn day_kind(&self, v: &str) -> String {
        self.label(kieng_domain::days::DayKind::parse(v).map(|x| x.label()))
    }

    fn label(&self, m: Option<Msg>) -> String {
        m.map(|m| m.get(self.lang.code()).to_string())
            .unwrap_or_default()
    }

    pub fn opt_day(&self, d: &Option<NaiveDate>) -> String {
        d.as_ref().map(|d| self.day(d)).unwrap_or_default()
    }
}

/// Pager links for a list, keeping its filters.
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub base: String,
}

impl Pager {
    pub fn new(page: u64, pages: u64, total: u64, base_query: &str) -> Self {
        let base = if base_query.is_empty() {
            "?".to_string()
        } else {
            format!("?{base_query}&")
        };
        Self {
            page,
            pages,
            total,
            base,
        }
    }
    pub fn prev(&self) -> Option<String> {
        (self.page > 1).then(|| format!("{}page={}", self.base, self.page - 1))
    }
    pub fn next(&self) -> Option<String> {
        (self.page < self.pages).then(|| format!("{}page={}", self.base, self.page + 1))
    }
}

/// Build `k=v&…` from the non-empty filter values.
pub fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", crate::middleware::urlencode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::{dmy, vn_offset};
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn days_are_written_as_chrono_writes_them_in_vietnam_time() {
        for (y, m, d) in [(2026, 1, 5), (1999, 12, 31), (2045, 10, 10), (805, 3, 9)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
            assert_eq!(dmy(day), day.format("%d/%m/%Y").to_string());
        }
        // 17:30 UTC on the 31st is already the 1st in Hà Nội.
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 0).unwrap();
        let local = t.with_timezone(&vn_offset());
        assert_eq!(dmy(local.date_naive()), "01/01/2027");
    }
}
