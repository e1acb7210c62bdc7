//! Password reset and e-mail verification: links by e-mail that work once, while fresh, and a
//! reset that ends every session; on every backend.

use axum::http::{Method, StatusCode};
use kernel::BoxFuture;
use kernel::auth::Role;
use serde_json::json;
use std::sync::{Arc, Mutex};
use testkit::TestApp;
use users::api::{AccountNotice, AccountNoticeKind, AccountNotices, Customers};

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new passphrase";

/// Keeps what would have been mailed, so a test can follow the link.
#[derive(Default)]
struct Mailbox(Mutex<Vec<AccountNotice>>);

impl AccountNotices for Mailbox {
    fn account_notice_send<'a>(&'a self, notice: &'a AccountNotice) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            self.0.lock().expect("mailbox").push(notice.clone());
            Ok(())
        })
    }
}

impl Mailbox {
    /// Installed into the app's users service; the caller keeps it alive (the service holds it weakly).
    fn install(app: &TestApp) -> Arc<Self> {
        let mailbox = Arc::new(Self::default());
        app.app.users.account_notices_set(mailbox.clone());
        mailbox
    }

    fn all(&self, email: &str, kind: AccountNoticeKind) -> Vec<AccountNotice> {
        self.0.lock().expect("mailbox").iter().filter(|n| n.email == email && n.kind == kind).cloned().collect()
    }

    /// The newest message of `kind` to `email`, waiting for the background send.
    async fn newest(&self, email: &str, kind: AccountNoticeKind, count: usize) -> AccountNotice {
        for _ in 0..500 {
            let found = self.all(email, kind);
            if found.len() >= count {
                return found[count - 1].clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("no message {count} of {} to {email}", kind.as_str());
    }

    async fn token(&self, email: &str, kind: AccountNoticeKind, count: usize) -> String {
        self.newest(email, kind, count).await.token.expect("the message carries a token")
    }
}

async fn forgot(app: &TestApp, email: &str) -> testkit::TestResponse {
    app.post("/api/v1/auth/password/forgot", json!({ "email": email }), None).await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> testkit::TestResponse {
    app.post("/api/v1/auth/password/reset", json!({ "token": token, "password": password }), None).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> testkit::TestResponse {
    app.post("/api/v1/auth/login", json!({ "email": email, "password": password }), None).await
}

#[tokio::test]
async fn forgot_answers_alike_for_unknown_known_and_disabled_addresses() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let mail = Mailbox::install(&app);
        app.register("known@example.com").await;
        let (admin, _) = app.user_with_role("root@example.com", Role::Admin).await;
        let (_, _, off) = app.register("off@example.com").await;
        app.post(&format!("/api/v1/admin/users/{off}/disable"), json!({}), Some(&admin)).await;

        let unknown = forgot(&app, "nobody@example.com").await;
        let known = forgot(&app, " Known@Example.com").await;
        let disabled = forgot(&app, "off@example.com").await;
        assert_eq!((unknown.status, unknown.json()), (StatusCode::ACCEPTED, json!({"status": "accepted"})));
        assert_eq!((known.status, &known.text), (unknown.status, &unknown.text), "{}", backend.name());
        assert_eq!((disabled.status, &disabled.text), (unknown.status, &unknown.text));

        let sent = mail.newest("known@example.com", AccountNoticeKind::PasswordReset, 1).await;
        let token = sent.token.expect("token");
        assert_eq!(token.len(), 43, "32 random bytes, base64url without padding");
        let minutes =
            (sent.expires_at.expect("expiry").as_micros() - kernel::time::Timestamp::now().as_micros()) / 60_000_000;
        assert!((29..=30).contains(&minutes), "the default lifetime is 30 minutes: {minutes}");
        assert!(mail.all("nobody@example.com", AccountNoticeKind::PasswordReset).is_empty());
        assert!(mail.all("off@example.com", AccountNoticeKind::PasswordReset).is_empty());
        let (clear,): (i64,) = app
            .app
            .db
            .fetch_one("SELECT COUNT(*) FROM users_tokens WHERE token_hash = $1", store::args![token.as_str()])
            .await
            .expect("count");
        assert_eq!(clear, 0, "only the token's hash is stored");
    }
}

#[tokio::test]
async fn reset_sets_the_password_and_ends_every_session() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let mail = Mailbox::install(&app);
        let (access, refresh, _) = app.register("r@example.com").await;
        assert_eq!(forgot(&app, "r@example.com").await.status, StatusCode::ACCEPTED);
        let token = mail.token("r@example.com", AccountNoticeKind::PasswordReset, 1).await;

        let done = reset(&app, &token, NEW_PASSWORD).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}: {}", backend.name(), done.text);
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.code(), "session_ended", "the old access token dies");
        let old_refresh = app.post("/api/v1/auth/refresh", json!({"refresh_token": refresh}), None).await;
        assert_eq!(old_refresh.status, StatusCode::UNAUTHORIZED, "the old refresh token dies");
        assert_eq!(login(&app, "r@example.com", PASSWORD).await.code(), "invalid_login");
        let relog = login(&app, "r@example.com", NEW_PASSWORD).await;
        assert_eq!(relog.status, StatusCode::OK, "{}", relog.text);
        assert_eq!(relog.json()["user"]["email_verified"], true, "the link reached the mailbox");

        let changed = mail.newest("r@example.com", AccountNoticeKind::PasswordChanged, 1).await;
        assert!(changed.token.is_none() && changed.expires_at.is_none());
        let again = reset(&app, &token, "yet another passphrase").await;
        assert_eq!((again.status, again.code()), (StatusCode::BAD_REQUEST, "reset_token_invalid".into()));
    }
}

