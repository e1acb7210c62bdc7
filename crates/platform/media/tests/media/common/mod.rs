//! Pictures made in memory for the image tests.

#![allow(dead_code)]

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// A busy pattern, so that encoded data is long enough for truncation to cut into the pixels.
pub fn pattern(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let v = x.wrapping_mul(7919) ^ y.wrapping_mul(104_729);
        Rgb([(v % 251) as u8, (x % 256) as u8, (y % 256) as u8])
    }))
}

pub fn encode(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, format).expect("encoding a test picture");
    out.into_inner()
}

/// A fully transparent RGBA PNG with a red opaque left half.
pub fn half_transparent_png(width: u32, height: u32) -> Vec<u8> {
    let picture =
        RgbaImage::from_fn(
            width,
            height,
            |x, _| {
                if x < width / 2 { Rgba([255, 0, 0, 255]) } else { Rgba([0, 0, 0, 0]) }
            },
        );
    encode(&DynamicImage::ImageRgba8(picture), ImageFormat::Png)
}

/// A valid 1x1 PNG whose IHDR is rewritten to declare `width`x`height`, with a correct CRC so
/// that only the size can be the reason for a refusal.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = encode(&pattern(1, 1), ImageFormat::Png);
    // signature (8) + length (4), then "IHDR" at 12..16, width 16..20, height 20..24, CRC 29..33.
    assert_eq!(&png[12..16], b"IHDR");
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

pub fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("decoding our own output")
}

pub fn format_of(bytes: &[u8]) -> ImageFormat {
    image::guess_format(bytes).expect("a known format")
}
