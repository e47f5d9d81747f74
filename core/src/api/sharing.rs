//! Sharing: principals, the ACL and its changes, "why do I have access", the audit log.

use serde::{Deserialize, Serialize};

use crate::tier::{AccessTier, TierSet};

/// A person or group as the API names them: users by email, groups by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrincipalRef {
    /// A registered user, or an invitation if nobody has signed up with this email yet.
    User {
        email: String,
    },
    Group {
        name: String,
    },
}

/// A principal as shown to people, with the id `core` decides with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrincipalView {
    pub principal: crate::Principal,
    pub reference: PrincipalRef,
    /// Display name for users, the group name for groups, the email for invitations.
    pub label: String,
}

/// The ACL with everything the share dialog needs to run `core::share::plan` in the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclView {
    pub version: u64,
    pub entries: Vec<AclEntryView>,
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: crate::BillingProjectId,
    pub project_owners: Vec<PrincipalView>,
    /// The caller, as `core` sees them.
    pub me: ActorView,
    /// What the caller may grant, as computed by the server with `core` (the browser recomputes).
    pub plan: crate::share::SharePlan,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclEntryView {
    pub who: PrincipalView,
    pub role: crate::Role,
    pub can_share: bool,
    pub can_compute: bool,
    /// The person (or invitee) lacks the workspace's tier: "waiting for Controlled Tier".
    pub waiting_for_tier: Option<AccessTier>,
    /// The user's tiers, for the dialog's tier warnings (empty for groups and invitations).
    pub tiers: TierSet,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorView {
    pub user: crate::UserId,
    pub tiers: TierSet,
    pub groups: Vec<crate::GroupId>,
    pub owned_billing_projects: Vec<crate::BillingProjectId>,
}

/// One change of an ACL batch, naming principals the way people do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum AclChangeRequest {
    Set {
        principal: PrincipalRef,
        role: crate::Role,
        #[serde(default)]
        can_share: Option<bool>,
        #[serde(default)]
        can_compute: Option<bool>,
    },
    Remove {
        principal: PrincipalRef,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclPatchRequest {
    pub version: u64,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub changes: Vec<AclChangeRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclPatchResponse {
    pub acl: AclView,
    pub warnings: Vec<String>,
}

/// One refused entry of an ACL batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclRefusalView {
    pub principal: PrincipalRef,
    pub code: String,
    pub message: String,
}

/// "Why do I have this access": the caller's effective access and each grant behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionsView {
    pub access: crate::EffectiveAccess,
    pub sources: Vec<AccessSourceView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessSourceView {
    /// For example "Direct grant", "Group lab-students", "Owner of billing project lab".
    pub via: String,
    /// The caller's own grant (the one leaving removes), rather than a group or billing project.
    #[serde(default)]
    pub direct: bool,
    pub role: crate::Role,
    pub can_share: bool,
    pub can_compute: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub at: i64,
    /// The email of who did it (empty once their account is gone).
    pub actor: String,
    /// Their display name.
    #[serde(default)]
    pub actor_name: String,
    pub action: String,
    /// What changed: an object for most actions, a list of before/after grants for sharing.
    pub detail: serde_json::Value,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub events: Vec<AuditEvent>,
}

impl AclView {
    /// The ACL as `core` sees it.
    pub fn acl(&self) -> crate::Acl {
        crate::Acl {
            version: self.version,
            grants: self
                .entries
                .iter()
                .map(|entry| crate::Grant {
                    principal: entry.who.principal.clone(),
                    role: entry.role,
                    can_share: entry.can_share,
                    can_compute: entry.can_compute,
                })
                .collect(),
        }
    }

    /// What the caller may set, computed locally with `core::share::plan`: the share dialog's
    /// options, with no round trip.
    pub fn plan(&self) -> crate::share::SharePlan {
        let mut project_owners: Vec<crate::UserId> = self
            .project_owners
            .iter()
            .filter_map(|owner| owner.principal.as_user())
            .collect();
        project_owners.sort();
        let user_tiers: std::collections::BTreeMap<crate::UserId, TierSet> = self
            .entries
            .iter()
            .filter_map(|entry| entry.who.principal.as_user().map(|id| (id, entry.tiers)))
            .collect();
        let ctx = crate::share::ShareContext {
            actor: crate::Actor {
                user: self.me.user,
                tiers: self.me.tiers,
                groups: &self.me.groups,
                owned_billing_projects: &self.me.owned_billing_projects,
            },
            tier: self.tier,
            locked: self.locked,
            billing_project: self.billing_project,
            project_owners: &project_owners,
            user_tiers: &user_tiers,
        };
        crate::share::plan(&ctx, &self.acl())
    }
}
