//! The chain: it verifies when untouched, finds an edited, a deleted and a dropped last entry,
//! refuses changes through SQL, and stays one unbroken line under redelivery and concurrent
//! appenders.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use kernel::event::Envelope;
use kernel::origin::Origin;
use serde_json::json;
use store::Backend;
use testkit::{TestApp, backends};
use users::api::events::UserAccessChanged;

async fn faults(app: &TestApp) -> (bool, Vec<String>) {
    let report = app.app.audit.chain_verify(|_| {}).await.expect("verify");
    (report.intact, report.faults)
}

/// Lets a test tamper as an intruder with the database's own rights could: without the
/// triggers that refuse changes.
async fn drop_guards(app: &TestApp) {
    let on = match app.app.db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " ON audit_entries",
    };
    for name in ["audit_entries_no_update", "audit_entries_no_delete"] {
        let sql = format!("DROP TRIGGER {name}{on}");
        app.app.db.execute_script(store::AssertSqlSafe(sql)).await.expect("trigger dropped");
    }
}

#[tokio::test]
async fn an_edited_a_deleted_and_a_dropped_last_entry_are_each_found() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (_, _, ann) = app.register("ann@example.com").await;
        for role in ["seller", "customer", "seller", "customer", "seller", "customer"] {
            let path = format!("/api/v1/admin/users/{ann}/role");
            let r = app.call(Method::PUT, &path, Some(json!({"role": role})), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        app.settle().await;
        assert_eq!(faults(&app).await, (true, vec![]));

        let edit = "UPDATE audit_entries SET after_state = '{\"role\":\"admin\"}' WHERE seq = 2";
        assert!(app.app.db.execute(edit, vec![]).await.is_err(), "the table refuses changes");
        assert!(app.app.db.execute("DELETE FROM audit_entries", vec![]).await.is_err(), "and deletions");

        drop_guards(&app).await;
        app.app.db.execute(edit, vec![]).await.expect("edited");
        assert_eq!(faults(&app).await, (false, vec!["entry 2 was changed".to_owned()]));
        app.app.db.execute("DELETE FROM audit_entries WHERE seq = 4", vec![]).await.expect("deleted");
        app.app.db.execute("DELETE FROM audit_entries WHERE seq = 6", vec![]).await.expect("deleted");
        let (intact, found) = faults(&app).await;
        assert!(!intact);
        assert_eq!(
            found,
            ["entry 2 was changed", "entry 4 is missing", "the chain ends at entry 5 but its head says 6"]
        );
    }
}

fn access_changed(n: usize) -> Envelope {
    let event =
        UserAccessChanged { user_id: format!("usr_{n}"), disabled: n.is_multiple_of(2), by: "usr_admin".into() };
    let mut e = Envelope::new(&event);
    e.origin = Some(Origin {
        actor_id: Some("usr_admin".into()),
        actor_role: Some(Role::Admin),
        request_id: Some(format!("req_{n}")),
        address: Some("192.0.2.7".into()),
    });
    e
}

#[tokio::test]
async fn redelivered_and_concurrent_events_make_one_unbroken_chain() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let handler = app
            .app
            .modules
            .iter()
            .find(|m| m.name == "audit")
            .and_then(|m| m.handlers.first().cloned())
            .expect("the audit consumer");
        let first = access_changed(0);
        for _ in 0..3 {
            bus::inbox::deliver(&app.app.db, handler.as_ref(), &first).await.expect("delivered");
        }
        let tasks: Vec<_> = (0..4)
            .map(|t| {
                let (db, handler) = (app.app.db.clone(), handler.clone());
                tokio::spawn(async move {
                    for n in 0..10 {
                        let e = access_changed(1 + t * 10 + n);
                        bus::inbox::deliver(&db, handler.as_ref(), &e).await.expect("delivered");
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("appender");
        }
        let report = app.app.audit.chain_verify(|_| {}).await.expect("verify");
        assert!(report.intact, "{:?}", report.faults);
        assert_eq!((report.entries, report.head_seq), (41, 41), "a redelivered event is one entry");
    }
}
