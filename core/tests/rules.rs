//! Rules that used to live in the server or the web app, now `core`'s, as tables.

use carrel_core::billing::{self, BillingRefusal, BillingRole};
use carrel_core::groups::{self, GroupRefusal, GroupRole};
use carrel_core::workspace::confirms_deletion;
use carrel_core::{Role, UserId};

const LAST: UserId = UserId(1);
const OTHER: UserId = UserId(2);

#[test]
fn a_role_decides_its_flags() {
    // (role, asked share, asked compute) -> (share, compute)
    let table = [
        (Role::Owner, false, false, (true, true)),
        (Role::Owner, true, false, (true, true)),
        (Role::Writer, false, true, (false, true)),
        (Role::Writer, true, false, (true, false)),
        (Role::Reader, true, true, (true, false)),
        (Role::Reader, false, true, (false, false)),
    ];
    for (role, share, compute, expected) in table {
        assert_eq!(
            role.flags(share, compute),
            expected,
            "{role:?} {share} {compute}"
        );
    }
    assert!(Role::Owner.implies_flags());
    assert!(!Role::Writer.implies_flags());
    assert!(Role::Writer.chooses_compute());
    assert!(!Role::Reader.chooses_compute() && !Role::Owner.chooses_compute());
    assert_eq!(Role::Owner.flags_beyond_role(true, true), (false, false));
    assert_eq!(Role::Writer.flags_beyond_role(true, false), (true, false));
}

#[test]
fn the_last_owner_or_admin_is_never_demoted() {
    assert_eq!(
        billing::check_role_change(&[LAST], LAST, BillingRole::User),
        Err(BillingRefusal::LastOwner)
    );
    assert_eq!(
        billing::check_role_change(&[LAST], LAST, BillingRole::Owner),
        Ok(())
    );
    assert_eq!(
        billing::check_role_change(&[LAST, OTHER], LAST, BillingRole::User),
        Ok(())
    );
    assert_eq!(
        billing::check_role_change(&[LAST], OTHER, BillingRole::User),
        Ok(())
    );
    assert_eq!(
        groups::check_role_change(&[LAST], LAST, GroupRole::Member),
        Err(GroupRefusal::LastAdmin)
    );
    assert_eq!(
        groups::check_role_change(&[LAST], LAST, GroupRole::Admin),
        Ok(())
    );
    assert_eq!(
        groups::check_role_change(&[LAST, OTHER], OTHER, GroupRole::Member),
        Ok(())
    );
}

#[test]
fn members_read_a_billing_project_and_nobody_else_does() {
    assert_eq!(billing::may_read(None), Err(BillingRefusal::NotMember));
    assert_eq!(billing::may_read(Some(BillingRole::User)), Ok(()));
    assert_eq!(billing::may_read(Some(BillingRole::Owner)), Ok(()));
}

#[test]
fn a_balance_is_credits_minus_spend_and_reads_as_money() {
    assert_eq!(billing::balance_cents(30_000, 1_250), 28_750);
    assert_eq!(billing::balance_cents(100, 225), -125);
    assert_eq!(billing::format_money(28_750), "$287.50");
    assert_eq!(billing::format_money(-125), "-$1.25");
    assert_eq!(billing::format_money(5), "$0.05");
}

#[test]
fn members_and_site_admins_see_a_groups_members() {
    assert!(!groups::may_see_members(None, false));
    assert!(groups::may_see_members(None, true));
    assert!(groups::may_see_members(Some(GroupRole::Member), false));
    assert!(groups::may_see_members(Some(GroupRole::Admin), false));
}

#[test]
fn a_deletion_is_confirmed_by_the_url_name_only() {
    assert!(confirms_deletion("study", "study"));
    assert!(confirms_deletion(" study ", "study"));
    assert!(!confirms_deletion("Study", "study"));
    assert!(
        !confirms_deletion("My Study", "study"),
        "not the display name"
    );
    assert!(!confirms_deletion("", "study"));
}

#[test]
fn role_names_read_back() {
    for role in BillingRole::ALL {
        assert_eq!(BillingRole::parse(role.as_str()), Some(role));
    }
    for role in GroupRole::ALL {
        assert_eq!(GroupRole::parse(role.as_str()), Some(role));
    }
    assert_eq!(BillingRole::parse("admin"), None);
}

