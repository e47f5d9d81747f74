//! A batch of ACL changes: its types, and validation against the ACL at a version — the new
//! ACL, or every refusal; nothing half-applied.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::default_can_compute;
use super::grant::{direct_user_owner_count, Acl, Grant, Role, MAX_ACL_ENTRIES};
use super::plan::{check_rules, IndexedAcl, ShareContext};
use super::warnings::tier_warning;
use crate::access::effective_access;
use crate::authz::Reason;
use crate::principal::Principal;
use crate::tier::AccessTier;

/// One requested change. `None` flags mean "the default": kept on an existing grant of the same
/// role; otherwise can-compute on for a writer added by an owner, and off everywhere else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum AclChange {
    Set {
        principal: Principal,
        role: Role,
        #[serde(default)]
        can_share: Option<bool>,
        #[serde(default)]
        can_compute: Option<bool>,
    },
    Remove {
        principal: Principal,
    },
}

impl AclChange {
    pub fn principal(&self) -> &Principal {
        match self {
            AclChange::Set { principal, .. } | AclChange::Remove { principal } => principal,
        }
    }
}

/// Why one change was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ShareRefusal {
    #[error("{reason}")]
    CannotShare { reason: Reason },
    #[error("You cannot change your own access; use Leave to remove yourself.")]
    SelfChange,
    #[error(
        "This would leave the workspace without a direct owner; keep at least one user as owner."
    )]
    LastDirectOwner,
    #[error("This person owns the workspace's billing project and so owns the workspace; a workspace share cannot change that.")]
    ProjectOwner,
    #[error("Readers cannot have can-compute; make them a writer to let them run analyses.")]
    ReaderWithCompute,
    #[error(
        "This collaborator appears more than once in the change; give each one a single entry."
    )]
    DuplicatePrincipal,
    #[error("You are {} and can grant at most that role.", own.with_article())]
    ExceedsOwnRole { own: Role, requested: Role },
    #[error("Only owners can grant can-share or can-compute.")]
    FlagsNeedOwner,
    #[error("Only owners can change this grant: it is {} with permissions you could not have granted.", role.with_article())]
    CannotTouch { role: Role },
    #[error("There is no grant for this collaborator to remove.")]
    NoSuchGrant,
    #[error("A workspace can have at most {max} collaborators; share with a group to reach a larger audience.", max = MAX_ACL_ENTRIES)]
    AclFull,
}

impl ShareRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            ShareRefusal::CannotShare { reason } => reason.code(),
            ShareRefusal::SelfChange => "self_change",
            ShareRefusal::LastDirectOwner => "last_direct_owner",
            ShareRefusal::ProjectOwner => "project_owner",
            ShareRefusal::ReaderWithCompute => "reader_with_compute",
            ShareRefusal::DuplicatePrincipal => "duplicate_principal",
            ShareRefusal::ExceedsOwnRole { .. } => "exceeds_own_role",
            ShareRefusal::FlagsNeedOwner => "flags_need_owner",
            ShareRefusal::CannotTouch { .. } => "cannot_touch",
            ShareRefusal::NoSuchGrant => "no_such_grant",
            ShareRefusal::AclFull => "acl_full",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub principal: Principal,
    pub refusal: ShareRefusal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShareWarning {
    /// The person gets access only once they hold the tier.
    LacksTier {
        principal: Principal,
        tier: AccessTier,
    },
    /// Members of the group who lack the tier get access only once they hold it.
    GroupMembersNeedTier {
        principal: Principal,
        tier: AccessTier,
    },
}

impl ShareWarning {
    pub fn message(&self) -> String {
        match self {
            ShareWarning::LacksTier { tier, .. } => {
                format!("They will get access only once they hold the {tier}.")
            }
            ShareWarning::GroupMembersNeedTier { tier, .. } => {
                format!("Members of this group get access only once they hold the {tier}.")
            }
        }
    }
}

/// Before and after of one grant, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantDiff {
    pub principal: Principal,
    pub before: Option<Grant>,
    pub after: Option<Grant>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatedChange {
    pub acl: Acl,
    pub warnings: Vec<ShareWarning>,
    pub diffs: Vec<GrantDiff>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    #[error("Someone else changed the sharing settings first (now version {current}); review them and try again.")]
    Stale { current: u64 },
    #[error("The change was refused; nothing was applied.")]
    Refused(Vec<Refusal>),
}

