//! Site administration (tiers) and finding people.

use serde::{Deserialize, Serialize};

use crate::tier::{AccessTier, TierSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierGrant {
    pub tier: AccessTier,
    /// Why, for the history.
    #[serde(default)]
    pub reason: String,
    /// A renewal date for a time-limited grant.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// Why a tier is revoked, for the history (a query parameter of the revocation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TierRevocation {
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserTiers {
    pub email: String,
    pub tiers: TierSet,
}

/// A person found by the share dialog's search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserMatch {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
}
