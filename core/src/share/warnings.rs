//! Tier warnings: sharing with someone who lacks the workspace's tier is allowed, and said.

use super::plan::ShareContext;
use super::validate::ShareWarning;
use crate::principal::Principal;
use crate::tier::{AccessTier, TierSet};

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
