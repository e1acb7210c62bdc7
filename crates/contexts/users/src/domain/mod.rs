//! The rules of identity, free of I/O: what a valid e-mail, password or address is.

mod email;
mod password;
mod text;

pub use email::Email;
pub use password::Password;
pub use text::{optional_text, required_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SellerStatus {
    Pending,
    Approved,
    Rejected,
}

impl SellerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// What an e-mailed single-use token proves when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// The account's owner reads mail at its address.
    Verify,
    /// The owner may set a new password without the old one.
    Reset,
}

impl TokenPurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
        }
    }
}
