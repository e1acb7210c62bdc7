//! Every problem code the sources can return is in its context's error table (and so on the
//! reference page, `/docs`, where clients look codes up), with the status the call site gives
//! it: a new `Error::conflict("x_taken", …)` without its entry, or an entry of another kind,
//! fails here.

use kernel::ErrorKind;
use std::collections::{BTreeMap, BTreeSet};
use testkit::{TestApp, TestBackend};

/// The calls that name a code, each followed by the code as a string literal.
const MAKERS: [&str; 5] =
    ["Error::new(", "Error::not_found(", "Error::conflict(", "Error::bad_request(", "Error::unauthenticated("];

#[tokio::test]
async fn every_code_the_sources_return_is_documented() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let page = app.get("/docs", None).await.text;
    // code -> status, as the page lists them.
    let listed: BTreeMap<&str, u16> = page
        .split("id='problem-")
        .skip(1)
        .filter_map(|rest| {
            let code = rest.split('\'').next()?;
            let status = rest.split("<td>").nth(2)?.split('<').next()?.parse().ok()?;
            Some((code, status))
        })
        .collect();
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
                    let status = status_of(maker, call);
                    returned.insert((code.to_owned(), status, file.display().to_string()));
                }
            }
        }
    }
    assert!(returned.len() >= 60, "found {} codes in the sources", returned.len());
    let missing: Vec<_> = returned.iter().filter(|(code, _, _)| !listed.contains_key(code.as_str())).collect();
    assert!(missing.is_empty(), "returned but in no error table (add them to the context's api::ERRORS): {missing:?}");
    let mismatched: Vec<_> = returned
        .iter()
        .filter(|(code, status, _)| status.is_some_and(|s| listed.get(code.as_str()) != Some(&s)))
        .collect();
    assert!(mismatched.is_empty(), "returned with another status than its table entry gives: {mismatched:?}");
}

/// The status a call site gives its code: by the constructor, or by the kind it names.
fn status_of(maker: &str, call: &str) -> Option<u16> {
    let kind = match maker {
        "Error::not_found(" => ErrorKind::NotFound,
        "Error::conflict(" => ErrorKind::Conflict,
        "Error::bad_request(" => ErrorKind::BadRequest,
        "Error::unauthenticated(" => ErrorKind::Unauthenticated,
        _ => {
            // `Error::new(ErrorKind::Conflict, "code", …)`; a kind held in a variable is not checked.
            let named = call.split(',').next()?.trim().rsplit("::").next()?;
            *ErrorKind::ALL.iter().find(|k| format!("{k:?}") == named)?
        }
    };
    Some(kind.status().as_u16())
}

/// One code, one kind: two tables listing the same code (a context answering with another's)
/// agree on what it means to a client.
#[tokio::test]
async fn tables_agree_on_each_code() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let mut kinds: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let tables = app.app.modules.iter().flat_map(|m| m.errors).chain(kernel::error::PLATFORM_ERRORS);
    for e in tables {
        kinds.entry(e.code).or_default().insert(format!("{:?}", e.kind));
        assert!(!e.meaning.is_empty() && is_code(e.code), "{e:?}");
    }
    let split: Vec<_> = kinds.iter().filter(|(_, k)| k.len() > 1).collect();
    assert!(split.is_empty(), "codes with two kinds: {split:?}");
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}
