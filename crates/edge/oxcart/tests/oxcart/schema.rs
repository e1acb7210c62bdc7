//! The migrations give the same schema on SQLite and PostgreSQL: the same tables, columns,
//! types, nullability and indexes. Skipped (said so) without `OXCART_TEST_DATABASE_URL`.

use std::collections::BTreeSet;
use store::Db;
use testkit::TestBackend;

type Columns = BTreeSet<(String, String, String, bool)>;

fn normalise(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "bigint" | "int8" => "BIGINT".into(),
        "text" => "TEXT".into(),
        "boolean" | "bool" => "BOOLEAN".into(),
        other => other.to_uppercase(),
    }
}

async fn sqlite_schema(db: &Db) -> (Columns, BTreeSet<String>) {
    let tables: Vec<(String,)> = db
        .fetch_all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", vec![])
        .await
        .expect("tables");
    let mut columns = Columns::new();
    for (table,) in tables {
        let sql = format!("SELECT name, type, \"notnull\" FROM pragma_table_info('{table}')");
        let rows: Vec<(String, String, i64)> = db.fetch_all(store::AssertSqlSafe(sql), vec![]).await.expect("columns");
        for (name, ty, notnull) in rows {
            columns.insert((table.clone(), name, normalise(&ty), notnull == 1));
        }
    }
    let indexes: Vec<(String,)> = db
        .fetch_all("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'", vec![])
        .await
        .expect("indexes");
    (columns, indexes.into_iter().map(|(n,)| n).collect())
}

async fn pg_schema(db: &Db) -> (Columns, BTreeSet<String>) {
    let rows: Vec<(String, String, String, String)> = db
        .fetch_all(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns WHERE table_schema = current_schema()",
            vec![],
        )
        .await
        .expect("columns");
    let columns = rows.into_iter().map(|(t, c, ty, nullable)| (t, c, normalise(&ty), nullable == "NO")).collect();
    let indexes: Vec<(String,)> = db
        .fetch_all("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'", vec![])
        .await
        .expect("indexes");
    (columns, indexes.into_iter().map(|(n,)| n).collect())
}

#[tokio::test]
async fn both_backends_get_the_same_schema() {
    let Some(pg) = testkit::backends().into_iter().find(|b| matches!(b, TestBackend::Postgres(_))) else {
        eprintln!("skipped: set OXCART_TEST_DATABASE_URL to compare with PostgreSQL");
        return;
    };
    // Each database migrated as the application migrates it, from its contexts' modules.
    let lite = testkit::TestApp::spawn(&TestBackend::Sqlite).await;
    let post = testkit::TestApp::spawn(&pg).await;
    let (lite_cols, lite_idx) = sqlite_schema(&lite.app.db).await;
    let (pg_cols, pg_idx) = pg_schema(&post.app.db).await;
    assert!(!lite_cols.is_empty());
    // SQLite does not record NOT NULL on a TEXT PRIMARY KEY; compare names and types first.
    let shape = |c: &Columns| c.iter().map(|(t, n, ty, _)| (t.clone(), n.clone(), ty.clone())).collect::<BTreeSet<_>>();
    assert_eq!(shape(&lite_cols), shape(&pg_cols));
    let nullable = |c: &Columns| {
        c.iter()
            .filter(|(_, _, _, notnull)| !notnull)
            .map(|(t, n, _, _)| (t.clone(), n.clone()))
            .collect::<BTreeSet<_>>()
    };
    let lite_nullable = nullable(&lite_cols);
    let pg_nullable = nullable(&pg_cols);
    assert!(
        pg_nullable.is_subset(&lite_nullable),
        "nullable on PostgreSQL but not on SQLite: {:?}",
        pg_nullable.difference(&lite_nullable)
    );
    assert_eq!(lite_idx, pg_idx);

    // Migrating again changes nothing, and an edited migration is refused.
    let migrations = post.app.migrations();
    assert_eq!(store::migrate::run(&post.app.db, &migrations).await.expect("idempotent"), 0);
    let mut edited = migrations.clone();
    edited[0].sql = "CREATE TABLE sneaky (id TEXT)";
    let err = store::migrate::run(&lite.app.db, &edited).await.expect_err("edited migration refused");
    assert!(err.to_string().contains("changed after it was applied"), "{err}");
}
