//! The share dialog's model: the rows as the user edits them, what each may become (from
//! `core`'s plan), and the batch they make. No view here.

use carrel_core::api::{AclChangeRequest, AclView, PrincipalRef, UserMatch};
use carrel_core::share::{self, GrantOptions, SharePlan, ShareRefusal};
use carrel_core::{AccessTier, Email, Principal, Role, TierSet};

/// One row as the user is editing it.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub reference: PrincipalRef,
    pub label: String,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
    /// The row as saved, or `None` for someone being added.
    pub saved: Option<(Role, bool, bool)>,
    pub removed: bool,
    /// Known tiers of the person (from the ACL or the search); `None` for an invitation.
    pub tiers: Option<TierSet>,
    pub principal: Option<Principal>,
}

/// Someone to add, as the search found them or as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Newcomer {
    pub reference: PrincipalRef,
    pub label: String,
    pub tiers: Option<TierSet>,
    pub principal: Option<Principal>,
}

impl Newcomer {
    pub fn person(found: &UserMatch) -> Newcomer {
        Newcomer {
            reference: PrincipalRef::User {
                email: found.email.clone(),
            },
            label: found.display_name.clone(),
            tiers: Some(found.tiers),
            principal: Email::parse(&found.email).ok().map(Principal::Invitation),
        }
    }

    pub fn group(name: &str) -> Newcomer {
        Newcomer {
            reference: PrincipalRef::Group {
                name: name.to_owned(),
            },
            label: name.to_owned(),
            tiers: None,
            principal: None,
        }
    }

    /// What was typed in the search: `group:NAME`, a group's address, or an email (someone the
    /// search found, or an invitation).
    pub fn typed(text: &str, found: &[UserMatch]) -> Result<Newcomer, String> {
        let text = text.trim();
        if let Some(group) = text
            .strip_prefix("group:")
            .or_else(|| text.split_once("@groups.").map(|(name, _)| name))
        {
            return Ok(Newcomer::group(group));
        }
        let email = Email::parse(text)
            .map_err(|error| format!("{} Or pick someone from the suggestions.", error.message))?;
        Ok(match found.iter().find(|m| m.email == email.as_str()) {
            Some(person) => Newcomer::person(person),
            None => Newcomer {
                reference: PrincipalRef::User {
                    email: email.to_string(),
                },
                label: format!("{email} (invitation)"),
                tiers: None,
                principal: Some(Principal::Invitation(email)),
            },
        })
    }

    /// The address typed when it matched nobody the search found: asked about before it
    /// becomes a pending invitation.
    pub fn invited_address(&self) -> Option<&str> {
        match (&self.principal, &self.reference) {
            (Some(Principal::Invitation(_)), PrincipalRef::User { email })
                if self.tiers.is_none() =>
            {
                Some(email)
            }
            _ => None,
        }
    }

    /// The new row, with the role chosen and the flags `core` gives that role by default.
    pub fn draft(self, role: Role, options: &GrantOptions) -> Draft {
        Draft {
            reference: self.reference,
            label: self.label,
            role,
            can_share: false,
            can_compute: role.chooses_compute() && options.writer_computes_by_default,
            saved: None,
            removed: false,
            tiers: self.tiers,
            principal: self.principal,
        }
    }
}

impl Draft {
    pub fn from_view(view: &AclView) -> Vec<Draft> {
        view.entries
            .iter()
            .map(|entry| Draft {
                reference: entry.who.reference.clone(),
                label: entry.who.label.clone(),
                role: entry.role,
                can_share: entry.can_share,
                can_compute: entry.can_compute,
                saved: Some((entry.role, entry.can_share, entry.can_compute)),
                removed: false,
                tiers: entry.who.principal.as_user().map(|_| entry.tiers),
                principal: Some(entry.who.principal.clone()),
            })
            .collect()
    }

    /// The person's email, shown under their name so two people of the same name differ.
    pub fn email(&self) -> Option<String> {
        match &self.reference {
            PrincipalRef::User { email } if *email != self.label => Some(email.clone()),
            _ => None,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.removed || self.saved != Some((self.role, self.can_share, self.can_compute))
    }

    /// Whether saving this row takes access away (`core` decides): confirmed before saving.
    pub fn takes_access_away(&self) -> Option<String> {
        let (role, can_share, can_compute) = self.saved?;
        if self.removed {
            return Some(format!("{}: removed", self.label));
        }
        role.lowers_access(
            (can_share, can_compute),
            (self.role, self.can_share, self.can_compute),
        )
        .then(|| format!("{}: {} → {}", self.label, role.label(), self.role.label()))
    }

    pub fn change(&self) -> Option<AclChangeRequest> {
        if !self.is_changed() {
            return None;
        }
        if self.removed {
            return self.saved.map(|_| AclChangeRequest::Remove {
                principal: self.reference.clone(),
            });
        }
        let (can_share, can_compute) = self.role.flags(self.can_share, self.can_compute);
        Some(AclChangeRequest::Set {
            principal: self.reference.clone(),
            role: self.role,
            can_share: Some(can_share),
            can_compute: Some(can_compute),
        })
    }

    /// `core`'s warning when the person does not hold the workspace's tier.
    pub fn tier_warning(&self, tier: AccessTier) -> Option<String> {
        if self.removed || !self.is_changed() {
            return None;
        }
        let principal = self.principal.as_ref()?;
        share::warning_for(tier, principal, self.tiers).map(|warning| warning.message())
    }

    /// What this row may do — the options of a change and whether it may be removed — from
    /// `core`'s plan: a saved row's own entry, or the newcomer's options for a row not yet saved.
    pub fn options(
        &self,
        plan: &SharePlan,
    ) -> (Result<GrantOptions, ShareRefusal>, Result<(), ShareRefusal>) {
        let saved_entry = match &self.principal {
            Some(principal) if self.saved.is_some() => plan
                .entries
                .iter()
                .find(|entry| &entry.principal == principal),
            _ => None,
        };
        match saved_entry {
            Some(entry) => (entry.change.clone(), entry.remove.clone()),
            None => (plan.new_grant.clone(), Ok(())),
        }
    }
}

/// After a stale save: the ACL as it is now, with the user's own edits kept on top to review.
pub fn keep_edits_on(current: &AclView, edited: &[Draft]) -> Vec<Draft> {
    let mut rows = Draft::from_view(current);
    for edit in edited.iter().filter(|row| row.is_changed()) {
        match rows.iter_mut().find(|row| row.reference == edit.reference) {
            Some(row) => {
                row.role = edit.role;
                row.can_share = edit.can_share;
                row.can_compute = edit.can_compute;
                row.removed = edit.removed;
            }
            None if edit.saved.is_none() => rows.push(edit.clone()),
            None => {}
        }
    }
    rows
}

pub fn reference_label(reference: &PrincipalRef) -> String {
    match reference {
        PrincipalRef::User { email } => email.clone(),
        PrincipalRef::Group { name } => format!("group {name}"),
    }
}
