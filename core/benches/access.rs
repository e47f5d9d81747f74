//! One permission check, Carrel beside Cedar, on the same decisions in the same run:
//! 10,000 groups in chains nested 8 deep, 1,000 users, one workspace with 10 grants.
//!
//! Run: `cargo bench -p carrel-core --bench access`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "../tests/support/cedar.rs"]
mod cedar;

use std::collections::BTreeMap;
use std::hint::black_box;

use cedar_policy::Authorizer;
use criterion::{criterion_group, criterion_main, Criterion};

use carrel_core::access::WorkspaceFacts;
use carrel_core::groups::GroupGraph;
use carrel_core::share::{plan, validate, Acl, AclChange, ShareContext, MAX_ACL_ENTRIES};
use carrel_core::{
    authorize, effective_access, AccessTier, Action, Actor, BillingProjectId, Grant, GroupId,
    Principal, Role, TierSet, UserId,
};

const GROUPS: u64 = 10_000;
const DEPTH: u64 = 8;
const CHAINS: u64 = GROUPS / DEPTH;
const USERS: u64 = 1_000;
const PROJECT: BillingProjectId = BillingProjectId(1);

/// Group `chain * DEPTH + level`; level 0 is the innermost, level 7 the outermost.
fn group(chain: u64, level: u64) -> u64 {
    chain * DEPTH + level
}

struct Bench {
    nesting: Vec<(u64, u64)>,
    memberships: Vec<(u64, u64)>,
    users: Vec<(u64, TierSet)>,
    grants: Vec<Grant>,
    graph: GroupGraph,
}

fn build() -> Bench {
    let mut nesting = Vec::new();
    let mut graph = GroupGraph::default();
    for chain in 0..CHAINS {
        for level in 0..DEPTH - 1 {
            nesting.push((group(chain, level + 1), group(chain, level)));
            graph.add_edge(
                GroupId(group(chain, level + 1)),
                GroupId(group(chain, level)),
            );
        }
    }
    let memberships = (0..USERS).map(|u| (u, group(u % CHAINS, 0))).collect();
    let tiers = TierSet::of(&[AccessTier::Registered, AccessTier::Controlled]);
    let users = (0..USERS).map(|u| (u, tiers)).collect();
    let top = |chain| Principal::Group(GroupId(group(chain, DEPTH - 1)));
    let mut grants = vec![
        Grant::new(top(0), Role::Writer).with_flags(false, true),
        Grant::new(Principal::User(UserId(999)), Role::Owner),
    ];
    grants.extend((1..=5).map(|u| Grant::new(Principal::User(UserId(500 + u)), Role::Reader)));
    grants.extend((1..=3).map(|c| Grant::new(top(c + 100), Role::Reader)));
    Bench {
        nesting,
        memberships,
        users,
        grants,
        graph,
    }
}

