//! Carrel's decisions against Cedar's on the same random worlds: at least 100,000 requests.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use cedar_policy::Authorizer;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use carrel_core::authorize;
use support::cedar::{is_allowed, policies, CedarWorld, ACTIONS};
use support::world::{actor, world, GROUPS, USERS};

#[test]
fn carrel_and_cedar_agree_on_100_000_random_requests() {
    let authorizer = Authorizer::new();
    let policies = policies();
    let mut runner = TestRunner::deterministic();
    let strategy = world();
    let mut requests = 0usize;
    let mut allowed = 0usize;
    let mut disagreements = Vec::new();
    while requests < 100_000 {
        let world = strategy.new_tree(&mut runner).expect("a world").current();
        let users: Vec<(u64, carrel_core::TierSet)> = (0..USERS)
            .map(|u| (u, world.user_tiers[u as usize]))
            .collect();
        let owners: Vec<u64> = world.project_owners.iter().map(|u| u.0).collect();
        let entities = CedarWorld {
            users: &users,
            memberships: &world.memberships,
            nesting: &world.nesting,
            groups: GROUPS,
            project_owners: &owners,
            grants: &world.grants,
            tier: world.tier,
            locked: world.locked,
        }
        .entities();
        for user in 0..USERS {
            let groups = world.groups_of(user);
            let owned = world.owned_by(user);
            let actor = actor(&world, user, &groups, &owned);
            for action in ACTIONS {
                let carrel = authorize(&actor, &world.facts(), action).is_allowed();
                let cedar = is_allowed(&authorizer, &policies, &entities, user, action);
                requests += 1;
                allowed += usize::from(carrel);
                if carrel != cedar && disagreements.len() < 5 {
                    disagreements.push(format!(
                        "user {user} {action:?}: carrel {carrel}, cedar {cedar} in {world:#?}"
                    ));
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
    // Both answers occur often enough for agreement to mean something.
    assert!(
        allowed > requests / 20 && allowed < requests * 19 / 20,
        "{allowed} of {requests}"
    );
    println!("{requests} requests, {allowed} allowed, Carrel and Cedar agree on all");
}
