//! Spend and credits on the wire.

use serde::{Deserialize, Serialize};

use crate::costs::{CostCategory, UsageBanner};

/// What a billing project (or one workspace) has cost, three ways.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendReport {
    pub credits_cents: i64,
    pub spend_nanos: i64,
    pub banner: Option<UsageBanner>,
    pub by_workspace: Vec<WorkspaceSpend>,
    pub by_category: Vec<CategorySpend>,
    /// One entry per day with spend, oldest first.
    pub by_day: Vec<DaySpend>,
    /// The latest events, newest first.
    pub recent: Vec<CostEventView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSpend {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub spend_nanos: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategorySpend {
    pub category: CostCategory,
    pub spend_nanos: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaySpend {
    /// The day's start, UTC, in Unix milliseconds.
    pub day: i64,
    pub storage_nanos: i64,
    pub compute_nanos: i64,
    pub egress_nanos: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostEventView {
    pub at: i64,
    pub workspace: String,
    pub category: CostCategory,
    pub quantity: f64,
    pub unit: String,
    pub amount_nanos: i64,
    /// What caused it: "download data/reads.bam".
    pub cause: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddCreditsRequest {
    pub amount_cents: i64,
}
