//! A workspace's data tables on the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::entities::{EntityRef, Value};

/// One table: its entity type, how many rows it has and its columns, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityTypeInfo {
    pub name: String,
    pub count: u64,
    /// The attribute columns (the name column `<type>_id` comes first and is not listed).
    pub columns: Vec<String>,
    /// For a set type `X_set`: the member type `X`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_of: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityTypeList {
    pub types: Vec<EntityTypeInfo>,
}

/// One row of a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRow {
    pub name: String,
    /// Moves on every change; an edit carries the version it was made against.
    pub version: i64,
    pub attributes: BTreeMap<String, Value>,
}

/// One page of a table, sorted and filtered as asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityPage {
    pub entity_type: String,
    pub columns: Vec<String>,
    pub rows: Vec<EntityRow>,
    /// Rows in the whole table (before the filter).
    pub total: u64,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The text values on this page that name a file of the workspace's bucket (shown as links).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// A new row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, Value>,
}

/// Cells to change in one row, made against the row's `version`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EntityEdit {
    pub version: i64,
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Columns whose value this row loses.
    #[serde(default)]
    pub remove: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteEntitiesRequest {
    pub names: Vec<String>,
    /// Confirmed: also remove every reference other entities hold to these.
    #[serde(default)]
    pub remove_references: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedEntities {
    pub deleted: u64,
    /// Other entities that lost a reference.
    pub references_removed: u64,
}

/// Rename a column, or delete it (and every value in it) when `rename_to` is absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ColumnChange {
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename_to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ColumnChanged {
    /// Rows whose value moved or went.
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CopyEntitiesRequest {
    /// The destination workspace's billing project and URL name.
    pub to_namespace: String,
    pub to_name: String,
    pub entity_type: String,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopiedEntities {
    /// Every entity copied: the chosen ones and those they reference.
    pub copied: u64,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub entity_type: String,
    /// Data lines read.
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
}

/// The workspace's own attributes (`workspace.<name>` in method configurations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceAttributes {
    pub attributes: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkspaceAttributesEdit {
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    #[serde(default)]
    pub remove: Vec<String>,
}

/// What an entity refusal carries beyond its sentence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableRefusalDetail {
    /// A stale edit: the row as it is now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<EntityRow>,
    /// The entities a copy conflicts on, or those referencing what a delete names (the first 100).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityRef>,
}
