//! Format detection from magic bytes, and a cheap check that the container is complete.
//!
//! Decoders read headers lazily and the JPEG decoder is deliberately lenient (missing data is
//! filled with grey), so a truncated upload would otherwise pass `inspect` and only show up as a
//! half-grey picture on the storefront. Walking the container structure costs one linear scan
//! without decoding any pixels.

use super::Format;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

pub(super) fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(PNG_SIGNATURE) {
        Some(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(Format::Webp)
    } else {
        None
    }
}

/// Whether the container reaches its end marker. Trailing bytes after it are tolerated because
/// some cameras append data (motion photos put a whole video after the JPEG's end marker).
pub(super) fn is_complete(format: Format, bytes: &[u8]) -> bool {
    match format {
        Format::Jpeg => jpeg_complete(bytes).is_some(),
        Format::Png => png_complete(bytes).is_some(),
        Format::Webp => webp_complete(bytes),
    }
}

fn be_u16(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_be_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize, big_endian: bool) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    let n = if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) };
    usize::try_from(n).ok()
}

/// Walks the marker segments from SOI to EOI; `None` when the data ends first or is malformed.
fn jpeg_complete(bytes: &[u8]) -> Option<()> {
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker code.
        while *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        let marker = *bytes.get(i + 1)?;
        i += 2;
        match marker {
            0xD9 => return Some(()),
            // Standalone markers carry no length field.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = be_u16(bytes, i)?;
        if len < 2 {
            return None;
        }
        i = i.checked_add(len)?;
        if marker == 0xDA {
            i = skip_entropy_coded(bytes, i)?;
        }
    }
}

/// Returns the offset of the marker that ends a scan. Inside entropy-coded data a literal 0xFF is
/// always followed by a stuffed 0x00, and restart markers belong to the scan.
fn skip_entropy_coded(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let ff = i + bytes.get(i..)?.iter().position(|&b| b == 0xFF)?;
        match *bytes.get(ff + 1)? {
            0x00 | 0xD0..=0xD7 => i = ff + 2,
            0xFF => i = ff + 1,
            _ => return Some(ff),
        }
    }
}

/// Walks the chunks after the signature until IEND. CRCs are left to the decoder.
fn png_complete(bytes: &[u8]) -> Option<()> {
    let mut i = PNG_SIGNATURE.len();
    loop {
        let len = u32_at(bytes, i, true)?;
        let kind = bytes.get(i + 4..i + 8)?;
        // length + type + data + crc
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > bytes.len() {
            return None;
        }
        if kind == b"IEND" {
            return Some(());
        }
        i = end;
    }
}

/// The RIFF header states the size of everything that follows it.
fn webp_complete(bytes: &[u8]) -> bool {
    u32_at(bytes, 4, false).and_then(|size| size.checked_add(8)).is_some_and(|end| end <= bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_walk_needs_eoi_after_the_scan() {
        // SOI, a 4-byte APP0, SOS with a 2-byte header, entropy data with stuffing and a restart, EOI.
        let good = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xDA, 0, 2, 7, 0xFF, 0, 8, 0xFF, 0xD0, 9, 0xFF, 0xD9];
        assert!(jpeg_complete(&good).is_some());
        for cut in 3..good.len() - 1 {
            assert!(jpeg_complete(&good[..cut]).is_none(), "cut at {cut}");
        }
        let mut trailing = good.to_vec();
        trailing.extend_from_slice(&[0xFF, 0xDA, 1, 2, 3]);
        assert!(jpeg_complete(&trailing).is_some());
    }

    #[test]
    fn webp_size_must_fit() {
        let mut riff = b"RIFF\x04\x00\x00\x00WEBP".to_vec();
        assert!(webp_complete(&riff));
        riff[4] = 5;
        assert!(!webp_complete(&riff));
    }
}
