//! The binary as a user runs it: help, configuration errors, `migrate`, `serve --demo` twice on
//! one data dir, and a graceful stop on SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn oxcart() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_oxcart"));
    c.env_remove("RUST_LOG").env("OXCART_LOG__LEVEL", "warn");
    c
}

#[test]
fn help_lists_the_commands() {
    let out = oxcart().arg("--help").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("serve") && text.contains("migrate"), "{text}");
    let serve = oxcart().args(["serve", "--help"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&serve.stdout).contains("--demo"));
}

#[test]
fn invalid_configuration_is_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let out = oxcart()
        .current_dir(dir.path())
        .env("OXCART_SERVER__REQUEST_TIMEOUT_SECS", "0")
        .args(["migrate"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("server.request_timeout_secs"), "{err}");

    std::fs::write(dir.path().join("oxcart.toml"), "[server]\nbnid = \"x\"\n").expect("write");
    let typo = oxcart().current_dir(dir.path()).arg("migrate").output().expect("runs");
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("bnid"));
}

/// A backend that is misnamed or does not answer stops the start with one line naming its key.
#[test]
fn an_unreachable_or_misnamed_backend_is_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    for (key, url, says) in [
        ("redis.url", "http://127.0.0.1:6379", "must start with redis://"),
        ("redis.url", "redis://127.0.0.1:1", "cannot connect"),
        ("bus.url", "nats://127.0.0.1:4222", "must start with amqp://"),
        ("bus.url", "amqp://guest:guest@127.0.0.1:1/%2f", "cannot connect"),
    ] {
        let variable = format!("OXCART_{}", key.to_uppercase().replace('.', "__"));
        let out = oxcart()
            .current_dir(dir.path())
            .env(variable, url)
            .args(["migrate", "--data-dir", "d"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(key) && err.contains(says), "{err}");
    }
}

