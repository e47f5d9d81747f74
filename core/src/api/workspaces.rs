//! Workspaces: the list, creating and duplicating, one workspace's page.

use serde::{Deserialize, Serialize};

use crate::share::Role;
use crate::tier::AccessTier;

/// One card of "Your workspaces".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSummary {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
    pub locked: bool,
    pub creator: String,
    pub modified_at: i64,
    /// Why the contents are closed to the caller (for example the missing tier), if they are.
    pub inaccessible_reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceList {
    pub workspaces: Vec<WorkspaceSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWorkspaceRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub billing_project: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    pub tier: AccessTier,
    #[serde(default)]
    pub dataset_version: Option<String>,
    #[serde(default)]
    pub replication_statement: Option<String>,
    pub research_purpose: crate::workspace::ResearchPurpose,
    #[serde(default)]
    pub description: String,
}

/// Duplicate a workspace into a billing project where the caller may create workspaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateWorkspaceRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub billing_project: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    /// Share the copy with the same collaborators (the duplicator becomes its owner either way).
    #[serde(default)]
    pub copy_collaborators: bool,
    /// An edited research purpose; the source's when absent.
    #[serde(default)]
    pub research_purpose: Option<crate::workspace::ResearchPurpose>,
    /// Copy the bucket's files too (on unless asked otherwise).
    #[serde(default = "copies_files")]
    pub copy_files: bool,
}

fn copies_files() -> bool {
    true
}

/// Edit the About page (owners) or the description (writers), guarded by `about_version`.
/// Absent fields stay as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditWorkspaceRequest {
    pub about_version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub research_purpose: Option<crate::workspace::ResearchPurpose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A workspace as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceDetail {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    /// The description (markdown) rendered to sanitized HTML.
    pub description_html: String,
    pub tier: AccessTier,
    pub dataset_version: String,
    pub locked: bool,
    pub creator: String,
    pub created_at: i64,
    pub modified_at: i64,
    pub about_version: u64,
    pub research_purpose: crate::workspace::ResearchPurpose,
    pub access: crate::EffectiveAccess,
    /// For each action, whether the caller may do it and, if not, `core`'s reason.
    pub actions: Vec<ActionPermission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionPermission {
    pub action: crate::Action,
    pub allowed: bool,
    pub reason: Option<String>,
}
