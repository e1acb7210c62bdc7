//! Pictures in an S3-compatible bucket (`media.s3.*`): AWS S3, MinIO, Ceph, R2… through the
//! `object_store` crate. The same keys as on local disk, with the content type kept by the
//! bucket, so the application's `/media/…` route and a CDN in front of the bucket serve the
//! same objects.

use crate::store::{Object, ObjectStore, StoreError, content_type_checked, content_type_for_key, validate_key};
use kernel::BoxFuture;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore as _, ObjectStoreExt, PutOptions, PutPayload, RetryConfig,
};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// Empty for AWS itself; `http://127.0.0.1:9000` for a local server.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

pub struct S3Store {
    bucket: AmazonS3,
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> Result<Self, String> {
        let client = ClientOptions::new()
            .with_timeout(Duration::from_secs(10))
            .with_connect_timeout(Duration::from_secs(3))
            .with_allow_http(settings.endpoint.as_deref().is_some_and(|e| e.starts_with("http://")));
        // Two quick retries: a request waiting on a dead endpoint holds a customer's page.
        let retry = RetryConfig { max_retries: 2, retry_timeout: Duration::from_secs(5), ..RetryConfig::default() };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_client_options(client)
            .with_retry(retry);
        if let Some(endpoint) = &settings.endpoint {
            // Local servers answer at one address for every bucket: path-style requests.
            builder = builder.with_endpoint(endpoint).with_virtual_hosted_style_request(false);
        }
        Ok(Self { bucket: builder.build().map_err(|e| e.to_string())? })
    }

    /// Reads a key that does not exist: proves the address, the credentials and the bucket.
    pub async fn check(&self) -> Result<(), String> {
        match self.bucket.head(&Path::from("oxcart-check/absent")).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn failed(key: &str, e: object_store::Error) -> StoreError {
    StoreError::Unavailable { key: key.to_owned(), reason: e.to_string() }
}

impl ObjectStore for S3Store {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>, content_type: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            validate_key(key)?;
            let expected = content_type_checked(key, content_type)?;
            let mut attributes = Attributes::new();
            attributes.insert(Attribute::ContentType, expected.into());
            let options = PutOptions { attributes, ..PutOptions::default() };
            self.bucket
                .put_opts(&Path::from(key), PutPayload::from(bytes), options)
                .await
                .map_err(|e| failed(key, e))?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Object>, StoreError>> {
        Box::pin(async move {
            validate_key(key)?;
            let found = match self.bucket.get(&Path::from(key)).await {
                Ok(found) => found,
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(failed(key, e)),
            };
            let content_type = found
                .attributes
                .get(&Attribute::ContentType)
                .map(|v| v.to_string())
                .unwrap_or_else(|| content_type_for_key(key).to_owned());
            let bytes = found.bytes().await.map_err(|e| failed(key, e))?;
            Ok(Some(Object { bytes: bytes.to_vec(), content_type }))
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            validate_key(key)?;
            match self.bucket.delete(&Path::from(key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(failed(key, e)),
            }
        })
    }
}