/// A context's own section is checked by the context, and a section no context claims is
/// refused, both as one line naming the key.
#[test]
fn invalid_context_section_is_one_line_naming_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let out = oxcart()
        .current_dir(dir.path())
        .env("OXCART_CART__MAX_LINES", "0")
        .args(["migrate", "--data-dir", "d"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cart.max_lines: must be between 1 and 1000"), "{err}");

    std::fs::write(dir.path().join("oxcart.toml"), "[catalog]\ncurency = \"EUR\"\n").expect("write");
    let typo = oxcart().current_dir(dir.path()).args(["migrate", "--data-dir", "d"]).output().expect("runs");
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(err.contains("catalog") && err.contains("curency"), "{err}");
    std::fs::write(dir.path().join("oxcart.toml"), "[sever]\nbind = \"x\"\n").expect("write");
    let section = oxcart().current_dir(dir.path()).args(["migrate", "--data-dir", "d"]).output().expect("runs");
    assert_eq!(section.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&section.stderr).contains("sever: no such section"));
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

pub(crate) fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// Starts `serve --demo`, waits until it answers, stops it with SIGTERM; returns its stdout.
fn serve_once(data_dir: &std::path::Path) -> String {
    let port = free_port();
    let mut child = oxcart()
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let live = loop {
        if let Some(r) = get(port, "/health/live") {
            break r;
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(live.starts_with("HTTP/1.1 200"), "{live}");
    let listing = get(port, "/api/v1/products?limit=1&q=jacket").expect("listing");
    assert!(listing.starts_with("HTTP/1.1 200"), "{listing}");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    let status = child.wait().expect("exits");
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    let mut out = String::new();
    child.stdout.take().expect("stdout").read_to_string(&mut out).expect("read");
    out.push_str(&listing);
    out
}

#[test]
fn serve_demo_creates_accounts_once_and_stops_gracefully() {
    let dir = tempfile::tempdir().expect("dir");
    let first = serve_once(dir.path());
    for email in ["admin@oxcart.test", "seller@oxcart.test", "customer@oxcart.test"] {
        assert!(first.contains(email), "{first}");
    }
    assert!(dir.path().join("oxcart.db").exists() && dir.path().join("jwt-secret").exists());
    assert!(first.contains("demo catalog"), "{first}");
    assert!(!first.contains("\"total\":0"), "the demo catalog is searchable at once: {first}");
    let second = serve_once(dir.path());
    assert!(!second.contains("demo catalog"), "the catalog is made once: {second}");
    assert!(second.contains("exist already"), "{second}");
    assert!(!second.contains("customer@oxcart.test"), "no duplicates, no new passwords: {second}");

    let migrate = oxcart().args(["migrate", "--data-dir"]).arg(dir.path()).output().expect("runs");
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
}

#[test]
fn seed_adds_products_deterministically_and_reindex_rebuilds() {
    let dir = tempfile::tempdir().expect("dir");
    let seed = |n: &str| oxcart().args(["seed", "--products", n, "--data-dir"]).arg(dir.path()).output().expect("runs");
    let first = seed("40");
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{err}");
    assert!(err.contains("seeded 40 products") && err.contains("index holds 40 products"), "{err}");
    let second = seed("25");
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{err}");
    assert!(err.contains("index holds 65 products"), "numbering continues, no slug collides: {err}");
    std::fs::remove_dir_all(dir.path().join("search")).expect("remove index");
    let reindex = oxcart().args(["search", "reindex", "--data-dir"]).arg(dir.path()).output().expect("runs");
    let out = String::from_utf8_lossy(&reindex.stdout);
    assert!(
        reindex.status.success() && out.contains("65 visible products"),
        "{out} {}",
        String::from_utf8_lossy(&reindex.stderr)
    );
    let bad = oxcart().args(["seed", "--products", "0", "--data-dir"]).arg(dir.path()).output().expect("runs");
    assert!(!bad.status.success());
}

fn post(port: u16, path: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// PCI SAQ A, as an operator would check it: card numbers sent to the running server in a
/// body, a header and a login are refused, and appear neither in its logs (at debug level) nor
/// anywhere in its database files.
#[test]
fn card_numbers_reach_no_log_and_no_database_file() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("serve.log")).expect("log file");
    let mut child = oxcart()
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path().join("data"))
        .env("OXCART_LOG__LEVEL", "debug")
        .env("OXCART_SERVER__METRICS_BIND", "")
        .stdout(Stdio::from(log.try_clone().expect("clone")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(port, "/health/live").is_none_or(|r| !r.starts_with("HTTP/1.1 200")) {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let printed = std::fs::read_to_string(dir.path().join("serve.log")).expect("log");
    let password = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("admin@oxcart.test").map(|p| p.trim().to_owned()))
        .expect("demo admin password");
    let login =
        post(port, "/api/v1/auth/login", &format!(r#"{{"email":"admin@oxcart.test","password":"{password}"}}"#), &[]);
    let token = login.split("\"access_token\":\"").nth(1).and_then(|t| t.split('"').next()).expect("token").to_owned();
    let bearer = format!("Bearer {token}");

    let card = "4111111111111111";
    let refund = post(
        port,
        "/api/v1/payments/pay_01JD3S0000000000000000000A/refunds",
        &format!(r#"{{"amount":100,"reason":"refund to {card}"}}"#),
        &[("Authorization", &bearer), ("Idempotency-Key", "k-1")],
    );
    assert!(refund.starts_with("HTTP/1.1 422") && refund.contains("card_number_refused"), "{refund}");
    let keyed = post(
        port,
        "/api/v1/payments/pay_01JD3S0000000000000000000A/refunds",
        r#"{"amount":100}"#,
        &[("Authorization", &bearer), ("Idempotency-Key", card)],
    );
    assert!(keyed.starts_with("HTTP/1.1 422"), "{keyed}");
    let hook =
        post(port, "/api/v1/webhooks/stripe", &format!(r#"{{"card":"{card}"}}"#), &[("Stripe-Signature", "t=1,v1=00")]);
    assert!(hook.starts_with("HTTP/1.1 404") && hook.contains("webhook_not_configured"), "{hook}");
    let typed =
        post(port, "/api/v1/auth/login", &format!(r#"{{"email":"{card}@example.com","password":"{card}"}}"#), &[]);
    assert!(typed.starts_with("HTTP/1.1 4"), "{typed}");

    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(child.wait().expect("exits").success());
    let logged = std::fs::read(dir.path().join("serve.log")).expect("log");
    assert!(!contains(&logged, card.as_bytes()), "the log holds the card number");
    assert!(logged.len() > 1000 && contains(&logged, b"DEBUG"), "the log was written at debug level");
    for entry in std::fs::read_dir(dir.path().join("data")).expect("data dir").flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).expect("file");
            assert!(!contains(&bytes, card.as_bytes()), "{} holds the card number", entry.path().display());
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `audit verify` on an intact log says so; on one with a row slipped in by hand (no trigger
/// stops someone with the database's own rights) it names each fault and exits 1.
#[test]
fn audit_verify_says_intact_or_names_each_fault() {
    let dir = tempfile::tempdir().expect("dir");
    let out = oxcart().current_dir(dir.path()).args(["audit", "verify", "--data-dir", "d"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "no database yet");
    assert!(String::from_utf8_lossy(&out.stderr).contains("oxcart migrate"));
    let out = oxcart().current_dir(dir.path()).args(["migrate", "--data-dir", "d"]).output().expect("runs");
    assert!(out.status.success());
    let verify =
        || oxcart().current_dir(dir.path()).args(["audit", "verify", "--data-dir", "d"]).output().expect("runs");
    let out = verify();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("the audit log is intact: 0 entries"), "{text}");

    let url = format!("sqlite://{}", dir.path().join("d").join("oxcart.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let db = store::Db::connect(&store::DbOptions::new(url)).await.expect("database");
        db.execute_script(
            "INSERT INTO audit_entries (seq, id, event_id, at, action, object_type, object_id, after_state,
                 prev_hash, hash)
             VALUES (1, 'aud_x', 'evt_x', 0, 'payment.refunded', 'payment', 'pay_x', '{}',
                 '0000000000000000000000000000000000000000000000000000000000000000', 'made up')",
        )
        .await
        .expect("a row slipped in");
        db.close().await;
    });
    let out = verify();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("fault: entry 1 was changed"), "{text}");
    assert!(text.contains("fault: the chain ends at entry 1 but its head says 0"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not intact"));
}
