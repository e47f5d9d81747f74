//! A workspace's bucket on the wire.

use serde::{Deserialize, Serialize};

/// One file, as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileEntry {
    /// The full key: `folder/name.csv`.
    pub key: String,
    /// The last part of the key.
    pub name: String,
    pub size: u64,
    pub modified_at: i64,
    /// Display name of who uploaded it.
    pub uploaded_by: String,
}

/// One folder's contents: the folders directly in it and its files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileListing {
    /// The folder listed: empty for the top, else ending in `/`.
    pub prefix: String,
    /// Full prefixes of the folders in it, each ending in `/`.
    pub folders: Vec<String>,
    pub files: Vec<FileEntry>,
    /// Every file's bytes in the whole bucket.
    pub total_bytes: u64,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// True when the folder holds more than one listing shows (the first 20,000 files under it).
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveFileRequest {
    /// The new key.
    pub to: String,
}

/// What a preview shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FilePreview {
    /// The first bytes of a text file.
    Text { text: String, truncated: bool },
    /// The first rows of a CSV or TSV file.
    Table {
        rows: Vec<Vec<String>>,
        truncated: bool,
    },
    /// An image or PDF, shown from the download address.
    Embed { media_type: String },
    /// Nothing to show in the page: download it.
    None { reason: String },
}
