//! The sharing rules of SPEC §4: what the dialog offers (`plan`) and what a batch may do
//! (`validate`). The dialog and the server read the same rules, so each case checks both.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use carrel_core::share::{
    plan, validate, Acl, AclChange, GrantOptions, ShareContext, ShareRefusal, ShareWarning,
    ValidateError,
};
use carrel_core::{
    AccessTier, Actor, BillingProjectId, Email, Grant, GroupId, Principal, Reason, Role, TierSet,
    UserId,
};

const ME: UserId = UserId(1);
const ALICE: UserId = UserId(2);
const BOB: UserId = UserId(3);
const LAB_HEAD: UserId = UserId(4);
const PROJECT: BillingProjectId = BillingProjectId(7);

fn user(id: UserId) -> Principal {
    Principal::User(id)
}

fn both_tiers() -> TierSet {
    TierSet::of(&[AccessTier::Registered, AccessTier::Controlled])
}

struct World {
    acl: Acl,
    tiers: BTreeMap<UserId, TierSet>,
    project_owners: Vec<UserId>,
    my_projects: Vec<BillingProjectId>,
}

impl World {
    /// Alice is the workspace's owner; I hold `mine` (if any); the lab head owns the project.
    fn new(mine: Option<Grant>) -> World {
        let mut grants = vec![Grant::new(user(ALICE), Role::Owner)];
        grants.extend(mine);
        let tiers = [
            (ME, both_tiers()),
            (ALICE, both_tiers()),
            (BOB, both_tiers()),
            (LAB_HEAD, both_tiers()),
        ]
        .into_iter()
        .collect();
        World {
            acl: Acl { version: 5, grants },
            tiers,
            project_owners: vec![LAB_HEAD],
            my_projects: vec![],
        }
    }

    fn with_grant(mut self, grant: Grant) -> World {
        self.acl.grants.push(grant);
        self
    }

    fn ctx(&self) -> ShareContext<'_> {
        ShareContext {
            actor: Actor {
                user: ME,
                tiers: both_tiers(),
                groups: &[],
                owned_billing_projects: &self.my_projects,
            },
            tier: AccessTier::Registered,
            locked: false,
            billing_project: PROJECT,
            project_owners: &self.project_owners,
            user_tiers: &self.tiers,
        }
    }

    fn validate(&self, changes: &[AclChange]) -> Result<Acl, Vec<ShareRefusal>> {
        match validate(&self.ctx(), &self.acl, self.acl.version, changes) {
            Ok(done) => Ok(done.acl),
            Err(ValidateError::Refused(refusals)) => {
                Err(refusals.into_iter().map(|r| r.refusal).collect())
            }
            Err(stale) => panic!("unexpected {stale:?}"),
        }
    }
}

fn set(principal: Principal, role: Role) -> AclChange {
    AclChange::Set {
        principal,
        role,
        can_share: None,
        can_compute: None,
    }
}

fn set_flags(principal: Principal, role: Role, share: bool, compute: bool) -> AclChange {
    AclChange::Set {
        principal,
        role,
        can_share: Some(share),
        can_compute: Some(compute),
    }
}

fn offered(world: &World) -> Result<GrantOptions, ShareRefusal> {
    plan(&world.ctx(), &world.acl).new_grant
}

#[test]
fn an_owner_may_grant_any_role_with_any_flags() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let options = offered(&world).unwrap();
    assert_eq!(options.roles, [Role::Reader, Role::Writer, Role::Owner]);
    assert!(options.may_set_share && options.may_set_compute);
}

#[test]
fn a_writer_who_can_share_may_grant_readers_and_writers_without_flags() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Writer).with_flags(true, false),
    ));
    let options = offered(&world).unwrap();
    assert_eq!(options.roles, [Role::Reader, Role::Writer]);
    assert!(!options.may_set_share && !options.may_set_compute);
}

#[test]
fn a_reader_who_can_share_may_grant_readers_only() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Reader).with_flags(true, false),
    ));
    let options = offered(&world).unwrap();
    assert_eq!(options.roles, [Role::Reader]);
    assert!(!options.may_set_share && !options.may_set_compute);
}

#[test]
fn a_reader_without_can_share_may_not_share_and_is_told_why() {
    let world = World::new(Some(Grant::new(user(ME), Role::Reader)));
    assert_eq!(
        offered(&world),
        Err(ShareRefusal::CannotShare {
            reason: Reason::MissingCanShare
        })
    );
    let refused = world.validate(&[set(user(BOB), Role::Reader)]).unwrap_err();
    assert_eq!(
        refused,
        [ShareRefusal::CannotShare {
            reason: Reason::MissingCanShare
        }]
    );
}

