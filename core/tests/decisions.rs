//! Every actor × action decision of SPEC §4, as tables that read as the rules.
//!
//! Columns are actions; each cell is `ok` or the rule that refuses:
//! `access` no access at all · `role` the role is too low · `compute` needs can-compute ·
//! `share` needs can-share · `locked` the workspace is locked · `tier` the user lacks the
//! workspace's tier · `unreg` the user lacks the Registered Tier · `already` already locked ·
//! `unlocked` not locked · `nodirect` no direct grant to leave · `lastowner` the last direct owner.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use carrel_core::access::WorkspaceFacts;
use carrel_core::{
    authorize, AccessTier, Action, Actor, BillingProjectId, Decision, Grant, GroupId, Principal,
    Reason, Role, TierSet, UserId,
};

/// The tables' column names.
fn action_named(column: &str) -> Action {
    match column {
        "read" => Action::Read,
        "dup" => Action::Duplicate,
        "copy" => Action::CopyOut,
        "dl" => Action::Download,
        "write" => Action::Write,
        "launch" => Action::Launch,
        "about" => Action::EditAbout,
        "lock" => Action::Lock,
        "unlock" => Action::Unlock,
        "delete" => Action::Delete,
        "audit" => Action::ReadAudit,
        "share" => Action::Share,
        "leave" => Action::Leave,
        "files" => Action::ListFiles,
        "preview" => Action::ReadFiles,
        "upload" => Action::UploadFiles,
        "move" => Action::MoveFiles,
        "rmfile" => Action::DeleteFiles,
        "spend" => Action::ReadSpend,
        "tables" => Action::ReadEntities,
        "import" => Action::ImportEntities,
        "edit" => Action::EditEntities,
        "rmrow" => Action::DeleteEntities,
        "copyrows" => Action::CopyEntities,
        other => panic!("no action is called {other}"),
    }
}

/// The workspace's contents — the bucket and its spend — in the four worlds at once.
const CONTENTS: &str = "
actor            files   preview upload  move    rmfile  spend
nobody           access  access  access  access  access  access
reader           ok      ok      role    role    role    role
writer           ok      ok      ok      ok      ok      role
writer+compute   ok      ok      ok      ok      ok      role
owner            ok      ok      ok      ok      ok      ok
group-reader     ok      ok      role    role    role    role
group-writer     ok      ok      ok      ok      ok      role
project-owner    ok      ok      ok      ok      ok      ok
unregistered     unreg   unreg   unreg   unreg   unreg   unreg
";

const CONTENTS_LOCKED: &str = "
actor            files   preview upload  move    rmfile  spend
reader           ok      ok      role    role    role    role
writer           ok      ok      locked  locked  locked  role
owner            ok      ok      locked  locked  locked  ok
project-owner    ok      ok      locked  locked  locked  ok
";

const CONTENTS_WITHOUT_TIER: &str = "
actor            files   preview upload  move    rmfile  spend
reader           tier    tier    tier    tier    tier    tier
writer           tier    tier    tier    tier    tier    tier
owner            tier    tier    tier    tier    tier    tier
project-owner    tier    tier    tier    tier    tier    tier
";

/// The data tables: readers see and copy them out; writers import, edit and delete.
const TABLES: &str = "
actor            tables  import  edit    rmrow   copyrows
nobody           access  access  access  access  access
reader           ok      role    role    role    ok
reader+share     ok      role    role    role    ok
writer           ok      ok      ok      ok      ok
writer+compute   ok      ok      ok      ok      ok
owner            ok      ok      ok      ok      ok
group-reader     ok      role    role    role    ok
group-writer     ok      ok      ok      ok      ok
project-owner    ok      ok      ok      ok      ok
unregistered     unreg   unreg   unreg   unreg   unreg
";