/// The grants after a batch of diffs (one per principal): an existing entry is updated in place,
/// so the ACL keeps its order, and new entries follow in the batch's order. One pass.
fn apply_all(grants: &[Grant], diffs: &[GrantDiff]) -> Vec<Grant> {
    let changed: BTreeMap<&Principal, Option<&Grant>> = diffs
        .iter()
        .map(|diff| (&diff.principal, diff.after.as_ref()))
        .collect();
    let mut next: Vec<Grant> = grants
        .iter()
        .filter_map(|grant| match changed.get(&grant.principal) {
            Some(after) => after.cloned(),
            None => Some(grant.clone()),
        })
        .collect();
    next.extend(
        diffs
            .iter()
            .filter(|diff| diff.before.is_none())
            .filter_map(|diff| diff.after.clone()),
    );
    next
}

/// Turn a requested change into the grant it would produce, filling in default flags.
fn resolve(change: &AclChange, existing: Option<&Grant>, actor_is_owner: bool) -> Option<Grant> {
    let AclChange::Set {
        principal,
        role,
        can_share,
        can_compute,
    } = change
    else {
        return None;
    };
    let same_role = existing.filter(|grant| grant.role == *role);
    let default_compute = match same_role {
        Some(grant) => grant.can_compute,
        None => default_can_compute(*role, actor_is_owner),
    };
    let grant = Grant {
        principal: principal.clone(),
        role: *role,
        can_share: can_share.unwrap_or(same_role.is_some_and(|grant| grant.can_share)),
        can_compute: can_compute.unwrap_or(default_compute && *role != Role::Reader),
    };
    Some(grant.normalized())
}

/// Validate a batch against the ACL at `expected_version`: the new ACL, or every refusal.
pub fn validate(
    ctx: &ShareContext<'_>,
    acl: &Acl,
    expected_version: u64,
    changes: &[AclChange],
) -> Result<ValidatedChange, ValidateError> {
    if acl.version != expected_version {
        return Err(ValidateError::Stale {
            current: acl.version,
        });
    }
    let access = effective_access(&ctx.actor, &ctx.facts(&acl.grants));
    let indexed = IndexedAcl::new(acl);
    let mut refusals = Vec::new();
    let mut seen = BTreeSet::new();
    let mut diffs = Vec::new();
    for change in changes {
        let principal = change.principal();
        if !seen.insert(principal.clone()) {
            refusals.push(Refusal {
                principal: principal.clone(),
                refusal: ShareRefusal::DuplicatePrincipal,
            });
            continue;
        }
        let before = indexed.grant_of(principal).cloned();
        let after = resolve(change, before.as_ref(), access.is_owner());
        match check_rules(ctx, &access, principal, before.as_ref(), after.as_ref()) {
            Ok(()) => diffs.push(GrantDiff {
                principal: principal.clone(),
                before,
                after,
            }),
            Err(refusal) => refusals.push(Refusal {
                principal: principal.clone(),
                refusal,
            }),
        }
    }
    diffs.retain(|diff| diff.before != diff.after);
    let grants = apply_all(&acl.grants, &diffs);
    if refusals.is_empty() && direct_user_owner_count(&grants) == 0 {
        refusals = last_owner_refusals(&diffs);
    }
    if refusals.is_empty() && grants.len() > MAX_ACL_ENTRIES.max(acl.grants.len()) {
        refusals = diffs
            .iter()
            .filter(|diff| diff.before.is_none() && diff.after.is_some())
            .map(|diff| Refusal {
                principal: diff.principal.clone(),
                refusal: ShareRefusal::AclFull,
            })
            .collect();
    }
    if !refusals.is_empty() {
        return Err(ValidateError::Refused(refusals));
    }
    let warnings = diffs
        .iter()
        .filter_map(|diff| diff.after.as_ref())
        .filter_map(|grant| tier_warning(ctx, &grant.principal))
        .collect();
    let version = if diffs.is_empty() {
        acl.version
    } else {
        acl.version + 1
    };
    Ok(ValidatedChange {
        acl: Acl { version, grants },
        warnings,
        diffs,
    })
}

/// A batch that leaves no direct user owner is refused: blame the entries that removed or
/// demoted an owner, or every entry if the ACL had none to begin with.
fn last_owner_refusals(diffs: &[GrantDiff]) -> Vec<Refusal> {
    let demoted_owner =
        |diff: &&GrantDiff| diff.before.as_ref().is_some_and(|g| g.role == Role::Owner);
    let culprits: Vec<&GrantDiff> = diffs.iter().filter(demoted_owner).collect();
    let culprits = if culprits.is_empty() {
        diffs.iter().collect()
    } else {
        culprits
    };
    culprits
        .into_iter()
        .map(|diff| Refusal {
            principal: diff.principal.clone(),
            refusal: ShareRefusal::LastDirectOwner,
        })
        .collect()
}
