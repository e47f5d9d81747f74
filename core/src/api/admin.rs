//! Site administration (tiers) and finding people.

use serde::{Deserialize, Serialize};

use crate::tier::{AccessTier, TierSet};

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

/// A person found by the share dialog's search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserMatch {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
}
