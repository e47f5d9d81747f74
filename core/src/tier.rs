//! Data-access tiers. Site admins grant them; workspaces require one.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessTier {
    Registered,
    Controlled,
}

impl AccessTier {
    pub const ALL: [AccessTier; 2] = [AccessTier::Registered, AccessTier::Controlled];

    pub fn label(self) -> &'static str {
        match self {
            AccessTier::Registered => "Registered Tier",
            AccessTier::Controlled => "Controlled Tier",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccessTier::Registered => "registered",
            AccessTier::Controlled => "controlled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|tier| tier.as_str() == raw)
    }

    fn bit(self) -> u8 {
        match self {
            AccessTier::Registered => 1,
            AccessTier::Controlled => 2,
        }
    }
}

impl fmt::Display for AccessTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The tiers one user holds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = Vec<AccessTier>))]
#[serde(from = "Vec<AccessTier>", into = "Vec<AccessTier>")]
pub struct TierSet(u8);

impl TierSet {
    pub const NONE: TierSet = TierSet(0);

    pub fn of(tiers: &[AccessTier]) -> Self {
        tiers.iter().fold(Self::NONE, |set, tier| set.with(*tier))
    }

    pub fn contains(self, tier: AccessTier) -> bool {
        self.0 & tier.bit() != 0
    }

    #[must_use]
    pub fn with(self, tier: AccessTier) -> Self {
        TierSet(self.0 | tier.bit())
    }

    #[must_use]
    pub fn without(self, tier: AccessTier) -> Self {
        TierSet(self.0 & !tier.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = AccessTier> {
        AccessTier::ALL
            .into_iter()
            .filter(move |tier| self.contains(*tier))
    }
}

impl From<Vec<AccessTier>> for TierSet {
    fn from(tiers: Vec<AccessTier>) -> Self {
        Self::of(&tiers)
    }
}

impl From<TierSet> for Vec<AccessTier> {
    fn from(set: TierSet) -> Self {
        set.iter().collect()
    }
}
