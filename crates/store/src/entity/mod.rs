//! Table mappings. One module a table; relations are joined explicitly in the
//! services, where the permission filters are applied.

pub mod activity;
pub mod activity_agency;
pub mod activity_event;
pub mod activity_partner;
pub mod activity_person;
pub mod activity_type;
pub mod agency;
pub mod agency_lineage;
pub mod agreement;
pub mod agreement_agency;
pub mod agreement_partner;
pub mod agreement_status;
pub mod agreement_step;
pub mod api_token;
pub mod attachment;
pub mod audit_log;
pub mod calendar_day;
pub mod calendar_feed;
pub mod commitment;
pub mod commitment_note;
pub mod country;
pub mod country_region;
pub mod framework_level;
pub mod import_batch;
pub mod login_throttle;
pub mod partner;
pub mod partner_framework;
pub mod partner_mission;
pub mod partner_name;
pub mod person_position;
pub mod province;
pub mod region;
pub mod session;
pub mod user;
pub mod warning_ack;
