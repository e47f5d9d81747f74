//! The share dialog, mounted in headless Chromium: for each kind of actor it offers exactly the
//! roles and flags `core` allows, computed in the browser.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use carrel_core::api::{AclEntryView, AclView, ActorView, PrincipalRef, PrincipalView};
use carrel_core::share::ShareRefusal;
use carrel_core::{
    AccessTier, BillingProjectId, Grant, GroupId, Principal, Reason, Role, TierSet, UserId,
};
use carrel_web::api::WorkspaceAddress;
use carrel_web::components::share_dialog::ShareDialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn person(id: u64, name: &str) -> PrincipalView {
    PrincipalView {
        principal: Principal::User(UserId(id)),
        reference: PrincipalRef::User {
            email: format!("{}@lab.org", name.to_lowercase()),
        },
        label: name.to_owned(),
    }
}

fn entry(who: PrincipalView, grant: Grant) -> AclEntryView {
    AclEntryView {
        who,
        role: grant.role,
        can_share: grant.can_share,
        can_compute: grant.can_compute,
        waiting_for_tier: None,
        tiers: TierSet::of(&[AccessTier::Registered]),
    }
}

/// Alice owns the workspace; Bob reads; the lab group writes and computes; "Me" holds `mine`.
fn acl_for(mine: Grant) -> AclView {
    let me = UserId(1);
    let lab = PrincipalView {
        principal: Principal::Group(GroupId(9)),
        reference: PrincipalRef::Group { name: "lab".into() },
        label: "lab".into(),
    };
    let entries = vec![
        entry(
            person(2, "Alice"),
            Grant::new(Principal::User(UserId(2)), Role::Owner),
        ),
        entry(
            person(3, "Bob"),
            Grant::new(Principal::User(UserId(3)), Role::Reader),
        ),
        entry(
            lab,
            Grant::new(Principal::Group(GroupId(9)), Role::Writer).with_flags(false, true),
        ),
        entry(person(1, "Me"), mine),
    ];
    let mut view = AclView {
        version: 4,
        entries,
        tier: AccessTier::Registered,
        locked: false,
        billing_project: BillingProjectId(5),
        project_owners: vec![],
        me: ActorView {
            user: me,
            tiers: TierSet::of(&[AccessTier::Registered]),
            groups: vec![],
            owned_billing_projects: vec![],
        },
        plan: carrel_core::share::SharePlan {
            new_grant: Err(ShareRefusal::NoSuchGrant),
            entries: vec![],
        },
    };
    view.plan = view.plan();
    view
}

fn mount(view: AclView) -> HtmlElement {
    let root: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    mount_to(root.clone(), move || {
        view! { <ShareDialog at=WorkspaceAddress::new("lab", "study") display_name="Study".to_owned() view on_close=|_| {}/> }
    })
    .forget();
    root
}

fn options(select: &Element) -> Vec<String> {
    let select: HtmlSelectElement = select.clone().dyn_into().unwrap();
    (0..select.length())
        .map(|i| select.item(i).unwrap().get_attribute("value").unwrap())
        .collect()
}

fn row_select(root: &HtmlElement, who: &str) -> HtmlSelectElement {
    root.query_selector(&format!("select[aria-label='Role of {who}']"))
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap()
}

fn roles(list: &[Role]) -> Vec<String> {
    list.iter().map(|r| r.as_str().to_owned()).collect()
}

