//! Every problem code the sources can return is listed on the reference page (`/docs`), where
//! clients look codes up: a new `Error::conflict("x_taken", …)` without its entry fails here.

use std::collections::BTreeSet;
use testkit::{TestApp, TestBackend};

/// The calls that name a code, each followed by the code as a string literal.
const MAKERS: [&str; 5] =
    ["Error::new(", "Error::not_found(", "Error::conflict(", "Error::bad_request(", "Error::unauthenticated("];

#[tokio::test]
async fn every_code_the_sources_return_is_documented() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let page = app.get("/docs", None).await.text;
    let listed: BTreeSet<&str> =
        page.split("id='problem-").skip(1).filter_map(|rest| rest.split('\'').next()).collect();
    assert!(listed.len() >= 60, "found {} codes on /docs", listed.len());

    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut returned = BTreeSet::new();
    for file in crate::route_walk::sources(&crates) {
        let text = std::fs::read_to_string(&file).expect("source");
        for maker in MAKERS {
            for (i, _) in text.match_indices(maker) {
                let call = &text[i + maker.len()..];
                let call = call.split_once(')').map_or(call, |(args, _)| args);
                // The code is the first string literal of the call (after the kind, if any).
                if let Some(code) = call.split('"').nth(1).filter(|c| is_code(c)) {
                    returned.insert((code.to_owned(), file.display().to_string()));
                }
            }
        }
    }
    assert!(returned.len() >= 60, "found {} codes in the sources", returned.len());
    let missing: Vec<_> = returned.iter().filter(|(code, _)| !listed.contains(code.as_str())).collect();
    assert!(missing.is_empty(), "returned but not listed on /docs (add them to the crate's PROBLEMS): {missing:?}");
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}
