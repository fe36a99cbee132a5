//! The citizen protection fund on a case: advances and payments made for the
//! citizen (each approved within a limit the deployment configures, the rule
//! it rests on written with the entry), and repayments; the case's ledger.

use crate::plan::indicator::Figure;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::NaiveDate;
use serde::Deserialize;

code_enum!(
    /// A movement of the fund on a case.
    EntryKind {
        Advance = "advance", "Tạm ứng", "Advance";
        Payment = "payment", "Chi trả", "Payment";
        Repayment = "repayment", "Hoàn trả", "Repayment";
    }
);

/// Who must approve an advance or payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approver {
    /// A leader of the mission in charge (or of the consular department).
    Mission,
    /// Above the mission's limit: a leader of the consular department.
    Consular,
}

/// The approval limit: configuration, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundRule {
    /// The most a mission's leader approves, in VND.
    pub mission_limit_vnd: i64,
    /// The regulation the limit comes from, as the deployment cites it.
    pub rule: String,
}

impl Default for FundRule {
    fn default() -> Self {
        Self {
            mission_limit_vnd: 50_000_000,
            rule: String::new(),
        }
    }
}

/// Who must approve `amount_vnd` under `rule`.
pub fn approver_needed(amount_vnd: Figure, rule: &FundRule) -> Approver {
    match Figure::from_whole(rule.mission_limit_vnd) {
        Some(limit) if amount_vnd <= limit => Approver::Mission,
        _ => Approver::Consular,
    }
}

/// An entry as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FundForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    /// ISO 4217 ("VND", "JPY", "USD").
    #[serde(default)]
    pub currency: String,
    /// Its value in VND (needed unless the currency is VND).
    pub amount_vnd: Option<String>,
    #[serde(default)]
    pub purpose: String,
    /// "1": to be repaid by the citizen or the family.
    pub refundable: Option<String>,
    /// The approving leader's username (advances and payments).
    pub approved_by: Option<String>,
    /// The day (dd/mm/yyyy); empty: today.
    pub on: Option<String>,
}

/// A validated entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FundInput {
    pub kind: EntryKind,
    pub amount: Figure,
    pub currency: String,
    pub amount_vnd: Figure,
    pub purpose: String,
    pub refundable: bool,
    pub approved_by: Option<String>,
    pub on: Option<NaiveDate>,
}

impl FundInput {
    pub fn parse(f: &FundForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = EntryKind::parse(f.kind.trim());
        if kind.is_none() {
            e.add("kind", crate::error::msgs::invalid_choice());
        }
        let positive = |e: &mut FieldErrors, field: &str, v: &str| match Figure::parse(v) {
            Some(x) if x > Figure::default() => Some(x),
            _ => {
                e.add(
                    field,
                    Msg::new(
                        "Ghi số tiền lớn hơn 0, ví dụ 1.500.000 hoặc 250,50.",
                        "Write an amount above 0, such as 1,500,000 or 250.50.",
                    ),
                );
                None
            }
        };
        let amount = positive(&mut e, "amount", &f.amount);
        let currency = f.currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            e.add(
                "currency",
                Msg::new(
                    "Ghi mã tiền tệ ba chữ cái (VND, JPY, USD).",
                    "Write the three-letter currency code (VND, JPY, USD).",
                ),
            );
        }
        let amount_vnd = match f
            .amount_vnd
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(v) => positive(&mut e, "amount_vnd", v),
            None if currency == "VND" => amount,
            None => {
                e.add(
                    "amount_vnd",
                    Msg::new(
                        "Ghi số tiền quy đổi ra đồng Việt Nam.",
                        "Give its value in VND.",
                    ),
                );
                None
            }
        };
        let purpose = text::required(&mut e, "purpose", &f.purpose, 1000);
        let approved_by = text::optional(&mut e, "approved_by", f.approved_by.as_deref(), 64);
        if approved_by.is_none() && kind.is_some_and(|k| k != EntryKind::Repayment) {
            e.add(
                "approved_by",
                Msg::new(
                    "Ghi tài khoản của lãnh đạo đã phê duyệt.",
                    "Name the leader who approved it (username).",
                ),
            );
        }
        let on = crate::days::optional_date(&mut e, "on", f.on.as_deref());
        if on.is_some_and(|d| d > today) {
            e.add(
                "on",
                Msg::new(
                    "Ngày không thể ở tương lai.",
                    "The day cannot be in the future.",
                ),
            );
        }
        match (kind, amount, amount_vnd) {
            (Some(kind), Some(amount), Some(amount_vnd)) if e.is_empty() => Ok(Self {
                kind,
                amount,
                currency,
                amount_vnd,
                purpose,
                refundable: kind != EntryKind::Repayment
                    && matches!(
                        f.refundable.as_deref().map(str::trim),
                        Some("1" | "on" | "true" | "yes")
                    ),
                approved_by: if kind == EntryKind::Repayment {
                    None
                } else {
                    approved_by
                },
                on,
            }),
            _ => Err(e),
        }
    }
}

