//! Uploaded files' bytes, kept in an object store (the `object_store` crate) rather than in the
//! database: a folder by default (`{HPP_DATA_DIR}/objects`), any S3-compatible store when
//! `HPP_OBJECT_STORE_URL` says so (`s3://bucket/prefix`, with the usual `AWS_*` variables as its
//! options: `AWS_ENDPOINT`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
//! `AWS_ALLOW_HTTP`; see `Config::object_store_options`).
//!
//! The rules that keep rows and objects in step:
//! - an object is written *before* the transaction that stores its row, so no committed row
//!   points to an object that was never written. Each upload gets a key of its own (never
//!   shared, never overwritten), so a row's object is only ever the one its request wrote;
//! - the database keeps each file's size and SHA-256, and every read checks both;
//! - in a folder, an object is synced to disk (its bytes and the folder entries that name it)
//!   before its row commits: the crate renames a written file into place without syncing it,
//!   so a power cut could lose an object whose row survived;
//! - a request that fails after writing leaves an object without a row: [`FileStore::sweep`]
//!   deletes such orphans once they are older than any request could take;
//! - rows from before this store (bytes inline in `files.data`) are read as they are, and moved
//!   out by [`FileStore::move_inline`].

use crate::db::cases::StoredBytes;
use crate::db::sql::OptionalRow;
use crate::db::{Db, DbError};
use crate::digest::sha256_hex;
use crate::params;
use futures_util::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Objects younger than this are never swept: the longest upload (10 min) and its transaction
/// fit many times over.
pub const SWEEP_GRACE: Duration = Duration::from_secs(3600);
/// Where file objects live inside the store.
const PREFIX: &str = "files";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("HPP_OBJECT_STORE_URL={url:?}: {reason}")]
    Config { url: String, reason: String },
    #[error("the file store failed: {0}")]
    Store(#[from] object_store::Error),
    #[error("the file store could not sync {path} to disk: {source}")]
    Sync {
        path: String,
        source: std::io::Error,
    },
    #[error("the stored object {key} does not match its row ({detail})")]
    Corrupt { key: String, detail: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The store and where it is (for the start-up message).
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    pub url: String,
    /// The folder of a `file://` store, whose objects are synced to disk as they are written.
    folder: Option<PathBuf>,
}

impl FileStore {
    /// The store `url` names (`file:///abs/dir`, `s3://bucket/prefix`, `memory://`) with
    /// `options` (`aws_endpoint`, …), or the folder `default_dir` when there is none.
    pub fn open(
        url: Option<&str>,
        options: &[(String, String)],
        default_dir: &std::path::Path,
    ) -> Result<Self, StoreError> {
        let url = match url {
            Some(url) => url.to_owned(),
            None => {
                std::fs::create_dir_all(default_dir).map_err(|e| StoreError::Config {
                    url: default_dir.display().to_string(),
                    reason: e.to_string(),
                })?;
                let dir = default_dir
                    .canonicalize()
                    .unwrap_or_else(|_| default_dir.to_owned());
                format!("file://{}", dir.display())
            }
        };
        let config_error = |reason: String| StoreError::Config {
            url: url.clone(),
            reason,
        };
        let parsed = url::Url::parse(&url).map_err(|e| config_error(e.to_string()))?;
        let folder = match parsed.scheme() {
            "file" => Some(
                parsed
                    .to_file_path()
                    .map_err(|()| config_error("not a folder".into()))?,
            ),
            _ => None,
        };
        if let Some(folder) = &folder {
            std::fs::create_dir_all(folder).map_err(|e| config_error(e.to_string()))?;
        }
        let (store, prefix) = object_store::parse_url_opts(&parsed, options.iter().cloned())
            .map_err(|e| config_error(e.to_string()))?;
        let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            Arc::from(store)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
        };
        Ok(Self { store, url, folder })
    }

    /// Writes `bytes` under a new key of its own and returns the key.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let key = format!("{PREFIX}/{}", crate::auth::random_token());
        self.put_at(&key, bytes).await?;
        Ok(key)
    }

    /// Writes `bytes` under `key` (copying a store into another keeps the keys).
    pub async fn put_at(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.store
            .put(&ObjectPath::from(key), PutPayload::from(bytes.to_vec()))
            .await?;
        if let Some(folder) = &self.folder {
            // Keys are `files/` and hex digits: the same path in the folder.
            sync_to_disk(folder.join(key)).await?;
        }
        Ok(())
    }

    /// The file's bytes, checked against the size and SHA-256 its row holds.
    pub async fn read(&self, stored: StoredBytes) -> Result<Vec<u8>, StoreError> {
        let (key, bytes) = match stored.object_key {
            None => ("(inline)".to_owned(), stored.inline),
            Some(key) => {
                let got = self.store.get(&ObjectPath::from(key.as_str())).await?;
                (key, got.bytes().await?.to_vec())
            }
        };
        if bytes.len() as i64 != stored.size {
            return Err(StoreError::Corrupt {
                key,
                detail: format!("{} bytes, expected {}", bytes.len(), stored.size),
            });
        }
        if sha256_hex(&bytes) != stored.sha256 {
            return Err(StoreError::Corrupt {
                key,
                detail: "another SHA-256".into(),
            });
        }
        Ok(bytes)
    }

    /// Every file object's key (for the tests, and for comparing a copy with its source).
    pub async fn keys(&self) -> Result<Vec<String>, StoreError> {
        let listing = self.store.list(Some(&ObjectPath::from(PREFIX)));
        let mut keys: Vec<String> = listing
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?;
        keys.sort();
        Ok(keys)
    }

    /// The object store itself (tests change objects behind the database's back with it).
    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// Deletes objects that no row refers to and that are older than `grace`; returns how many.
    pub async fn sweep(&self, db: &Db, grace: Duration) -> Result<usize, StoreError> {
        let cutoff = millis_ago(grace);
        let mut listing = self.store.list(Some(&ObjectPath::from(PREFIX)));
        let mut swept = 0;
        while let Some(meta) = listing.try_next().await? {
            if meta.last_modified.timestamp_millis() > cutoff {
                continue;
            }
            let key = meta.location.to_string();
            let lookup = key.clone();
            let referenced = db
                .read(move |conn| -> Result<bool, DbError> {
                    Ok(conn
                        .query_row(
                            "SELECT 1 FROM files WHERE object_key = ?1",
                            params![&lookup],
                            |_| Ok(()),
                        )
                        .optional()?
                        .is_some())
                })
                .await?;
            if !referenced {
                self.store.delete(&meta.location).await?;
                tracing::info!(key = %key, "swept an object no row refers to");
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// Moves the bytes of rows from before the store into it, a row at a time; returns how
    /// many. A crash between the write and the row's update leaves an orphan, which is swept.
    pub async fn move_inline(&self, db: &Db) -> Result<usize, StoreError> {
        let mut moved = 0;
        loop {
            let next = db
                .read(|conn| -> Result<Option<(i64, Vec<u8>)>, DbError> {
                    conn.query_row(
                        "SELECT id, data FROM files WHERE object_key IS NULL LIMIT 1",
                        params![],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                })
                .await?;
            let Some((id, data)) = next else {
                return Ok(moved);
            };
            let key = self.put(&data).await?;
            db.call(move |conn| -> Result<(), DbError> {
                conn.execute(
                    "UPDATE files SET object_key = ?2, data = ?3 WHERE id = ?1",
                    params![id, key, Vec::<u8>::new()],
                )?;
                Ok(())
            })
            .await?;
            moved += 1;
        }
    }
}

/// Makes a written file durable: its bytes, then the entries of its folder (the rename that
/// put it there) and of the folder above (the first object creates `files/`).
async fn sync_to_disk(path: PathBuf) -> Result<(), StoreError> {
    let shown = path.display().to_string();
    let synced = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::File::open(&path)?.sync_all()?;
        for folder in path.ancestors().skip(1).take(2) {
            std::fs::File::open(folder)?.sync_all()?;
        }
        Ok(())
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    synced.map_err(|source| StoreError::Sync {
        path: shown,
        source,
    })
}

/// Unix milliseconds `grace` ago.
fn millis_ago(grace: Duration) -> i64 {
    crate::db::now_ms() - grace.as_millis() as i64
}