#[test]
fn a_change_that_takes_access_away_is_named() {
    // (before role, before flags, after) → lowers?
    let table = [
        (Role::Owner, (true, true), (Role::Writer, true, true), true),
        (
            Role::Writer,
            (false, true),
            (Role::Reader, false, false),
            true,
        ),
        (
            Role::Writer,
            (true, false),
            (Role::Writer, false, false),
            true,
        ),
        (
            Role::Writer,
            (false, true),
            (Role::Writer, false, false),
            true,
        ),
        (
            Role::Reader,
            (false, false),
            (Role::Writer, false, false),
            false,
        ),
        (
            Role::Writer,
            (false, false),
            (Role::Writer, true, true),
            false,
        ),
        (
            Role::Reader,
            (false, false),
            (Role::Reader, false, false),
            false,
        ),
        // A writer made owner gains both flags; nothing is lost.
        (
            Role::Writer,
            (true, true),
            (Role::Owner, false, false),
            false,
        ),
        // A reader keeps no compute flag to lose, whatever the row said.
        (
            Role::Reader,
            (false, true),
            (Role::Reader, false, false),
            false,
        ),
    ];
    for (before, flags, after, lowers) in table {
        assert_eq!(
            before.lowers_access(flags, after),
            lowers,
            "{before:?} {flags:?} → {after:?}"
        );
    }
    assert!(GroupRole::Admin.lowers_access(GroupRole::Member));
    assert!(!GroupRole::Member.lowers_access(GroupRole::Admin));
    assert!(!GroupRole::Admin.lowers_access(GroupRole::Admin));
    assert!(BillingRole::Owner.lowers_access(BillingRole::User));
    assert!(!BillingRole::User.lowers_access(BillingRole::Owner));
}

#[test]
fn a_billing_project_must_be_chosen() {
    let missing = billing::check_project_choice("  ").unwrap_err();
    assert_eq!(missing.field, "billing_project");
    assert!(billing::check_project_choice("smith-lab").is_ok());
}

#[test]
fn names_refuse_characters_that_hide_or_reorder_text() {
    use carrel_core::validate::{invisible_character, parse_person_name};
    use carrel_core::workspace::parse_display_name;
    for hostile in [
        "Ana\u{202E}gnp.exe",
        "Cory\u{2066}x\u{2069}",
        "Co\u{200B}ry",
        "Ana\u{200F}",
        "\u{FEFF}Ana",
        "Ana\u{00AD}Lee",
        "Lab\u{2067}",
    ] {
        let refused = parse_display_name(hostile).unwrap_err();
        assert!(
            refused.message.contains("invisible character"),
            "{hostile:?}"
        );
        assert!(parse_person_name(hostile).is_err(), "{hostile:?}");
    }
    for fine in [
        "Tumour atlas",
        "دراسة الأورام",
        "מחקר",
        "研究 2026",
        "👩‍🔬 lab",
        "Zoë's study",
    ] {
        assert_eq!(invisible_character(fine), None, "{fine:?}");
        assert!(parse_display_name(fine).is_ok(), "{fine:?}");
    }
    assert_eq!(
        invisible_character("a\u{200D}b"),
        Some('\u{200D}'),
        "a joiner between letters hides"
    );
}

mod tier_requests {
    use carrel_core::tier_requests::*;
    use carrel_core::{AccessTier, TierSet};

    const DAY: i64 = 24 * 60 * 60 * 1000;
    const REGISTERED: TierSet = TierSet::NONE;

    fn facts(tier: AccessTier) -> RequestFacts<'static> {
        RequestFacts {
            tier,
            held: REGISTERED.with(AccessTier::Registered),
            holding: None,
            pending: false,
            missing: &[],
            now: 1_000 * DAY,
        }
    }

    #[test]
    fn controlled_is_granted_and_requested_only_with_registered() {
        assert_eq!(
            check_grant(TierSet::NONE, AccessTier::Controlled),
            Err(TierRefusal::NeedsRegistered)
        );
        assert_eq!(check_grant(TierSet::NONE, AccessTier::Registered), Ok(()));
        let both = TierSet::of(&AccessTier::ALL);
        assert_eq!(
            check_revoke(both, AccessTier::Registered),
            Err(TierRefusal::ControlledStillHeld)
        );
        assert_eq!(check_revoke(both, AccessTier::Controlled), Ok(()));
        let without = RequestFacts {
            held: TierSet::NONE,
            ..facts(AccessTier::Controlled)
        };
        assert_eq!(check_request(&without), Err(TierRefusal::NeedsRegistered));
        assert_eq!(check_request(&facts(AccessTier::Controlled)), Ok(()));
    }

    #[test]
    fn a_request_waits_for_the_checklist_and_comes_once() {
        let missing = ["Training".to_owned(), "Identity".to_owned()];
        let incomplete = RequestFacts {
            missing: &missing,
            ..facts(AccessTier::Controlled)
        };
        assert_eq!(
            check_request(&incomplete),
            Err(TierRefusal::RequirementsIncomplete {
                tier: AccessTier::Controlled,
                missing: "Training, Identity".to_owned()
            })
        );
        let pending = RequestFacts {
            pending: true,
            ..facts(AccessTier::Controlled)
        };
        assert!(matches!(
            check_request(&pending),
            Err(TierRefusal::AlreadyPending { .. })
        ));
    }

    #[test]
    fn a_held_tier_is_asked_for_again_only_near_its_renewal_date() {
        let base = facts(AccessTier::Registered);
        let cases = [
            (None, false),
            (Some(base.now + 60 * DAY), false),
            (Some(base.now + 30 * DAY), true),
            (Some(base.now + DAY), true),
        ];
        for (expires_at, allowed) in cases {
            let held = RequestFacts {
                holding: Some(Holding { expires_at }),
                ..base.clone()
            };
            assert_eq!(check_request(&held).is_ok(), allowed, "{expires_at:?}");
        }
    }

    #[test]
    fn decisions_reasons_and_renewal_dates() {
        assert_eq!(check_decision(RequestStatus::Pending), Ok(()));
        assert_eq!(
            check_decision(RequestStatus::Denied),
            Err(TierRefusal::AlreadyDecided)
        );
        assert!(parse_reason(true, "").is_ok());
        assert!(parse_reason(false, "no").is_err());
        assert_eq!(
            parse_reason(false, "  Training is out of date. ").unwrap(),
            "Training is out of date."
        );
        assert!(parse_reason(true, &"x".repeat(501)).is_err());
        assert!(check_renewal_date(Some(5), 5).is_err());
        assert!(check_renewal_date(Some(6), 5).is_ok());
        assert!(check_renewal_date(None, 5).is_ok());
        assert!(has_ended(Some(5), 5));
        assert!(!has_ended(None, 5));
        assert!(parse_requirement(" ", "").is_err());
        assert!(parse_requirement("Sign\u{202E}the DUA", "").is_err());
    }
}

