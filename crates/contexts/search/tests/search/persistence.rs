//! The on-disk index: freshness, watermarks and recovery from unusable files.

use std::fs;
use std::path::Path;

use search::{ProductDoc, SearchIndex, SearchQuery};

const VERSION_FILE: &str = "oxcart-index-version";

fn product(id: &str, title: &str) -> ProductDoc {
    ProductDoc {
        id: id.to_owned(),
        slug: title.to_lowercase().replace(' ', "-"),
        title: title.to_owned(),
        description: String::new(),
        brand_id: None,
        brand_name: None,
        category_id: None,
        category_path: Vec::new(),
        category_names: Vec::new(),
        seller_id: "sel_1".to_owned(),
        attributes: Vec::new(),
        price_min: 1000,
        price_max: 1000,
        currency: "EUR".to_owned(),
        rating_avg: 0.0,
        rating_count: 0,
        created_at: 0,
        image: None,
        in_stock: true,
    }
}

fn open(dir: &Path) -> (SearchIndex, bool) {
    SearchIndex::open(dir).expect("open")
}

/// Opens a fresh index in `dir`, indexes two products and commits them with `watermark`.
fn populate(dir: &Path, watermark: i64) {
    let (index, fresh) = open(dir);
    assert!(fresh);
    index.upsert(&[product("prd_1", "Blue Kettle"), product("prd_2", "Red Toaster")]).expect("upsert");
    index.commit(watermark).expect("commit");
}

#[test]
fn creates_the_directory_and_reports_fresh() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("nested").join("search");
    let (index, fresh) = open(&dir);
    assert!(fresh);
    assert_eq!(index.watermark(), None);
    assert_eq!(index.doc_count(), 0);
    assert!(dir.join(VERSION_FILE).is_file());
    assert!(index.size_bytes() > 0);
}

#[test]
fn watermark_and_documents_survive_reopening() {
    let tmp = tempfile::tempdir().expect("tempdir");
    populate(tmp.path(), 42);
    let (index, fresh) = open(tmp.path());
    assert!(!fresh);
    assert_eq!(index.watermark(), Some(42));
    assert_eq!(index.doc_count(), 2);
    let hits = index.search(&SearchQuery { text: Some("kettle".into()), limit: 10, ..SearchQuery::default() });
    assert_eq!(hits.expect("search").hits[0].id, "prd_1");
    // Later commits move the watermark on, also across another reopen.
    index.delete(&["prd_2".to_owned()]).expect("delete");
    index.commit(-7).expect("commit");
    drop(index);
    let (index, fresh) = open(tmp.path());
    assert!(!fresh);
    assert_eq!((index.watermark(), index.doc_count()), (Some(-7), 1));
}

#[test]
fn uncommitted_changes_are_lost_and_never_committed_index_is_fresh() {
    let tmp = tempfile::tempdir().expect("tempdir");
    {
        let (index, fresh) = open(tmp.path());
        assert!(fresh);
        index.upsert(&[product("prd_1", "Blue Kettle")]).expect("upsert");
    }
    let (index, fresh) = open(tmp.path());
    assert!(fresh, "nothing was ever committed, so the caller must rebuild");
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn another_schema_version_is_wiped_and_fresh() {
    let tmp = tempfile::tempdir().expect("tempdir");
    populate(tmp.path(), 5);
    fs::write(tmp.path().join(VERSION_FILE), "999\n").expect("write version");
    let keep = tmp.path().join("operator-notes.txt");
    fs::write(&keep, "not ours").expect("write notes");
    let (index, fresh) = open(tmp.path());
    assert!(fresh);
    assert_eq!(index.watermark(), None);
    assert_eq!(index.doc_count(), 0);
    assert!(keep.is_file(), "files that are not the index's are left alone");
    // The rebuilt index is usable and is no longer fresh once committed.
    index.upsert(&[product("prd_9", "Green Mug")]).expect("upsert");
    index.commit(6).expect("commit");
    drop(index);
    let (index, fresh) = open(tmp.path());
    assert!(!fresh);
    assert_eq!((index.watermark(), index.doc_count()), (Some(6), 1));
}

#[test]
fn a_missing_version_marker_counts_as_another_version() {
    let tmp = tempfile::tempdir().expect("tempdir");
    populate(tmp.path(), 5);
    fs::remove_file(tmp.path().join(VERSION_FILE)).expect("remove version");
    let (index, fresh) = open(tmp.path());
    assert!(fresh);
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn unreadable_index_files_are_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    populate(tmp.path(), 5);
    fs::write(tmp.path().join("meta.json"), "{ not json").expect("corrupt meta");
    let (index, fresh) = open(tmp.path());
    assert!(fresh);
    assert_eq!(index.doc_count(), 0);
    assert_eq!(index.watermark(), None);
}

#[test]
fn a_second_writer_on_the_same_directory_is_an_error_not_a_wipe() {
    let tmp = tempfile::tempdir().expect("tempdir");
    populate(tmp.path(), 5);
    let (first, _) = open(tmp.path());
    assert!(SearchIndex::open(tmp.path()).is_err());
    assert_eq!(first.doc_count(), 2);
    drop(first);
    let (index, fresh) = open(tmp.path());
    assert!(!fresh);
    assert_eq!(index.doc_count(), 2);
}

#[test]
fn in_memory_index_has_no_size_on_disk() {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(&[product("prd_1", "Blue Kettle")]).expect("upsert");
    index.commit(1).expect("commit");
    assert_eq!(index.size_bytes(), 0);
    assert_eq!(index.watermark(), Some(1));
}
