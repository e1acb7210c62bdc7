//! Object storage: a minimal key/value trait that an S3-compatible adapter can implement, and a
//! local-disk implementation for development and single-node deployments.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use kernel::BoxFuture;

/// Longest accepted key; S3 allows 1024 bytes but ours are generated and far shorter.
const MAX_KEY_LEN: usize = 256;
/// Most filesystems refuse longer file names, so a key that the local store could not hold is not
/// allowed anywhere.
const MAX_SEGMENT_LEN: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("invalid object key {key:?}: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    /// [`LocalStore`] derives the content type from the key's extension, so it refuses a put that
    /// would come back with a different type rather than silently changing it.
    #[error("content type {content_type:?} does not match the extension of key {key:?} (expected {expected:?})")]
    ContentTypeMismatch { key: String, content_type: String, expected: &'static str },
    /// A remote store (S3) that does not answer or refuses: the request may be retried.
    #[error("object storage failed for key {key:?}: {reason}")]
    Unavailable { key: String, reason: String },
    #[error("storage I/O failed for key {key:?}: {source}")]
    Io {
        key: String,
        #[source]
        source: io::Error,
    },
}

/// Keys are server-generated, so any store failure is ours, never the client's.
impl From<StoreError> for kernel::Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable { .. } => kernel::Error::backend_unavailable("Object storage", err),
            other => kernel::Error::internal(other),
        }
    }
}

pub trait ObjectStore: Send + Sync + 'static {
    /// Stores `bytes` under `key`, replacing any previous object atomically.
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>, content_type: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
    /// `None` when there is no object under `key`.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Object>, StoreError>>;
    /// Deleting a missing object succeeds, so retries are safe.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// Keys allowed by every store: 1 to 256 characters of `[A-Za-z0-9._/-]`, `/`-separated segments
/// of at most 255 characters that are neither empty nor start with `.` (which rules out `.`, `..`
/// and hidden files, and keeps [`LocalStore`]'s temporary files out of the key space).
pub fn validate_key(key: &str) -> Result<(), StoreError> {
    let reason = if key.is_empty() {
        Some("empty")
    } else if key.len() > MAX_KEY_LEN {
        Some("longer than 256 characters")
    } else if !key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-')) {
        Some("only A-Z, a-z, 0-9, '.', '_', '-' and '/' are allowed")
    } else if key.split('/').any(str::is_empty) {
        Some("empty path segment")
    } else if key.split('/').any(|segment| segment.len() > MAX_SEGMENT_LEN) {
        Some("a path segment is longer than 255 characters")
    } else if key.split('/').any(|segment| segment.starts_with('.')) {
        Some("a path segment starts with '.'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidKey { key: key.to_owned(), reason }),
        None => Ok(()),
    }
}

/// The content type [`LocalStore`] reports for a key, from its extension.
pub fn content_type_for_key(key: &str) -> &'static str {
    let extension = key.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Stores objects as plain files under a root directory, one file per key, so the tree can be
/// served or inspected with ordinary tools.
///
/// The content type is not stored: it is derived from the key's extension (see
/// [`content_type_for_key`]), and a `put` whose content type disagrees is refused. That keeps a
/// write to a single atomic rename; a sidecar file could drift from its object after a crash.
/// Writes go to a temporary file in the object's directory, are fsynced and then renamed over the
/// object, so a reader or a crash sees the old object or the new one, never half of one.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// Creates the root directory if it does not exist.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(&root)?;
        Ok(Self { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, StoreError> {
        validate_key(key)?;
        // Validated keys are relative, `..`-free and use '/' only, so they stay under the root.
        Ok(key.split('/').fold(self.root.clone(), |path, segment| path.join(segment)))
    }
}

impl ObjectStore for LocalStore {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>, content_type: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            content_type_checked(key, content_type)?;
            blocking(key, move || write_atomically(&path, &bytes)).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Object>, StoreError>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            match tokio::fs::read(&path).await {
                Ok(bytes) => Ok(Some(Object { bytes, content_type: content_type_for_key(key).to_owned() })),
                Err(e) if is_absent(&e) => Ok(None),
                Err(source) => Err(StoreError::Io { key: key.to_owned(), source }),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            match tokio::fs::remove_file(&path).await {
                Ok(()) => Ok(()),
                Err(e) if is_absent(&e) => Ok(()),
                Err(source) => Err(StoreError::Io { key: key.to_owned(), source }),
            }
        })
    }
}

/// Compares media types without parameters or case: `image/JPEG` matches `image/jpeg`, and
/// `text/plain` matches `text/plain; charset=utf-8`.
/// The type a key's extension names, when `given` is that type: every store keeps that rule, so
/// that an object comes back with the type its key says.
pub(crate) fn content_type_checked(key: &str, given: &str) -> Result<&'static str, StoreError> {
    let expected = content_type_for_key(key);
    if !same_media_type(given, expected) {
        return Err(StoreError::ContentTypeMismatch { key: key.to_owned(), content_type: given.to_owned(), expected });
    }
    Ok(expected)
}

fn same_media_type(given: &str, expected: &str) -> bool {
    let essence = |t: &str| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence(given) == essence(expected)
}

/// No object lives there: nothing at the path, a directory (a key prefix, not an object), or a
/// file where a directory was expected.
fn is_absent(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::IsADirectory | io::ErrorKind::NotADirectory)
}

async fn blocking<T: Send + 'static>(
    key: &str,
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> Result<T, StoreError> {
    let result = match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(join) => Err(io::Error::other(join)),
    };
    result.map_err(|source| StoreError::Io { key: key.to_owned(), source })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let Some(dir) = path.parent() else {
        return Err(io::Error::other("object path has no parent directory"));
    };
    fs::create_dir_all(dir)?;
    // Keys cannot start a segment with '.', so this name never collides with an object; the
    // process id and counter keep concurrent writers apart. It does not embed the object's name,
    // which may already be as long as the filesystem allows.
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".put-{}-{unique}.tmp", std::process::id()));
    let result = write_then_rename(&temp, path, bytes);
    if result.is_err() {
        // Best effort: the write already failed, and a leftover is only wasted space.
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_dir(dir)
}

fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create_new(temp)?;
    file.write_all(bytes)?;
    // Without this the rename can reach the disk before the data, leaving an empty object.
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)
}

/// Makes the rename itself durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