fn checks(c: &mut Criterion) {
    let bench = build();
    let facts = WorkspaceFacts {
        tier: AccessTier::Controlled,
        locked: false,
        billing_project: PROJECT,
        grants: &bench.grants,
    };
    let tiers = bench.users[0].1;
    // User 0 is in group(0, 0), which is nested 8 deep up to the group that holds the grant.
    let deep_groups = bench.graph.closure(&[GroupId(group(0, 0))]);
    assert_eq!(deep_groups.len(), DEPTH as usize);
    let deep = Actor {
        user: UserId(0),
        tiers,
        groups: &deep_groups,
        owned_billing_projects: &[],
    };
    // User 501 is a direct reader: writing is refused.
    let reader_groups = bench.graph.closure(&[GroupId(group(501 % CHAINS, 0))]);
    let reader = Actor {
        user: UserId(501),
        tiers,
        groups: &reader_groups,
        owned_billing_projects: &[],
    };
    assert!(authorize(&deep, &facts, Action::Write).is_allowed());
    assert!(!authorize(&reader, &facts, Action::Write).is_allowed());

    let owners: Vec<u64> = vec![];
    let entities = cedar::CedarWorld {
        users: &bench.users,
        memberships: &bench.memberships,
        nesting: &bench.nesting,
        groups: GROUPS,
        project_owners: &owners,
        grants: &bench.grants,
        tier: AccessTier::Controlled,
        locked: false,
    }
    .entities();
    let policies = cedar::policies();
    let authorizer = Authorizer::new();
    assert!(cedar::is_allowed(
        &authorizer,
        &policies,
        &entities,
        0,
        Action::Write
    ));
    assert!(!cedar::is_allowed(
        &authorizer,
        &policies,
        &entities,
        501,
        Action::Write
    ));

    // Requests are built once, as a server would parse them once: only the decision is timed.
    let deep_request = cedar::request(0, Action::Write);
    let reader_request = cedar::request(501, Action::Write);

    let mut allowed = c.benchmark_group("write allowed through a group 8 levels up");
    allowed.bench_function("carrel", |b| {
        b.iter(|| {
            authorize(
                black_box(&deep),
                black_box(&facts),
                black_box(Action::Write),
            )
        })
    });
    allowed.bench_function("cedar", |b| {
        b.iter(|| cedar::decide(&authorizer, &policies, &entities, black_box(&deep_request)))
    });
    allowed.finish();

    let mut refused = c.benchmark_group("write refused to a direct reader");
    refused.bench_function("carrel", |b| {
        b.iter(|| {
            authorize(
                black_box(&reader),
                black_box(&facts),
                black_box(Action::Write),
            )
        })
    });
    refused.bench_function("cedar", |b| {
        b.iter(|| {
            cedar::decide(
                &authorizer,
                &policies,
                &entities,
                black_box(&reader_request),
            )
        })
    });
    refused.finish();

    c.bench_function("effective access through 8 nested groups (carrel)", |b| {
        b.iter(|| effective_access(black_box(&deep), black_box(&facts)))
    });
    c.bench_function("group closure of a user, 8 levels (carrel)", |b| {
        b.iter(|| bench.graph.closure(black_box(&[GroupId(group(0, 0))])))
    });

    let owner_groups = bench.graph.closure(&[GroupId(group(999 % CHAINS, 0))]);
    let user_tiers: BTreeMap<UserId, TierSet> =
        bench.users.iter().map(|(u, t)| (UserId(*u), *t)).collect();
    let ctx = ShareContext {
        actor: Actor {
            user: UserId(999),
            tiers,
            groups: &owner_groups,
            owned_billing_projects: &[],
        },
        tier: AccessTier::Controlled,
        locked: false,
        billing_project: PROJECT,
        project_owners: &[],
        user_tiers: &user_tiers,
    };
    let acl = Acl {
        version: 1,
        grants: bench.grants.clone(),
    };
    c.bench_function("share dialog plan for an owner, 10 entries (carrel)", |b| {
        b.iter(|| plan(black_box(&ctx), black_box(&acl)))
    });

    // A full ACL: 1,000 entries, the most one may hold.
    let mut big = acl.clone();
    big.grants.extend(
        (0..(MAX_ACL_ENTRIES - acl.grants.len()))
            .map(|i| Grant::new(Principal::User(UserId(100_000 + i as u64)), Role::Reader)),
    );
    assert_eq!(big.grants.len(), MAX_ACL_ENTRIES);
    c.bench_function(
        "share dialog plan for an owner, 1,000 entries (carrel)",
        |b| b.iter(|| plan(black_box(&ctx), black_box(&big))),
    );
    let one_change = [AclChange::Set {
        principal: Principal::User(UserId(100_000)),
        role: Role::Writer,
        can_share: None,
        can_compute: None,
    }];
    assert!(validate(&ctx, &big, 1, &one_change).is_ok());
    c.bench_function("validate one change to a 1,000-entry ACL (carrel)", |b| {
        b.iter(|| validate(black_box(&ctx), black_box(&big), 1, black_box(&one_change)))
    });
}

criterion_group!(benches, checks);
criterion_main!(benches);
