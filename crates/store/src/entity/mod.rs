//! Table mappings. One module a table; relations are joined explicitly in the
//! services, where the permission filters are applied.

pub mod agency;
pub mod agency_lineage;
pub mod api_token;
pub mod audit_log;
pub mod country;
pub mod login_throttle;
pub mod province;
pub mod session;
pub mod user;