/// A case's fund, in VND.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Ledger {
    pub advanced: Figure,
    pub paid: Figure,
    pub repaid: Figure,
    /// What is still to be repaid: refundable advances and payments less
    /// repayments, never below zero.
    pub outstanding: Figure,
}

/// The ledger of (kind, VND value, refundable) entries.
pub fn ledger(entries: impl IntoIterator<Item = (EntryKind, Figure, bool)>) -> Ledger {
    let (mut adv, mut paid, mut repaid, mut due) = (0i64, 0i64, 0i64, 0i64);
    for (k, v, refundable) in entries {
        let v = v.ten_thousandths();
        match k {
            EntryKind::Advance => adv = adv.saturating_add(v),
            EntryKind::Payment => paid = paid.saturating_add(v),
            EntryKind::Repayment => repaid = repaid.saturating_add(v),
        }
        if refundable && k != EntryKind::Repayment {
            due = due.saturating_add(v);
        }
    }
    Ledger {
        advanced: Figure::from_ten_thousandths(adv),
        paid: Figure::from_ten_thousandths(paid),
        repaid: Figure::from_ten_thousandths(repaid),
        outstanding: Figure::from_ten_thousandths(due.saturating_sub(repaid).max(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vnd(n: i64) -> Figure {
        Figure::from_whole(n).unwrap()
    }

    #[test]
    fn the_limit_decides_who_approves() {
        let r = FundRule::default();
        assert_eq!(approver_needed(vnd(50_000_000), &r), Approver::Mission);
        assert_eq!(approver_needed(vnd(50_000_001), &r), Approver::Consular);
    }

    #[test]
    fn an_entry_is_read_as_written() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let i = FundInput::parse(
            &FundForm {
                kind: "advance".into(),
                amount: "120.000".into(),
                currency: "jpy".into(),
                amount_vnd: Some("20.400.000".into()),
                purpose: "Viện phí".into(),
                refundable: Some("1".into()),
                approved_by: Some("lanhdao".into()),
                on: None,
            },
            today,
        )
        .unwrap();
        assert_eq!(i.currency, "JPY");
        assert_eq!(i.amount, vnd(120_000));
        assert!(i.refundable);
        let e = FundInput::parse(
            &FundForm {
                kind: "payment".into(),
                amount: "-5".into(),
                currency: "US".into(),
                purpose: String::new(),
                on: Some("01/01/2030".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        for f in ["amount", "currency", "purpose", "approved_by", "on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        // VND needs no conversion; a repayment no approver.
        let r = FundInput::parse(
            &FundForm {
                kind: "repayment".into(),
                amount: "5.000.000".into(),
                currency: "VND".into(),
                purpose: "Gia đình hoàn trả".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(r.amount_vnd, vnd(5_000_000));
        assert!(r.approved_by.is_none() && !r.refundable);
    }

    #[test]
    fn the_ledger_owes_what_is_refundable_less_what_came_back() {
        let l = ledger([
            (EntryKind::Advance, vnd(20_000_000), true),
            (EntryKind::Payment, vnd(3_000_000), false),
            (EntryKind::Repayment, vnd(5_000_000), false),
        ]);
        assert_eq!(l.advanced, vnd(20_000_000));
        assert_eq!(l.paid, vnd(3_000_000));
        assert_eq!(l.outstanding, vnd(15_000_000));
        let over = ledger([
            (EntryKind::Advance, vnd(1), true),
            (EntryKind::Repayment, vnd(2), false),
        ]);
        assert_eq!(over.outstanding, vnd(0));
    }
}
