//! Invariants of the rules over random worlds.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use carrel_core::share::{direct_user_owner_count, plan, validate, Acl, AclChange, ShareContext};
use carrel_core::{effective_access, Grant, GroupId, Principal, Role, UserId};
use proptest::prelude::*;
use support::world::{actor, grant, principal, role, world, World, PROJECT, USERS};

fn change() -> impl Strategy<Value = AclChange> {
    prop_oneof![
        3 => (principal(), role(), proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()))
            .prop_map(|(principal, role, can_share, can_compute)| AclChange::Set {
                principal, role, can_share, can_compute
            }),
        1 => principal().prop_map(|principal| AclChange::Remove { principal }),
    ]
}

fn context<'a>(
    world: &'a World,
    me: u64,
    groups: &'a [GroupId],
    owned: &'a [carrel_core::BillingProjectId],
    tiers: &'a std::collections::BTreeMap<UserId, carrel_core::TierSet>,
) -> ShareContext<'a> {
    ShareContext {
        actor: actor(world, me, groups, owned),
        tier: world.tier,
        locked: world.locked,
        billing_project: PROJECT,
        project_owners: &world.project_owners,
        user_tiers: tiers,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// An accepted change keeps a direct user owner, never gives a reader compute, keeps one
    /// entry per principal, and a non-owner never raises anyone above themselves or sets flags.
    #[test]
    fn accepted_changes_keep_the_invariants(
        world in world(),
        me in 0..USERS,
        changes in prop::collection::vec(change(), 1..5),
    ) {
        let groups = world.groups_of(me);
        let owned = world.owned_by(me);
        let tiers = world.tiers_map();
        let ctx = context(&world, me, &groups, &owned, &tiers);
        let acl = Acl { version: 3, grants: world.grants.clone() };
        let access = effective_access(&ctx.actor, &world.facts());
        if let Ok(done) = validate(&ctx, &acl, 3, &changes) {
            prop_assert!(direct_user_owner_count(&done.acl.grants) >= 1);
            prop_assert!(done.acl.grants.iter().all(|g| !(g.role == Role::Reader && g.can_compute)));
            let mut principals: Vec<&Principal> = done.acl.grants.iter().map(|g| &g.principal).collect();
            let total = principals.len();
            principals.sort();
            principals.dedup();
            prop_assert_eq!(principals.len(), total);
            if !access.is_owner() {
                let own = access.role.expect("only someone with access can share");
                for after in done.diffs.iter().filter_map(|d| d.after.as_ref()) {
                    prop_assert!(after.role <= own);
                    prop_assert!(!after.can_share && !after.can_compute);
                }
            }
        }
    }

    /// Re-applying an accepted batch's settings to its result changes nothing.
    #[test]
    fn validate_is_idempotent_on_its_own_output(
        world in world(),
        me in 0..USERS,
        changes in prop::collection::vec(change(), 1..5),
    ) {
        let groups = world.groups_of(me);
        let owned = world.owned_by(me);
        let tiers = world.tiers_map();
        let ctx = context(&world, me, &groups, &owned, &tiers);
        let acl = Acl { version: 3, grants: world.grants.clone() };
        let Ok(done) = validate(&ctx, &acl, 3, &changes) else { return Ok(()) };
        let mut after_world = world.clone();
        after_world.grants = done.acl.grants.clone();
        let before = effective_access(&ctx.actor, &world.facts());
        let after = effective_access(&ctx.actor, &after_world.facts());
        prop_assume!(before == after);
        let restated: Vec<AclChange> = done
            .diffs
            .iter()
            .filter_map(|d| d.after.as_ref())
            .map(|g| AclChange::Set {
                principal: g.principal.clone(),
                role: g.role,
                can_share: Some(g.can_share),
                can_compute: Some(g.can_compute),
            })
            .collect();
        let again = validate(&ctx, &done.acl, done.acl.version, &restated);
        let again = again.expect("restating an accepted result is accepted");
        prop_assert_eq!(&again.acl, &done.acl);
        prop_assert!(again.diffs.is_empty());
    }

    /// More grants never mean less access.
    #[test]
    fn effective_access_is_monotone_in_grants(world in world(), me in 0..USERS, extra in grant()) {
        let groups = world.groups_of(me);
        let owned = world.owned_by(me);
        let actor = actor(&world, me, &groups, &owned);
        let before = effective_access(&actor, &world.facts());
        let mut more = world.clone();
        more.grants.push(extra);
        let after = effective_access(&actor, &more.facts());
        prop_assert!(after.role >= before.role);
        prop_assert!(after.can_share >= before.can_share);
        prop_assert!(after.can_compute >= before.can_compute);
        prop_assert!(after.project_owner >= before.project_owner);
    }

    /// Joining a group never means less access.
    #[test]
    fn effective_access_is_monotone_in_group_membership(
        world in world(),
        me in 0..USERS,
        joined in 0..support::world::GROUPS,
    ) {
        let groups = world.groups_of(me);
        let owned = world.owned_by(me);
        let before = effective_access(&actor(&world, me, &groups, &owned), &world.facts());
        let mut more = world.clone();
        more.memberships.push((me, joined));
        let more_groups = more.groups_of(me);
        let after = effective_access(&actor(&more, me, &more_groups, &owned), &more.facts());
        prop_assert!(after.role >= before.role);
        prop_assert!(after.can_share >= before.can_share);
        prop_assert!(after.can_compute >= before.can_compute);
    }

    /// The share dialog offers exactly what the server accepts for a newcomer.
    #[test]
    fn the_dialog_offers_exactly_what_validate_accepts(world in world(), me in 0..USERS) {
        let groups = world.groups_of(me);
        let owned = world.owned_by(me);
        let tiers = world.tiers_map();
        let ctx = context(&world, me, &groups, &owned, &tiers);
        let acl = Acl { version: 1, grants: world.grants.clone() };
        let newcomer = Principal::User(UserId(999));
        let offered = plan(&ctx, &acl).new_grant.map(|o| o.roles).unwrap_or_default();
        for role in Role::ALL {
            let change = AclChange::Set {
                principal: newcomer.clone(), role, can_share: Some(false), can_compute: Some(false),
            };
            let accepted = validate(&ctx, &acl, 1, &[change]).is_ok();
            prop_assert_eq!(accepted, offered.contains(&role), "role {:?}", role);
        }
    }
}

#[test]
fn group_nesting_refuses_cycles() {
    let mut graph = carrel_core::groups::GroupGraph::default();
    graph.add_edge(GroupId(1), GroupId(2)); // 2 is in 1
    graph.add_edge(GroupId(2), GroupId(3)); // 3 is in 2
    assert!(
        graph.check_nesting(GroupId(3), GroupId(1)).is_err(),
        "1 in 3 closes a loop"
    );
    assert!(
        graph.check_nesting(GroupId(3), GroupId(3)).is_err(),
        "a group in itself"
    );
    assert!(graph.check_nesting(GroupId(1), GroupId(4)).is_ok());
    assert_eq!(
        graph.closure(&[GroupId(3)]),
        [GroupId(1), GroupId(2), GroupId(3)]
    );
    let _ = Grant::new(Principal::Group(GroupId(1)), Role::Reader);
}
