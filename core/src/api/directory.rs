//! The public research directory: entries, and the search with its filters and pages.

use serde::{Deserialize, Serialize};

use crate::tier::AccessTier;
use crate::validate::FieldError;
use crate::workspace::PrimaryPurpose;

/// One workspace in the public research directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryEntry {
    /// The entry's own number: its public page is `/directory/{id}`, kept after deletion.
    pub id: i64,
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    /// Published fields only: never the review request.
    pub research_purpose: crate::workspace::ResearchPurpose,
    pub creator: String,
    pub created_at: i64,
    /// False once the workspace is deleted.
    pub active: bool,
}

/// One page of the directory, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directory {
    pub entries: Vec<DirectoryEntry>,
    /// The page shown, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

/// Which workspaces the directory lists: still there, deleted, or both.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DirectoryStatus {
    #[default]
    All,
    Active,
    Inactive,
}

impl DirectoryStatus {
    pub const ALL: [DirectoryStatus; 3] = [
        DirectoryStatus::All,
        DirectoryStatus::Active,
        DirectoryStatus::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectoryStatus::All => "all",
            DirectoryStatus::Active => "active",
            DirectoryStatus::Inactive => "inactive",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DirectoryStatus::All => "Active and inactive",
            DirectoryStatus::Active => "Active only",
            DirectoryStatus::Inactive => "Inactive (deleted) only",
        }
    }

    pub fn parse(raw: &str) -> Option<DirectoryStatus> {
        DirectoryStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A directory search as the query string carries it (every part optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DirectoryQuery {
    /// Words to find in names and research purposes (questions, approaches, findings).
    #[serde(default)]
    pub q: String,
    /// A primary purpose, as `disease_focused`, `genetic`, …
    #[serde(default)]
    pub purpose: String,
    /// `registered` or `controlled`.
    #[serde(default)]
    pub tier: String,
    /// `all` (the default), `active` or `inactive`.
    #[serde(default)]
    pub status: String,
    /// From 1.
    #[serde(default)]
    pub page: Option<u32>,
}

/// A directory search, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectorySearch {
    pub words: String,
    pub purpose: Option<PrimaryPurpose>,
    pub tier: Option<AccessTier>,
    pub status: DirectoryStatus,
    pub page: u32,
}

impl DirectorySearch {
    pub const PER_PAGE: u32 = 20;
    pub const MAX_WORDS: usize = 200;
    /// Deep pages are refused: narrow the search instead.
    pub const MAX_PAGE: u32 = 500;

    /// Checks each part, naming the first one that is wrong.
    pub fn parse(query: &DirectoryQuery) -> Result<DirectorySearch, FieldError> {
        let words = query.q.trim();
        if words.chars().count() > Self::MAX_WORDS {
            return Err(FieldError::new(
                "q",
                &format!("Search with at most {} characters.", Self::MAX_WORDS),
            ));
        }
        let purpose = match query.purpose.trim() {
            "" => None,
            raw => Some(PrimaryPurpose::parse(raw).ok_or_else(|| {
                FieldError::new(
                    "purpose",
                    &format!("There is no primary purpose called {raw}."),
                )
            })?),
        };
        let tier = match query.tier.trim() {
            "" => None,
            raw => Some(AccessTier::parse(raw).ok_or_else(|| {
                FieldError::new("tier", "A tier is either registered or controlled.")
            })?),
        };
        let status = match query.status.trim() {
            "" => DirectoryStatus::All,
            raw => DirectoryStatus::parse(raw).ok_or_else(|| {
                FieldError::new("status", "Show all, active or inactive workspaces.")
            })?,
        };
        let page = query.page.unwrap_or(1);
        if page == 0 || page > Self::MAX_PAGE {
            return Err(FieldError::new(
                "page",
                &format!(
                    "Pages run from 1 to {}; narrow the search to see older entries.",
                    Self::MAX_PAGE
                ),
            ));
        }
        Ok(DirectorySearch {
            words: words.to_owned(),
            purpose,
            tier,
            status,
            page,
        })
    }

    /// The query string that asks for this search (empty parts left out).
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.words.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.words)));
        }
        if let Some(purpose) = self.purpose {
            parts.push(format!("purpose={}", purpose.as_str()));
        }
        if let Some(tier) = self.tier {
            parts.push(format!("tier={}", tier.as_str()));
        }
        if self.status != DirectoryStatus::All {
            parts.push(format!("status={}", self.status.as_str()));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(Self::PER_PAGE)
    }
}

/// Percent-encoding of everything but RFC 3986's unreserved characters: for a query value or a
/// header's `filename*`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
