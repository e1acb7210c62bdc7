//! The storefront's own files, built into the binary and served under fingerprinted names
//! (`/assets/site.3f2a….css`) so browsers may keep them for a year: a changed file gets a new
//! name. No CDN, no file on disk to lose.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

struct Asset {
    /// The name pages ask for (`site.css`).
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset { name: "site.css", content_type: "text/css; charset=utf-8", bytes: include_bytes!("../assets/site.css") },
    Asset { name: "app.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("../assets/app.js") },
    Asset { name: "pay.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("../assets/pay.js") },
    Asset { name: "icon.svg", content_type: "image/svg+xml", bytes: include_bytes!("../assets/icon.svg") },
    Asset { name: "icon-192.png", content_type: "image/png", bytes: include_bytes!("../assets/icon-192.png") },
    Asset { name: "icon-512.png", content_type: "image/png", bytes: include_bytes!("../assets/icon-512.png") },
];

/// The service worker must keep one name: browsers look for updates at the URL they installed.
pub const SERVICE_WORKER: &[u8] = include_bytes!("../assets/sw.js");

struct Fingerprinted {
    /// `site.<hash>.css`, in the order of [`FILES`].
    names: Vec<String>,
}

fn fingerprinted() -> &'static Fingerprinted {
    static NAMES: OnceLock<Fingerprinted> = OnceLock::new();
    NAMES.get_or_init(|| Fingerprinted {
        names: FILES
            .iter()
            .map(|a| {
                let hash = Sha256::digest(a.bytes);
                let short: String = hash[..6].iter().map(|b| format!("{b:02x}")).collect();
                match a.name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
                    None => format!("{}.{short}", a.name),
                }
            })
            .collect(),
    })
}

/// The URL a page links for the asset `name`; an unknown name is a bug caught by the tests
/// that render every page.
pub fn url(name: &str) -> String {
    let index = FILES.iter().position(|a| a.name == name).unwrap_or(0);
    format!("/assets/{}", fingerprinted().names[index])
}

pub async fn asset_get(Path(name): Path<String>) -> Response {
    let Some(index) = fingerprinted().names.iter().position(|n| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let asset = &FILES[index];
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        asset.bytes,
    )
        .into_response()
}

pub async fn service_worker_get() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        SERVICE_WORKER,
    )
        .into_response()
}
