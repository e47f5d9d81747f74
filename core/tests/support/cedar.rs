//! The same world in Cedar: users and groups as entities whose parents are their groups and the
//! "holder" sets their grants put them in; one static policy per SPEC §4 action.
//!
//! A grant puts its principal in holder sets: reader → {reader}; writer → {reader, writer};
//! owner → every set; can-share → {share}; can-compute → {compute}. Billing-project owners are
//! owners. Cedar's `in` follows parents transitively, which is exactly group nesting.

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use serde_json::{json, Value};

use carrel_core::{AccessTier, Action, Grant, Principal, Role, TierSet};

pub const POLICIES: &str = r#"
permit(principal, action in [Action::"read", Action::"duplicate", Action::"copy_out", Action::"download",
                             Action::"list_files", Action::"read_files", Action::"read_entities",
                             Action::"copy_entities"], resource)
when { principal.tiers.contains("registered") && principal in resource.readers
       && principal.tiers.contains(resource.tier) };
permit(principal, action in [Action::"write", Action::"upload_files", Action::"move_files",
                             Action::"delete_files", Action::"import_entities",
                             Action::"edit_entities", Action::"delete_entities"], resource)
when { principal.tiers.contains("registered") && principal in resource.writers
       && principal.tiers.contains(resource.tier) && !resource.locked };
permit(principal, action == Action::"launch", resource)
when { principal.tiers.contains("registered") && principal in resource.writers
       && principal in resource.computers && principal.tiers.contains(resource.tier) && !resource.locked };
permit(principal, action in [Action::"edit_about", Action::"lock"], resource)
when { principal.tiers.contains("registered") && principal in resource.owners
       && principal.tiers.contains(resource.tier) && !resource.locked };
permit(principal, action == Action::"unlock", resource)
when { principal.tiers.contains("registered") && principal in resource.owners
       && principal.tiers.contains(resource.tier) && resource.locked };
permit(principal, action == Action::"delete", resource)
when { principal.tiers.contains("registered") && principal in resource.owners && !resource.locked };
permit(principal, action in [Action::"read_audit", Action::"read_spend"], resource)
when { principal.tiers.contains("registered") && principal in resource.owners
       && principal.tiers.contains(resource.tier) };
permit(principal, action == Action::"share", resource)
when { principal.tiers.contains("registered") && principal in resource.readers
       && principal in resource.sharers && principal.tiers.contains(resource.tier) };
"#;

/// Actions Cedar decides here. `leave` counts the ACL's direct owners, which is not a policy.
pub const ACTIONS: [Action; 23] = [
    Action::Read,
    Action::Duplicate,
    Action::CopyOut,
    Action::Download,
    Action::Write,
    Action::Launch,
    Action::EditAbout,
    Action::Lock,
    Action::Unlock,
    Action::Delete,
    Action::ReadAudit,
    Action::Share,
    Action::ListFiles,
    Action::ReadFiles,
    Action::UploadFiles,
    Action::MoveFiles,
    Action::DeleteFiles,
    Action::ReadSpend,
    Action::ReadEntities,
    Action::ImportEntities,
    Action::EditEntities,
    Action::DeleteEntities,
    Action::CopyEntities,
];

pub fn policies() -> PolicySet {
    POLICIES.parse().expect("the policies parse")
}

pub fn action_uid(action: Action) -> EntityUid {
    let name = serde_json::to_value(action).expect("an action name");
    format!("Action::{name}").parse().expect("an action uid")
}

pub fn user_uid(user: u64) -> EntityUid {
    format!("User::\"u{user}\"").parse().expect("a user uid")
}

pub fn workspace_uid() -> EntityUid {
    "Workspace::\"w\"".parse().expect("a workspace uid")
}

fn holder(name: &str) -> Value {
    json!({ "type": "Holder", "id": name })
}