#[wasm_bindgen_test]
async fn an_owner_is_offered_every_role_and_both_flags() {
    let view = acl_for(Grant::new(Principal::User(UserId(1)), Role::Owner));
    let plan = view.plan();
    let root = mount(view);
    leptos::task::tick().await;
    let new_role = root.query_selector("#share-new-role").unwrap().unwrap();
    assert_eq!(options(&new_role), ["reader", "writer", "owner"]);
    assert_eq!(options(&new_role), roles(&plan.new_grant.unwrap().roles));
    assert_eq!(
        options(&row_select(&root, "Bob")),
        ["reader", "writer", "owner"]
    );
    let mine = row_select(&root, "Me");
    assert!(mine.disabled(), "nobody changes their own grant");
    assert_eq!(mine.title(), ShareRefusal::SelfChange.to_string());
    let bob_share: web_sys::HtmlInputElement = root
        .query_selector("input[aria-label='Bob can share']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(!bob_share.disabled(), "owners set flags");
}

#[wasm_bindgen_test]
async fn a_writer_who_can_share_is_offered_readers_and_writers_without_flags() {
    let root = mount(acl_for(
        Grant::new(Principal::User(UserId(1)), Role::Writer).with_flags(true, false),
    ));
    leptos::task::tick().await;
    let new_role = root.query_selector("#share-new-role").unwrap().unwrap();
    assert_eq!(options(&new_role), ["reader", "writer"]);
    assert_eq!(options(&row_select(&root, "Bob")), ["reader", "writer"]);
    let alice = row_select(&root, "Alice");
    assert!(alice.disabled());
    assert_eq!(
        alice.title(),
        ShareRefusal::CannotTouch { role: Role::Owner }.to_string()
    );
    assert!(
        row_select(&root, "lab").disabled(),
        "a writer with can-compute was granted by an owner"
    );
    let bob_share: web_sys::HtmlInputElement = root
        .query_selector("input[aria-label='Bob can share']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(bob_share.disabled(), "only owners set flags");
}

#[wasm_bindgen_test]
async fn a_reader_who_can_share_is_offered_readers_only() {
    let root = mount(acl_for(
        Grant::new(Principal::User(UserId(1)), Role::Reader).with_flags(true, false),
    ));
    leptos::task::tick().await;
    let new_role = root.query_selector("#share-new-role").unwrap().unwrap();
    assert_eq!(options(&new_role), ["reader"]);
    assert_eq!(options(&row_select(&root, "Bob")), ["reader"]);
    assert!(row_select(&root, "Alice").disabled());
}

#[wasm_bindgen_test]
async fn a_reader_without_can_share_cannot_add_anyone_and_is_told_why() {
    let root = mount(acl_for(Grant::new(
        Principal::User(UserId(1)),
        Role::Reader,
    )));
    leptos::task::tick().await;
    assert!(
        root.query_selector("#share-new-role").unwrap().is_none(),
        "no way to add anyone"
    );
    let closed = root.query_selector(".share-closed").unwrap().unwrap();
    assert_eq!(
        closed.text_content().unwrap(),
        ShareRefusal::CannotShare {
            reason: Reason::MissingCanShare
        }
        .to_string()
    );
    for who in ["Alice", "Bob", "lab", "Me"] {
        assert!(
            row_select(&root, who).disabled(),
            "{who}'s row is read-only"
        );
    }
}

/// Sends a keydown from `target` the way a browser would (bubbling, cancelable); `false` when the
/// dialog took the key.
fn press(target: &HtmlElement, key: &str, shift: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap()
}

fn focused() -> Element {
    document().active_element().unwrap()
}

#[wasm_bindgen_test]
async fn tab_and_shift_tab_wrap_around_inside_the_dialog() {
    let root = mount(acl_for(Grant::new(Principal::User(UserId(1)), Role::Owner)));
    leptos::task::tick().await;
    let dialog = root.query_selector("[role=dialog]").unwrap().unwrap();
    let close: HtmlElement = dialog
        .query_selector("button[aria-label='Close']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();

    close.focus().unwrap();
    assert!(
        !press(&close, "Tab", true),
        "Shift+Tab on the first control is taken"
    );
    let last: HtmlElement = focused().dyn_into().unwrap();
    assert!(dialog.contains(Some(&last)), "focus stays in the dialog");
    assert_ne!(last, close, "and moves to its last control");

    assert!(
        !press(&last, "Tab", false),
        "Tab on the last control is taken"
    );
    assert_eq!(
        focused(),
        *close.unchecked_ref::<Element>(),
        "back to the first"
    );

    let search: HtmlElement = dialog
        .query_selector("#share-search")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    search.focus().unwrap();
    assert!(
        press(&search, "Tab", false),
        "Tab between controls is left to the browser"
    );
    assert_eq!(focused(), *search.unchecked_ref::<Element>());
}

#[wasm_bindgen_test]
async fn focus_starts_inside_the_dialog_even_for_someone_who_cannot_add_anyone() {
    let root = mount(acl_for(Grant::new(
        Principal::User(UserId(1)),
        Role::Reader,
    )));
    leptos::task::tick().await;
    let close = root
        .query_selector("[role=dialog] button[aria-label='Close']")
        .unwrap()
        .unwrap();
    assert_eq!(focused(), close, "no search box: focus goes to Close");
}
