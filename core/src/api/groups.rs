//! Managed groups, their members and access requests.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateGroupRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{1,60}$"))]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMemberRequest {
    pub role: crate::groups::GroupRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    pub name: String,
    pub address: String,
    pub allows_requests: bool,
    /// How to get access, shown to people who are not members.
    pub access_instructions: String,
    pub my_role: Option<crate::groups::GroupRole>,
    pub members: Vec<GroupMemberView>,
    pub subgroups: Vec<String>,
}

/// What group admins may change about the group itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupSettingsRequest {
    #[serde(default)]
    pub allows_requests: Option<bool>,
    #[serde(default)]
    pub access_instructions: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRequestView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub requested_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideRequest {
    pub approve: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMemberView {
    pub email: String,
    pub display_name: String,
    pub role: crate::groups::GroupRole,
}
