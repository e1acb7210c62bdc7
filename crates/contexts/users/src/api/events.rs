//! Events the users context publishes. Payloads carry ids and roles, never e-mail addresses or
//! other personal data, so that consumers and brokers hold none.

use kernel::auth::Role;
use kernel::event::Event;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRegistered {
    pub user_id: String,
    pub role: Role,
}

impl Event for UserRegistered {
    const TYPE: &'static str = "user.registered";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRoleChanged {
    pub user_id: String,
    pub from: Role,
    pub to: Role,
    pub by: String,
}

impl Event for UserRoleChanged {
    const TYPE: &'static str = "user.role_changed";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SellerStatusChanged {
    pub user_id: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    pub status: String,
    pub by: String,
}

impl Event for SellerStatusChanged {
    const TYPE: &'static str = "seller.status_changed";
    fn aggregate_id(&self) -> &str {
        &self.user_id
    }
}