#[test]
fn research_purpose_answers_have_a_sensible_minimum() {
    use carrel_core::workspace::{PrimaryPurpose, ResearchPurpose};
    let purpose = ResearchPurpose {
        purposes: vec![PrimaryPurpose::DiseaseFocused],
        disease_name: "X".to_owned(),
        scientific_questions: "?".to_owned(),
        scientific_approaches: "Compare two cohorts.".to_owned(),
        anticipated_findings: "  short    ".to_owned(),
        focuses_on_underrepresented: Some(false),
        review_requested: Some(false),
        ..ResearchPurpose::default()
    };
    let problems: Vec<(String, String)> = purpose
        .problems()
        .into_iter()
        .map(|p| (p.field, p.message))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "disease_name".to_owned(),
                "Describe the disease you focus on in at least 3 characters (now 1).".to_owned()
            ),
            (
                "scientific_questions".to_owned(),
                "Describe the scientific questions you will study in at least 10 characters (now 1)."
                    .to_owned()
            ),
            (
                "anticipated_findings".to_owned(),
                "Describe the findings you anticipate in at least 10 characters (now 5).".to_owned()
            ),
        ]
    );
    let answered = ResearchPurpose {
        disease_name: "HIV".to_owned(),
        scientific_questions: "Who responds?".to_owned(),
        anticipated_findings: "A response marker.".to_owned(),
        ..purpose
    };
    assert_eq!(answered.problems(), []);
}

#[test]
fn url_names_are_readable_in_any_script() {
    use carrel_core::workspace::url_name_of;
    let table = [
        ("Heart Study 2026", "heart-study-2026"),
        ("دراسة القلب", "دراسة-القلب"),
        ("מחקר לב", "מחקר-לב"),
        ("हृदय अध्ययन", "हृदय-अध्ययन"),
        ("Café ✨ naïve", "café-naïve"),
        ("🧬🧪", "workspace"),
        ("  --  ", "workspace"),
    ];
    for (display_name, expected) in table {
        assert_eq!(url_name_of(display_name), expected, "{display_name}");
    }
}

#[test]
fn a_directory_search_reads_its_address_and_writes_it_back() {
    use carrel_core::api::{DirectoryQuery, DirectorySearch, DirectoryStatus};
    use carrel_core::workspace::PrimaryPurpose;
    for purpose in PrimaryPurpose::ALL {
        let serde_name = serde_json::to_value(purpose).unwrap();
        assert_eq!(
            serde_name,
            purpose.as_str(),
            "one name on the wire and in the filter"
        );
        assert_eq!(PrimaryPurpose::parse(purpose.as_str()), Some(purpose));
    }
    let search = DirectorySearch::parse(&DirectoryQuery {
        q: "  malaria & co ".into(),
        purpose: "genetic".into(),
        tier: "controlled".into(),
        status: "inactive".into(),
        page: Some(3),
    })
    .unwrap();
    assert_eq!(search.words, "malaria & co");
    assert_eq!(search.status, DirectoryStatus::Inactive);
    assert_eq!(search.offset(), 40);
    assert_eq!(
        search.query_string(),
        "q=malaria%20%26%20co&purpose=genetic&tier=controlled&status=inactive&page=3"
    );
    assert_eq!(
        DirectorySearch::parse(&DirectoryQuery::default())
            .unwrap()
            .query_string(),
        ""
    );
    for (query, field) in [
        (
            DirectoryQuery {
                purpose: "astrology".into(),
                ..Default::default()
            },
            "purpose",
        ),
        (
            DirectoryQuery {
                tier: "secret".into(),
                ..Default::default()
            },
            "tier",
        ),
        (
            DirectoryQuery {
                status: "hidden".into(),
                ..Default::default()
            },
            "status",
        ),
        (
            DirectoryQuery {
                page: Some(0),
                ..Default::default()
            },
            "page",
        ),
        (
            DirectoryQuery {
                q: "x".repeat(201),
                ..Default::default()
            },
            "q",
        ),
    ] {
        assert_eq!(DirectorySearch::parse(&query).unwrap_err().field, field);
    }
}
