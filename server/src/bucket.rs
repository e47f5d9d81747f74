//! Workspace buckets behind `object_store`: a local folder by default, any S3-compatible store by
//! configuration. Each workspace's objects live under `ws-<id>/`. Uploads stream through a
//! multipart upload that only becomes visible when complete, so a refused or broken upload
//! leaves nothing behind.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart};
use tokio_util::io::ReaderStream;

/// Where buckets live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BucketConfig {
    /// A folder on this machine.
    Local(std::path::PathBuf),
    /// An S3-compatible store.
    S3 {
        bucket: String,
        endpoint: String,
        region: String,
        access_key: String,
        secret_key: String,
        /// Every object under this prefix (empty: the bucket's top).
        prefix: String,
    },
}

#[derive(Clone, Debug)]
pub struct Buckets {
    store: Arc<dyn ObjectStore>,
}

/// Why an upload did not complete.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the upload is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

/// Parts of 8 MiB: S3's minimum is 5 MiB; memory stays at a few parts per upload.
const PART_BYTES: usize = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 2;
const DOWNLOAD_CHUNK_BYTES: usize = 1024 * 1024;

impl Buckets {
    pub fn open(config: &BucketConfig) -> anyhow::Result<Buckets> {
        let store: Arc<dyn ObjectStore> = match config {
            BucketConfig::Local(root) => {
                std::fs::create_dir_all(root)?;
                Arc::new(LocalFileSystem::new_with_prefix(root)?)
            }
            BucketConfig::S3 {
                bucket,
                endpoint,
                region,
                access_key,
                secret_key,
                prefix,
            } => {
                let s3 = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_endpoint(endpoint)
                    .with_region(region)
                    .with_access_key_id(access_key)
                    .with_secret_access_key(secret_key)
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_virtual_hosted_style_request(false)
                    .build()?;
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(PrefixStore::new(s3, prefix.as_str()))
                }
            }
        };
        Ok(Buckets { store })
    }

    /// Where an object lives. Objects have names of their own (never the file's key): a key
    /// never reaches the store, and a replaced file's old bytes stay until the index lets go.
    fn location(workspace: i64, object: &str) -> Path {
        Path::from_iter([format!("ws-{workspace}"), object.to_owned()])
    }

    /// A fresh object name: 128 random bits (short, so that the store's full path stays well
    /// inside any file name limit of the S3-compatible servers that keep objects as files).
    pub fn new_object() -> String {
        let mut name = crate::session::random_token();
        name.truncate(32);
        name
    }

    fn root(workspace: i64) -> Path {
        Path::from(format!("ws-{workspace}"))
    }

    /// Stream `body` into the new object `object`, refusing it (and keeping nothing) past
    /// `limit` bytes. Returns the bytes written.
    pub async fn upload(
        &self,
        workspace: i64,
        object: &str,
        body: Body,
        limit: u64,
    ) -> Result<u64, UploadError> {
        let location = Buckets::location(workspace, object);
        let upload = self.store.put_multipart(&location).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut stream = body.into_data_stream();
        let mut written: u64 = 0;
        let outcome: Result<(), UploadError> = async {
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|error| UploadError::Interrupted(error.to_string()))?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(UploadError::TooLarge { limit });
                }
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                writer.write(&chunk);
            }
            Ok(())
        }
        .await;
        match outcome {
            Ok(()) => {
                writer.finish().await?;
                Ok(written)
            }
            Err(error) => {
                let _ = writer.abort().await;
                Err(error)
            }
        }
    }

    /// The object's bytes as a stream, and its size.
    pub async fn download(
        &self,
        workspace: i64,
        object: &str,
    ) -> Result<(u64, impl Stream<Item = Result<Bytes, object_store::Error>>), object_store::Error>
    {
        let found = self
            .store
            .get(&Buckets::location(workspace, object))
            .await?;
        let size = found.meta.size;
        // A local file is read in large chunks (object_store's own stream reads 8 KiB at a
        // time, a blocking task each); a remote object streams as the store sends it.
        let stream = match found.payload {
            GetResultPayload::File(file, _) => {
                ReaderStream::with_capacity(tokio::fs::File::from_std(file), DOWNLOAD_CHUNK_BYTES)
                    .map_err(|error| object_store::Error::Generic {
                        store: "local",
                        source: Box::new(error),
                    })
                    .boxed()
            }
            GetResultPayload::Stream(stream) => stream,
        };
        Ok((size, stream))
    }

    /// The first `bytes` of the object (for previews).
    pub async fn head_bytes(
        &self,
        workspace: i64,
        object: &str,
        size: u64,
        bytes: u64,
    ) -> Result<Bytes, object_store::Error> {
        if size == 0 {
            return Ok(Bytes::new());
        }
        self.store
            .get_range(&Buckets::location(workspace, object), 0..size.min(bytes))
            .await
    }

    pub async fn delete(&self, workspace: i64, object: &str) -> Result<(), object_store::Error> {
        match self
            .store
            .delete(&Buckets::location(workspace, object))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Remove every object of a deleted workspace.
    pub async fn delete_all(&self, workspace: i64) -> Result<(), object_store::Error> {
        let root = Buckets::root(workspace);
        let locations = self
            .store
            .list(Some(&root))
            .map_ok(|meta| meta.location)
            .boxed();
        self.store
            .delete_stream(locations)
            .try_collect::<Vec<_>>()
            .await?;
        Ok(())
    }

    /// Copy `objects` of workspace `from` into workspace `to` (server-side, same names); the
    /// ones copied, in order (one gone since the list was made is skipped).
    pub async fn copy_objects(
        &self,
        from: i64,
        to: i64,
        objects: &[String],
    ) -> Result<Vec<bool>, object_store::Error> {
        let mut copied = Vec::with_capacity(objects.len());
        for object in objects {
            match self
                .store
                .copy(
                    &Buckets::location(from, object),
                    &Buckets::location(to, object),
                )
                .await
            {
                Ok(()) => copied.push(true),
                Err(object_store::Error::NotFound { .. }) => copied.push(false),
                Err(error) => return Err(error),
            }
        }
        Ok(copied)
    }
}