#[tokio::test]
async fn reset_tokens_work_once_only_while_fresh_and_only_the_newest() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let mail = Mailbox::install(&app);
        app.register("a@example.com").await;
        app.register("b@example.com").await;

        let garbage = reset(&app, "not-a-token-at-all", NEW_PASSWORD).await;
        assert_eq!((garbage.status, garbage.code()), (StatusCode::BAD_REQUEST, "reset_token_invalid".into()));
        assert!(garbage.json()["detail"].as_str().is_some_and(|d| d.contains("unknown, expired or already used")));
        let huge = reset(&app, &"x".repeat(200), NEW_PASSWORD).await;
        assert_eq!(huge.json()["errors"][0]["field"], "token", "past the documented bound");

        // A second link ends the first.
        forgot(&app, "a@example.com").await;
        let first = mail.token("a@example.com", AccountNoticeKind::PasswordReset, 1).await;
        forgot(&app, "a@example.com").await;
        let second = mail.token("a@example.com", AccountNoticeKind::PasswordReset, 2).await;
        assert_eq!(reset(&app, &first, NEW_PASSWORD).await.code(), "reset_token_invalid", "{}", backend.name());

        // A weak password is the registration policy's answer, and leaves the link usable.
        let weak = reset(&app, &second, "password123").await;
        assert_eq!((weak.status, weak.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()));
        assert_eq!(weak.json()["errors"][0]["field"], "password");
        assert_eq!(reset(&app, &second, NEW_PASSWORD).await.status, StatusCode::NO_CONTENT);

        // An expired link.
        forgot(&app, "b@example.com").await;
        let stale = mail.token("b@example.com", AccountNoticeKind::PasswordReset, 1).await;
        app.app.db.execute("UPDATE users_tokens SET expires_at = 1 WHERE used_at IS NULL", vec![]).await.expect("age");
        assert_eq!(reset(&app, &stale, NEW_PASSWORD).await.code(), "reset_token_invalid");
        assert_eq!(login(&app, "b@example.com", PASSWORD).await.status, StatusCode::OK, "nothing changed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_uses_of_one_token_let_exactly_one_win() {
    for backend in testkit::backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let mail = Mailbox::install(&app);
        app.register("race@example.com").await;
        forgot(&app, "race@example.com").await;
        let token = mail.token("race@example.com", AccountNoticeKind::PasswordReset, 1).await;
        let body = json!({"token": token, "password": NEW_PASSWORD});
        let answers = app.concurrently(5, Method::POST, "/api/v1/auth/password/reset", body, None).await;
        assert_eq!(answers.iter().filter(|(s, _)| *s == 204).count(), 1, "{}: {answers:?}", backend.name());
        assert!(answers.iter().all(|(s, c)| *s == 204 || (*s == 400 && c == "reset_token_invalid")), "{answers:?}");
    }
}

