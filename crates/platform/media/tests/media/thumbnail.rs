use crate::common::{decode, encode, format_of, half_transparent_png, pattern};
use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, GenericImageView, ImageEncoder, ImageFormat};
use media::{Limits, inspect, placeholder, thumbnail};

#[test]
fn landscape_is_scaled_to_the_longer_side() {
    for codec in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let upload = encode(&pattern(1200, 800), codec);
        let thumb = thumbnail(&upload, 600, &Limits::default()).expect("a thumbnail");
        assert_eq!(format_of(&thumb), ImageFormat::Jpeg, "{codec:?}");
        assert_eq!(decode(&thumb).dimensions(), (600, 400), "{codec:?}");
    }
}

#[test]
fn portrait_and_large_downscales_keep_the_aspect_ratio() {
    let thumb =
        thumbnail(&encode(&pattern(800, 1200), ImageFormat::Png), 300, &Limits::default()).expect("a thumbnail");
    assert_eq!(decode(&thumb).dimensions(), (200, 300));
    // A factor of 10 goes through the box-average pre-pass.
    let thumb =
        thumbnail(&encode(&pattern(2000, 1000), ImageFormat::Png), 200, &Limits::default()).expect("a thumbnail");
    assert_eq!(decode(&thumb).dimensions(), (200, 100));
    // Rounding never produces a zero-height strip.
    let thumb = thumbnail(&encode(&pattern(1000, 1), ImageFormat::Png), 100, &Limits::default()).expect("a thumbnail");
    assert_eq!(decode(&thumb).dimensions(), (100, 1));
}

#[test]
fn small_pictures_are_not_upscaled() {
    let upload = encode(&pattern(100, 50), ImageFormat::Png);
    let thumb = thumbnail(&upload, 600, &Limits::default()).expect("a thumbnail");
    assert_eq!(format_of(&thumb), ImageFormat::Jpeg);
    assert_eq!(decode(&thumb).dimensions(), (100, 50));
}

#[test]
fn transparency_is_flattened_onto_white() {
    let thumb = thumbnail(&half_transparent_png(200, 100), 100, &Limits::default()).expect("a thumbnail");
    let picture = decode(&thumb).to_rgb8();
    assert_eq!(picture.dimensions(), (100, 50));
    let [r, g, b] = picture.get_pixel(90, 25).0;
    assert!(r > 240 && g > 240 && b > 240, "transparent area should be white, got {:?}", [r, g, b]);
    let [r, g, b] = picture.get_pixel(10, 25).0;
    assert!(r > 200 && g < 60 && b < 60, "opaque area should stay red, got {:?}", [r, g, b]);
}

#[test]
fn exif_orientation_is_applied() {
    // A big-endian TIFF block with one IFD entry: Orientation (0x0112) = 6, "rotate 90° clockwise".
    let exif = [b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
    let stored = pattern(120, 80).to_rgb8();
    let mut upload = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut upload, 90);
    encoder.set_exif_metadata(exif.to_vec()).expect("JPEG carries EXIF");
    encoder.write_image(stored.as_raw(), 120, 80, ExtendedColorType::Rgb8).expect("encoding");

    let info = inspect(&upload, &Limits::default()).expect("a valid JPEG");
    assert_eq!((info.width, info.height), (80, 120), "reported as displayed");
    let thumb = thumbnail(&upload, 60, &Limits::default()).expect("a thumbnail");
    assert_eq!(decode(&thumb).dimensions(), (40, 60));
}

#[test]
fn corrupt_and_oversized_uploads_are_refused() {
    let jpeg = encode(&pattern(64, 64), ImageFormat::Jpeg);
    let truncated = thumbnail(&jpeg[..jpeg.len() / 2], 32, &Limits::default()).expect_err("truncated");
    assert_eq!(truncated.code(), "unsupported_image");
    let too_big = thumbnail(&jpeg, 32, &Limits { max_bytes: 10, ..Limits::default() }).expect_err("too big");
    assert_eq!(too_big.code(), "image_too_large");
}

#[test]
fn placeholder_is_deterministic_per_seed() {
    let first = placeholder(42, 64).expect("a placeholder");
    assert_eq!(first, placeholder(42, 64).expect("a placeholder"));
    assert_ne!(first, placeholder(43, 64).expect("a placeholder"));
    assert_eq!(format_of(&first), ImageFormat::Jpeg);
    let info = inspect(&first, &Limits::default()).expect("our own output is valid");
    assert_eq!((info.format, info.width, info.height), (media::Format::Jpeg, 64, 64));
}

#[test]
fn placeholder_is_a_two_colour_gradient() {
    let picture = decode(&placeholder(7, 64).expect("a placeholder")).to_rgb8();
    let (top_left, bottom_right) = (picture.get_pixel(0, 0).0, picture.get_pixel(63, 63).0);
    let distance: i32 = top_left.iter().zip(bottom_right).map(|(&a, b)| (i32::from(a) - i32::from(b)).abs()).sum();
    assert!(distance > 30, "corners should differ: {top_left:?} vs {bottom_right:?}");
    // Along an anti-diagonal x + y is constant, so the colour is too (up to JPEG noise).
    let (a, b) = (picture.get_pixel(10, 40).0, picture.get_pixel(40, 10).0);
    assert!(a.iter().zip(b).all(|(&a, b)| a.abs_diff(b) < 12), "{a:?} vs {b:?}");
}

#[test]
fn placeholder_refuses_silly_sizes() {
    assert_eq!(placeholder(1, 0).expect_err("empty").code(), "image_dimensions");
    assert_eq!(placeholder(1, 100_000).expect_err("huge").code(), "image_dimensions");
    assert_eq!(decode(&placeholder(1, 1).expect("one pixel")).dimensions(), (1, 1));
}
