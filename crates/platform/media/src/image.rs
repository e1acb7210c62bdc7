//! Checking and resizing uploaded pictures.
//!
//! Everything here is synchronous and CPU-bound (a 40-megapixel decode takes a good fraction of a
//! second and a few hundred MiB): async callers must run it on a blocking thread, e.g.
//! `tokio::task::spawn_blocking(move || media::thumbnail(&bytes, 600, &limits))`.

mod sniff;

use std::io::Cursor;

use ::image::codecs::jpeg::JpegEncoder;
use ::image::error::ImageError as CodecError;
use ::image::imageops::{self, FilterType};
use ::image::metadata::Orientation;
use ::image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Rgb, RgbImage};

/// JPEG quality of generated pictures: visually clean for product photos at a third of q95's size.
const JPEG_QUALITY: u8 = 82;
/// Placeholders are demo data; anything bigger is a mistake, not a request.
const PLACEHOLDER_MAX_SIDE: u32 = 4096;
/// Headroom for decoder bookkeeping on top of the pixel buffer.
const DECODER_SLACK: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// Without the dot, as used in object keys.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    fn codec(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Webp => ImageFormat::WebP,
        }
    }
}

/// What [`inspect`] found. `width` and `height` are as displayed, i.e. after the EXIF
/// orientation, so a portrait phone photo stored sideways reports a portrait size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the encoded upload.
    pub max_bytes: usize,
    /// Width times height of the decoded picture.
    pub max_pixels: u64,
    /// Longest allowed side, in pixels.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 10 * 1024 * 1024, max_pixels: 40_000_000, max_side: 10_000 }
    }
}

impl Limits {
    /// Caps the decoder itself, so that even a header that lies cannot make it allocate more than
    /// the largest acceptable picture at 16 bits per RGBA channel.
    fn codec_limits(&self, strict: bool) -> ::image::Limits {
        let mut limits = ::image::Limits::default();
        limits.max_alloc = Some(self.max_pixels.saturating_mul(8).saturating_add(DECODER_SLACK));
        if strict {
            limits.max_image_width = Some(self.max_side);
            limits.max_image_height = Some(self.max_side);
        }
        limits
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("The image is {size} bytes; at most {max} bytes are accepted.")]
    TooLarge { size: usize, max: usize },
    #[error("The file is not a readable JPEG, PNG or WebP image ({reason}).")]
    Unsupported { reason: String },
    #[error("The image is too large: {reason}.")]
    Dimensions { reason: String },
    /// Encoding our own output failed: a bug, not the uploader's fault.
    #[error("encoding the image failed")]
    Internal(#[source] CodecError),
}

impl ImageError {
    /// Stable, machine-readable problem code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "image_too_large",
            Self::Unsupported { .. } => "unsupported_image",
            Self::Dimensions { .. } => "image_dimensions",
            Self::Internal(_) => "internal",
        }
    }

    /// A message fit for the person who uploaded the file.
    pub fn detail(&self) -> String {
        self.to_string()
    }

    fn unsupported(reason: impl Into<String>) -> Self {
        Self::Unsupported { reason: reason.into() }
    }

    /// Decoder failures are the upload's fault; a tripped limit means the picture is too big.
    fn from_codec(err: CodecError) -> Self {
        match err {
            CodecError::Limits(e) => Self::Dimensions { reason: e.to_string() },
            other => Self::unsupported(other.to_string()),
        }
    }
}

impl From<ImageError> for kernel::Error {
    fn from(err: ImageError) -> Self {
        use kernel::ErrorKind;
        let kind = match &err {
            ImageError::TooLarge { .. } => ErrorKind::PayloadTooLarge,
            ImageError::Unsupported { .. } => ErrorKind::UnsupportedMediaType,
            ImageError::Dimensions { .. } => ErrorKind::Invalid,
            ImageError::Internal(_) => return kernel::Error::internal(err),
        };
        kernel::Error::new(kind, err.code(), err.detail())
    }
}

/// Checks an upload by its content (magic bytes, container structure, then the decoder's header
/// read), never by a file name. Pixels are not decoded: [`thumbnail`] does that and reports
/// corrupt pixel data as `unsupported_image`.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<ImageInfo, ImageError> {
    open(bytes, limits).map(|probe| probe.info)
}

