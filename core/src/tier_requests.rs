//! Getting a tier: the requirements a site admin configures, a user's request, the admin's
//! decision, and the history of every grant and revocation.

use serde::{Deserialize, Serialize};

use crate::tier::{AccessTier, TierSet};
use crate::validate::{check_text, parse_label, FieldError};

/// A request may be made again this long before a time-limited grant ends (to renew it).
pub const RENEWAL_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// The longest reason or note a person may write.
pub const REASON_MAX_CHARS: usize = 500;
/// A denial or revocation explains itself in at least this many characters.
pub const DENIAL_REASON_MIN_CHARS: usize = 10;

/// What kind of requirement a checklist item is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    Training,
    DataUseAgreement,
    Identity,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 3] = [
        RequirementKind::Training,
        RequirementKind::DataUseAgreement,
        RequirementKind::Identity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequirementKind::Training => "training",
            RequirementKind::DataUseAgreement => "data_use_agreement",
            RequirementKind::Identity => "identity",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequirementKind::Training => "Training",
            RequirementKind::DataUseAgreement => "Data use agreement",
            RequirementKind::Identity => "Identity",
        }
    }
}

/// Where a request for a tier stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Granted,
    Denied,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [
        RequestStatus::Pending,
        RequestStatus::Granted,
        RequestStatus::Denied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Granted => "granted",
            RequestStatus::Denied => "denied",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Pending => "Waiting for a site admin",
            RequestStatus::Granted => "Granted",
            RequestStatus::Denied => "Denied",
        }
    }
}

/// One line of a user's tier history.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierEvent {
    Granted,
    Revoked,
    Denied,
    /// A time-limited grant reached its renewal date.
    Expired,
}

impl TierEvent {
    pub const ALL: [TierEvent; 4] = [
        TierEvent::Granted,
        TierEvent::Revoked,
        TierEvent::Denied,
        TierEvent::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TierEvent::Granted => "granted",
            TierEvent::Revoked => "revoked",
            TierEvent::Denied => "denied",
            TierEvent::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.as_str() == raw)
    }

    /// "to" in "Ana granted the Controlled Tier to Cory".
    pub fn preposition(self) -> &'static str {
        match self {
            TierEvent::Granted | TierEvent::Denied => "to",
            TierEvent::Revoked => "from",
            TierEvent::Expired => "of",
        }
    }

    /// "granted" in "Ana granted the Controlled Tier to Cory".
    pub fn verb(self) -> &'static str {
        match self {
            TierEvent::Granted => "granted",
            TierEvent::Revoked => "revoked",
            TierEvent::Denied => "denied",
            TierEvent::Expired => "ended",
        }
    }
}

/// A tier a user holds, possibly until a renewal date.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub expires_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TierRefusal {
    #[error("The Controlled Tier needs the Registered Tier: it must be held first.")]
    NeedsRegistered,
    #[error("The Controlled Tier needs the Registered Tier: revoke the Controlled Tier first.")]
    ControlledStillHeld,
    #[error("The {tier} is already held; a request can be made in the last 30 days before its renewal date.")]
    AlreadyHeld { tier: AccessTier },
    #[error("A request for the {tier} is already waiting for a site admin.")]
    AlreadyPending { tier: AccessTier },
    #[error("Complete every requirement of the {tier} first ({missing}).")]
    RequirementsIncomplete { tier: AccessTier, missing: String },
    #[error("This request was already decided.")]
    AlreadyDecided,
}

impl TierRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            TierRefusal::NeedsRegistered => "tier_needs_registered",
            TierRefusal::ControlledStillHeld => "tier_controlled_still_held",
            TierRefusal::AlreadyHeld { .. } => "tier_already_held",
            TierRefusal::AlreadyPending { .. } => "tier_request_pending",
            TierRefusal::RequirementsIncomplete { .. } => "tier_requirements_incomplete",
            TierRefusal::AlreadyDecided => "tier_request_decided",
        }
    }
}

/// A site admin may grant Controlled only to someone who holds Registered.
pub fn check_grant(held: TierSet, tier: AccessTier) -> Result<(), TierRefusal> {
    if tier == AccessTier::Controlled && !held.contains(AccessTier::Registered) {
        return Err(TierRefusal::NeedsRegistered);
    }
    Ok(())
}

/// Registered cannot be revoked from under a Controlled grant.
pub fn check_revoke(held: TierSet, tier: AccessTier) -> Result<(), TierRefusal> {
    if tier == AccessTier::Registered && held.contains(AccessTier::Controlled) {
        return Err(TierRefusal::ControlledStillHeld);
    }
    Ok(())
}

/// What a user's request for a tier depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestFacts<'a> {
    pub tier: AccessTier,
    pub held: TierSet,
    /// The grant of `tier` itself, when held.
    pub holding: Option<Holding>,
    pub pending: bool,
    /// Titles of the tier's requirements the user has not completed.
    pub missing: &'a [String],
    pub now: i64,
}

/// A user may ask for a tier once its checklist is complete, Controlled only with Registered,
/// one pending request at a time, and a held tier only to renew it near its renewal date.
pub fn check_request(facts: &RequestFacts<'_>) -> Result<(), TierRefusal> {
    let tier = facts.tier;
    if let Some(holding) = facts.holding {
        let renewable = holding
            .expires_at
            .is_some_and(|end| end - facts.now <= RENEWAL_WINDOW_MS);
        if !renewable {
            return Err(TierRefusal::AlreadyHeld { tier });
        }
    }
    if facts.pending {
        return Err(TierRefusal::AlreadyPending { tier });
    }
    check_grant(facts.held, tier)?;
    if !facts.missing.is_empty() {
        return Err(TierRefusal::RequirementsIncomplete {
            tier,
            missing: facts.missing.join(", "),
        });
    }
    Ok(())
}

/// A decision on a request: only a pending one can be decided.
pub fn check_decision(status: RequestStatus) -> Result<(), TierRefusal> {
    match status {
        RequestStatus::Pending => Ok(()),
        RequestStatus::Granted | RequestStatus::Denied => Err(TierRefusal::AlreadyDecided),
    }
}

/// The reason an admin gives: a denial or revocation explains itself, any reason stays short.
pub fn parse_reason(granted: bool, raw: &str) -> Result<String, FieldError> {
    let reason = raw.trim();
    if let Some(problem) = check_text("reason", reason, REASON_MAX_CHARS, false, "the reason") {
        return Err(problem);
    }
    if !granted && reason.chars().count() < DENIAL_REASON_MIN_CHARS {
        return Err(FieldError::new(
            "reason",
            "Say why, so the person knows what to do next (at least 10 characters).",
        ));
    }
    Ok(reason.to_owned())
}

/// A renewal date, when one is given, lies in the future.
pub fn check_renewal_date(expires_at: Option<i64>, now: i64) -> Result<(), FieldError> {
    match expires_at {
        Some(end) if end <= now => Err(FieldError::new(
            "expires_at",
            "Choose a renewal date in the future, or none.",
        )),
        _ => Ok(()),
    }
}

/// A requirement's title (a short label) and details (what to do, where).
pub fn parse_requirement(title: &str, details: &str) -> Result<(String, String), FieldError> {
    let title = parse_label("title", title, 120, "a title")?;
    if let Some(problem) = check_text("details", details, 1000, false, "the details") {
        return Err(problem);
    }
    Ok((title, details.trim().to_owned()))
}

/// A grant has ended once its renewal date has passed.
pub fn has_ended(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_some_and(|end| end <= now)
}
