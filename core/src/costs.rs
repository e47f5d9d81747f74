//! Costs and credits (SPEC §5.6): what a metered action costs at the configured prices, in
//! nano-dollars so that a small download is not rounded away, and the banners a balance shows.

use serde::{Deserialize, Serialize};

/// One billionth of a dollar: the ledger's unit.
pub const NANOS_PER_CENT: i64 = 10_000_000;
const BYTES_PER_GB: i128 = 1_000_000_000;
/// A storage month: 30 days.
pub const MONTH_MS: i64 = 30 * 24 * 60 * 60 * 1000;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    Storage,
    Compute,
    Egress,
}

impl CostCategory {
    pub const ALL: [CostCategory; 3] = [
        CostCategory::Storage,
        CostCategory::Compute,
        CostCategory::Egress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CostCategory::Storage => "storage",
            CostCategory::Compute => "compute",
            CostCategory::Egress => "egress",
        }
    }

    pub fn parse(raw: &str) -> Option<CostCategory> {
        CostCategory::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            CostCategory::Storage => "Storage",
            CostCategory::Compute => "Compute",
            CostCategory::Egress => "Downloads (egress)",
        }
    }
}

/// The price table, in nano-dollars (configuration; SPEC's defaults).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prices {
    pub storage_per_gb_month: i64,
    pub egress_per_gb: i64,
    pub compute_per_cpu_hour: i64,
    pub memory_per_gb_hour: i64,
}

impl Default for Prices {
    fn default() -> Self {
        Prices {
            storage_per_gb_month: 20_000_000,
            egress_per_gb: 120_000_000,
            compute_per_cpu_hour: 50_000_000,
            memory_per_gb_hour: 5_000_000,
        }
    }
}

/// What one metered quantity costs: the event's quantity (in its unit), unit price and amount.
#[derive(Clone, Debug, PartialEq)]
pub struct Charge {
    pub category: CostCategory,
    pub quantity: f64,
    pub unit: &'static str,
    pub unit_price_nanos: i64,
    pub amount_nanos: i64,
}

fn clamp(amount: i128) -> i64 {
    i64::try_from(amount).unwrap_or(i64::MAX)
}

impl Prices {
    /// `bytes` downloaded.
    pub fn egress(&self, bytes: u64) -> Charge {
        let amount = i128::from(bytes) * i128::from(self.egress_per_gb) / BYTES_PER_GB;
        Charge {
            category: CostCategory::Egress,
            quantity: bytes as f64 / BYTES_PER_GB as f64,
            unit: "GB",
            unit_price_nanos: self.egress_per_gb,
            amount_nanos: clamp(amount),
        }
    }

    /// `bytes` kept for `millis`.
    pub fn storage(&self, bytes: u64, millis: i64) -> Charge {
        let millis = millis.max(0);
        let amount = i128::from(bytes) * i128::from(millis) * i128::from(self.storage_per_gb_month)
            / (BYTES_PER_GB * i128::from(MONTH_MS));
        Charge {
            category: CostCategory::Storage,
            quantity: (bytes as f64 / BYTES_PER_GB as f64) * (millis as f64 / MONTH_MS as f64),
            unit: "GB-month",
            unit_price_nanos: self.storage_per_gb_month,
            amount_nanos: clamp(amount),
        }
    }
}

/// What is left of `credits_cents` after `spend_nanos`, in nano-dollars.
pub fn balance_nanos(credits_cents: i64, spend_nanos: i64) -> i64 {
    credits_cents
        .saturating_mul(NANOS_PER_CENT)
        .saturating_sub(spend_nanos)
}

/// Nano-dollars as whole cents, rounded to the nearest cent.
pub fn cents_of(nanos: i64) -> i64 {
    (nanos + NANOS_PER_CENT / 2).div_euclid(NANOS_PER_CENT)
}

/// Money as people read it, to the cent or, below a cent, as "< $0.01".
pub fn format_nanos(nanos: i64) -> String {
    if nanos > 0 && nanos < NANOS_PER_CENT / 2 {
        return "< $0.01".to_owned();
    }
    crate::billing::format_money(cents_of(nanos))
}

/// How much of a billing project's credits is spent, as the banner it shows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageBanner {
    /// Half the credits are spent.
    Half,
    /// Three quarters.
    ThreeQuarters,
    /// All of them: compute is refused until an owner adds credits.
    Exhausted,
}

