//! Components mounted in a real headless Chromium, asserted on through the DOM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use carrel_core::api::{WorkspaceList, WorkspaceSummary};
use carrel_core::validate::{check_password, parse_person_name};
use carrel_core::{AccessTier, Email, Role};
use carrel_web::components::workspace_card::WorkspaceCard;
use carrel_web::pages::auth::{AuthForm, AuthMode};
use carrel_web::pages::workspaces::WorkspaceListView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> HtmlElement {
    let element: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

fn find(root: &HtmlElement, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

fn summary(display_name: &str, tier: AccessTier, inaccessible: Option<&str>) -> WorkspaceSummary {
    WorkspaceSummary {
        namespace: "lab".into(),
        name: display_name.to_lowercase().replace(' ', "-"),
        display_name: display_name.into(),
        tier,
        role: Role::Writer,
        can_share: false,
        can_compute: true,
        locked: false,
        creator: "postdoc@example.org".into(),
        modified_at: 1_790_000_000_000,
        inaccessible_reason: inaccessible.map(str::to_owned),
    }
}

#[wasm_bindgen_test]
async fn the_sign_up_form_shows_cores_message_for_each_field_before_sending() {
    let root = container();
    let succeeded = RwSignal::new(false);
    mount_to(root.clone(), move || {
        view! { <AuthForm mode=AuthMode::SignUp on_success=move |_| succeeded.set(true)/> }
    })
    .forget();

    type_into(&root, "#field-email", "not-an-email");
    type_into(&root, "#field-password", "short");
    find(&root, "button[type=submit]")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    leptos::task::tick().await;

    assert_eq!(
        text(&root, "#field-email-message"),
        Email::parse("not-an-email").unwrap_err().message
    );
    assert_eq!(
        text(&root, "#field-display_name-message"),
        parse_person_name("").unwrap_err().message
    );
    assert_eq!(
        text(&root, "#field-password-message"),
        check_password("short").unwrap_err().message
    );
    let email = find(&root, "#field-email");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(!succeeded.get_untracked(), "nothing was sent");
}

#[wasm_bindgen_test]
async fn a_workspace_without_the_users_tier_is_greyed_and_says_why() {
    let root = container();
    let reason = "Complete the requirements for the Controlled Tier to open this workspace.";
    let closed = summary("Cancer cohort", AccessTier::Controlled, Some(reason));
    let open = summary("Methods study", AccessTier::Registered, None);
    mount_to(root.clone(), move || {
        view! { <ul><WorkspaceCard workspace=closed/><WorkspaceCard workspace=open/></ul> }
    })
    .forget();
    leptos::task::tick().await;

    let cards = root.query_selector_all("li").unwrap();
    assert_eq!(cards.length(), 2);
    let first: Element = cards.item(0).unwrap().dyn_into().unwrap();
    assert!(first.class_list().contains("card--inaccessible"));
    assert_eq!(
        first.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(first.text_content().unwrap().contains(reason));
    assert!(
        first
            .query_selector("a[href^='/workspaces/']")
            .unwrap()
            .is_none(),
        "no link into a closed workspace"
    );
    assert!(
        first
            .query_selector("button[aria-label='Decline Cancer cohort']")
            .unwrap()
            .is_some(),
        "a workspace you cannot enter yet can be declined"
    );
    assert_eq!(
        text(&root, "li .shield"),
        "CT",
        "Controlled Tier wears the shield"
    );

    let second: Element = cards.item(1).unwrap().dyn_into().unwrap();
    assert!(!second.class_list().contains("card--inaccessible"));
    assert!(second.query_selector(".shield").unwrap().is_none());
    assert!(second.text_content().unwrap().contains("Writer"));
}

#[wasm_bindgen_test]
async fn an_empty_list_explains_where_workspaces_come_from() {
    let root = container();
    mount_to(root.clone(), || {
        view! { <WorkspaceListView result=Ok(WorkspaceList::default())/> }
    })
    .forget();
    leptos::task::tick().await;
    assert_eq!(text(&root, ".empty h2"), "No workspaces yet");
}

#[wasm_bindgen_test]
async fn the_research_purpose_form_shows_cores_message_for_each_missing_answer() {
    use carrel_core::workspace::ResearchPurpose;
    use carrel_web::pages::create::CreateWorkspacePage;
    let root = container();
    mount_to(root.clone(), || {
        view! { <leptos_router::components::Router><CreateWorkspacePage/></leptos_router::components::Router> }
    })
    .forget();
    leptos::task::tick().await;
    find(&root, "button[type=submit]")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    leptos::task::tick().await;

    let expected = ResearchPurpose::default().problems();
    assert!(expected.len() >= 5, "an empty purpose breaks several rules");
    for problem in expected
        .iter()
        .filter(|p| p.field.starts_with("scientific") || p.field == "anticipated_findings")
    {
        let shown = text(
            &root,
            &format!("[data-field={}] .field-message", problem.field),
        );
        assert_eq!(shown, problem.message, "{}", problem.field);
    }
    let page = root.text_content().unwrap();
    for problem in &expected {
        assert!(
            page.contains(&problem.message),
            "the form shows: {}",
            problem.message
        );
    }
    let name_rule = carrel_core::workspace::parse_display_name("")
        .unwrap_err()
        .message;
    assert!(page.contains(&name_rule), "the form shows: {name_rule}");
}
