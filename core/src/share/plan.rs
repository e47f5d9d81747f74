//! What an actor may set, for the share dialog: one plan per ACL, every entry checked by the
//! same per-change rules the server's validation uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::default_can_compute;
use super::grant::{
    direct_user_owner_count, is_direct_user_owner, Acl, Grant, Role, MAX_ACL_ENTRIES,
};
use super::validate::ShareRefusal;
use crate::access::{effective_access, Actor, EffectiveAccess, WorkspaceFacts};
use crate::authz::{authorize_with, Action, Decision};
use crate::principal::{BillingProjectId, Principal, UserId};
use crate::tier::{AccessTier, TierSet};

/// An ACL indexed for planning: each principal's grant found in O(log n), and the direct user
/// owners counted once, so checking one change costs the same at 10 entries and at 1,000.
pub(super) struct IndexedAcl<'a> {
    acl: &'a Acl,
    by_principal: BTreeMap<&'a Principal, &'a Grant>,
    direct_user_owners: usize,
}

impl<'a> IndexedAcl<'a> {
    pub(super) fn new(acl: &'a Acl) -> Self {
        IndexedAcl {
            acl,
            by_principal: acl.grants.iter().map(|g| (&g.principal, g)).collect(),
            direct_user_owners: direct_user_owner_count(&acl.grants),
        }
    }

    pub(super) fn grant_of(&self, principal: &Principal) -> Option<&'a Grant> {
        self.by_principal.get(principal).copied()
    }

    /// Direct user owners left once `principal`'s grant becomes `proposed`.
    pub(super) fn owners_after(&self, principal: &Principal, proposed: Option<&Grant>) -> usize {
        let before = self.grant_of(principal).is_some_and(is_direct_user_owner);
        let after = proposed.is_some_and(is_direct_user_owner);
        self.direct_user_owners + usize::from(after) - usize::from(before)
    }

    /// Entries once `principal`'s grant becomes `proposed`.
    pub(super) fn len_after(&self, principal: &Principal, proposed: Option<&Grant>) -> usize {
        let before = self.grant_of(principal).is_some();
        let after = proposed.is_some();
        self.acl.grants.len() + usize::from(after) - usize::from(before)
    }
}

/// Everything about a workspace and its people that sharing decisions read.
#[derive(Clone, Copy, Debug)]
pub struct ShareContext<'a> {
    pub actor: Actor<'a>,
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: BillingProjectId,
    /// Owners of the workspace's billing project; sorted.
    pub project_owners: &'a [UserId],
    /// Tiers of the users the ACL and the change mention; a user not listed holds none.
    pub user_tiers: &'a BTreeMap<UserId, TierSet>,
}

impl ShareContext<'_> {
    pub(super) fn facts<'g>(&self, grants: &'g [Grant]) -> WorkspaceFacts<'g> {
        WorkspaceFacts {
            tier: self.tier,
            locked: self.locked,
            billing_project: self.billing_project,
            grants,
        }
    }

    pub(super) fn is_project_owner(&self, principal: &Principal) -> bool {
        principal
            .as_user()
            .is_some_and(|user| self.project_owners.binary_search(&user).is_ok())
    }

    pub(super) fn tiers_of(&self, user: UserId) -> TierSet {
        self.user_tiers.get(&user).copied().unwrap_or_default()
    }
}

/// What the actor may set on one grant: the roles offered, and whether the flags are editable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantOptions {
    pub roles: Vec<Role>,
    pub may_set_share: bool,
    /// Only writers can carry can-compute: the dialog enables it when the role is writer.
    pub may_set_compute: bool,
    /// Whether a writer added by this actor gets can-compute unless it is cleared.
    #[serde(default)]
    pub writer_computes_by_default: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryOptions {
    pub principal: Principal,
    /// `{"Ok": GrantOptions}` or `{"Err": refusal}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub change: Result<GrantOptions, ShareRefusal>,
    /// `{"Ok": null}` or `{"Err": refusal}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub remove: Result<(), ShareRefusal>,
}

/// What the share dialog shows: options for a new collaborator and for each existing entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharePlan {
    /// `{"Ok": GrantOptions}` or `{"Err": refusal}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub new_grant: Result<GrantOptions, ShareRefusal>,
    pub entries: Vec<EntryOptions>,
}

