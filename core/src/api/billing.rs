//! Billing projects and their members.

use serde::{Deserialize, Serialize};

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
    /// Everything its workspaces have cost so far.
    pub spend_cents: i64,
    pub my_role: Option<crate::billing::BillingRole>,
    pub members: Vec<BillingMemberView>,
    /// Its workspaces, by name (empty in the list of projects); at most
    /// [`BillingProjectView::WORKSPACES_SHOWN`] of `workspace_count`.
    pub workspaces: Vec<BillingWorkspaceView>,
    pub workspace_count: i64,
}

impl BillingProjectView {
    pub const WORKSPACES_SHOWN: i64 = 200;

    /// What is left to spend: credits minus spend (negative once overspent).
    pub fn balance_cents(&self) -> i64 {
        crate::billing::balance_cents(self.credits_cents, self.spend_cents)
    }
}

/// One workspace of a billing project, as its members see it on the project's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingWorkspaceView {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: crate::tier::AccessTier,
    pub creator_name: String,
    pub created_at: i64,
    pub locked: bool,
    pub spend_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingMemberView {
    pub email: String,
    pub display_name: String,
    pub role: crate::billing::BillingRole,
}