const TABLES_LOCKED: &str = "
actor            tables  import  edit    rmrow   copyrows
reader           ok      role    role    role    ok
group-reader     ok      role    role    role    ok
group-writer     ok      locked  locked  locked  ok
writer           ok      locked  locked  locked  ok
owner            ok      locked  locked  locked  ok
project-owner    ok      locked  locked  locked  ok
";

const TABLES_WITHOUT_TIER: &str = "
actor            tables  import  edit    rmrow   copyrows
reader           tier    tier    tier    tier    tier
group-reader     tier    tier    tier    tier    tier
group-writer     tier    tier    tier    tier    tier
writer           tier    tier    tier    tier    tier
owner            tier    tier    tier    tier    tier
project-owner    tier    tier    tier    tier    tier
";

/// A Controlled Tier workspace, unlocked, and the actor holds the tier.
const UNLOCKED_WITH_TIER: &str = "
actor            read  dup   copy  dl    write    launch   about  lock     unlock    delete  audit  share  leave
nobody           access access access access access access access access  access    access  access access nodirect
reader           ok    ok    ok    ok    role     role     role   role     role      role    role   share  ok
reader+share     ok    ok    ok    ok    role     role     role   role     role      role    role   ok     ok
writer           ok    ok    ok    ok    ok       compute  role   role     role      role    role   share  ok
writer+compute   ok    ok    ok    ok    ok       ok       role   role     role      role    role   share  ok
writer+share     ok    ok    ok    ok    ok       compute  role   role     role      role    role   ok     ok
owner            ok    ok    ok    ok    ok       ok       ok     ok       unlocked  ok      ok     ok     lastowner
co-owner         ok    ok    ok    ok    ok       ok       ok     ok       unlocked  ok      ok     ok     ok
group-reader     ok    ok    ok    ok    role     role     role   role     role      role    role   share  nodirect
group-writer     ok    ok    ok    ok    ok       ok       role   role     role      role    role   share  nodirect
project-owner    ok    ok    ok    ok    ok       ok       ok     ok       unlocked  ok      ok     ok     nodirect
unregistered     unreg unreg unreg unreg unreg    unreg    unreg  unreg    unreg     unreg   unreg  unreg  ok
";

/// The same workspace, locked: no writes, compute, About edits or deletion; sharing still works.
const LOCKED_WITH_TIER: &str = "
actor            read  dup   copy  dl    write    launch   about  lock     unlock    delete  audit  share  leave
nobody           access access access access access access access access  access    access  access access nodirect
reader           ok    ok    ok    ok    role     role     role   role     role      role    role   share  ok
reader+share     ok    ok    ok    ok    role     role     role   role     role      role    role   ok     ok
writer           ok    ok    ok    ok    locked   compute  role   role     role      role    role   share  ok
writer+compute   ok    ok    ok    ok    locked   locked   role   role     role      role    role   share  ok
writer+share     ok    ok    ok    ok    locked   compute  role   role     role      role    role   ok     ok
owner            ok    ok    ok    ok    locked   locked   locked already  ok        locked  ok     ok     lastowner
co-owner         ok    ok    ok    ok    locked   locked   locked already  ok        locked  ok     ok     ok
group-reader     ok    ok    ok    ok    role     role     role   role     role      role    role   share  nodirect
group-writer     ok    ok    ok    ok    locked   locked   role   role     role      role    role   share  nodirect
project-owner    ok    ok    ok    ok    locked   locked   locked already  ok        locked  ok     ok     nodirect
unregistered     unreg unreg unreg unreg unreg    unreg    unreg  unreg    unreg     unreg   unreg  unreg  ok
";

/// The actor lacks the Controlled Tier: the contents stay closed; an owner can still delete it.
const UNLOCKED_WITHOUT_TIER: &str = "
actor            read  dup   copy  dl    write    launch   about  lock     unlock    delete  audit  share  leave
nobody           access access access access access access access access  access    access  access access nodirect
reader           tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
reader+share     tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
writer           tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
writer+compute   tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
writer+share     tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
owner            tier  tier  tier  tier  tier     tier     tier   tier     tier      ok      tier   tier   lastowner
co-owner         tier  tier  tier  tier  tier     tier     tier   tier     tier      ok      tier   tier   ok
group-reader     tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   nodirect
group-writer     tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   nodirect
project-owner    tier  tier  tier  tier  tier     tier     tier   tier     tier      ok      tier   tier   nodirect
unregistered     unreg unreg unreg unreg unreg    unreg    unreg  unreg    unreg     unreg   unreg  unreg  ok
";

