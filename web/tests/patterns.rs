//! The page patterns every page copies, mounted in headless Chromium: dialogs that give focus
//! back and ask before throwing edits away, confirmations, tabs on arrow keys, and an Add that
//! keeps what was typed when it is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use carrel_core::api::ErrorDetail;
use carrel_core::groups::GroupRole;
use carrel_core::Email;
use carrel_web::api::ApiError;
use carrel_web::components::member_table::{AddMember, MemberRow, MemberTable};
use carrel_web::components::modal::{CloseButton, Modal};
use carrel_web::components::tabs::Tabs;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

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

fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap()
}

fn focused() -> Element {
    document().active_element().unwrap()
}

fn press(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn type_into(input: &HtmlElement, value: &str) {
    let input: HtmlInputElement = input.clone().dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

async fn settle() {
    for _ in 0..4 {
        leptos::task::tick().await;
        gloo_timers_like_frame().await;
    }
}

/// One animation frame (focus moves happen on the next frame).
async fn gloo_timers_like_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A page with an "Open" button and a dialog holding one text field.
fn dialog_page(root: &HtmlElement) -> RwSignal<bool> {
    let open = RwSignal::new(false);
    mount_to(root.clone(), move || {
        let text = RwSignal::new(String::new());
        view! {
            <button id="opener" on:click=move |_| open.set(true)>"Open"</button>
            {move || open.get().then(|| view! {
                <Modal title="Edit" on_close=move |()| open.set(false)
                    unsaved=Signal::derive(move || !text.get().is_empty())>
                    <input id="dialog-text" data-autofocus="" prop:value=move || text.get()
                        on:input=move |e| text.set(event_target_value(&e))/>
                    <footer class="dialog-foot"><CloseButton/></footer>
                </Modal>
            })}
        }
    })
    .forget();
    open
}

#[wasm_bindgen_test]
async fn a_dialog_takes_focus_and_gives_it_back_to_its_opener() {
    let root = container();
    let open = dialog_page(&root);
    let opener = find(&root, "#opener");
    opener.focus().unwrap();
    opener.click();
    settle().await;
    assert!(open.get_untracked());
    assert_eq!(focused().id(), "dialog-text", "focus moves into the dialog");

    press(&find(&root, "#dialog-text"), "Escape");
    settle().await;
    assert!(
        !open.get_untracked(),
        "Escape closes a dialog with nothing to lose"
    );
    assert_eq!(focused().id(), "opener", "focus is back on the opener");
}

#[wasm_bindgen_test]
async fn closing_a_dialog_with_edits_asks_before_discarding_them() {
    let root = container();
    let open = dialog_page(&root);
    find(&root, "#opener").click();
    settle().await;
    type_into(&find(&root, "#dialog-text"), "half a thought");
    press(&find(&root, "#dialog-text"), "Escape");
    settle().await;
    assert!(
        open.get_untracked(),
        "the edits are not thrown away on Escape"
    );
    let prompt = find(&root, "#discard-title");
    assert_eq!(prompt.text_content().unwrap(), "Discard unsaved changes?");
    assert_eq!(focused().text_content().unwrap(), "Keep editing");

    focused().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let input: HtmlInputElement = find(&root, "#dialog-text").dyn_into().unwrap();
    assert_eq!(
        input.value(),
        "half a thought",
        "keep editing keeps the text"
    );

    find(&root, ".dialog-foot .button--quiet").click();
    settle().await;
    let discard = root
        .query_selector(".discard .button--danger")
        .unwrap()
        .expect("Cancel asks too");
    discard.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    assert!(!open.get_untracked(), "discarding closes the dialog");
}

#[wasm_bindgen_test]
async fn tabs_follow_the_arrow_keys() {
    let root = container();
    let selected = RwSignal::new(2usize);
    mount_to(root.clone(), move || {
        view! { <Tabs label="Sections" tabs=vec![(0usize, "Data"), (1, "Analysis"), (2, "About")] selected/> }
    })
    .forget();
    settle().await;
    let about = find(&root, "#tab-About");
    assert_eq!(about.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        find(&root, "#tab-Data")
            .get_attribute("tabindex")
            .as_deref(),
        Some("-1"),
        "one tab stop for the list"
    );
    about.focus().unwrap();
    press(&about, "ArrowLeft");
    settle().await;
    assert_eq!(selected.get_untracked(), 1);
    assert_eq!(focused().id(), "tab-Analysis");
    press(&find(&root, "#tab-Analysis"), "End");
    settle().await;
    assert_eq!(selected.get_untracked(), 2);
    press(&find(&root, "#tab-About"), "ArrowRight");
    settle().await;
    assert_eq!(selected.get_untracked(), 0, "wraps around");
    assert_eq!(
        find(&root, "#tab-Data")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
}

fn refused(message: &str) -> ApiError {
    ApiError::Server {
        status: 400,
        detail: Box::new(ErrorDetail::new("unknown_principal", message)),
    }
}

#[wasm_bindgen_test]
async fn an_add_that_is_refused_keeps_the_text_and_says_why_beside_the_field() {
    let root = container();
    let sent = RwSignal::new(Vec::<String>::new());
    mount_to(root.clone(), move || {
        let add = Action::new_local(move |(who, _): &(String, GroupRole)| {
            sent.update(|list| list.push(who.clone()));
            async move { Err::<(), _>(refused("There is no account with this email.")) }
        });
        view! {
            <AddMember id="member-email" label="Add a person" check=|raw| Email::parse(raw).map(|_| ())
                add on_added=|_| {}/>
        }
    })
    .forget();
    settle().await;
    find(&root, "button[type=submit]").click();
    settle().await;
    let message = find(&root, "#member-email-message").text_content().unwrap();
    assert_eq!(
        message,
        Email::parse("").unwrap_err().message,
        "an empty Add says what is missing"
    );
    assert!(sent.get_untracked().is_empty(), "nothing is sent");
    assert_eq!(
        find(&root, "#member-email")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(focused().id(), "member-email", "focus goes to the field");

    type_into(&find(&root, "#member-email"), "nobody@lab.org");
    find(&root, "button[type=submit]").click();
    settle().await;
    assert_eq!(sent.get_untracked(), vec!["nobody@lab.org".to_owned()]);
    let input: HtmlInputElement = find(&root, "#member-email").dyn_into().unwrap();
    assert_eq!(input.value(), "nobody@lab.org", "the typed text stays");
    assert_eq!(
        find(&root, "#member-email-message").text_content().unwrap(),
        "There is no account with this email."
    );
}

#[wasm_bindgen_test]
async fn lowering_a_role_or_removing_a_member_is_confirmed_first() {
    let root = container();
    let changes = RwSignal::new(Vec::<String>::new());
    mount_to(root.clone(), move || {
        let set_role = Action::new_local(move |(who, role): &(String, GroupRole)| {
            changes.update(|list| list.push(format!("{who} {}", role.as_str())));
            async move { Ok::<(), ApiError>(()) }
        });
        let remove = Action::new_local(move |who: &String| {
            changes.update(|list| list.push(format!("{who} removed")));
            async move { Ok::<(), ApiError>(()) }
        });
        let rows = vec![
            MemberRow { key: "ana@lab.org".into(), name: "Ana".into(), detail: String::new(), role: Some(GroupRole::Admin) },
            MemberRow { key: "cory@lab.org".into(), name: "Cory".into(), detail: String::new(), role: Some(GroupRole::Member) },
        ];
        view! { <MemberTable caption="Members" rows may_manage=true set_role remove on_changed=|_| {}/> }
    })
    .forget();
    settle().await;

    let choose = |who: &str, role: &str| {
        let select: HtmlSelectElement = find(&root, &format!("select[aria-label='Role of {who}']"))
            .dyn_into()
            .unwrap();
        select.set_value(role);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        select
            .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
            .unwrap();
    };
    choose("cory@lab.org", "admin");
    settle().await;
    assert_eq!(
        changes.get_untracked(),
        vec!["cory@lab.org admin".to_owned()],
        "raising is not asked"
    );

    choose("ana@lab.org", "member");
    settle().await;
    assert_eq!(
        changes.get_untracked().len(),
        1,
        "lowering waits for a confirmation"
    );
    assert_eq!(
        find(&root, "#confirm-title").text_content().unwrap(),
        "Make Ana Member?"
    );
    assert_eq!(
        focused().text_content().unwrap(),
        "Cancel",
        "the safe choice has the focus"
    );
    focused().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let select: HtmlSelectElement = find(&root, "select[aria-label='Role of ana@lab.org']")
        .dyn_into()
        .unwrap();
    assert_eq!(
        select.value(),
        "admin",
        "a cancelled lowering puts the role back"
    );

    find(&root, "button[aria-label='Remove cory@lab.org']").click();
    settle().await;
    assert_eq!(
        find(&root, "#confirm-title").text_content().unwrap(),
        "Remove Cory?"
    );
    find(&root, "[role=alertdialog] .button--danger").click();
    settle().await;
    assert_eq!(
        changes.get_untracked().last().unwrap(),
        "cory@lab.org removed"
    );
    assert!(
        root.query_selector("#confirm-title").unwrap().is_none(),
        "the dialog closes once done"
    );
}
