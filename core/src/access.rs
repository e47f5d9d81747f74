//! Effective access: what one user may do in one workspace, and why.
//!
//! The level is the highest over the user's direct grant, every group they belong to
//! (transitively) and billing-project ownership; a flag holds if any contributing grant has it.

use serde::{Deserialize, Serialize};

use crate::principal::{BillingProjectId, GroupId, Principal, UserId};
use crate::share::{Grant, Role};
use crate::tier::{AccessTier, TierSet};

/// The user a decision is about, with everything about them a decision needs.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub user: UserId,
    pub tiers: TierSet,
    /// Every group the user belongs to, directly or through nested groups; sorted, no repeats.
    pub groups: &'a [GroupId],
    /// Billing projects the user owns; sorted, no repeats.
    pub owned_billing_projects: &'a [BillingProjectId],
}

impl Actor<'_> {
    pub fn is_in_group(&self, group: GroupId) -> bool {
        self.groups.binary_search(&group).is_ok()
    }

    pub fn owns_billing_project(&self, project: BillingProjectId) -> bool {
        self.owned_billing_projects.binary_search(&project).is_ok()
    }

    fn holds(&self, principal: &Principal) -> Option<Via> {
        match principal {
            Principal::User(id) if *id == self.user => Some(Via::Direct),
            Principal::Group(group) if self.is_in_group(*group) => Some(Via::Group(*group)),
            _ => None,
        }
    }
}

/// The facts about a workspace that access decisions read.
#[derive(Clone, Copy, Debug)]
pub struct WorkspaceFacts<'a> {
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: BillingProjectId,
    pub grants: &'a [Grant],
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveAccess {
    /// The highest role held; `None` means no access at all.
    pub role: Option<Role>,
    /// Owner through ownership of the workspace's billing project: no ACL edit removes it.
    pub project_owner: bool,
    pub can_share: bool,
    pub can_compute: bool,
    /// Whether the user holds the workspace's tier; without it the contents stay closed.
    pub has_tier: bool,
}

impl EffectiveAccess {
    pub fn is_owner(&self) -> bool {
        self.role == Some(Role::Owner)
    }
}

/// Where one piece of a user's access comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Via {
    Direct,
    Group(GroupId),
    ProjectOwner(BillingProjectId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSource {
    pub via: Via,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
}

/// The user's access to the workspace. Allocation-free: this runs on every request.
pub fn effective_access(actor: &Actor<'_>, workspace: &WorkspaceFacts<'_>) -> EffectiveAccess {
    let mut access = EffectiveAccess {
        has_tier: actor.tiers.contains(workspace.tier),
        ..EffectiveAccess::default()
    };
    for source in sources(actor, workspace) {
        access.role = access.role.max(Some(source.role));
        access.can_share |= source.can_share;
        access.can_compute |= source.can_compute;
        access.project_owner |= matches!(source.via, Via::ProjectOwner(_));
    }
    access
}

/// Every grant that contributes to the user's access: the answer to "why do I have this access".
pub fn explain_access(actor: &Actor<'_>, workspace: &WorkspaceFacts<'_>) -> Vec<AccessSource> {
    sources(actor, workspace).collect()
}

fn sources<'a>(
    actor: &'a Actor<'_>,
    workspace: &'a WorkspaceFacts<'_>,
) -> impl Iterator<Item = AccessSource> + 'a {
    let project = actor
        .owns_billing_project(workspace.billing_project)
        .then_some(AccessSource {
            via: Via::ProjectOwner(workspace.billing_project),
            role: Role::Owner,
            can_share: true,
            can_compute: true,
        });
    let grants = workspace.grants.iter().filter_map(|grant| {
        actor.holds(&grant.principal).map(|via| AccessSource {
            via,
            role: grant.role,
            can_share: grant.implies_share(),
            can_compute: grant.implies_compute(),
        })
    });
    project.into_iter().chain(grants)
}