/// Without the tier and locked: even an owner must unlock before deleting — and cannot unlock
/// without the tier, so a site admin's tier grant comes first.
const LOCKED_WITHOUT_TIER: &str = "
actor            read  dup   copy  dl    write    launch   about  lock     unlock    delete  audit  share  leave
reader           tier  tier  tier  tier  tier     tier     tier   tier     tier      tier    tier   tier   ok
owner            tier  tier  tier  tier  tier     tier     tier   tier     tier      locked  tier   tier   lastowner
project-owner    tier  tier  tier  tier  tier     tier     tier   tier     tier      locked  tier   tier   nodirect
";

const ME: UserId = UserId(1);
const OTHER_OWNER: UserId = UserId(2);
const LAB_GROUP: GroupId = GroupId(10);
const PROJECT: BillingProjectId = BillingProjectId(100);

struct Case {
    tiers: TierSet,
    groups: Vec<GroupId>,
    owned_projects: Vec<BillingProjectId>,
    grants: Vec<Grant>,
}

/// The world for one row: the actor's grants and memberships, plus a second direct owner
/// (`co-owner` rows), so that `leave` can be told apart.
fn case(actor: &str, has_tier: bool) -> Case {
    let me = Principal::User(ME);
    let group = Principal::Group(LAB_GROUP);
    let mut tiers = TierSet::of(&[AccessTier::Registered]);
    if has_tier {
        tiers = tiers.with(AccessTier::Controlled);
    }
    let mut groups = Vec::new();
    let mut owned_projects = Vec::new();
    let sole_owner_is_someone_else = Grant::new(Principal::User(OTHER_OWNER), Role::Owner);
    let mut grants = match actor {
        "nobody" => vec![],
        "reader" => vec![Grant::new(me, Role::Reader)],
        "reader+share" => vec![Grant::new(me, Role::Reader).with_flags(true, false)],
        "writer" => vec![Grant::new(me, Role::Writer)],
        "writer+compute" => vec![Grant::new(me, Role::Writer).with_flags(false, true)],
        "writer+share" => vec![Grant::new(me, Role::Writer).with_flags(true, false)],
        "owner" => {
            return Case {
                tiers,
                groups,
                owned_projects,
                grants: vec![Grant::new(me, Role::Owner)],
            }
        }
        "co-owner" => vec![Grant::new(me, Role::Owner)],
        "group-reader" => {
            groups.push(LAB_GROUP);
            vec![Grant::new(group, Role::Reader)]
        }
        "group-writer" => {
            groups.push(LAB_GROUP);
            vec![Grant::new(group, Role::Writer).with_flags(false, true)]
        }
        "project-owner" => {
            owned_projects.push(PROJECT);
            vec![]
        }
        "unregistered" => {
            tiers = TierSet::NONE;
            vec![Grant::new(me, Role::Owner)]
        }
        other => panic!("unknown actor {other}"),
    };
    grants.push(sole_owner_is_someone_else);
    Case {
        tiers,
        groups,
        owned_projects,
        grants,
    }
}

fn cell(decision: &Decision) -> &'static str {
    match decision {
        Decision::Allow => "ok",
        Decision::Deny(reason) => match reason {
            Reason::NoAccess => "access",
            Reason::RoleTooLow { .. } => "role",
            Reason::MissingCanCompute => "compute",
            Reason::MissingCanShare => "share",
            Reason::Locked { .. } => "locked",
            Reason::MissingTier { .. } => "tier",
            Reason::NotRegistered => "unreg",
            Reason::AlreadyLocked => "already",
            Reason::NotLocked => "unlocked",
            Reason::NoDirectGrant => "nodirect",
            Reason::LastDirectOwner => "lastowner",
            Reason::NotSiteAdmin => "siteadmin",
        },
    }
}

