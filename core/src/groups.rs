//! Managed groups: names, nesting without cycles, the last admin, and when a group may be deleted.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::principal::{GroupId, UserId};
use crate::validate::FieldError;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    Member,
    Admin,
}

impl GroupRole {
    pub const ALL: [GroupRole; 2] = [GroupRole::Member, GroupRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupRole::Member => "member",
            GroupRole::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<GroupRole> {
        GroupRole::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// Whether moving a member from this role to `to` takes access away (confirmed first).
    pub fn lowers_access(self, to: GroupRole) -> bool {
        self == GroupRole::Admin && to == GroupRole::Member
    }

    /// The role's name for people.
    pub fn label(self) -> &'static str {
        match self {
            GroupRole::Member => "Member",
            GroupRole::Admin => "Admin",
        }
    }
}

/// A group name: 1–60 letters, digits, `_` or `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupName(String);

impl GroupName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() {
            return Err(FieldError::new("name", "Enter a group name."));
        }
        if name.chars().count() > 60 {
            return Err(FieldError::new(
                "name",
                "A group name has at most 60 characters.",
            ));
        }
        if !name.chars().all(allowed) {
            return Err(FieldError::new(
                "name",
                "A group name may use only letters, digits, '_' and '-'.",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The group's address, `NAME@groups.<site domain>`.
    pub fn address(&self, site_domain: &str) -> String {
        format!("{}@groups.{site_domain}", self.0)
    }
}

impl TryFrom<String> for GroupName {
    type Error = FieldError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<GroupName> for String {
    fn from(name: GroupName) -> Self {
        name.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum GroupRefusal {
    #[error("Only admins of this group can manage it.")]
    NotAdmin,
    #[error("A group cannot contain itself, directly or through other groups.")]
    Cycle,
    #[error("A group keeps at least one admin: add another admin first.")]
    LastAdmin,
    #[error("The group is still in use: {}. Remove it from there first.", uses.join("; "))]
    InUse { uses: Vec<String> },
    #[error("This group does not accept access requests.")]
    RequestsClosed,
    #[error("You are already a member of this group.")]
    AlreadyMember,
}

impl GroupRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            GroupRefusal::NotAdmin => "group_admin_required",
            GroupRefusal::Cycle => "group_cycle",
            GroupRefusal::LastAdmin => "last_admin",
            GroupRefusal::InUse { .. } => "group_in_use",
            GroupRefusal::RequestsClosed => "requests_closed",
            GroupRefusal::AlreadyMember => "already_member",
        }
    }
}

/// Which groups directly contain each group: the edges of the nesting graph, child → parents.
#[derive(Clone, Debug, Default)]
pub struct GroupGraph {
    parents: BTreeMap<GroupId, Vec<GroupId>>,
}

impl GroupGraph {
    pub fn add_edge(&mut self, parent: GroupId, child: GroupId) {
        self.parents.entry(child).or_default().push(parent);
    }

    pub fn parents_of(&self, group: GroupId) -> &[GroupId] {
        self.parents.get(&group).map_or(&[], Vec::as_slice)
    }

    /// Every group a user belongs to, given the groups they are a direct member of: those groups
    /// and every group that contains them, transitively. Sorted, no repeats.
    pub fn closure(&self, direct: &[GroupId]) -> Vec<GroupId> {
        let mut seen: BTreeSet<GroupId> = BTreeSet::new();
        let mut stack: Vec<GroupId> = direct.to_vec();
        while let Some(group) = stack.pop() {
            if seen.insert(group) {
                stack.extend_from_slice(self.parents_of(group));
            }
        }
        seen.into_iter().collect()
    }

    /// Adding `child` as a member of `parent` must not make a group contain itself.
    pub fn check_nesting(&self, parent: GroupId, child: GroupId) -> Result<(), GroupRefusal> {
        if self.closure(&[parent]).contains(&child) {
            return Err(GroupRefusal::Cycle);
        }
        Ok(())
    }
}

/// Removing or demoting `target` must leave at least one admin.
/// Giving `target` the role `new_role`: refused when it would demote the last admin.
pub fn check_role_change(
    admins: &[UserId],
    target: UserId,
    new_role: GroupRole,
) -> Result<(), GroupRefusal> {
    match new_role {
        GroupRole::Admin => Ok(()),
        GroupRole::Member => check_admin_removal(admins, target),
    }
}

pub fn check_admin_removal(admins: &[UserId], target: UserId) -> Result<(), GroupRefusal> {
    if admins.contains(&target) && admins.len() <= 1 {
        return Err(GroupRefusal::LastAdmin);
    }
    Ok(())
}

/// Where a group is still used, each as a human phrase (for example `member of group lab-all`).
#[derive(Clone, Debug, Default)]
pub struct GroupUses {
    pub parent_groups: Vec<String>,
    pub workspaces: Vec<String>,
    pub billing_projects: Vec<String>,
}

pub fn check_delete(uses: &GroupUses) -> Result<(), GroupRefusal> {
    let phrase = |kind: &str, names: &[String]| {
        (!names.is_empty()).then(|| format!("{kind} {}", names.join(", ")))
    };
    let uses: Vec<String> = [
        phrase("member of group", &uses.parent_groups),
        phrase("shared with workspace", &uses.workspaces),
        phrase("member of billing project", &uses.billing_projects),
    ]
    .into_iter()
    .flatten()
    .collect();
    if uses.is_empty() {
        Ok(())
    } else {
        Err(GroupRefusal::InUse { uses })
    }
}

/// A non-member may ask to join a group that accepts requests.
pub fn may_request_access(
    allows_requests: bool,
    role: Option<GroupRole>,
) -> Result<(), GroupRefusal> {
    if role.is_some() {
        return Err(GroupRefusal::AlreadyMember);
    }
    if !allows_requests {
        return Err(GroupRefusal::RequestsClosed);
    }
    Ok(())
}

/// Admins remove any member; a member may remove themselves (leave the group).
pub fn may_remove_member(
    actor_role: Option<GroupRole>,
    removing_self: bool,
) -> Result<(), GroupRefusal> {
    if removing_self && actor_role.is_some() {
        return Ok(());
    }
    require_admin(actor_role)
}

pub fn require_admin(role: Option<GroupRole>) -> Result<(), GroupRefusal> {
    match role {
        Some(GroupRole::Admin) => Ok(()),
        _ => Err(GroupRefusal::NotAdmin),
    }
}

/// Who may see a group's members and nested groups: its own members and admins, and site
/// admins. Anyone signed in may see that a group exists, its address, whether it takes access
/// requests and its access instructions — what they need to ask to join — but not who is in it.
pub fn may_see_members(role: Option<GroupRole>, is_site_admin: bool) -> bool {
    role.is_some() || is_site_admin
}
