//! Product images: checked by content, stored in the object store with two resized copies
//! made once at upload, ordered per product.

use super::guards::owned_product;
use super::{CatalogService, write_scope};
use crate::domain::optional_text;
use crate::dto::{ImageDto, ProductDto};
use crate::store::images::{self as sql, ImageRow};
use crate::store::products::product_touch;
use kernel::auth::Principal;
use kernel::error::FieldError;
use kernel::id::new_id;
use kernel::{Error, ErrorKind, Result};
use std::collections::HashSet;

/// The longer side of the two resized copies.
pub const SIZES: [u32; 2] = [600, 200];

fn resized_key(original: &str, size: u32) -> String {
    let stem = original.rsplit_once('.').map_or(original, |(stem, _)| stem);
    format!("{stem}-{size}.jpg")
}

fn media_error(e: &media::ImageError) -> Error {
    let kind = if e.code() == "image_too_large" { ErrorKind::PayloadTooLarge } else { ErrorKind::Invalid };
    Error::new(kind, e.code(), e.detail())
}

struct Prepared {
    width: u32,
    height: u32,
    content_type: &'static str,
    extension: &'static str,
    resized: Vec<(u32, Vec<u8>)>,
}

impl CatalogService {
    pub(crate) fn image_dto(&self, i: &ImageRow) -> ImageDto {
        let base = self.config.media_base.trim_end_matches('/');
        ImageDto {
            id: i.id.clone(),
            url: format!("{base}/{}", i.object_key),
            medium_url: format!("{base}/{}", resized_key(&i.object_key, SIZES[0])),
            thumbnail_url: format!("{base}/{}", resized_key(&i.object_key, SIZES[1])),
            width: i.width,
            height: i.height,
            alt: i.alt.clone(),
            position: i.position,
        }
    }

    /// Where the smallest copy of an image is served, for listing cards.
    pub(crate) fn thumbnail_url(&self, object_key: &str) -> String {
        format!("{}/{}", self.config.media_base.trim_end_matches('/'), resized_key(object_key, SIZES[1]))
    }

    pub async fn image_upload(
        &self,
        p: &Principal,
        key: &str,
        bytes: Vec<u8>,
        alt: Option<String>,
    ) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let alt = optional_text("alt", alt.as_deref().unwrap_or(""), 300)?;
        let mut db = self.db.clone();
        let product = owned_product(&mut db, scope, key).await?;
        let existing = sql::images_of(&mut db, &product.id).await?;
        if existing.len() >= self.config.max_images_per_product {
            return Err(Error::conflict(
                "image_limit",
                format!("A product may have at most {} images.", self.config.max_images_per_product),
            ));
        }
        let limits = media::Limits { max_bytes: self.config.max_upload_bytes, ..media::Limits::default() };
        let (bytes, prepared) = tokio::task::spawn_blocking(move || {
            let info = media::inspect(&bytes, &limits)?;
            let mut resized = Vec::new();
            for size in SIZES {
                resized.push((size, media::thumbnail(&bytes, size, &limits)?));
            }
            let prepared = Prepared {
                width: info.width,
                height: info.height,
                content_type: info.format.content_type(),
                extension: info.format.extension(),
                resized,
            };
            Ok::<_, media::ImageError>((bytes, prepared))
        })
        .await
        .map_err(Error::internal)?
        .map_err(|e| media_error(&e))?;

        let id = new_id("img");
        let object_key = format!("products/{}/{id}.{}", product.id, prepared.extension);
        let mut written = vec![object_key.clone()];
        let store_err = |e: media::StoreError| Error::internal(e);
        self.objects.put(&object_key, bytes, prepared.content_type).await.map_err(store_err)?;
        for (size, data) in prepared.resized {
            let k = resized_key(&object_key, size);
            self.objects.put(&k, data, "image/jpeg").await.map_err(store_err)?;
            written.push(k);
        }
        let row = ImageRow {
            id,
            product_id: product.id.clone(),
            object_key,
            content_type: prepared.content_type.into(),
            width: i64::from(prepared.width),
            height: i64::from(prepared.height),
            alt,
            position: existing.iter().map(|i| i.position + 1).max().unwrap_or(0),
        };
        let saved = async {
            let mut tx = self.db.begin().await?;
            sql::image_insert(&mut tx, &row).await?;
            product_touch(&mut tx, &product.id).await?;
            self.product_changed(&mut tx, &product, None).await?;
            tx.commit().await?;
            Ok::<_, Error>(())
        }
        .await;
        if let Err(e) = saved {
            // Nothing points at the files; remove them so they do not pile up.
            for k in &written {
                let _ = self.objects.delete(k).await;
            }
            return Err(e);
        }
        self.product_detail(&product.id, true).await
    }

    pub async fn image_delete(&self, p: &Principal, key: &str, image_id: &str) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let mut tx = self.db.begin().await?;
        let product = owned_product(&mut tx, scope, key).await?;
        let images = sql::images_of(&mut tx, &product.id).await?;
        let image = images
            .iter()
            .find(|i| i.id == image_id)
            .ok_or_else(|| Error::not_found("image_not_found", "No such image of this product."))?;
        sql::image_delete(&mut tx, &product.id, image_id).await?;
        product_touch(&mut tx, &product.id).await?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        let mut keys = vec![image.object_key.clone()];
        keys.extend(SIZES.iter().map(|s| resized_key(&image.object_key, *s)));
        for k in keys {
            if let Err(e) = self.objects.delete(&k).await {
                tracing::warn!(key = %k, error = %e, "could not delete an image file");
            }
        }
        self.product_detail(&product.id, true).await
    }

    /// Puts the product's images in the order given (every image id, once).
    pub async fn image_reorder(&self, p: &Principal, key: &str, ids: &[String]) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let mut tx = self.db.begin().await?;
        let product = owned_product(&mut tx, scope, key).await?;
        let images = sql::images_of(&mut tx, &product.id).await?;
        let have: HashSet<&str> = images.iter().map(|i| i.id.as_str()).collect();
        let given: HashSet<&str> = ids.iter().map(String::as_str).collect();
        if have != given || given.len() != ids.len() {
            return Err(Error::invalid_fields(vec![FieldError {
                field: "image_ids".into(),
                message: "must list every image of the product exactly once".into(),
            }]));
        }
        for (position, id) in ids.iter().enumerate() {
            sql::image_position_set(&mut tx, id, position as i64).await?;
        }
        product_touch(&mut tx, &product.id).await?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        self.product_detail(&product.id, true).await
    }
}
