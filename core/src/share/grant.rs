//! Roles and grants, and the ACL that holds them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::principal::Principal;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Writer,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Writer, Role::Owner];

    pub fn label(self) -> &'static str {
        match self {
            Role::Reader => "Reader",
            Role::Writer => "Writer",
            Role::Owner => "Owner",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Writer => "writer",
            Role::Owner => "owner",
        }
    }

    /// Owners share and compute by their role alone: their flags are not a choice.
    pub fn implies_flags(self) -> bool {
        self == Role::Owner
    }

    /// Whether can-compute is a choice for this role: writers only (owners always compute,
    /// readers never do).
    pub fn chooses_compute(self) -> bool {
        self == Role::Writer
    }

    /// The flags worth naming beside this role: those it does not already imply.
    pub fn flags_beyond_role(self, can_share: bool, can_compute: bool) -> (bool, bool) {
        if self.implies_flags() {
            (false, false)
        } else {
            (can_share, can_compute)
        }
    }

    /// The flags a grant of this role ends up with when `can_share` and `can_compute` are asked
    /// for: owners always both, readers never compute.
    pub fn flags(self, can_share: bool, can_compute: bool) -> (bool, bool) {
        match self {
            Role::Owner => (true, true),
            Role::Writer => (can_share, can_compute),
            Role::Reader => (can_share, false),
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// Whether moving a grant from `(self, can_share, can_compute)` to `after` takes something
    /// away: a lower role, or a flag the grant had and loses. Such a change is confirmed first.
    pub fn lowers_access(self, before: (bool, bool), after: (Role, bool, bool)) -> bool {
        let (had_share, had_compute) = self.flags(before.0, before.1);
        let (role, can_share, can_compute) = after;
        let (has_share, has_compute) = role.flags(can_share, can_compute);
        role < self || (had_share && !has_share) || (had_compute && !has_compute)
    }

    pub fn plural(self) -> &'static str {
        match self {
            Role::Reader => "readers",
            Role::Writer => "writers",
            Role::Owner => "owners",
        }
    }

    pub fn with_article(self) -> &'static str {
        match self {
            Role::Reader => "a reader",
            Role::Writer => "a writer",
            Role::Owner => "an owner",
        }
    }

    /// What the role lets a collaborator do, for the share dialog.
    pub fn description(self) -> &'static str {
        match self {
            Role::Reader => "Can see everything and copy it out; cannot change anything.",
            Role::Writer => "Can also edit contents and add files; with can-compute, run analyses.",
            Role::Owner => "Can do everything, including sharing, locking and deleting.",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub principal: Principal,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
}

impl Grant {
    pub fn new(principal: Principal, role: Role) -> Self {
        Grant {
            principal,
            role,
            can_share: false,
            can_compute: false,
        }
        .normalized()
    }

    pub fn with_flags(mut self, can_share: bool, can_compute: bool) -> Self {
        self.can_share = can_share;
        self.can_compute = can_compute;
        self.normalized()
    }

    /// Owners always share and compute.
    pub fn normalized(mut self) -> Self {
        if self.role == Role::Owner {
            self.can_share = true;
            self.can_compute = true;
        }
        self
    }

    pub fn implies_share(&self) -> bool {
        self.role == Role::Owner || self.can_share
    }

    pub fn implies_compute(&self) -> bool {
        self.role == Role::Owner || self.can_compute
    }

    pub(super) fn has_flags(&self) -> bool {
        self.can_share || self.can_compute
    }
}

/// A workspace's access control list. The version changes with every accepted batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acl {
    pub version: u64,
    pub grants: Vec<Grant>,
}

impl Acl {
    pub fn grant_of(&self, principal: &Principal) -> Option<&Grant> {
        self.grants
            .iter()
            .find(|grant| &grant.principal == principal)
    }
}

/// Most entries one ACL may hold: larger audiences are what groups are for.
pub const MAX_ACL_ENTRIES: usize = 1_000;

pub(super) fn is_direct_user_owner(grant: &Grant) -> bool {
    grant.role == Role::Owner && matches!(grant.principal, Principal::User(_))
}

pub fn direct_user_owner_count(grants: &[Grant]) -> usize {
    grants
        .iter()
        .filter(|grant| is_direct_user_owner(grant))
        .count()
}
