//! Migration 7: the built-in activity types, as they stood when it was written
//! (a type added later comes with its own migration).

use crate::StoreError;
use crate::migrate::insert_rows;
use sea_orm::ConnectionTrait;

/// code, Vietnamese, English.
pub(crate) const TYPES: &[(&str, &str, &str)] = &[
    ("outgoing_delegation", "Đoàn ra", "Outgoing delegation"),
    ("incoming_delegation", "Đoàn vào", "Incoming delegation"),
    ("talks", "Hội đàm, hội kiến, tiếp xúc", "Talks or meeting"),
    (
        "call",
        "Điện đàm, hội đàm trực tuyến",
        "Call or online meeting",
    ),
    (
        "conference_hosted",
        "Hội nghị, hội thảo quốc tế tổ chức tại Việt Nam",
        "International conference or seminar hosted in Vietnam",
    ),
    (
        "conference_abroad",
        "Dự hội nghị, hội thảo quốc tế ở nước ngoài",
        "Conference attended abroad",
    ),
    ("signing", "Lễ ký kết", "Signing ceremony"),
    (
        "cultural",
        "Sự kiện văn hóa, quảng bá",
        "Cultural or promotion event",
    ),
];

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let t = crate::now();
    let rows = TYPES
        .iter()
        .map(|(code, vi, en)| {
            vec![
                (*code).into(),
                (*vi).into(),
                (*en).into(),
                true.into(),
                t.into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "activity_types",
        &["code", "name_vi", "name_en", "builtin", "created_at"],
        rows,
    )
    .await
}
