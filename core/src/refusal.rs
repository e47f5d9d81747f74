//! One shape for every refusal `core` gives: a stable code naming the rule, a sentence for
//! people (`Display`), and the kind of answer it is — the server maps the kind to an HTTP status
//! in one place, the web app shows the sentence.

use crate::authz::Reason;
use crate::billing::BillingRefusal;
use crate::files::FileRefusal;
use crate::groups::GroupRefusal;
use crate::share::ShareRefusal;
use crate::tables::TableRefusal;
use crate::tier_requests::TierRefusal;
use crate::validate::FieldError;

/// What kind of "no" a refusal is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// The request itself is not acceptable (a field out of bounds).
    Invalid,
    /// The caller may not do this.
    Forbidden,
    /// The caller may, but the current state does not allow it (the last owner, a cycle).
    Conflict,
    /// What the request names does not exist.
    Missing,
}

pub trait Refusal: std::fmt::Display {
    /// A stable machine-readable name of the rule, used as the API error code.
    fn code(&self) -> &'static str;
    fn kind(&self) -> RefusalKind;
}

impl Refusal for Reason {
    fn code(&self) -> &'static str {
        Reason::code(self)
    }

    fn kind(&self) -> RefusalKind {
        RefusalKind::Forbidden
    }
}

impl Refusal for FileRefusal {
    fn code(&self) -> &'static str {
        FileRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        match self {
            FileRefusal::AlreadyExists { .. } => RefusalKind::Conflict,
            _ => RefusalKind::Invalid,
        }
    }
}

impl Refusal for ShareRefusal {
    fn code(&self) -> &'static str {
        ShareRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        RefusalKind::Forbidden
    }
}

impl Refusal for GroupRefusal {
    fn code(&self) -> &'static str {
        GroupRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        match self {
            GroupRefusal::NotAdmin => RefusalKind::Forbidden,
            _ => RefusalKind::Conflict,
        }
    }
}

impl Refusal for BillingRefusal {
    fn code(&self) -> &'static str {
        BillingRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        match self {
            BillingRefusal::LastOwner => RefusalKind::Conflict,
            _ => RefusalKind::Forbidden,
        }
    }
}

impl Refusal for TierRefusal {
    fn code(&self) -> &'static str {
        TierRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        RefusalKind::Conflict
    }
}

impl Refusal for TableRefusal {
    fn code(&self) -> &'static str {
        TableRefusal::code(self)
    }

    fn kind(&self) -> RefusalKind {
        match self {
            TableRefusal::NoSuchType { .. }
            | TableRefusal::NoSuchEntity { .. }
            | TableRefusal::NoSuchColumn { .. } => RefusalKind::Missing,
            TableRefusal::CrossTier { .. } => RefusalKind::Forbidden,
            TableRefusal::NameTaken { .. }
            | TableRefusal::ColumnTaken { .. }
            | TableRefusal::Stale { .. }
            | TableRefusal::Referenced { .. }
            | TableRefusal::CopyConflicts { .. } => RefusalKind::Conflict,
            _ => RefusalKind::Invalid,
        }
    }
}

impl Refusal for FieldError {
    fn code(&self) -> &'static str {
        "validation"
    }

    fn kind(&self) -> RefusalKind {
        RefusalKind::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_code_a_kind_and_a_sentence() {
        let refusals: Vec<Box<dyn Refusal>> = vec![
            Box::new(Reason::NoAccess),
            Box::new(ShareRefusal::LastDirectOwner),
            Box::new(GroupRefusal::LastAdmin),
            Box::new(GroupRefusal::NotAdmin),
            Box::new(BillingRefusal::LastOwner),
            Box::new(FieldError::new("name", "Enter a name.")),
        ];
        let kinds: Vec<RefusalKind> = refusals.iter().map(|r| r.kind()).collect();
        assert_eq!(
            kinds,
            [
                RefusalKind::Forbidden,
                RefusalKind::Forbidden,
                RefusalKind::Conflict,
                RefusalKind::Forbidden,
                RefusalKind::Conflict,
                RefusalKind::Invalid
            ]
        );
        for refusal in &refusals {
            assert!(!refusal.code().is_empty());
            assert!(refusal.to_string().ends_with('.'), "{refusal}");
        }
    }
}