fn holders_of(grant: &Grant) -> Vec<Value> {
    let mut sets = vec!["reader"];
    if grant.role >= Role::Writer {
        sets.push("writer");
    }
    if grant.role == Role::Owner {
        sets.push("owner");
    }
    if grant.implies_share() {
        sets.push("share");
    }
    if grant.implies_compute() {
        sets.push("compute");
    }
    sets.into_iter().map(holder).collect()
}

fn tier_names(tiers: TierSet) -> Vec<&'static str> {
    tiers.iter().map(AccessTier::as_str).collect()
}

/// Build the entities of one world.
pub struct CedarWorld<'a> {
    pub users: &'a [(u64, TierSet)],
    /// (user, group) direct memberships.
    pub memberships: &'a [(u64, u64)],
    /// (parent, child) group nesting.
    pub nesting: &'a [(u64, u64)],
    pub groups: u64,
    pub project_owners: &'a [u64],
    pub grants: &'a [Grant],
    pub tier: AccessTier,
    pub locked: bool,
}

impl CedarWorld<'_> {
    pub fn entities(&self) -> Entities {
        let grant_parents = |principal: &Principal| -> Vec<Value> {
            self.grants
                .iter()
                .filter(|g| &g.principal == principal)
                .flat_map(holders_of)
                .collect()
        };
        let mut entities = Vec::new();
        for (user, tiers) in self.users {
            let mut parents: Vec<Value> = self
                .memberships
                .iter()
                .filter(|(u, _)| u == user)
                .map(|(_, g)| json!({ "type": "Group", "id": format!("g{g}") }))
                .collect();
            parents.extend(grant_parents(&Principal::User(carrel_core::UserId(*user))));
            if self.project_owners.contains(user) {
                parents.extend(holders_of(&Grant::new(
                    Principal::User(carrel_core::UserId(*user)),
                    Role::Owner,
                )));
            }
            entities.push(json!({
                "uid": { "type": "User", "id": format!("u{user}") },
                "attrs": { "tiers": tier_names(*tiers) },
                "parents": parents,
            }));
        }
        for group in 0..self.groups {
            let mut parents: Vec<Value> = self
                .nesting
                .iter()
                .filter(|(_, child)| *child == group)
                .map(|(parent, _)| json!({ "type": "Group", "id": format!("g{parent}") }))
                .collect();
            parents.extend(grant_parents(&Principal::Group(carrel_core::GroupId(
                group,
            ))));
            entities.push(json!({
                "uid": { "type": "Group", "id": format!("g{group}") },
                "attrs": {},
                "parents": parents,
            }));
        }
        for name in ["reader", "writer", "owner", "share", "compute"] {
            entities.push(json!({ "uid": holder(name), "attrs": {}, "parents": [] }));
        }
        let reference = |name: &str| json!({ "__entity": holder(name) });
        entities.push(json!({
            "uid": { "type": "Workspace", "id": "w" },
            "attrs": {
                "tier": self.tier.as_str(),
                "locked": self.locked,
                "readers": reference("reader"),
                "writers": reference("writer"),
                "owners": reference("owner"),
                "sharers": reference("share"),
                "computers": reference("compute"),
            },
            "parents": [],
        }));
        Entities::from_json_value(Value::Array(entities), None).expect("valid entities")
    }
}

pub fn request(user: u64, action: Action) -> Request {
    Request::new(
        user_uid(user),
        action_uid(action),
        workspace_uid(),
        Context::empty(),
        None,
    )
    .expect("a request")
}

pub fn is_allowed(
    authorizer: &Authorizer,
    policies: &PolicySet,
    entities: &Entities,
    user: u64,
    action: Action,
) -> bool {
    decide(authorizer, policies, entities, &request(user, action))
}

pub fn decide(
    authorizer: &Authorizer,
    policies: &PolicySet,
    entities: &Entities,
    request: &Request,
) -> bool {
    authorizer
        .is_authorized(request, policies, entities)
        .decision()
        == Decision::Allow
}
