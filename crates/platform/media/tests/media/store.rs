use std::path::{Path, PathBuf};
use std::sync::Arc;

use media::{LocalStore, Object, ObjectStore, StoreError};

const KEY: &str = "products/prd_01ABC/img_01XYZ-600.jpg";

/// A store rooted one level below a scratch directory, so writes outside the root can be seen.
fn scratch() -> (tempfile::TempDir, LocalStore) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = LocalStore::new(dir.path().join("root")).expect("the root is created");
    (dir, store)
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn put_then_get_round_trips_with_content_type() {
    let (_dir, store) = scratch();
    store.put(KEY, b"jpeg bytes".to_vec(), "image/jpeg").await.expect("put");
    let object = store.get(KEY).await.expect("get").expect("present");
    assert_eq!(object, Object { bytes: b"jpeg bytes".to_vec(), content_type: "image/jpeg".into() });

    store.put("a/b.png", vec![1], "image/png").await.expect("put");
    store.put("a/b.webp", vec![2], "IMAGE/WEBP").await.expect("put");
    store.put("a/b.jpeg", vec![3], "image/jpeg").await.expect("put");
    for (key, content_type) in [("a/b.png", "image/png"), ("a/b.webp", "image/webp"), ("a/b.jpeg", "image/jpeg")] {
        assert_eq!(store.get(key).await.expect("get").expect("present").content_type, content_type);
    }
}

#[tokio::test]
async fn overwrite_replaces_the_object() {
    let (_dir, store) = scratch();
    store.put(KEY, vec![1; 1000], "image/jpeg").await.expect("put");
    store.put(KEY, vec![2; 10], "image/jpeg").await.expect("overwrite");
    assert_eq!(store.get(KEY).await.expect("get").expect("present").bytes, vec![2; 10]);
}

#[tokio::test]
async fn delete_removes_and_is_idempotent() {
    let (_dir, store) = scratch();
    store.put(KEY, vec![1], "image/jpeg").await.expect("put");
    store.delete(KEY).await.expect("delete");
    assert_eq!(store.get(KEY).await.expect("get"), None);
    store.delete(KEY).await.expect("deleting again is fine");
    store.delete("never/existed.png").await.expect("deleting a missing key is fine");
}

#[tokio::test]
async fn missing_keys_and_prefixes_are_none() {
    let (_dir, store) = scratch();
    assert_eq!(store.get("nothing/here.jpg").await.expect("get"), None);
    store.put(KEY, vec![1], "image/jpeg").await.expect("put");
    // A prefix is a directory on disk but not an object.
    assert_eq!(store.get("products/prd_01ABC").await.expect("get"), None);
    // A path through an object is not an object either.
    assert_eq!(store.get(&format!("{KEY}/child.jpg")).await.expect("get"), None);
}

#[tokio::test]
async fn invalid_keys_are_refused_and_nothing_is_written_outside_root() {
    let (dir, store) = scratch();
    let long = "a/".repeat(128) + "x.jpg";
    let invalid = [
        "",
        "../x",
        "../x.jpg",
        "/abs",
        "/abs.jpg",
        "a//b",
        "a/../b",
        "a/./b",
        "a b",
        "a/b/",
        ".hidden.jpg",
        "a\\b.jpg",
        "a/b.jpg\0",
        "é.jpg",
        &long,
    ];
    for key in invalid {
        for result in [
            store.put(key, b"x".to_vec(), "application/octet-stream").await,
            store.delete(key).await,
            store.get(key).await.map(|_| ()),
        ] {
            assert!(matches!(result, Err(StoreError::InvalidKey { .. })), "{key:?} gave {result:?}");
        }
    }
    assert_eq!(files_under(dir.path()), Vec::<PathBuf>::new());
    assert_eq!(std::fs::read_dir(dir.path()).expect("readable").count(), 1, "only the root itself");

    let longest = "a/".to_owned() + &"k".repeat(250) + ".jpg";
    assert_eq!(longest.len(), 256);
    store.put(&longest, vec![1], "image/jpeg").await.expect("256 characters are allowed");
    assert_eq!(store.get(&longest).await.expect("get").map(|o| o.bytes), Some(vec![1]));
    let too_long = "a/".to_owned() + &"k".repeat(251) + ".jpg";
    assert!(matches!(store.put(&too_long, vec![1], "image/jpeg").await, Err(StoreError::InvalidKey { .. })));
    // The filesystem's limit on one name is a key rule too, so no store accepts what this one cannot hold.
    let long_segment = "k".repeat(252) + ".jpg";
    assert!(matches!(store.put(&long_segment, vec![1], "image/jpeg").await, Err(StoreError::InvalidKey { .. })));
}

#[tokio::test]
async fn a_content_type_the_extension_cannot_carry_is_refused() {
    let (dir, store) = scratch();
    let result = store.put("a/b.jpg", vec![1], "image/png").await;
    assert!(matches!(result, Err(StoreError::ContentTypeMismatch { .. })), "{result:?}");
    assert_eq!(files_under(dir.path()), Vec::<PathBuf>::new());
    store.put("exports/list.csv", b"a,b".to_vec(), "text/csv").await.expect("parameters are ignored");
    store.put("blob", vec![1], "application/octet-stream").await.expect("no extension");
}

#[tokio::test]
async fn puts_leave_no_temporary_files() {
    let (dir, store) = scratch();
    store.put(KEY, vec![1; 4096], "image/jpeg").await.expect("put");
    store.put(KEY, vec![2; 4096], "image/jpeg").await.expect("overwrite");
    store.put("products/prd_01ABC/img_01XYZ-1200.jpg", vec![3], "image/jpeg").await.expect("put");
    let expected: Vec<PathBuf> =
        ["root/products/prd_01ABC/img_01XYZ-1200.jpg", "root/products/prd_01ABC/img_01XYZ-600.jpg"]
            .iter()
            .map(PathBuf::from)
            .collect();
    assert_eq!(files_under(dir.path()), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_never_leave_a_mixed_object() {
    let (dir, store) = scratch();
    let store = Arc::new(store);
    let writers: Vec<_> = (0..16u8)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.put(KEY, vec![i; 64 * 1024], "image/jpeg").await })
        })
        .collect();
    for writer in writers {
        writer.await.expect("joined").expect("put");
    }
    let bytes = store.get(KEY).await.expect("get").expect("present").bytes;
    assert_eq!(bytes.len(), 64 * 1024);
    assert!(bytes.iter().all(|&b| b == bytes[0]), "one writer's bytes, whole");
    assert_eq!(files_under(dir.path()).len(), 1, "no temporary files left: {:?}", files_under(dir.path()));
}

#[tokio::test]
async fn works_as_a_trait_object() {
    let (_dir, store) = scratch();
    let store: Arc<dyn ObjectStore> = Arc::new(store);
    store.put("x.png", vec![9], "image/png").await.expect("put");
    assert_eq!(store.get("x.png").await.expect("get").map(|o| o.bytes), Some(vec![9]));
}