impl UsageBanner {
    /// The banner for `spend_nanos` of `credits_cents`, if any.
    pub fn of(credits_cents: i64, spend_nanos: i64) -> Option<UsageBanner> {
        let credits = i128::from(credits_cents) * i128::from(NANOS_PER_CENT);
        let spend = i128::from(spend_nanos);
        if spend >= credits {
            Some(UsageBanner::Exhausted)
        } else if spend * 4 >= credits * 3 {
            Some(UsageBanner::ThreeQuarters)
        } else if spend * 2 >= credits {
            Some(UsageBanner::Half)
        } else {
            None
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            UsageBanner::Half => "Half of this billing project's credits are spent.",
            UsageBanner::ThreeQuarters => {
                "Three quarters of this billing project's credits are spent: ask an owner to add credits soon."
            }
            UsageBanner::Exhausted => {
                "This billing project's credits are spent: analyses cannot start until an owner adds credits. Files and tables can still be read and kept."
            }
        }
    }
}

/// Credits an owner adds at once: a positive amount up to $1,000,000.
pub fn check_credit_amount(cents: i64) -> Result<(), crate::validate::FieldError> {
    if (1..=100_000_000).contains(&cents) {
        Ok(())
    } else {
        Err(crate::validate::FieldError::new(
            "amount_cents",
            "Add between $0.01 and $1,000,000.00 of credits at a time.",
        ))
    }
}

/// Dollars as typed ("25", "12.50", "$1,000") in cents, within what may be added at once.
pub fn parse_dollars(raw: &str) -> Result<i64, crate::validate::FieldError> {
    let invalid = || {
        crate::validate::FieldError::new(
            "amount_cents",
            "Type an amount in dollars, like 25 or 12.50.",
        )
    };
    let cleaned: String = raw
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || whole.len() > 9
    {
        return Err(invalid());
    }
    let dollars: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    let total = dollars * 100 + cents;
    check_credit_amount(total)?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_follow_the_price_table() {
        let prices = Prices::default();
        assert_eq!(prices.egress(1_000_000_000).amount_nanos, 120_000_000);
        assert_eq!(
            prices.egress(1_000).amount_nanos,
            120,
            "a kilobyte is not rounded away"
        );
        assert_eq!(
            prices.storage(1_000_000_000, MONTH_MS).amount_nanos,
            20_000_000
        );
        assert_eq!(
            prices
                .storage(5 * 1_073_741_824, 10 * MONTH_MS)
                .amount_nanos,
            1_073_741_824,
            "5 GiB for ten months, no overflow"
        );
        assert_eq!(prices.storage(100, -5).amount_nanos, 0);
    }

    #[test]
    fn money_reads_to_the_cent() {
        assert_eq!(cents_of(15_000_000), 2);
        assert_eq!(cents_of(14_999_999), 1);
        assert_eq!(format_nanos(120), "< $0.01");
        assert_eq!(format_nanos(0), "$0.00");
        assert_eq!(format_nanos(1_234 * NANOS_PER_CENT), "$12.34");
    }

    #[test]
    fn banners_at_half_three_quarters_and_all() {
        let cents = NANOS_PER_CENT;
        assert_eq!(UsageBanner::of(100, 49 * cents), None);
        assert_eq!(UsageBanner::of(100, 50 * cents), Some(UsageBanner::Half));
        assert_eq!(
            UsageBanner::of(100, 75 * cents),
            Some(UsageBanner::ThreeQuarters)
        );
        assert_eq!(
            UsageBanner::of(100, 100 * cents),
            Some(UsageBanner::Exhausted)
        );
        assert_eq!(UsageBanner::of(0, 0), Some(UsageBanner::Exhausted));
        assert!(check_credit_amount(0).is_err());
        assert_eq!(parse_dollars("25"), Ok(2_500));
        assert_eq!(parse_dollars("$1,000.5"), Ok(100_050));
        assert_eq!(parse_dollars(".75"), Ok(75));
        assert!(parse_dollars("1.234").is_err());
        assert!(parse_dollars("-5").is_err());
        assert!(parse_dollars("0").is_err());
        assert!(parse_dollars("ten").is_err());
        assert!(check_credit_amount(500).is_ok());
    }
}
