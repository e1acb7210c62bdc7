//! The consoles' reads. As an admin through the API: `sales-report` asks for the shop's sales
//! by the day (30 days) and by the hour (48 hours) and some sellers', as the overviews do;
//! `audit-list` pages the audit log, whole and filtered. As a browser signed in through the
//! login form: `page-admin` renders the admin's overview (KPIs, two charts, the latest audit
//! entries) and `page-seller` a seller's (`--seller-email`). They read aggregates and the log,
//! never orders, so their cost does not grow with the orders in the database.

use super::fulfilment::Authorized;
use anyhow::Context;
use bench::{Method, Paths, RequestSpec, Scenario};
use std::collections::HashMap;
use std::sync::Arc;

/// The console scenarios among `wanted`; `token` is an admin's, `seller` a seller's e-mail
/// address and password for `page-seller`, `admin` the admin's for `page-admin`.
pub async fn prepare(
    url: &str,
    token: &str,
    admin: (&str, &str),
    seller: Option<(&str, &str)>,
    wanted: &[&str],
) -> anyhow::Result<HashMap<String, Arc<dyn Scenario>>> {
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
    if wanted.contains(&"page-admin") {
        let cookie = browser_session(url, admin.0, admin.1).await?;
        out.insert("page-admin".into(), Arc::new(Signed { name: "page-admin", path: "/admin", cookie }));
    }
    if wanted.contains(&"page-seller") {
        let (email, password) = seller.context("page-seller needs --seller-email and --seller-password")?;
        let cookie = browser_session(url, email, password).await?;
        out.insert("page-seller".into(), Arc::new(Signed { name: "page-seller", path: "/seller", cookie }));
    }
    Ok(out)
}

/// One page, asked for by a browser holding `cookie`.
struct Signed {
    name: &'static str,
    path: &'static str,
    cookie: String,
}

impl Scenario for Signed {
    fn name(&self) -> &str {
        self.name
    }

    fn next(&self, _worker: usize, _seq: u64) -> RequestSpec {
        let mut spec = RequestSpec::get(self.path);
        spec.headers.push(("cookie".into(), self.cookie.clone()));
        spec.headers.push(("accept".into(), "text/html".into()));
        spec
    }
}

/// Signs in through the login form as a browser does (the page's cookie and CSRF token, then
/// the form sent from the same origin) and answers the `Cookie` header its session needs.
async fn browser_session(url: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let mut jar: Vec<(String, String)> = Vec::new();
    let keep = |jar: &mut Vec<(String, String)>, answer: &bench::Answer| {
        for (k, v) in &answer.headers {
            if k != "set-cookie" {
                continue;
            }
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                jar.retain(|(n, _)| n != name);
                if !v.contains("Max-Age=0") {
                    jar.push((name.to_owned(), value.to_owned()));
                }
            }
        }
    };
    let mut spec = RequestSpec::get("/account/login");
    spec.headers.push(("accept".into(), "text/html".into()));
    let page = bench::send_raw(url, spec).await?;
    keep(&mut jar, &page);
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("the login page has no CSRF token")?
        .to_owned();
    let form: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", csrf.as_str()), ("email", email), ("password", password)])
        .finish();
    let origin = url.trim_end_matches('/').to_owned();
    let cookie = jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let spec = RequestSpec {
        method: Method::POST,
        path_and_query: "/account/login".into(),
        headers: vec![
            ("content-type".into(), "application/x-www-form-urlencoded".into()),
            ("origin".into(), origin),
            ("sec-fetch-site".into(), "same-origin".into()),
            ("cookie".into(), cookie),
        ],
        body: Some(form.into_bytes()),
    };
    let signed = bench::send_raw(url, spec).await?;
    anyhow::ensure!(signed.status == 303, "signing in as {email} through the form answered {}", signed.status);
    keep(&mut jar, &signed);
    Ok(jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
}
