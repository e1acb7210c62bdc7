//! The index directory on disk: the schema version marker, wiping and measuring.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Sits beside the index files and holds the schema version they were written with.
pub(crate) const VERSION_FILE: &str = "oxcart-index-version";

/// The schema version recorded in `dir`, `None` when there is none or it is unreadable.
pub(crate) fn read_version(dir: &Path) -> io::Result<Option<u32>> {
    match fs::read_to_string(dir.join(VERSION_FILE)) {
        Ok(text) => Ok(text.trim().parse().ok()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn write_version(dir: &Path, version: u32) -> io::Result<()> {
    // Written aside and renamed so that a crash never leaves a half-written marker that would
    // pass for a valid one.
    let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
    {
        let mut file = fs::File::create(&tmp)?;
        writeln!(file, "{version}")?;
        file.sync_all()?;
    }
    fs::rename(&tmp, dir.join(VERSION_FILE))
}

/// Removes the index files from `dir`. Anything else that happens to live there (a file the
/// operator put there, a subdirectory) is left alone, so a mistyped path cannot wipe unrelated data.
pub(crate) fn wipe(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() && is_index_file(&entry.file_name().to_string_lossy()) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Bytes of the index files in `dir`.
pub(crate) fn size(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() && is_index_file(&entry.file_name().to_string_lossy()) {
            total += meta.len();
        }
    }
    Ok(total)
}

/// Index metadata, lock files, the version marker, and segment files (`<32 hex digits>.<ext>`).
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || name.starts_with(".tantivy-") || name.starts_with(VERSION_FILE)
    {
        return true;
    }
    match name.split_once('.') {
        Some((stem, _)) => stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_index_file;

    #[test]
    fn recognises_only_index_files() {
        for name in ["meta.json", ".managed.json", ".tantivy-writer.lock", "oxcart-index-version"] {
            assert!(is_index_file(name), "{name}");
        }
        assert!(is_index_file("0123456789abcdef0123456789abcdef.store"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.12.del"));
        for name in ["notes.txt", "meta.json.bak", "0123.store", "0123456789abcdef0123456789abcdeg.idx"] {
            assert!(!is_index_file(name), "{name}");
        }
    }
}
