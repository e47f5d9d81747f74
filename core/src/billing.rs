//! Billing projects: who may create workspaces in them, and the last owner.

use serde::{Deserialize, Serialize};

use crate::principal::UserId;
use crate::tier::{AccessTier, TierSet};
use crate::validate::FieldError;

/// Credits a new user's personal billing project starts with, in cents.
pub const INITIAL_CREDITS_CENTS: i64 = 30_000;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingRole {
    /// "Workspace creator": may create workspaces charged to the project.
    User,
    Owner,
}

impl BillingRole {
    pub const ALL: [BillingRole; 2] = [BillingRole::User, BillingRole::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            BillingRole::User => "user",
            BillingRole::Owner => "owner",
        }
    }

    pub fn parse(raw: &str) -> Option<BillingRole> {
        BillingRole::ALL
            .into_iter()
            .find(|role| role.as_str() == raw)
    }

    /// Whether moving a member from this role to `to` takes access away (confirmed first).
    pub fn lowers_access(self, to: BillingRole) -> bool {
        self == BillingRole::Owner && to == BillingRole::User
    }

    /// The role's name for people.
    pub fn label(self) -> &'static str {
        match self {
            BillingRole::User => "Workspace creator",
            BillingRole::Owner => "Owner",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum BillingRefusal {
    #[error("You are not a member of this billing project; ask one of its owners to add you.")]
    NotMember,
    #[error("Only owners of this billing project can manage its members.")]
    NotOwner,
    #[error("Only owners of this billing project can {0}.")]
    OwnersOnly(BillingTask),
    #[error("A billing project keeps at least one owner: add another owner first.")]
    LastOwner,
    #[error("You need the Registered Tier before you can create workspaces.")]
    NotRegistered,
    #[error("You need the {tier} to create a workspace in it.")]
    MissingTier { tier: AccessTier },
}

impl BillingRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            BillingRefusal::NotMember => "billing_member_required",
            BillingRefusal::NotOwner | BillingRefusal::OwnersOnly(_) => "billing_owner_required",
            BillingRefusal::LastOwner => "last_owner",
            BillingRefusal::NotRegistered => "tier_registered_required",
            BillingRefusal::MissingTier { .. } => "tier_required",
        }
    }
}

/// What only a billing project's owners may do besides managing members.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingTask {
    ReadSpend,
    AddCredits,
}

impl std::fmt::Display for BillingTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BillingTask::ReadSpend => "see its spend",
            BillingTask::AddCredits => "add credits to it",
        })
    }
}

/// Spend reports and credits are for the project's owners.
pub fn may_do(role: Option<BillingRole>, task: BillingTask) -> Result<(), BillingRefusal> {
    match role {
        Some(BillingRole::Owner) => Ok(()),
        Some(BillingRole::User) => Err(BillingRefusal::OwnersOnly(task)),
        None => Err(BillingRefusal::NotMember),
    }
}

/// Owners and users ("workspace creators") of the project may create workspaces in it, in a
/// tier they hold.
pub fn may_create_workspace(
    tiers: TierSet,
    role: Option<BillingRole>,
    workspace_tier: AccessTier,
) -> Result<(), BillingRefusal> {
    if !tiers.contains(AccessTier::Registered) {
        return Err(BillingRefusal::NotRegistered);
    }
    role.ok_or(BillingRefusal::NotMember)?;
    check_tier_choice(tiers, workspace_tier)
}

/// A new workspace's tier must be one its creator holds (the create form greys out the others).
pub fn check_tier_choice(tiers: TierSet, workspace_tier: AccessTier) -> Result<(), BillingRefusal> {
    if !tiers.contains(workspace_tier) {
        return Err(BillingRefusal::MissingTier {
            tier: workspace_tier,
        });
    }
    Ok(())
}

/// A billing project's balance: its credits minus what its workspaces have spent.
pub fn balance_cents(credits_cents: i64, spend_cents: i64) -> i64 {
    credits_cents.saturating_sub(spend_cents)
}

/// Money as people read it: `$300.00`, `-$1.25`.
pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}.{:02}", abs / 100, abs % 100)
}

pub fn may_manage_members(role: Option<BillingRole>) -> Result<(), BillingRefusal> {
    match role {
        Some(BillingRole::Owner) => Ok(()),
        _ => Err(BillingRefusal::NotOwner),
    }
}

/// Removing or demoting `target` must leave at least one owner.
/// Members (owners and workspace creators) may read a billing project; nobody else.
pub fn may_read(role: Option<BillingRole>) -> Result<(), BillingRefusal> {
    role.map(|_| ()).ok_or(BillingRefusal::NotMember)
}

/// Giving `target` the role `new_role`: refused when it would demote the last owner.
pub fn check_role_change(
    owners: &[UserId],
    target: UserId,
    new_role: BillingRole,
) -> Result<(), BillingRefusal> {
    match new_role {
        BillingRole::Owner => Ok(()),
        BillingRole::User => check_owner_removal(owners, target),
    }
}

pub fn check_owner_removal(owners: &[UserId], target: UserId) -> Result<(), BillingRefusal> {
    if owners.contains(&target) && owners.len() <= 1 {
        return Err(BillingRefusal::LastOwner);
    }
    Ok(())
}

/// A billing project name: 3–60 characters, lower-case letters, digits and '-'.
/// A form's choice of billing project: one must be chosen.
pub fn check_project_choice(chosen: &str) -> Result<(), FieldError> {
    if chosen.trim().is_empty() {
        return Err(FieldError::new(
            "billing_project",
            "Choose the billing project the workspace's costs are charged to.",
        ));
    }
    Ok(())
}

pub fn parse_project_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    let len = name.chars().count();
    if !(3..=60).contains(&len) {
        return Err(FieldError::new(
            "name",
            "A billing project name has 3 to 60 characters.",
        ));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if !name.chars().all(allowed) || name.starts_with('-') {
        return Err(FieldError::new(
            "name",
            "A billing project name may use only lower-case letters, digits and '-', and starts with a letter or digit.",
        ));
    }
    Ok(name.to_owned())
}
