//! Grants, the ACL, and the sharing rules: what an actor may set (the share dialog) and whether
//! a batch of changes is valid (the server). Both use the same per-change check, so the dialog
//! never offers what the server would refuse.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::access::{effective_access, Actor, EffectiveAccess, WorkspaceFacts};
use crate::authz::{authorize_with, Action, Decision, Reason};
use crate::principal::{BillingProjectId, Principal, UserId};
use crate::tier::{AccessTier, TierSet};

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

    fn has_flags(&self) -> bool {
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

fn is_direct_user_owner(grant: &Grant) -> bool {
    grant.role == Role::Owner && matches!(grant.principal, Principal::User(_))
}

pub fn direct_user_owner_count(grants: &[Grant]) -> usize {
    grants
        .iter()
        .filter(|grant| is_direct_user_owner(grant))
        .count()
}

/// An ACL indexed for planning: each principal's grant found in O(log n), and the direct user
/// owners counted once, so checking one change costs the same at 10 entries and at 1,000.
struct IndexedAcl<'a> {
    acl: &'a Acl,
    by_principal: BTreeMap<&'a Principal, &'a Grant>,
    direct_user_owners: usize,
}

impl<'a> IndexedAcl<'a> {
    fn new(acl: &'a Acl) -> Self {
        IndexedAcl {
            acl,
            by_principal: acl.grants.iter().map(|g| (&g.principal, g)).collect(),
            direct_user_owners: direct_user_owner_count(&acl.grants),
        }
    }

    fn grant_of(&self, principal: &Principal) -> Option<&'a Grant> {
        self.by_principal.get(principal).copied()
    }

    /// Direct user owners left once `principal`'s grant becomes `proposed`.
    fn owners_after(&self, principal: &Principal, proposed: Option<&Grant>) -> usize {
        let before = self.grant_of(principal).is_some_and(is_direct_user_owner);
        let after = proposed.is_some_and(is_direct_user_owner);
        self.direct_user_owners + usize::from(after) - usize::from(before)
    }

    /// Entries once `principal`'s grant becomes `proposed`.
    fn len_after(&self, principal: &Principal, proposed: Option<&Grant>) -> usize {
        let before = self.grant_of(principal).is_some();
        let after = proposed.is_some();
        self.acl.grants.len() + usize::from(after) - usize::from(before)
    }
}

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
    fn facts<'g>(&self, grants: &'g [Grant]) -> WorkspaceFacts<'g> {
        WorkspaceFacts {
            tier: self.tier,
            locked: self.locked,
            billing_project: self.billing_project,
            grants,
        }
    }

    fn is_project_owner(&self, principal: &Principal) -> bool {
        principal
            .as_user()
            .is_some_and(|user| self.project_owners.binary_search(&user).is_ok())
    }

    fn tiers_of(&self, user: UserId) -> TierSet {
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
fn check_rules(
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

/// Whether a new grant gets can-compute when the request leaves it unset: a writer added by an
/// owner does; nobody else.
pub fn default_can_compute(role: Role, actor_is_owner: bool) -> bool {
    role == Role::Writer && actor_is_owner
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

/// The tier an ACL row waits for: a person (or invitation) who lacks the workspace's tier.
/// Groups never wait — each of their members does, on their own.
pub fn waiting_for_tier(ctx: &ShareContext<'_>, principal: &Principal) -> Option<AccessTier> {
    match tier_warning(ctx, principal)? {
        ShareWarning::LacksTier { tier, .. } => Some(tier),
        ShareWarning::GroupMembersNeedTier { .. } => None,
    }
}

/// Whether sharing with `principal` needs a warning that access waits for the tier.
pub fn tier_warning(ctx: &ShareContext<'_>, principal: &Principal) -> Option<ShareWarning> {
    let held = principal.as_user().map(|user| ctx.tiers_of(user));
    warning_for(ctx.tier, principal, held)
}

/// The warning for granting `principal` access to a workspace of `tier`, from the tiers the
/// person is known to hold (`None` when unknown, as for an invitation). The share dialog asks
/// this for people it found by search, before they are in any ACL.
pub fn warning_for(
    tier: AccessTier,
    principal: &Principal,
    held: Option<TierSet>,
) -> Option<ShareWarning> {
    let lacks_tier = held.is_none_or(|tiers| !tiers.contains(tier));
    let warning = match principal {
        Principal::User(_) | Principal::Invitation(_) if lacks_tier => ShareWarning::LacksTier {
            principal: principal.clone(),
            tier,
        },
        Principal::Group(_) if tier == AccessTier::Controlled => {
            ShareWarning::GroupMembersNeedTier {
                principal: principal.clone(),
                tier,
            }
        }
        _ => return None,
    };
    Some(warning)
}
