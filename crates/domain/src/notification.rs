//! Notifications inside Kiềng: what happened that a user should know of, kept
//! per user with read and unread. Nothing leaves the network; the in-app list
//! is the record. A notification names a record by kind and id only, so what
//! it shows is read through the visibility rule when it is opened.

use crate::code_enum;

code_enum!(
    /// What happened.
    Kind {
        Submitted = "submitted", "Đề xuất trình anh/chị quyết định", "A proposal submitted for your decision";
        Approved = "approved", "Đề xuất của anh/chị đã được duyệt", "Your proposal was approved";
        Returned = "returned", "Đề xuất của anh/chị bị trả lại", "Your proposal was returned";
        Cancelled = "cancelled", "Hoạt động của anh/chị bị hủy", "Your activity was cancelled";
        Clash = "clash", "Cảnh báo phối hợp về hoạt động của anh/chị", "A coordination warning about your activity";
        Assigned = "assigned", "Anh/chị được giao phụ trách một cam kết", "A commitment was assigned to you";
        Overdue = "overdue", "Cam kết anh/chị phụ trách đã quá hạn", "A commitment you are responsible for is overdue";
        StepLate = "step_late", "Bước pháp lý của thỏa thuận quá hạn", "An agreement's legal step is past its deadline";
        TaskSoon = "task_soon", "Nhiệm vụ anh/chị theo dõi sắp đến hạn", "A task you follow is due soon";
        TaskOverdue = "task_overdue", "Nhiệm vụ anh/chị theo dõi đã quá hạn", "A task you follow is past its deadline";
    }
);

code_enum!(
    /// The kind of record a notification opens.
    Record {
        Activity = "activity", "Hoạt động", "Activity";
        Commitment = "commitment", "Cam kết", "Commitment";
        Agreement = "agreement", "Thỏa thuận quốc tế", "Agreement";
        PlanTask = "plan_task", "Nhiệm vụ", "Task";
    }
);

impl Record {
    /// Where the record's page is.
    pub fn href(self, id: uuid::Uuid) -> String {
        match self {
            Record::Activity => format!("/activities/{id}"),
            Record::Commitment => format!("/commitments/{id}"),
            Record::Agreement => format!("/agreements/{id}"),
            Record::PlanTask => format!("/plans/tasks/{id}"),
        }
    }
}

/// Notifications a page shows at once.
pub const PER_PAGE: u64 = 50;
/// Unread notifications counted for the bell; beyond this it shows "99+".
pub const UNREAD_CAP: u64 = 99;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_records_read_both_ways() {
        for &k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert!(!k.label().vi.is_empty());
        }
        let id = uuid::Uuid::nil();
        assert_eq!(
            Record::parse("commitment").map(|r| r.href(id)),
            Some(format!("/commitments/{id}"))
        );
    }
}
