//! Random worlds for property and differential tests: users with tiers, nested groups (a DAG),
//! a billing project with owners, and one workspace's ACL.

use std::collections::BTreeMap;

use carrel_core::access::WorkspaceFacts;
use carrel_core::groups::GroupGraph;
use carrel_core::{
    AccessTier, Actor, BillingProjectId, Grant, GroupId, Principal, Role, TierSet, UserId,
};
use proptest::prelude::*;

pub const PROJECT: BillingProjectId = BillingProjectId(1);

#[derive(Clone, Debug)]
pub struct World {
    pub user_tiers: Vec<TierSet>,
    /// (parent, child): child is a member of parent. Children have lower ids: no cycles.
    pub nesting: Vec<(u64, u64)>,
    /// (user, group) direct memberships.
    pub memberships: Vec<(u64, u64)>,
    pub project_owners: Vec<UserId>,
    pub grants: Vec<Grant>,
    pub tier: AccessTier,
    pub locked: bool,
}

pub const USERS: u64 = 6;
pub const GROUPS: u64 = 5;

impl World {
    pub fn graph(&self) -> GroupGraph {
        let mut graph = GroupGraph::default();
        for (parent, child) in &self.nesting {
            graph.add_edge(GroupId(*parent), GroupId(*child));
        }
        graph
    }

    /// Every group `user` belongs to, transitively; sorted.
    pub fn groups_of(&self, user: u64) -> Vec<GroupId> {
        let direct: Vec<GroupId> = self
            .memberships
            .iter()
            .filter(|(u, _)| *u == user)
            .map(|(_, g)| GroupId(*g))
            .collect();
        self.graph().closure(&direct)
    }

    pub fn owned_by(&self, user: u64) -> Vec<BillingProjectId> {
        if self.project_owners.contains(&UserId(user)) {
            vec![PROJECT]
        } else {
            vec![]
        }
    }

    pub fn tiers_map(&self) -> BTreeMap<UserId, TierSet> {
        (0..USERS)
            .map(|u| (UserId(u), self.user_tiers[u as usize]))
            .collect()
    }

    pub fn facts(&self) -> WorkspaceFacts<'_> {
        WorkspaceFacts {
            tier: self.tier,
            locked: self.locked,
            billing_project: PROJECT,
            grants: &self.grants,
        }
    }
}

pub fn actor<'a>(
    world: &World,
    user: u64,
    groups: &'a [GroupId],
    owned: &'a [BillingProjectId],
) -> Actor<'a> {
    Actor {
        user: UserId(user),
        tiers: world.user_tiers[user as usize],
        groups,
        owned_billing_projects: owned,
    }
}

pub fn tier_set() -> impl Strategy<Value = TierSet> {
    (any::<bool>(), any::<bool>()).prop_map(|(registered, controlled)| {
        let mut set = TierSet::NONE;
        if registered {
            set = set.with(AccessTier::Registered);
        }
        if controlled {
            set = set.with(AccessTier::Controlled);
        }
        set
    })
}

pub fn role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(Role::Reader), Just(Role::Writer), Just(Role::Owner)]
}

pub fn principal() -> impl Strategy<Value = Principal> {
    prop_oneof![
        (0..USERS).prop_map(|u| Principal::User(UserId(u))),
        (0..GROUPS).prop_map(|g| Principal::Group(GroupId(g))),
    ]
}

/// A valid grant: owners carry both flags, readers never compute.
pub fn grant() -> impl Strategy<Value = Grant> {
    (principal(), role(), any::<bool>(), any::<bool>()).prop_map(|(p, role, share, compute)| {
        let compute = compute && role != Role::Reader;
        Grant::new(p, role).with_flags(share, compute)
    })
}

pub fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(tier_set(), USERS as usize),
        prop::collection::vec((1..GROUPS, 0..GROUPS), 0..6),
        prop::collection::vec((0..USERS, 0..GROUPS), 0..8),
        prop::collection::vec(0..USERS, 0..2),
        prop::collection::vec(grant(), 0..7),
        prop_oneof![Just(AccessTier::Registered), Just(AccessTier::Controlled)],
        any::<bool>(),
    )
        .prop_map(
            |(user_tiers, edges, memberships, owners, grants, tier, locked)| {
                let nesting = edges
                    .into_iter()
                    .filter(|(parent, child)| child < parent)
                    .collect();
                let mut by_principal = BTreeMap::new();
                for grant in grants {
                    by_principal.insert(grant.principal.clone(), grant);
                }
                // Like every real workspace, keep at least one direct user owner.
                let has_direct_owner = by_principal
                    .values()
                    .any(|g| g.role == Role::Owner && matches!(g.principal, Principal::User(_)));
                if !has_direct_owner {
                    let owner = Principal::User(UserId(0));
                    by_principal.insert(owner.clone(), Grant::new(owner, Role::Owner));
                }
                let mut project_owners: Vec<UserId> = owners.into_iter().map(UserId).collect();
                project_owners.sort();
                project_owners.dedup();
                World {
                    user_tiers,
                    nesting,
                    memberships,
                    project_owners,
                    grants: by_principal.into_values().collect(),
                    tier,
                    locked,
                }
            },
        )
}
