//! The page patterns on the real pages: focus goes back to the button that opened a dialog,
//! edits are not thrown away without asking, tabs follow the arrow keys, an Add that is refused
//! keeps its text and says why beside the field, deleting a group is confirmed, and a page that
//! needs sign-in sends you back to it afterwards.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::Value;

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_workspace, researcher, site_admin, PASSWORD};

async fn focused_id(browser: &Browser) -> String {
    let id: Value = browser
        .client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    id.as_str().unwrap_or_default().to_owned()
}

/// Focus returns within a moment (after the page has read the workspace again).
async fn wait_for_focus(browser: &Browser, id: &str) {
    for _ in 0..50 {
        if focused_id(browser).await == id {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "focus should be on #{id}; it is on #{}",
        focused_id(browser).await
    );
}

async fn press(browser: &Browser, key: Key) {
    let focused = browser.client.active_element().await.unwrap();
    focused.send_keys(&key.to_string()).await.unwrap();
}

async fn absent(browser: &Browser, css: &str) -> bool {
    for _ in 0..50 {
        if browser.client.find(Locator::Css(css)).await.is_err() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn dialogs_tabs_and_forms_behave_the_same_on_every_page() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "ada@lab.org", "Ada").await;
    let (ada, ada_csrf) = api_session(&site.base, "ada@lab.org").await;
    api_workspace(
        &site.base,
        (&ada, &ada_csrf),
        "ada-personal",
        "Patterns",
        ("registered", ""),
    )
    .await;

    // Signed out, a page behind sign-in sends you to sign in, and back to it afterwards.
    let browser = Browser::open().await;
    browser
        .goto(&format!("{}/workspaces/ada-personal/patterns", site.base))
        .await;
    browser.wait_for_text("#auth-title", "Sign in").await;
    browser.fill("#field-email", "ada@lab.org").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1 .ws-title", "Patterns").await;

    // Focus goes back to the button that opened a dialog.
    browser.click(Locator::Id("action-share")).await;
    browser
        .wait_for_text("#share-title", "Share Patterns")
        .await;
    wait_for_focus(&browser, "share-search").await;
    press(&browser, Key::Escape).await;
    assert!(absent(&browser, "#share-title").await, "Escape closes it");
    wait_for_focus(&browser, "action-share").await;

    // Edits are not thrown away without asking.
    browser.click(Locator::Id("action-edit")).await;
    browser.wait_for_text("#edit-title", "Edit workspace").await;
    wait_for_focus(&browser, "edit-description").await;
    browser.fill("#edit-description", "A first line.").await;
    press(&browser, Key::Escape).await;
    browser
        .wait_for_text("#discard-title", "Discard unsaved changes?")
        .await;
    browser.screenshot("discard-unsaved-changes").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Keep editing']"))
        .await;
    let kept: Value = browser
        .client
        .execute(
            "return document.getElementById('edit-description').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, "A first line.");
    browser
        .click(Locator::XPath(
            "//div[@role='dialog']//footer/button[normalize-space()='Cancel']",
        ))
        .await;
    browser
        .click(Locator::XPath(
            "//button[normalize-space()='Discard changes']",
        ))
        .await;
    assert!(absent(&browser, "#edit-title").await);
    wait_for_focus(&browser, "action-edit").await;

    // Tabs follow the arrow keys.
    browser.click(Locator::Id("tab-About")).await;
    press(&browser, Key::Left).await;
    browser
        .wait_for("#tab-Analysis[aria-selected='true']")
        .await;
    assert_eq!(focused_id(&browser).await, "tab-Analysis");

    // An Add that is refused keeps its text and says why beside the field; never an API sentence.
    browser.goto(&format!("{}/groups", site.base)).await;
    browser.fill("#group-name", "team").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Create group']"))
        .await;
    browser.click(Locator::LinkText("team")).await;
    browser.wait_for_text("main h1", "team").await;
    browser
        .click(Locator::XPath(
            "//form[contains(@class,'add-member')]//button[normalize-space()='Add']",
        ))
        .await;
    browser
        .wait_for_text("#member-email-message", "Enter an email address.")
        .await;
    assert_eq!(focused_id(&browser).await, "member-email");
    browser.fill("#member-email", "nobody@nowhere.org").await;
    browser
        .click(Locator::XPath(
            "//form[contains(@class,'add-member')]//button[normalize-space()='Add']",
        ))
        .await;
    browser
        .wait_for_text_containing("#member-email-message", "nobody@nowhere.org")
        .await;
    let typed: Value = browser
        .client
        .execute(
            "return document.getElementById('member-email').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(typed, "nobody@nowhere.org", "the typed text stays");
    browser.screenshot("group-add-refused").await;
    let page: Value = browser
        .client
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap();
    assert!(!page.as_str().unwrap().contains("API endpoint"), "{page}");

    // Deleting a group is confirmed, and Cancel keeps it.
    browser.click(Locator::Id("delete-group")).await;
    browser
        .wait_for_text("#confirm-title", "Delete the group team?")
        .await;
    browser.screenshot("confirm-delete-group").await;
    assert_eq!(
        browser
            .client
            .active_element()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Cancel",
        "the safe choice has the focus"
    );
    press(&browser, Key::Enter).await;
    assert!(absent(&browser, "#confirm-title").await);
    assert_eq!(browser.path().await, "/groups/team");
    browser.click(Locator::Id("delete-group")).await;
    browser
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[normalize-space()='Delete group']",
        ))
        .await;
    browser.wait_for_text("main h1", "Your groups").await;
    browser.close().await;
}

/// Every page and dialog once, for people to look at (target/tmp/screenshots), with the
/// create form's errors in red beside their fields and focus on the first.
#[tokio::test]
async fn every_page_and_dialog_for_a_look() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "ada@lab.org", "Ada").await;
    let browser = Browser::open().await;
    browser.goto(&format!("{}/sign-up", site.base)).await;
    browser
        .wait_for_text("#auth-title", "Create your account")
        .await;
    browser.screenshot("page-sign-up").await;
    browser
        .goto(&format!("{}/reset-password?token=x", site.base))
        .await;
    browser
        .wait_for_text("#reset-title", "Set a new password")
        .await;
    browser.screenshot("page-reset-password").await;
    crate::workspaces::sign_in(&browser, &site.base, "ada@lab.org").await;

    browser.goto(&format!("{}/workspaces/new", site.base)).await;
    browser.wait_for_text("main h1", "Create a workspace").await;
    browser
        .click(fantoccini::Locator::Css("button[type=submit]"))
        .await;
    browser
        .wait_for_text_containing("#ws-project-message", "Choose the billing project")
        .await;
    wait_for_focus(&browser, "ws-name").await;
    let colour: Value = browser
        .client
        .execute(
            "return getComputedStyle(document.getElementById('ws-name-message')).color;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(colour, "rgb(180, 35, 24)", "errors are red");
    browser.screenshot("page-create-errors").await;
    crate::workspaces::create_workspace(&browser, &site.base, "ada-personal", "Look", false).await;
    // The About tab: each collaborator once, with how; the dataset version by its name.
    browser
        .wait_for_text_containing(
            "ul.collaborators li",
            "direct; owner of the billing project",
        )
        .await;
    let lines = browser
        .client
        .find_all(Locator::Css("ul.collaborators li"))
        .await
        .unwrap();
    assert_eq!(lines.len(), 1, "Ada is listed once");
    let about: Value = browser
        .client
        .execute(
            "return document.querySelector('dl.about').innerText;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        about.as_str().unwrap().contains("Registered Tier v8"),
        "{about}"
    );
    assert!(
        about
            .as_str()
            .unwrap()
            .contains("Focus on underrepresented populations"),
        "{about}"
    );
    for (action, title, shot) in [
        ("action-duplicate", "#dup-title", "dialog-duplicate"),
        ("action-delete", "#delete-title", "dialog-delete"),
    ] {
        browser.click(Locator::Id(action)).await;
        browser.wait_for(title).await;
        browser.screenshot(shot).await;
        press(&browser, Key::Escape).await;
        assert!(absent(&browser, title).await);
    }
    for (page, heading, shot) in [
        ("/groups", "Your groups", "page-groups"),
        ("/billing", "Billing projects", "page-billing"),
        (
            "/billing/ada-personal",
            "ada-personal",
            "page-billing-project",
        ),
        ("/account", "Your account", "page-account"),
        ("/directory", "Research directory", "page-directory"),
        ("/no-such-page", "Page not found", "page-not-found"),
    ] {
        browser.goto(&format!("{}{page}", site.base)).await;
        browser.wait_for_text("main h1", heading).await;
        browser.screenshot(shot).await;
    }
    browser.close().await;
}
