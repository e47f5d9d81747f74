//! Grants, the ACL, and the sharing rules: what an actor may set (the share dialog) and whether
//! a batch of changes is valid (the server). Both use the same per-change check, so the dialog
//! never offers what the server would refuse.
//!
//! - `grant`: roles, grants, the ACL
//! - `plan`: what the actor may set on each entry (the share dialog)
//! - `validate`: a batch of changes, validated against the ACL at its version
//! - `warnings`: the tier a person waits for

mod grant;
mod plan;
mod validate;
mod warnings;

pub use grant::{direct_user_owner_count, Acl, Grant, Role, MAX_ACL_ENTRIES};
pub use plan::{plan, EntryOptions, GrantOptions, ShareContext, SharePlan};
pub use validate::{
    validate, AclChange, GrantDiff, Refusal, ShareRefusal, ShareWarning, ValidateError,
    ValidatedChange,
};
pub use warnings::{tier_warning, waiting_for_tier, warning_for};

/// Whether a new grant gets can-compute when the request leaves it unset: a writer added by an
/// owner does; nobody else.
pub fn default_can_compute(role: Role, actor_is_owner: bool) -> bool {
    role == Role::Writer && actor_is_owner
}