#[test]
fn a_non_owner_may_change_only_grants_they_could_have_added() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Writer).with_flags(true, false),
    ))
    .with_grant(Grant::new(user(BOB), Role::Reader))
    .with_grant(Grant::new(Principal::Group(GroupId(9)), Role::Writer).with_flags(false, true));
    let plan = plan(&world.ctx(), &world.acl);
    let entry = |p: &Principal| plan.entries.iter().find(|e| &e.principal == p).unwrap();
    assert_eq!(
        entry(&user(BOB)).change.as_ref().unwrap().roles,
        [Role::Reader, Role::Writer]
    );
    assert_eq!(entry(&user(BOB)).remove, Ok(()));
    assert_eq!(
        entry(&user(ALICE)).remove,
        Err(ShareRefusal::CannotTouch { role: Role::Owner })
    );
    assert_eq!(
        entry(&Principal::Group(GroupId(9))).remove,
        Err(ShareRefusal::CannotTouch { role: Role::Writer }),
        "a writer with can-compute was granted by an owner"
    );
    assert_eq!(entry(&user(ME)).remove, Err(ShareRefusal::SelfChange));
}

#[test]
fn nobody_changes_their_own_grant() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Writer).with_flags(true, false),
    ));
    assert_eq!(
        world.validate(&[set(user(ME), Role::Owner)]).unwrap_err(),
        [ShareRefusal::SelfChange]
    );
}

#[test]
fn a_writer_added_by_an_owner_can_compute_unless_cleared() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let acl = world.validate(&[set(user(BOB), Role::Writer)]).unwrap();
    assert!(acl.grant_of(&user(BOB)).unwrap().can_compute);
    let acl = world
        .validate(&[set_flags(user(BOB), Role::Writer, false, false)])
        .unwrap();
    assert!(!acl.grant_of(&user(BOB)).unwrap().can_compute);
}

#[test]
fn a_writer_added_by_a_non_owner_gets_no_flags() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Writer).with_flags(true, false),
    ));
    let acl = world.validate(&[set(user(BOB), Role::Writer)]).unwrap();
    let bob = acl.grant_of(&user(BOB)).unwrap();
    assert!(!bob.can_compute && !bob.can_share);
    let refused = world
        .validate(&[set_flags(user(BOB), Role::Reader, true, false)])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::FlagsNeedOwner]);
}

#[test]
fn a_non_owner_may_not_grant_above_their_own_role() {
    let world = World::new(Some(
        Grant::new(user(ME), Role::Reader).with_flags(true, false),
    ));
    let refused = world.validate(&[set(user(BOB), Role::Writer)]).unwrap_err();
    assert_eq!(
        refused,
        [ShareRefusal::ExceedsOwnRole {
            own: Role::Reader,
            requested: Role::Writer
        }]
    );
}

#[test]
fn readers_never_compute() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let refused = world
        .validate(&[set_flags(user(BOB), Role::Reader, false, true)])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::ReaderWithCompute]);
}

#[test]
fn owner_grants_imply_both_flags() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let acl = world
        .validate(&[set_flags(user(BOB), Role::Owner, false, false)])
        .unwrap();
    let bob = acl.grant_of(&user(BOB)).unwrap();
    assert!(bob.can_share && bob.can_compute);
}

#[test]
fn one_entry_per_principal() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let refused = world
        .validate(&[set(user(BOB), Role::Reader), set(user(BOB), Role::Writer)])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::DuplicatePrincipal]);
}

#[test]
fn the_last_direct_user_owner_stays() {
    let mut world = World::new(None);
    world.my_projects = vec![PROJECT];
    world.project_owners = vec![ME, LAB_HEAD];
    let refused = world
        .validate(&[AclChange::Remove {
            principal: user(ALICE),
        }])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::LastDirectOwner]);
    let plan = plan(&world.ctx(), &world.acl);
    assert_eq!(plan.entries[0].remove, Err(ShareRefusal::LastDirectOwner));
    assert_eq!(
        plan.entries[0].change.as_ref().unwrap().roles,
        [Role::Owner]
    );
    // With a second direct owner added in the same batch, Alice may go.
    let acl = world
        .validate(&[
            set(user(BOB), Role::Owner),
            AclChange::Remove {
                principal: user(ALICE),
            },
        ])
        .unwrap();
    assert_eq!(acl.grants, [Grant::new(user(BOB), Role::Owner)]);
}

#[test]
fn project_owners_cannot_be_lowered_by_a_workspace_share() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)))
        .with_grant(Grant::new(user(LAB_HEAD), Role::Owner));
    let refused = world
        .validate(&[set(user(LAB_HEAD), Role::Reader)])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::ProjectOwner]);
    let refused = world
        .validate(&[AclChange::Remove {
            principal: user(LAB_HEAD),
        }])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::ProjectOwner]);
}

