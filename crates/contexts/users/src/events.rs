//! Events the users context publishes. Payloads carry ids and roles, never e-mail addresses or
//! other personal data, so that consumers and brokers hold none.

use kernel::event::Event;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct UserRegistered {
    pub user_id: String,
    pub role: &'static str,
}

impl Event for UserRegistered {
    const TYPE: &'static str = "user.registered";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}

#[derive(Debug, Serialize)]
pub struct UserRoleChanged {
    pub user_id: String,
    pub from: String,
    pub to: &'static str,
    pub by: String,
}

impl Event for UserRoleChanged {
    const TYPE: &'static str = "user.role_changed";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}

#[derive(Debug, Serialize)]
pub struct UserAccessChanged {
    pub user_id: String,
    pub disabled: bool,
    pub by: String,
}

impl Event for UserAccessChanged {
    const TYPE: &'static str = "user.access_changed";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}

#[derive(Debug, Serialize)]
pub struct SellerStatusChanged {
    pub user_id: String,
    pub status: &'static str,
    pub by: String,
}

impl Event for SellerStatusChanged {
    const TYPE: &'static str = "seller.status_changed";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}