pub fn plan(ctx: &ShareContext<'_>, acl: &Acl) -> SharePlan {
    let access = effective_access(&ctx.actor, &ctx.facts(&acl.grants));
    let indexed = IndexedAcl::new(acl);
    // A principal that is nobody yet: only the actor's own limits apply.
    let newcomer = Principal::User(UserId(u64::MAX));
    let new_grant = options_for(ctx, &access, &indexed, &newcomer);
    let entries = acl
        .grants
        .iter()
        .map(|grant| EntryOptions {
            principal: grant.principal.clone(),
            change: options_for(ctx, &access, &indexed, &grant.principal),
            remove: check_one(ctx, &access, &indexed, &grant.principal, None),
        })
        .collect();
    SharePlan { new_grant, entries }
}

fn options_for(
    ctx: &ShareContext<'_>,
    access: &EffectiveAccess,
    acl: &IndexedAcl<'_>,
    principal: &Principal,
) -> Result<GrantOptions, ShareRefusal> {
    let attempt = |role: Role, can_share: bool, can_compute: bool| {
        let proposed = Grant {
            principal: principal.clone(),
            role,
            can_share,
            can_compute,
        };
        check_one(ctx, access, acl, principal, Some(&proposed))
    };
    let mut first_refusal = None;
    let mut roles = Vec::new();
    for role in Role::ALL {
        match attempt(role, false, false) {
            Ok(()) => roles.push(role),
            Err(refusal) => {
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    if roles.is_empty() {
        return Err(first_refusal.unwrap_or(ShareRefusal::NoSuchGrant));
    }
    Ok(GrantOptions {
        may_set_share: roles.iter().any(|role| attempt(*role, true, false).is_ok()),
        may_set_compute: attempt(Role::Writer, false, true).is_ok(),
        writer_computes_by_default: default_can_compute(Role::Writer, access.is_owner()),
        roles,
    })
}

/// Check one change (`proposed: None` removes) on its own against the current ACL.
fn check_one(
    ctx: &ShareContext<'_>,
    access: &EffectiveAccess,
    acl: &IndexedAcl<'_>,
    principal: &Principal,
    proposed: Option<&Grant>,
) -> Result<(), ShareRefusal> {
    let existing = acl.grant_of(principal);
    check_rules(ctx, access, principal, existing, proposed)?;
    if acl.owners_after(principal, proposed) == 0 {
        return Err(ShareRefusal::LastDirectOwner);
    }
    if acl.len_after(principal, proposed) > MAX_ACL_ENTRIES.max(acl.acl.grants.len()) {
        return Err(ShareRefusal::AclFull);
    }
    Ok(())
}

/// The per-change rules of SPEC §4 "who may grant what".
pub(super) fn check_rules(
    ctx: &ShareContext<'_>,
    access: &EffectiveAccess,
    principal: &Principal,
    existing: Option<&Grant>,
    proposed: Option<&Grant>,
) -> Result<(), ShareRefusal> {
    if let Decision::Deny(reason) =
        authorize_with(&ctx.actor, &ctx.facts(&[]), access, Action::Share)
    {
        return Err(ShareRefusal::CannotShare { reason });
    }
    if principal.as_user() == Some(ctx.actor.user) {
        return Err(ShareRefusal::SelfChange);
    }
    let lowers_owner = proposed.is_none_or(|grant| grant.role < Role::Owner);
    if ctx.is_project_owner(principal) && lowers_owner {
        return Err(ShareRefusal::ProjectOwner);
    }
    if let Some(grant) = proposed {
        if grant.role == Role::Reader && grant.can_compute {
            return Err(ShareRefusal::ReaderWithCompute);
        }
    }
    if existing.is_none() && proposed.is_none() {
        return Err(ShareRefusal::NoSuchGrant);
    }
    if access.is_owner() {
        return Ok(());
    }
    let own = access.role.unwrap_or(Role::Reader);
    if let Some(grant) = existing {
        if grant.role > own || grant.has_flags() {
            return Err(ShareRefusal::CannotTouch { role: grant.role });
        }
    }
    if let Some(grant) = proposed {
        if grant.role > own {
            return Err(ShareRefusal::ExceedsOwnRole {
                own,
                requested: grant.role,
            });
        }
        if grant.has_flags() {
            return Err(ShareRefusal::FlagsNeedOwner);
        }
    }
    Ok(())
}
