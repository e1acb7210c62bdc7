use crate::common::{encode, pattern, png_declaring};
use image::ImageFormat;
use media::{Format, ImageError, Limits, inspect};

fn code(result: Result<media::ImageInfo, ImageError>) -> &'static str {
    match result {
        Ok(info) => panic!("expected a refusal, got {info:?}"),
        Err(e) => {
            assert!(!e.detail().is_empty());
            e.code()
        }
    }
}

#[test]
fn default_limits() {
    let limits = Limits::default();
    assert_eq!(limits.max_bytes, 10 * 1024 * 1024);
    assert_eq!(limits.max_pixels, 40_000_000);
    assert_eq!(limits.max_side, 10_000);
}

#[test]
fn each_format_is_recognised_with_its_size() {
    let picture = pattern(37, 21);
    for (codec, format, content_type, extension) in [
        (ImageFormat::Png, Format::Png, "image/png", "png"),
        (ImageFormat::Jpeg, Format::Jpeg, "image/jpeg", "jpg"),
        (ImageFormat::WebP, Format::Webp, "image/webp", "webp"),
    ] {
        let info = inspect(&encode(&picture, codec), &Limits::default()).expect("a valid picture");
        assert_eq!((info.format, info.width, info.height), (format, 37, 21), "{codec:?}");
        assert_eq!(format.content_type(), content_type);
        assert_eq!(format.extension(), extension);
    }
}

#[test]
fn text_named_png_is_unsupported() {
    let text = b"name,price\nmug,9.99\n".repeat(20);
    assert_eq!(code(inspect(&text, &Limits::default())), "unsupported_image");
    assert_eq!(code(inspect(b"", &Limits::default())), "unsupported_image");
}

#[test]
fn right_magic_with_a_broken_header_is_unsupported() {
    // The signature alone must not be trusted: the decoder has to accept the header too.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend_from_slice(&[0, 0, 0, 13]);
    fake.extend_from_slice(b"IHDR garbage garbage garbage");
    fake.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
    assert_eq!(code(inspect(&fake, &Limits::default())), "unsupported_image");
}

#[test]
fn truncated_files_are_unsupported() {
    let picture = pattern(64, 64);
    for codec in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let whole = encode(&picture, codec);
        for cut in [whole.len() / 2, whole.len() - 2] {
            assert_eq!(code(inspect(&whole[..cut], &Limits::default())), "unsupported_image", "{codec:?} cut at {cut}");
        }
    }
}

#[test]
fn trailing_bytes_after_the_end_marker_are_tolerated() {
    let mut jpeg = encode(&pattern(16, 16), ImageFormat::Jpeg);
    jpeg.extend_from_slice(b"\xFF\xDA appended video data");
    assert_eq!(inspect(&jpeg, &Limits::default()).expect("still a JPEG").width, 16);
}

#[test]
fn too_many_bytes_is_too_large_before_anything_else() {
    let png = encode(&pattern(32, 32), ImageFormat::Png);
    let limits = Limits { max_bytes: png.len() - 1, ..Limits::default() };
    assert_eq!(code(inspect(&png, &limits)), "image_too_large");
    let exact = Limits { max_bytes: png.len(), ..Limits::default() };
    assert!(inspect(&png, &exact).is_ok());
    // Size is checked first, so even garbage over the limit is reported as too large.
    assert_eq!(code(inspect(&vec![0u8; 2048], &Limits { max_bytes: 1024, ..Limits::default() })), "image_too_large");
}

#[test]
fn a_header_declaring_50000_squared_is_refused_without_decoding() {
    let bomb = png_declaring(50_000, 50_000);
    assert!(bomb.len() < 200, "the crafted file is tiny");
    assert_eq!(code(inspect(&bomb, &Limits::default())), "image_dimensions");
    // Rendering it would need 10 GB; thumbnail must refuse it the same way.
    assert_eq!(
        media::thumbnail(&bomb, 600, &Limits::default()).map(|_| ()).err().map(|e| e.code()),
        Some("image_dimensions")
    );
}

#[test]
fn pixel_count_and_side_limits_apply_separately() {
    // 9000x9000 has acceptable sides but 81 megapixels.
    assert_eq!(code(inspect(&png_declaring(9_000, 9_000), &Limits::default())), "image_dimensions");
    // 12000x10 is few pixels but one side is too long.
    assert_eq!(code(inspect(&png_declaring(12_000, 10), &Limits::default())), "image_dimensions");
    let small = encode(&pattern(40, 30), ImageFormat::Png);
    assert_eq!(code(inspect(&small, &Limits { max_side: 39, ..Limits::default() })), "image_dimensions");
    assert_eq!(code(inspect(&small, &Limits { max_pixels: 1199, ..Limits::default() })), "image_dimensions");
    assert!(inspect(&small, &Limits { max_side: 40, max_pixels: 1200, ..Limits::default() }).is_ok());
}

#[test]
fn errors_map_to_problem_responses() {
    let err = inspect(b"hello", &Limits::default()).expect_err("not a picture");
    let problem: kernel::Error = err.into();
    assert_eq!(problem.code, "unsupported_image");
    assert_eq!(problem.status().as_u16(), 415);
}
