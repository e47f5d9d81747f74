//! Wire types of the HTTP API, shared by the server and the web app.

use serde::{Deserialize, Serialize};

use crate::share::Role;
use crate::tier::{AccessTier, TierSet};
use crate::validate::FieldError;

/// The body of every error response: `{ "error": { "code": "...", "message": "..." } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Per-field problems of a refused form, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// A refused ACL batch: every entry refused, with its rule (nothing was applied).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<AclRefusalView>,
    /// A stale ACL batch: the ACL as it is now, to review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<AclView>>,
}

impl ErrorDetail {
    pub fn new(code: &str, message: &str) -> Self {
        ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
            fields: Vec::new(),
            refusals: Vec::new(),
            current: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    #[cfg_attr(feature = "openapi", schema(format = "email", max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub password: String,
    /// The one-time setup token the server printed at its first start: the account signing up
    /// with it becomes the site admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_token: Option<String>,
}

/// Change your own password: the current one proves it is you. Your other sessions end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub new_password: String,
}

/// Set a new password with a one-time reset link's token. Every session of the account ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub new_password: String,
}

/// A one-time password reset link a site admin made, to hand to its user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetLink {
    pub email: String,
    /// The path to open, with the token: `/reset-password?token=…`.
    pub path: String,
    pub token: String,
    /// Unix milliseconds after which the link no longer works.
    pub expires_at: i64,
}

/// How many sessions "sign out everywhere" ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub ended: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub password: String,
}

/// The signed-in user. `csrf_token` must accompany every mutation as the `X-CSRF-Token` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
    pub is_site_admin: bool,
    pub csrf_token: String,
    /// The site's domain: group addresses are `NAME@groups.<site_domain>`.
    #[serde(default)]
    pub site_domain: String,
}

/// One card of "Your workspaces".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSummary {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
    pub locked: bool,
    pub creator: String,
    pub modified_at: i64,
    /// Why the contents are closed to the caller (for example the missing tier), if they are.
    pub inaccessible_reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceList {
    pub workspaces: Vec<WorkspaceSummary>,
}

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const SESSION_COOKIE: &str = "carrel_session";

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWorkspaceRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub billing_project: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    pub tier: AccessTier,
    #[serde(default)]
    pub dataset_version: Option<String>,
    #[serde(default)]
    pub replication_statement: Option<String>,
    pub research_purpose: crate::workspace::ResearchPurpose,
    #[serde(default)]
    pub description: String,
}

/// Duplicate a workspace into a billing project where the caller may create workspaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloneWorkspaceRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub billing_project: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    /// Share the copy with the same collaborators (the duplicator becomes its owner either way).
    #[serde(default)]
    pub copy_collaborators: bool,
    /// An edited research purpose; the source's when absent.
    #[serde(default)]
    pub research_purpose: Option<crate::workspace::ResearchPurpose>,
}

/// A workspace as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceDetail {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub tier: AccessTier,
    pub dataset_version: String,
    pub locked: bool,
    pub creator: String,
    pub created_at: i64,
    pub modified_at: i64,
    pub about_version: u64,
    pub research_purpose: crate::workspace::ResearchPurpose,
    pub access: crate::EffectiveAccess,
    /// For each action, whether the caller may do it and, if not, `core`'s reason.
    pub actions: Vec<ActionPermission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionPermission {
    pub action: crate::Action,
    pub allowed: bool,
    pub reason: Option<String>,
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
    pub role: crate::Role,
    pub can_share: bool,
    pub can_compute: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub at: i64,
    pub actor: String,
    pub action: String,
    /// What changed: an object for most actions, a list of before/after grants for sharing.
    pub detail: serde_json::Value,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub events: Vec<AuditEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierRequest {
    pub tier: AccessTier,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserTiers {
    pub email: String,
    pub tiers: TierSet,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateBillingProjectRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9-]{2,59}$"))]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingMemberRequest {
    pub role: crate::billing::BillingRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingProjectView {
    pub name: String,
    pub credits_cents: i64,
    pub my_role: Option<crate::billing::BillingRole>,
    pub members: Vec<BillingMemberView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingMemberView {
    pub email: String,
    pub display_name: String,
    pub role: crate::billing::BillingRole,
}

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

/// One workspace in the public research directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryEntry {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    /// Published fields only: never the review request.
    pub research_purpose: crate::workspace::ResearchPurpose,
    pub creator: String,
    pub created_at: i64,
    /// False once the workspace is deleted.
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directory {
    pub entries: Vec<DirectoryEntry>,
}

/// A person found by the share dialog's search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserMatch {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
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

/// The codes of errors that are not one of `core`'s refusals (a refusal's code names its rule:
/// see [`crate::Refusal::code`]). One list, so the server writes no code by hand and the web app
/// can tell errors apart without comparing strings it made up.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Validation,
    MalformedJson,
    InvalidBody,
    MalformedRequest,
    RequestRefused,
    JsonRequired,
    PayloadTooLarge,
    MethodNotAllowed,
    NotFound,
    Unauthenticated,
    InvalidCredentials,
    Csrf,
    CrossSite,
    EmailTaken,
    NameTaken,
    Stale,
    InvalidEmail,
    UnknownGroup,
    UnknownPrincipal,
    AclChangeRefused,
    RateLimited,
    Busy,
    Internal,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::RequestRefused => "request_refused",
            ErrorCode::JsonRequired => "json_required",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Csrf => "csrf",
            ErrorCode::CrossSite => "cross_site",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::Stale => "stale",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::UnknownGroup => "unknown_group",
            ErrorCode::UnknownPrincipal => "unknown_principal",
            ErrorCode::AclChangeRefused => "acl_change_refused",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Busy => "busy",
            ErrorCode::Internal => "internal",
        }
    }
}
