//! A workspace bucket's rules (SPEC §5.1): which keys are acceptable, the size limit, and how a
//! flat list of keys reads as folders.

use std::collections::BTreeSet;

/// The longest key, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;
/// The default largest upload: 5 GiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// Why a file operation is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("A file name cannot be empty.")]
    EmptyKey,
    #[error("A file path is at most {MAX_KEY_BYTES} bytes; this one is {bytes}.")]
    KeyTooLong { bytes: usize },
    #[error("A file path cannot start with /.")]
    LeadingSlash,
    #[error("A file path cannot contain an empty folder name (//) or end with /.")]
    EmptySegment,
    #[error("A file path cannot contain . or .. as a folder or file name.")]
    DotSegment,
    #[error("A file path cannot contain control or invisible characters.")]
    ControlCharacter,
    #[error("This file is {size} bytes; uploads are limited to {limit} bytes ({}).", human_bytes(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("There is no file {key} in this workspace.")]
    NotFound { key: String },
    #[error("A file named {key} already exists: move or delete it first.")]
    AlreadyExists { key: String },
}

impl FileRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            FileRefusal::EmptyKey
            | FileRefusal::KeyTooLong { .. }
            | FileRefusal::LeadingSlash
            | FileRefusal::EmptySegment
            | FileRefusal::DotSegment
            | FileRefusal::ControlCharacter => "bad_file_key",
            FileRefusal::TooLarge { .. } => "file_too_large",
            FileRefusal::NotFound { .. } => "no_such_file",
            FileRefusal::AlreadyExists { .. } => "file_exists",
        }
    }
}

/// A key that passed every rule: `folder/sub/name.txt`.
pub fn parse_key(raw: &str) -> Result<String, FileRefusal> {
    if raw.is_empty() {
        return Err(FileRefusal::EmptyKey);
    }
    if raw.len() > MAX_KEY_BYTES {
        return Err(FileRefusal::KeyTooLong { bytes: raw.len() });
    }
    if raw.starts_with('/') {
        return Err(FileRefusal::LeadingSlash);
    }
    if raw.chars().any(char::is_control) || crate::validate::invisible_character(raw).is_some() {
        return Err(FileRefusal::ControlCharacter);
    }
    for segment in raw.split('/') {
        match segment {
            "" => return Err(FileRefusal::EmptySegment),
            "." | ".." => return Err(FileRefusal::DotSegment),
            _ => {}
        }
    }
    Ok(raw.to_owned())
}

/// A folder to list: empty for the top, else a valid key followed by `/`.
pub fn parse_prefix(raw: &str) -> Result<String, FileRefusal> {
    match raw.strip_suffix('/') {
        None if raw.is_empty() => Ok(String::new()),
        None => parse_key(raw).map(|key| format!("{key}/")),
        Some(folder) => parse_key(folder).map(|key| format!("{key}/")),
    }
}

/// Uploads beyond `limit` bytes are refused (before any byte is kept).
pub fn check_size(size: u64, limit: u64) -> Result<(), FileRefusal> {
    if size > limit {
        Err(FileRefusal::TooLarge { size, limit })
    } else {
        Ok(())
    }
}

/// The last segment of a key: what a listing shows.
pub fn file_name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// The folders directly under `prefix` among `keys` (each as its full prefix, ending in `/`).
pub fn folders_under<'a>(prefix: &str, keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let folders: BTreeSet<String> = keys
        .into_iter()
        .filter_map(|key| key.strip_prefix(prefix))
        .filter_map(|rest| rest.split_once('/'))
        .map(|(folder, _)| format!("{prefix}{folder}/"))
        .collect();
    folders.into_iter().collect()
}

/// Sizes as people read them: `512 B`, `1.5 KiB`, `5.0 GiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_spec() {
        assert_eq!(parse_key("data/reads.bam").as_deref(), Ok("data/reads.bam"));
        assert_eq!(
            parse_key("données/été.csv").as_deref(),
            Ok("données/été.csv")
        );
        assert_eq!(parse_key(""), Err(FileRefusal::EmptyKey));
        assert_eq!(parse_key("/etc/passwd"), Err(FileRefusal::LeadingSlash));
        assert_eq!(parse_key("a//b"), Err(FileRefusal::EmptySegment));
        assert_eq!(parse_key("a/"), Err(FileRefusal::EmptySegment));
        assert_eq!(parse_key("a/../b"), Err(FileRefusal::DotSegment));
        assert_eq!(parse_key(".."), Err(FileRefusal::DotSegment));
        assert_eq!(parse_key("./a"), Err(FileRefusal::DotSegment));
        assert_eq!(parse_key("a..b/c...d").as_deref(), Ok("a..b/c...d"));
        assert_eq!(parse_key("a\nb"), Err(FileRefusal::ControlCharacter));
        assert_eq!(parse_key("a\u{202E}b"), Err(FileRefusal::ControlCharacter));
        assert_eq!(
            parse_key(&"x".repeat(1025)),
            Err(FileRefusal::KeyTooLong { bytes: 1025 })
        );
        assert!(parse_key(&"é".repeat(512)).is_ok(), "1,024 bytes exactly");
    }

    #[test]
    fn prefixes_are_folders() {
        assert_eq!(parse_prefix("").as_deref(), Ok(""));
        assert_eq!(parse_prefix("data").as_deref(), Ok("data/"));
        assert_eq!(parse_prefix("data/raw/").as_deref(), Ok("data/raw/"));
        assert_eq!(parse_prefix("../"), Err(FileRefusal::DotSegment));
    }

    #[test]
    fn a_flat_list_reads_as_folders() {
        let keys = [
            "a.txt",
            "data/x.csv",
            "data/raw/y.bam",
            "notes/n.md",
            "data/z",
        ];
        assert_eq!(folders_under("", keys), ["data/", "notes/"]);
        assert_eq!(folders_under("data/", keys), ["data/raw/"]);
        assert_eq!(file_name("data/raw/y.bam"), "y.bam");
    }

    #[test]
    fn sizes_read_as_people_expect() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(DEFAULT_MAX_UPLOAD_BYTES), "5.0 GiB");
        assert_eq!(
            check_size(11, 10),
            Err(FileRefusal::TooLarge {
                size: 11,
                limit: 10
            })
        );
    }
}