#[test]
fn a_batch_with_one_refused_entry_applies_nothing_and_lists_every_refusal() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let refused = world
        .validate(&[
            set(user(BOB), Role::Writer),
            set_flags(Principal::Group(GroupId(3)), Role::Reader, false, true),
            set(user(ME), Role::Reader),
        ])
        .unwrap_err();
    assert_eq!(
        refused,
        [ShareRefusal::ReaderWithCompute, ShareRefusal::SelfChange]
    );
}

#[test]
fn a_stale_version_is_refused_with_the_current_one() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let stale = validate(&world.ctx(), &world.acl, 4, &[set(user(BOB), Role::Reader)]);
    assert_eq!(stale, Err(ValidateError::Stale { current: 5 }));
}

#[test]
fn an_accepted_change_bumps_the_version_and_records_before_and_after() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)))
        .with_grant(Grant::new(user(BOB), Role::Reader));
    let done = validate(&world.ctx(), &world.acl, 5, &[set(user(BOB), Role::Writer)]).unwrap();
    assert_eq!(done.acl.version, 6);
    assert_eq!(done.diffs.len(), 1);
    assert_eq!(done.diffs[0].before.as_ref().unwrap().role, Role::Reader);
    assert_eq!(done.diffs[0].after.as_ref().unwrap().role, Role::Writer);
    let unchanged = validate(&world.ctx(), &world.acl, 5, &[set(user(BOB), Role::Reader)]).unwrap();
    assert_eq!(
        unchanged.acl.version, 5,
        "a batch that changes nothing keeps the version"
    );
}

#[test]
fn sharing_with_someone_who_lacks_the_tier_warns_but_is_allowed() {
    let mut world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    world
        .tiers
        .insert(BOB, TierSet::of(&[AccessTier::Registered]));
    let mut ctx = world.ctx();
    ctx.tier = AccessTier::Controlled;
    let invitee = Principal::Invitation(Email::parse("new@example.org").unwrap());
    let done = validate(
        &ctx,
        &world.acl,
        5,
        &[
            set(user(BOB), Role::Reader),
            set(invitee.clone(), Role::Reader),
        ],
    )
    .unwrap();
    assert_eq!(
        done.warnings,
        [
            ShareWarning::LacksTier {
                principal: user(BOB),
                tier: AccessTier::Controlled
            },
            ShareWarning::LacksTier {
                principal: invitee,
                tier: AccessTier::Controlled
            },
        ]
    );
    assert!(done.warnings[0].message().contains("Controlled Tier"));
}

#[test]
fn removing_a_grant_that_does_not_exist_is_refused_not_ignored() {
    let world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let refused = world
        .validate(&[AclChange::Remove {
            principal: user(BOB),
        }])
        .unwrap_err();
    assert_eq!(refused, [ShareRefusal::NoSuchGrant]);
}

#[test]
fn only_a_writer_added_by_an_owner_computes_by_default() {
    use carrel_core::share::default_can_compute;
    assert!(default_can_compute(Role::Writer, true));
    assert!(!default_can_compute(Role::Writer, false));
    assert!(!default_can_compute(Role::Reader, true));
    assert!(
        !default_can_compute(Role::Owner, false),
        "owners compute through their role"
    );
}

#[test]
fn members_may_leave_a_group_and_only_admins_remove_others() {
    use carrel_core::groups::{may_remove_member, GroupRefusal, GroupRole};
    assert_eq!(may_remove_member(Some(GroupRole::Member), true), Ok(()));
    assert_eq!(
        may_remove_member(Some(GroupRole::Member), false),
        Err(GroupRefusal::NotAdmin)
    );
    assert_eq!(may_remove_member(Some(GroupRole::Admin), false), Ok(()));
    assert_eq!(
        may_remove_member(None, true),
        Err(GroupRefusal::NotAdmin),
        "a stranger cannot leave"
    );
}

#[test]
fn creating_anything_needs_the_registered_tier() {
    use carrel_core::authz::require_registered;
    assert_eq!(
        require_registered(TierSet::NONE),
        Err(Reason::NotRegistered)
    );
    assert_eq!(
        require_registered(TierSet::of(&[AccessTier::Controlled])),
        Err(Reason::NotRegistered)
    );
    assert_eq!(
        require_registered(TierSet::of(&[AccessTier::Registered])),
        Ok(())
    );
}