fn check_table(table: &str, locked: bool, has_tier: bool) {
    let mut rows = table.lines().filter(|line| !line.trim().is_empty());
    let header: Vec<&str> = rows.next().unwrap().split_whitespace().collect();
    let actions: Vec<Action> = header[1..].iter().map(|name| action_named(name)).collect();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for row in rows {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells.len(), header.len(), "row {row:?}");
        let world = case(cells[0], has_tier);
        let actor = Actor {
            user: ME,
            tiers: world.tiers,
            groups: &world.groups,
            owned_billing_projects: &world.owned_projects,
        };
        let workspace = WorkspaceFacts {
            tier: AccessTier::Controlled,
            locked,
            billing_project: PROJECT,
            grants: &world.grants,
        };
        for (action, expected) in actions.iter().zip(&cells[1..]) {
            let decision = authorize(&actor, &workspace, *action);
            if let Decision::Deny(reason) = &decision {
                assert!(
                    !reason.to_string().is_empty(),
                    "every refusal explains itself"
                );
            }
            let got = cell(&decision);
            checked += 1;
            if got != *expected {
                mismatches.push(format!(
                    "{} {:?}: expected {expected}, got {got}",
                    cells[0], action
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(checked >= 24);
}

#[test]
fn the_bucket_and_spend_follow_the_same_rules() {
    check_table(CONTENTS, false, true);
    check_table(CONTENTS_LOCKED, true, true);
    check_table(CONTENTS_WITHOUT_TIER, false, false);
}

#[test]
fn the_data_tables_follow_the_same_rules() {
    check_table(TABLES, false, true);
    check_table(TABLES_LOCKED, true, true);
    check_table(TABLES_WITHOUT_TIER, false, false);
}

#[test]
fn every_action_has_a_column() {
    let tables = [
        UNLOCKED_WITH_TIER,
        LOCKED_WITH_TIER,
        UNLOCKED_WITHOUT_TIER,
        LOCKED_WITHOUT_TIER,
        CONTENTS,
        CONTENTS_LOCKED,
        CONTENTS_WITHOUT_TIER,
        TABLES,
        TABLES_LOCKED,
        TABLES_WITHOUT_TIER,
    ];
    for action in Action::ALL {
        let named = tables.iter().any(|table| {
            table
                .lines()
                .find(|line| !line.trim().is_empty())
                .is_some_and(|header| {
                    header
                        .split_whitespace()
                        .skip(1)
                        .any(|name| action_named(name) == action)
                })
        });
        assert!(named, "{action:?} has no column in the decision tables");
    }
}

#[test]
fn unlocked_workspace_with_the_tier() {
    check_table(UNLOCKED_WITH_TIER, false, true);
}

#[test]
fn locked_workspace_with_the_tier() {
    check_table(LOCKED_WITH_TIER, true, true);
}

#[test]
fn unlocked_workspace_without_the_tier() {
    check_table(UNLOCKED_WITHOUT_TIER, false, false);
}

#[test]
fn locked_workspace_without_the_tier() {
    check_table(LOCKED_WITHOUT_TIER, true, false);
}

#[test]
fn refusals_render_as_sentences_that_name_the_rule() {
    let reason = Reason::RoleTooLow {
        action: Action::Write,
        needed: Role::Writer,
        held: Role::Reader,
    };
    assert_eq!(
        reason.to_string(),
        "Only writers can edit this workspace; you are a reader."
    );
    assert_eq!(
        Reason::MissingTier {
            tier: AccessTier::Controlled
        }
        .to_string(),
        "Complete the requirements for the Controlled Tier to open this workspace."
    );
    assert_eq!(reason.code(), "role_too_low");
}