/// Decodes and resizes so that the longer side is at most `max_side` (never upscales), and
/// returns JPEG bytes, with any transparency flattened onto white and the EXIF orientation
/// applied. The upload goes through [`inspect`]'s checks first, and the decoder runs under
/// `image::Limits`, so a decompression bomb is refused rather than allocated. A `max_side` of 0
/// is treated as 1.
pub fn thumbnail(bytes: &[u8], max_side: u32, limits: &Limits) -> Result<Vec<u8>, ImageError> {
    let Probe { info, mut decoder, orientation } = open(bytes, limits)?;
    let mut codec_limits = limits.codec_limits(true);
    // `ImageReader::decode` reserves the output buffer like this; `from_decoder` does not.
    codec_limits.reserve(decoder.total_bytes()).map_err(ImageError::from_codec)?;
    decoder.set_limits(codec_limits).map_err(ImageError::from_codec)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(ImageError::from_codec)?;
    picture.apply_orientation(orientation);
    tracing::debug!(format = ?info.format, width = info.width, height = info.height, max_side, "making thumbnail");
    let flat = flatten_onto_white(picture);
    encode_jpeg(&shrink(flat, max_side.max(1)))
}

/// A generated placeholder picture (for demo data): a `size`x`size` JPEG with a diagonal
/// two-colour gradient derived from `seed`, byte-for-byte deterministic for a given seed.
pub fn placeholder(seed: u64, size: u32) -> Result<Vec<u8>, ImageError> {
    if size == 0 || size > PLACEHOLDER_MAX_SIDE {
        return Err(ImageError::Dimensions {
            reason: format!("a placeholder must be 1 to {PLACEHOLDER_MAX_SIDE} pixels wide, not {size}"),
        });
    }
    let mut state = seed;
    let [from, to] = [splitmix64(&mut state), splitmix64(&mut state)].map(pastel);
    let span = f64::from((size - 1).max(1) * 2);
    let picture = RgbImage::from_fn(size, size, |x, y| {
        let t = f64::from(x + y) / span;
        Rgb(std::array::from_fn(|c| lerp(from[c], to[c], t)))
    });
    encode_jpeg(&picture)
}

struct Probe<'a> {
    info: ImageInfo,
    decoder: Box<dyn ImageDecoder + 'a>,
    orientation: Orientation,
}

fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Probe<'a>, ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooLarge { size: bytes.len(), max: limits.max_bytes });
    }
    let format = sniff::sniff(bytes).ok_or_else(|| ImageError::unsupported("unrecognised content"))?;
    if !sniff::is_complete(format, bytes) {
        return Err(ImageError::unsupported("the file is truncated or malformed"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.codec());
    // Dimensions are checked below with a precise message; the header read allocates no pixels.
    reader.limits(limits.codec_limits(false));
    let mut decoder: Box<dyn ImageDecoder + 'a> = Box::new(reader.into_decoder().map_err(ImageError::from_codec)?);
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if width > limits.max_side || height > limits.max_side || pixels > limits.max_pixels {
        return Err(ImageError::Dimensions {
            reason: format!(
                "{width}x{height} pixels, the limit is {} pixels per side and {} pixels in total",
                limits.max_side, limits.max_pixels
            ),
        });
    }
    // A damaged EXIF block is common and harmless: show the picture as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if swaps_sides(orientation) { (height, width) } else { (width, height) };
    Ok(Probe { info: ImageInfo { format, width, height }, decoder, orientation })
}

fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// JPEG has no alpha; composing onto white matches how a transparent product shot looks on the
/// storefront. Done before resizing so transparent pixels' arbitrary colours cannot bleed in.
fn flatten_onto_white(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.into_rgb8();
    }
    let rgba = picture.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
        };
        Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

fn shrink(picture: RgbImage, max_side: u32) -> RgbImage {
    let (width, height) = picture.dimensions();
    let long = width.max(height);
    if long <= max_side {
        return picture;
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max_side).clamp(1, max_side)
    };
    let (to_w, to_h) = (scale(width), scale(height));
    // Lanczos over a whole 40-megapixel picture is slow; a box average down to twice the target
    // keeps almost all of its sharpness at a fraction of the cost.
    if long / max_side >= 4 {
        let box_averaged = imageops::thumbnail(&picture, to_w * 2, to_h * 2);
        return imageops::resize(&box_averaged, to_w, to_h, FilterType::Lanczos3);
    }
    imageops::resize(&picture, to_w, to_h, FilterType::Lanczos3)
}

fn encode_jpeg(picture: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(picture).map_err(ImageError::Internal)?;
    Ok(out)
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Keeps channels in 64..=223 so that neither end of the gradient is garish or near-black.
fn pastel(random: u64) -> [u8; 3] {
    let bytes = random.to_le_bytes();
    [bytes[0], bytes[1], bytes[2]].map(|c| 64 + c % 160)
}

fn lerp(from: u8, to: u8, t: f64) -> u8 {
    let value = f64::from(from) + (f64::from(to) - f64::from(from)) * t;
    // In range by construction; the cast only drops the fraction.
    value.round().clamp(0.0, 255.0) as u8
}
