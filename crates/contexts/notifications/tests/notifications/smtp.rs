//! E-mail over SMTP to a real server (aiosmtpd, which `.ci/run` installs; its path in
//! `OXCART_TEST_SMTPD`), read back from the mailbox it writes; and a server that is not there.

use crate::common::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use testkit::{TestApp, backends};

/// aiosmtpd on a free port, delivering into a maildir; stopped when dropped.
struct Smtpd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Smtpd {
    async fn start() -> Option<Self> {
        let Ok(bin) = std::env::var("OXCART_TEST_SMTPD") else {
            eprintln!("skipped: set OXCART_TEST_SMTPD to an aiosmtpd executable (.ci/run does)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let dir = tempfile::tempdir().expect("dir");
        let child = Command::new(bin)
            .args(["-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Some(Self { child, port, dir });
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not listen on {port}");
    }

    /// The files of the messages it has received so far. Their names do not sort by arrival
    /// (the maildir's microseconds are not zero-padded), so new ones are told by name.
    fn files(&self) -> BTreeSet<PathBuf> {
        let new = self.dir.path().join("mail").join("new");
        std::fs::read_dir(&new).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
    }

    /// Every message received that is not among `seen`, raw.
    fn received_since(&self, seen: &BTreeSet<PathBuf>) -> Vec<String> {
        self.files().difference(seen).map(|p| read(p)).collect()
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("message file")
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn an_order_confirmation_arrives_at_the_smtp_server() {
    let Some(smtpd) = Smtpd::start().await else { return };
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, |c| {
            c.set("notifications.shop_name", "Tidy Shop");
            c.set("notifications.email", json!({"provider": "smtp", "from": "Tidy Shop <shop@tidy.example>"}));
            c.set("notifications.smtp", json!({"host": "127.0.0.1", "port": smtpd.port, "security": "none"}));
        })
        .await;
        let before = smtpd.files();
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        kept_n(&app, "email_verification", 1).await;
        buy(&app, &shop, &ann, 3).await;
        assert!(deliver(&app).await >= 3, "verification, confirmation, the seller's notice");
        let m = &kept(&app, "order_confirmed").await[0];
        assert_eq!((m.state.as_str(), m.provider.as_deref()), ("sent", Some("smtp")), "{m:?}");
        let mail = smtpd.received_since(&before);
        let confirmation = mail.iter().find(|raw| raw.contains("confirmed")).expect("the confirmation arrived");
        assert!(
            confirmation.contains("To: ann@example.com") || confirmation.contains("<ann@example.com>"),
            "{confirmation}"
        );
        assert!(
            confirmation.contains("From: \"Tidy Shop\" <shop@tidy.example>")
                || confirmation.contains("From: Tidy Shop <shop@tidy.example>"),
            "{confirmation}"
        );
        assert!(confirmation.contains("multipart/alternative") && confirmation.contains("text/html"), "{confirmation}");
        assert!(confirmation.contains(m.provider_id.as_deref().expect("message id")), "the Message-ID we kept");
        assert!(!confirmation.contains("List-Unsubscribe"), "essential: no unsubscribe");
        let seller = mail.iter().find(|raw| raw.contains("seller@example.com")).expect("the seller's notice");
        assert!(
            seller.contains("List-Unsubscribe: <http")
                && seller.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{seller}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_smtp_server_means_later_attempts_then_parking() {
    for backend in backends() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let app = TestApp::spawn_with(&backend, |c| {
            c.set("notifications.max_attempts", 2);
            c.set("notifications.email", json!({"provider": "smtp", "from": "shop@tidy.example"}));
            c.set("notifications.smtp", json!({"host": "127.0.0.1", "port": port, "security": "none"}));
        })
        .await;
        app.register("ann@example.com").await;
        kept_n(&app, "email_verification", 1).await;
        assert_eq!(deliver(&app).await, 0);
        let m = &kept(&app, "email_verification").await[0];
        assert_eq!((m.state.as_str(), m.attempts), ("queued", 1), "{m:?}");
        assert_eq!(deliver(&app).await, 0, "not due yet: nothing is tried");
        assert_eq!(kept(&app, "email_verification").await[0].attempts, 1);
        due_now(&app).await;
        deliver(&app).await;
        let m = &kept(&app, "email_verification").await[0];
        assert_eq!((m.state.as_str(), m.attempts), ("parked", 2), "out of attempts: {m:?}");
    }
}