#[tokio::test]
async fn forgot_is_limited_per_address_and_per_client() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    app.register("known@example.com").await;
    for email in ["nobody@example.com", "known@example.com"] {
        for _ in 0..3 {
            assert_eq!(forgot(&app, email).await.status, StatusCode::ACCEPTED);
        }
        let limited = forgot(&app, &email.to_uppercase()).await;
        assert_eq!((limited.status, limited.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()), "{email}");
        assert!(limited.header("retry-after").is_some());
    }

    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    for i in 0..20 {
        assert_eq!(forgot(&app, &format!("u{i}@example.com")).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!(forgot(&app, "u20@example.com").await.code(), "rate_limited", "twenty per client address");
}

#[tokio::test]
async fn registration_mails_a_verification_link() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let mail = Mailbox::install(&app);
        let (access, _, id) = app.register("v@example.com").await;
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.json()["email_verified"], false);
        let sent = mail.newest("v@example.com", AccountNoticeKind::EmailVerification, 1).await;
        assert_eq!(sent.user_id, id);
        let token = sent.token.expect("token");

        let garbage = app.post("/api/v1/auth/email/verify", json!({"token": "garbage"}), None).await;
        assert_eq!((garbage.status, garbage.code()), (StatusCode::BAD_REQUEST, "verify_token_invalid".into()));
        let ok = app.post("/api/v1/auth/email/verify", json!({"token": token}), None).await;
        assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}: {}", backend.name(), ok.text);
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.json()["email_verified"], true);
        let again = app.post("/api/v1/auth/email/verify", json!({"token": token}), None).await;
        assert_eq!(again.code(), "verify_token_invalid", "single use");
        let resend = app.post("/api/v1/me/email/verification", json!({}), Some(&access)).await;
        assert_eq!((resend.status, resend.code()), (StatusCode::CONFLICT, "email_already_verified".into()));
    }
}

#[tokio::test]
async fn verification_can_be_asked_again_three_times() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let mail = Mailbox::install(&app);
    let (access, _, _) = app.register("w@example.com").await;
    let anonymous = app.call(Method::POST, "/api/v1/me/email/verification", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for _ in 0..3 {
        let r = app.call(Method::POST, "/api/v1/me/email/verification", None, Some(&access)).await;
        assert_eq!((r.status, r.json()), (StatusCode::ACCEPTED, json!({"status": "accepted"})));
    }
    let limited = app.call(Method::POST, "/api/v1/me/email/verification", None, Some(&access)).await;
    assert_eq!((limited.status, limited.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()));
    let newest = mail.token("w@example.com", AccountNoticeKind::EmailVerification, 4).await;
    let ok = app.post("/api/v1/auth/email/verify", json!({"token": newest}), None).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.text);
}

#[tokio::test]
async fn a_password_change_is_announced_and_ends_reset_links() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let mail = Mailbox::install(&app);
    let (access, _, _) = app.register("c@example.com").await;
    forgot(&app, "c@example.com").await;
    let link = mail.token("c@example.com", AccountNoticeKind::PasswordReset, 1).await;
    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let changed = app.call(Method::PUT, "/api/v1/me/password", Some(body), Some(&access)).await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text);
    mail.newest("c@example.com", AccountNoticeKind::PasswordChanged, 1).await;
    assert_eq!(reset(&app, &link, "an attacker's passphrase").await.code(), "reset_token_invalid");
}

#[tokio::test]
async fn staff_contacts_are_the_enabled_holders_of_a_role_oldest_first() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (root, _) = app.user_with_role("root@example.com", Role::Admin).await;
        let (_, second) = app.user_with_role("second@example.com", Role::Admin).await;
        let (_, gone) = app.user_with_role("gone@example.com", Role::Admin).await;
        app.register("buyer@example.com").await;
        app.post(&format!("/api/v1/admin/users/{gone}/disable"), json!({}), Some(&root)).await;
        let staff = app.app.users.staff_contacts(Role::Admin).await.expect("staff");
        let emails: Vec<&str> = staff.iter().map(|s| s.email.as_str()).collect();
        assert_eq!(emails, ["root@example.com", "second@example.com"], "{}", backend.name());
        assert_eq!(staff[1].user_id, second);
        assert_eq!(staff[1].name, "Test");
    }
}
