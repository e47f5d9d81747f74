//! The public research directory.

use serde::{Deserialize, Serialize};

use crate::tier::AccessTier;

/// One workspace in the public research directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryEntry {
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

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directory {
    pub entries: Vec<DirectoryEntry>,
}