/// The same rule for someone found by search, before they are in any ACL: what they hold decides;
/// an invitation holds nothing yet; a group in the Controlled Tier reminds that members need it.
#[test]
fn a_searched_person_is_warned_about_from_the_tiers_they_hold() {
    use carrel_core::share::warning_for;
    let registered = TierSet::of(&[AccessTier::Registered]);
    let alice = user(ALICE);
    assert_eq!(
        warning_for(AccessTier::Registered, &alice, Some(registered)),
        None
    );
    assert_eq!(
        warning_for(AccessTier::Controlled, &alice, Some(registered)),
        Some(ShareWarning::LacksTier {
            principal: alice.clone(),
            tier: AccessTier::Controlled
        })
    );
    assert_eq!(
        warning_for(AccessTier::Controlled, &alice, Some(both_tiers())),
        None
    );
    assert_eq!(
        warning_for(AccessTier::Registered, &alice, None),
        Some(ShareWarning::LacksTier {
            principal: alice.clone(),
            tier: AccessTier::Registered
        }),
        "unknown tiers are not assumed"
    );
    let invited = Principal::Invitation(Email::parse("new@lab.org").unwrap());
    assert_eq!(
        warning_for(AccessTier::Registered, &invited, None),
        Some(ShareWarning::LacksTier {
            principal: invited.clone(),
            tier: AccessTier::Registered
        })
    );
    let lab = Principal::Group(GroupId(9));
    assert_eq!(warning_for(AccessTier::Registered, &lab, None), None);
    assert_eq!(
        warning_for(AccessTier::Controlled, &lab, None),
        Some(ShareWarning::GroupMembersNeedTier {
            principal: lab.clone(),
            tier: AccessTier::Controlled
        })
    );
}

/// Refusals travel to the browser inside the ACL's plan: each must read back as it was written.
#[test]
fn every_share_refusal_reads_back_from_json() {
    let refusals = [
        ShareRefusal::CannotShare {
            reason: Reason::MissingCanShare,
        },
        ShareRefusal::SelfChange,
        ShareRefusal::LastDirectOwner,
        ShareRefusal::ProjectOwner,
        ShareRefusal::ReaderWithCompute,
        ShareRefusal::DuplicatePrincipal,
        ShareRefusal::ExceedsOwnRole {
            own: Role::Writer,
            requested: Role::Owner,
        },
        ShareRefusal::FlagsNeedOwner,
        ShareRefusal::CannotTouch { role: Role::Owner },
        ShareRefusal::NoSuchGrant,
    ];
    for refusal in refusals {
        let json = serde_json::to_string(&refusal).unwrap();
        let back: ShareRefusal = serde_json::from_str(&json)
            .unwrap_or_else(|error| panic!("{json} does not read back: {error}"));
        assert_eq!(back, refusal);
    }
}

#[test]
fn a_full_acl_refuses_newcomers_but_still_changes_and_removes_entries() {
    use carrel_core::share::MAX_ACL_ENTRIES;
    let mut world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    let mut n = 10_000;
    while world.acl.grants.len() < MAX_ACL_ENTRIES {
        world = world.with_grant(Grant::new(user(UserId(n)), Role::Reader));
        n += 1;
    }
    let newcomer = user(UserId(999_999));
    assert_eq!(
        world.validate(&[set(newcomer, Role::Reader)]),
        Err(vec![ShareRefusal::AclFull])
    );
    assert_eq!(
        offered(&world),
        Err(ShareRefusal::AclFull),
        "the dialog says so first"
    );
    let changed = world.validate(&[set(user(UserId(10_000)), Role::Writer)]);
    assert!(changed.is_ok(), "{changed:?}");
    let swapped = world.validate(&[
        AclChange::Remove {
            principal: user(UserId(10_000)),
        },
        set(user(UserId(999_999)), Role::Reader),
    ]);
    assert!(swapped.is_ok(), "one out, one in: {swapped:?}");
    let plan = plan(&world.ctx(), &world.acl);
    assert_eq!(plan.entries.len(), MAX_ACL_ENTRIES);
}

#[test]
fn a_person_without_the_tier_waits_for_it_and_a_group_never_does() {
    use carrel_core::share::waiting_for_tier;
    let mut world = World::new(Some(Grant::new(user(ME), Role::Owner)));
    world.tiers.insert(BOB, TierSet::NONE);
    let mut ctx = world.ctx();
    ctx.tier = AccessTier::Controlled;
    assert_eq!(
        waiting_for_tier(&ctx, &user(BOB)),
        Some(AccessTier::Controlled)
    );
    assert_eq!(waiting_for_tier(&ctx, &user(ALICE)), None);
    assert_eq!(waiting_for_tier(&ctx, &Principal::Group(GroupId(9))), None);
    let invited = Principal::Invitation(Email::parse("new@x.org").unwrap());
    assert_eq!(
        waiting_for_tier(&ctx, &invited),
        Some(AccessTier::Controlled)
    );
}
