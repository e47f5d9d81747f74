//! Getting a tier: the checklist, requests and decisions, the history.

use serde::{Deserialize, Serialize};

use crate::tier::{AccessTier, TierSet};
use crate::tier_requests::{
    check_request, Holding, RequestFacts, RequestStatus, RequirementKind, TierEvent, TierRefusal,
};

/// One item of a tier's checklist, as the site admin configured it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierRequirement {
    pub id: i64,
    pub tier: AccessTier,
    pub kind: RequirementKind,
    pub title: String,
    pub details: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTierRequirement {
    pub tier: AccessTier,
    pub kind: RequirementKind,
    pub title: String,
    #[serde(default)]
    pub details: String,
}

/// A checklist item and when this person completed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequirementProgress {
    pub requirement: TierRequirement,
    pub completed_at: Option<i64>,
}

/// A request for a tier and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierRequestView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub status: RequestStatus,
    /// What the person wrote with the request.
    pub note: String,
    pub requested_at: i64,
    pub decided_at: Option<i64>,
    /// The site admin who decided, by email.
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// The person's checklist for the tier, for the admin who decides.
    pub requirements: Vec<RequirementProgress>,
}

/// One tier as the signed-in user stands with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTier {
    pub tier: AccessTier,
    pub held: bool,
    pub granted_at: Option<i64>,
    /// The renewal date of a time-limited grant.
    pub expires_at: Option<i64>,
    pub requirements: Vec<RequirementProgress>,
    pub latest_request: Option<TierRequestView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTiers {
    pub tiers: Vec<MyTier>,
    /// The server's clock, for the renewal window.
    pub now: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTierRequest {
    #[serde(default)]
    pub note: String,
}

/// A site admin's answer to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierDecision {
    pub grant: bool,
    #[serde(default)]
    pub reason: String,
    /// A renewal date for a time-limited grant.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// One grant, revocation, denial or ending, for the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierHistoryEntry {
    pub email: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub event: TierEvent,
    /// The site admin, by email (none when a grant reached its renewal date).
    pub by: Option<String>,
    pub reason: String,
    pub expires_at: Option<i64>,
    pub at: i64,
}

impl MyTiers {
    pub fn tier(&self, tier: AccessTier) -> Option<&MyTier> {
        self.tiers.iter().find(|t| t.tier == tier)
    }

    /// Titles of the requirements of `tier` not yet completed.
    pub fn missing(&self, tier: AccessTier) -> Vec<String> {
        self.tier(tier)
            .into_iter()
            .flat_map(|t| &t.requirements)
            .filter(|item| item.completed_at.is_none())
            .map(|item| item.requirement.title.clone())
            .collect()
    }

    /// The tiers held.
    pub fn held(&self) -> TierSet {
        self.tiers
            .iter()
            .filter(|t| t.held)
            .fold(TierSet::NONE, |set, t| set.with(t.tier))
    }

    /// Whether this person may ask for `tier` now, by core's rule.
    pub fn check_request(&self, tier: AccessTier) -> Result<(), TierRefusal> {
        let held = self.held();
        let mine = self.tier(tier);
        let missing = self.missing(tier);
        check_request(&RequestFacts {
            tier,
            held,
            holding: mine.filter(|t| t.held).map(|t| Holding {
                expires_at: t.expires_at,
            }),
            pending: mine
                .and_then(|t| t.latest_request.as_ref())
                .is_some_and(|r| r.status == RequestStatus::Pending),
            missing: &missing,
            now: self.now,
        })
    }
}
