//! The consoles' reads, as an admin: `sales-report` asks for the shop's sales by the day (30
//! days) and by the hour (48 hours) and one seller's, as the overviews do; `audit-list` pages
//! the audit log, whole and filtered. Both read aggregates or the log, never orders, so their
//! cost does not grow with the orders in the database.

use super::fulfilment::Authorized;
use bench::{Paths, Scenario};
use std::collections::HashMap;
use std::sync::Arc;

pub async fn prepare(url: &str, token: &str, wanted: &[&str]) -> anyhow::Result<HashMap<String, Arc<dyn Scenario>>> {
    let mut out: HashMap<String, Arc<dyn Scenario>> = HashMap::new();
    if wanted.contains(&"sales-report") {
        let mut paths = vec!["/api/v1/analytics/sales".to_owned(), "/api/v1/analytics/sales?grain=hour".to_owned()];
        let sellers = super::stock::locations(url, token).await?;
        paths.extend(sellers.keys().take(5).map(|s| format!("/api/v1/analytics/sales?seller_id={s}")));
        let inner = Paths { name: "sales-report".into(), paths };
        out.insert("sales-report".into(), Arc::new(Authorized { inner, token: token.to_owned() }));
    }
    if wanted.contains(&"audit-list") {
        let paths = vec![
            "/api/v1/admin/audit?limit=50".to_owned(),
            "/api/v1/admin/audit?limit=50&action=payment.*".to_owned(),
            "/api/v1/admin/audit?limit=50&action=user.role_changed".to_owned(),
        ];
        let inner = Paths { name: "audit-list".into(), paths };
        out.insert("audit-list".into(), Arc::new(Authorized { inner, token: token.to_owned() }));
    }
    Ok(out)
}
