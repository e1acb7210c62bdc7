//! Where the work in hand comes from: the signed-in user who asked for it, the request's id and
//! the client's address. The HTTP edge opens a scope per request, authentication names the
//! actor in it, and every event written inside carries a copy ([`crate::event::Envelope`]), so
//! the audit log can say who did what from where without each context passing it along. A
//! consumer runs inside the origin of the event it handles, so what it causes in turn (a refund
//! the payments context makes for a return an admin approved) keeps the admin as its actor.

use crate::auth::{Principal, Role};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The signed-in user, or none for the shop's own work (sweepers, provider webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The client's address as the server saw the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Origin {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

tokio::task_local! {
    static ORIGIN: RefCell<Origin>;
}

/// Runs `work` with `origin` as the current one.
pub async fn scope<F: Future>(origin: Origin, work: F) -> F::Output {
    ORIGIN.scope(RefCell::new(origin), work).await
}

/// Names the authenticated caller as the actor of the current scope (nothing outside one).
pub fn set_actor(principal: &Principal) {
    let _ = ORIGIN.try_with(|o| {
        let mut o = o.borrow_mut();
        o.actor_id = Some(principal.user_id.clone());
        o.actor_role = Some(principal.role);
    });
}

/// The current origin, when there is one and it says anything.
pub fn current() -> Option<Origin> {
    ORIGIN.try_with(|o| o.borrow().clone()).ok().filter(|o| !o.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::AuthMethod;

    #[tokio::test]
    async fn the_actor_is_named_inside_a_scope_only() {
        let p = Principal {
            user_id: "usr_1".into(),
            role: Role::Admin,
            method: AuthMethod::Session { session_id: "ses_1".into() },
        };
        set_actor(&p);
        assert_eq!(current(), None);
        let seen = scope(Origin { request_id: Some("req_1".into()), ..Origin::default() }, async {
            set_actor(&p);
            current()
        })
        .await
        .expect("an origin");
        assert_eq!(seen.actor_id.as_deref(), Some("usr_1"));
        assert_eq!(seen.actor_role, Some(Role::Admin));
        assert_eq!(seen.request_id.as_deref(), Some("req_1"));
    }
}
