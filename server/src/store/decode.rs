//! Reading the values the schema constrains. A row holding a value the schema does not allow is
//! corrupt: the request fails (and is logged) rather than guess — a bad role must never be read
//! as some other role.

use carrel_core::billing::BillingRole;
use carrel_core::groups::GroupRole;
use carrel_core::{AccessTier, Role};
use serde::de::DeserializeOwned;

/// The error for a value the schema does not allow in `column`.
pub fn corrupt(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("corrupt row: {column} holds {value:?}").into())
}

pub fn role(raw: &str) -> Result<Role, sqlx::Error> {
    Role::parse(raw).ok_or_else(|| corrupt("workspace_grants.role", raw))
}

pub fn group_role(raw: &str) -> Result<GroupRole, sqlx::Error> {
    GroupRole::parse(raw).ok_or_else(|| corrupt("group_members.role", raw))
}

pub fn billing_role(raw: &str) -> Result<BillingRole, sqlx::Error> {
    BillingRole::parse(raw).ok_or_else(|| corrupt("billing_members.role", raw))
}

pub fn tier(raw: &str) -> Result<AccessTier, sqlx::Error> {
    AccessTier::parse(raw).ok_or_else(|| corrupt("tier", raw))
}

pub fn cost_category(raw: &str) -> Result<carrel_core::costs::CostCategory, sqlx::Error> {
    carrel_core::costs::CostCategory::parse(raw).ok_or_else(|| corrupt("cost_events.category", raw))
}

pub fn json<T: DeserializeOwned>(column: &str, raw: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(raw).map_err(|error| corrupt(column, &format!("{raw} ({error})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_outside_the_schema_are_errors_not_defaults() {
        assert_eq!(role("owner").ok(), Some(Role::Owner));
        assert!(role("superuser").is_err());
        assert!(role("").is_err());
        assert!(group_role("Admin").is_err());
        assert!(billing_role("owner ").is_err());
        assert!(tier("secret").is_err());
        assert!(json::<serde_json::Value>("detail", "{not json").is_err());
    }
}
