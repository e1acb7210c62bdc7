//! The files a site keeps beside its pages: the web app manifest (installable to a phone's
//! home screen), the offline page the service worker falls back to, robots.txt and the sitemap.

use crate::Storefront;
use crate::render::{Layout, html};
use crate::session::Shopper;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use catalog::api::CatalogFeed;
use serde_json::json;
use std::sync::Arc;

/// The sitemap protocol's limit for one file.
const SITEMAP_MAX: usize = 50_000;

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    layout: Layout,
}

pub async fn offline_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let mut layout = Layout::new(&shop, Some(&shopper), "Offline");
    layout.noindex = true;
    html(StatusCode::OK, OfflinePage { layout }.render())
}

pub async fn manifest_get(State(shop): State<Arc<Storefront>>) -> Response {
    let short: String = shop.shop_name.chars().take(12).collect();
    let manifest = json!({
        "name": shop.shop_name,
        "short_name": short,
        "description": shop.settings.tagline,
        "lang": shop.locale.lang(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#16425b",
        "icons": [
            {"src": crate::assets::url("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": crate::assets::url("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": crate::assets::url("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": crate::assets::url("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    });
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/manifest+json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        manifest.to_string(),
    )
        .into_response()
}

pub async fn robots_get(State(shop): State<Arc<Storefront>>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /cart\nDisallow: /account\nDisallow: /checkout\nDisallow: /api/\nSitemap: {}/sitemap.xml\n",
        shop.base_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// The home page, every category and every product a customer may see (the first 50,000).
pub async fn sitemap_get(State(shop): State<Arc<Storefront>>) -> Response {
    match sitemap(&shop).await {
        Ok(xml) => ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response(),
        Err(e) => {
            tracing::error!(code = %e.code, detail = %e.detail, "the sitemap failed");
            (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "60")]).into_response()
        }
    }
}

async fn sitemap(shop: &Storefront) -> kernel::Result<String> {
    let base = &shop.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |path: &str, lastmod: Option<i64>| {
        xml.push_str("<url><loc>");
        xml.push_str(&escape(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(t) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&kernel::time::Timestamp::from_micros(t).to_rfc3339());
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    push("/", None);
    let taxonomy = shop.catalog.taxonomy().await?;
    for c in taxonomy.categories_in_order() {
        push(&format!("/c/{}", c.slug), None);
    }
    let mut after = String::new();
    let mut count = 0;
    while count < SITEMAP_MAX {
        let batch = shop.catalog.entries_after(&after, 1000).await?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        for e in batch.iter().take(SITEMAP_MAX - count) {
            push(&format!("/p/{}", e.slug), Some(e.updated_at));
            count += 1;
        }
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}
