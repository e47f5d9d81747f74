use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};

pub const PASSWORD: &str = "a long enough password";

/// The site admin, signed up through the API with the setup token; returns its client and token.
pub async fn site_admin(base: &str) -> (reqwest::Client, String) {
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let me: Value = admin
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({ "email": "admin@carrel.test", "display_name": "Site Admin", "password": PASSWORD,
                       "setup_token": carrel_server::config::TEST_SETUP_TOKEN }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (admin, me["csrf_token"].as_str().unwrap().to_owned())
}

pub async fn grant(base: &str, admin: &reqwest::Client, csrf: &str, email: &str, tier: &str) {
    let granted = admin
        .post(format!("{base}/api/v1/admin/users/{email}/tiers"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "tier": tier }))
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), reqwest::StatusCode::OK);
}

/// Sign in through the sign-in page.
pub async fn sign_in(browser: &Browser, base: &str, email: &str) {
    browser.goto(&format!("{base}/sign-in")).await;
    browser.fill("#field-email", email).await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1", "Your workspaces").await;
}

/// Create a workspace through the form.
pub async fn create_workspace(
    browser: &Browser,
    base: &str,
    project: &str,
    name: &str,
    controlled: bool,
) {
    browser.goto(&format!("{base}/workspaces/new")).await;
    browser.wait_for_text("main h1", "Create a workspace").await;
    browser.fill("#ws-name", name).await;
    let select = browser
        .client
        .wait()
        .for_element(Locator::Css(&format!(
            "#ws-project option[value='{project}']"
        )))
        .await
        .unwrap();
    select.click().await.unwrap();
    if controlled {
        browser
            .click(Locator::XPath(
                "//label[normalize-space()='Controlled Tier']/input",
            ))
            .await;
    }
    browser
        .click(Locator::XPath(
            "//label[normalize-space()='Methods development or validation']/input",
        ))
        .await;
    browser.fill("#rp-questions", "Which methods travel?").await;
    browser.fill("#rp-approaches", "Compare pipelines.").await;
    browser.fill("#rp-findings", "One that travels.").await;
    browser
        .click(Locator::XPath("(//input[@name='under'])[2]"))
        .await;
    browser
        .click(Locator::XPath("(//input[@name='review'])[2]"))
        .await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1 .ws-title", name).await;
}

/// The toolbar button for `label`, and the reason it gives when it is unavailable.
pub async fn action(browser: &Browser, label: &str) -> (bool, String) {
    let button = browser
        .client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//div[@role='toolbar']/button[normalize-space()='{label}']"
        )))
        .await
        .unwrap();
    let disabled = button.attr("aria-disabled").await.unwrap().is_some();
    let reason = button.attr("title").await.unwrap().unwrap_or_default();
    (!disabled, reason)
}

/// A client signed in to the API as `email` (another tab), with its CSRF token.
pub async fn api_session(base: &str, email: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let me: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    (client, csrf)
}

/// Sign up `email` through the API; the site admin grants the Registered Tier.
pub async fn researcher(base: &str, admin: &reqwest::Client, csrf: &str, email: &str, name: &str) {
    let created = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({ "email": email, "display_name": name, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    let granted = admin
        .post(format!("{base}/api/v1/admin/users/{email}/tiers"))
        .header("x-csrf-token", csrf)
        .json(&json!({ "tier": "registered" }))
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn an_owner_creates_a_workspace_and_shares_it_with_a_writer() {
    let site = start_site().await;
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let me: Value = admin
        .post(format!("{}/api/v1/auth/signup", site.base))
        .json(
            &json!({ "email": "admin@carrel.test", "display_name": "Admin", "password": PASSWORD,
                     "setup_token": carrel_server::config::TEST_SETUP_TOKEN }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    researcher(&site.base, &admin, &csrf, "postdoc@lab.org", "Pat Postdoc").await;
    researcher(
        &site.base,
        &admin,
        &csrf,
        "coworker@lab.org",
        "Cory Coworker",
    )
    .await;

    let browser = Browser::open().await;
    browser.goto(&format!("{}/sign-in", site.base)).await;
    browser.fill("#field-email", "postdoc@lab.org").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1", "Your workspaces").await;

    browser.click(Locator::LinkText("Create workspace")).await;
    browser.wait_for_text("main h1", "Create a workspace").await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser
        .wait_for_text(
            "[data-field=scientific_questions] .field-message",
            "Describe the scientific questions you will study.",
        )
        .await;
    browser.fill("#ws-name", "Tumour methods").await;
    let project = browser
        .client
        .find(Locator::Css("#ws-project"))
        .await
        .unwrap();
    project.select_by_value("postdoc-personal").await.unwrap();
    browser
        .click(Locator::XPath(
            "//label[normalize-space()='Methods development or validation']/input",
        ))
        .await;
    browser
        .fill(
            "#rp-questions",
            "Which staining methods generalise across sites?",
        )
        .await;
    browser
        .fill("#rp-approaches", "Compare pipelines on shared slides.")
        .await;
    browser.fill("#rp-findings", "A method that travels.").await;
    browser
        .click(Locator::XPath("(//input[@name='under'])[2]"))
        .await;
    browser
        .click(Locator::XPath("(//input[@name='review'])[2]"))
        .await;
    browser.click(Locator::Css("button[type=submit]")).await;

    browser
        .wait_for_text("main h1 .ws-title", "Tumour methods")
        .await;
    browser.screenshot("workspace-page").await;

    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    browser
        .wait_for_text("#share-title", "Share Tumour methods")
        .await;
    browser.fill("#share-search", "coworker@lab.org").await;
    browser
        .wait_for_text(".suggestion strong", "Cory Coworker")
        .await;
    let role = browser
        .client
        .find(Locator::Css("#share-new-role"))
        .await
        .unwrap();
    role.select_by_value("writer").await.unwrap();
    browser.click(Locator::Css(".suggestion")).await;
    browser
        .wait_for_text(".share-row--changed .share-name", "Cory Coworker")
        .await;
    browser.screenshot("share-dialog").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    browser
        .wait_for_text(".dialog [role=status].alert", "Saved.")
        .await;

    browser.goto(&site.base).await;
    browser.wait_for_text(".card-title", "Tumour methods").await;
    browser.screenshot("workspaces-list").await;
    browser.close().await;

    let coworker = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    coworker
        .post(format!("{}/api/v1/auth/login", site.base))
        .json(&json!({ "email": "coworker@lab.org", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let list: Value = coworker
        .get(format!("{}/api/v1/workspaces", site.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["workspaces"][0]["role"], "writer");
    assert_eq!(
        list["workspaces"][0]["can_compute"], true,
        "a writer added by an owner can compute"
    );
}

#[tokio::test]
async fn lock_duplicate_and_delete_from_the_workspace_page() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "owner@lab.org", "Olive Owner").await;
    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "owner@lab.org").await;
    create_workspace(&browser, &site.base, "owner-personal", "Cell atlas", false).await;

    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Lock']",
        ))
        .await;
    browser
        .wait_for_text("main h1 .badge--locked", "Locked")
        .await;
    let (may_edit, why) = action(&browser, "Edit").await;
    assert!(!may_edit, "a locked workspace refuses edits");
    assert!(why.contains("locked"), "{why}");
    let (may_delete, why) = action(&browser, "Delete").await;
    assert!(!may_delete && why.contains("locked"), "{why}");
    assert!(
        action(&browser, "Share").await.0,
        "sharing still works when locked"
    );
    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Unlock']",
        ))
        .await;
    let _relocked_offer = action(&browser, "Lock").await;
    assert!(action(&browser, "Edit").await.0);

    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Duplicate']",
        ))
        .await;
    browser
        .wait_for_text("#dup-title", "Duplicate workspace")
        .await;
    let prefilled = browser
        .client
        .find(Locator::Css("#dup-name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(prefilled.as_deref(), Some("Duplicate of Cell atlas"));
    browser
        .client
        .find(Locator::Css("#dup-project option[value='owner-personal']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .click(Locator::XPath(
            "//div[@role='dialog']//button[normalize-space()='Duplicate']",
        ))
        .await;
    browser
        .wait_for_text("main h1 .ws-title", "Duplicate of Cell atlas")
        .await;

    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Delete']",
        ))
        .await;
    browser
        .wait_for_text("#delete-title", "Delete this workspace?")
        .await;
    let confirm = browser
        .client
        .find(Locator::XPath(
            "//div[@role='alertdialog']//button[contains(., 'Delete for everyone')]",
        ))
        .await
        .unwrap();
    assert!(
        confirm.attr("disabled").await.unwrap().is_some(),
        "nothing is deleted before the name is typed"
    );
    browser
        .fill("#delete-confirm", "duplicate-of-cell-atlas")
        .await;
    browser
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[contains(., 'Delete for everyone')]",
        ))
        .await;
    browser.wait_for_text("main h1", "Your workspaces").await;
    browser.wait_for_text(".count", "1 workspace").await;
    browser.close().await;
}

#[tokio::test]
async fn a_controlled_tier_workspace_waits_for_the_tier_an_admin_grants() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "owner@lab.org", "Olive Owner").await;
    grant(&site.base, &admin, &csrf, "owner@lab.org", "controlled").await;
    researcher(&site.base, &admin, &csrf, "reader@lab.org", "Rey Reader").await;

    let owner = Browser::open().await;
    sign_in(&owner, &site.base, "owner@lab.org").await;
    create_workspace(&owner, &site.base, "owner-personal", "Genomes", true).await;
    owner.wait_for_text("main h1 .shield", "CT").await;
    owner
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    owner.fill("#share-search", "reader@lab.org").await;
    owner
        .wait_for_text(".suggestion strong", "Rey Reader")
        .await;
    owner.click(Locator::Css(".suggestion")).await;
    owner
        .wait_for_text(
            ".alert--warning",
            "Rey Reader: They will get access only once they hold the Controlled Tier.",
        )
        .await;
    owner.screenshot("share-dialog-tier-warning").await;
    owner
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    owner
        .wait_for_text(
            ".dialog [role=status].alert",
            "Saved. They will get access only once they hold the Controlled Tier.",
        )
        .await;
    owner.close().await;

    let reader = Browser::open().await;
    sign_in(&reader, &site.base, "reader@lab.org").await;
    reader
        .wait_for_text(
            ".card--inaccessible .card-reason",
            "Complete the requirements for the Controlled Tier to open this workspace.",
        )
        .await;
    assert!(
        reader
            .client
            .find(Locator::Css(".card--inaccessible .card-title a"))
            .await
            .is_err(),
        "no link into it"
    );
    reader.screenshot("workspaces-waiting-for-tier").await;

    let admin_browser = Browser::open().await;
    sign_in(&admin_browser, &site.base, "admin@carrel.test").await;
    admin_browser.click(Locator::LinkText("Admin")).await;
    admin_browser.click(Locator::Id("tab-People")).await;
    admin_browser.fill("#admin-search", "reader@lab").await;
    admin_browser
        .click(Locator::Css(
            "input[aria-label='reader@lab.org holds the Controlled Tier']",
        ))
        .await;
    admin_browser
        .wait_for_text("#decision-title", "Grant the Controlled Tier?")
        .await;
    admin_browser
        .fill("#decision-reason", "Signed the Controlled Tier agreement")
        .await;
    admin_browser
        .click(Locator::XPath(
            "//div[@role='dialog']//button[normalize-space()='Grant']",
        ))
        .await;
    admin_browser
        .wait_for_text_containing(
            "[role=status].alert",
            "Controlled Tier granted to Rey Reader (reader@lab.org).",
        )
        .await;
    admin_browser.screenshot("admin-tiers").await;
    admin_browser.close().await;

    reader.goto(&site.base).await;
    reader.wait_for_text(".card-title a", "Genomes").await;
    reader.click(Locator::LinkText("Genomes")).await;
    reader.wait_for_text("main h1 .ws-title", "Genomes").await;
    reader.click(Locator::LinkText("Directory")).await;
    reader
        .wait_for_text(".directory-entry .card-title", "Genomes")
        .await;
    reader.screenshot("directory").await;
    reader.close().await;
}

#[tokio::test]
async fn a_stale_share_shows_the_fresh_acl_and_keeps_my_edits() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "owner@lab.org", "Olive Owner").await;
    researcher(&site.base, &admin, &csrf, "ada@lab.org", "Ada First").await;
    researcher(&site.base, &admin, &csrf, "bee@lab.org", "Bee Second").await;
    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "owner@lab.org").await;
    create_workspace(
        &browser,
        &site.base,
        "owner-personal",
        "Shared notes",
        false,
    )
    .await;
    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    browser.fill("#share-search", "ada@lab.org").await;
    browser
        .wait_for_text(".suggestion strong", "Ada First")
        .await;
    browser.click(Locator::Css(".suggestion")).await;

    // Meanwhile, the same owner in another tab shares with Bee.
    let (other_tab, other_csrf) = api_session(&site.base, "owner@lab.org").await;
    let acl_url = format!(
        "{}/api/v1/workspaces/owner-personal/shared-notes/acl",
        site.base
    );
    let acl: Value = other_tab
        .get(&acl_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changed = other_tab
        .patch(&acl_url)
        .header("x-csrf-token", &other_csrf)
        .json(&json!({ "version": acl["version"], "changes": [
            { "op": "set", "principal": { "kind": "user", "email": "bee@lab.org" }, "role": "writer" }
        ]}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), reqwest::StatusCode::OK);

    browser
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    let alert = browser
        .client
        .wait()
        .for_element(Locator::Css(".dialog [role=alert]"))
        .await
        .unwrap();
    let message = alert.text().await.unwrap();
    assert!(
        message.contains("Someone else changed the sharing settings first"),
        "{message}"
    );
    assert!(message.contains("Your edits are kept"), "{message}");
    let names: Vec<String> = {
        let mut names = Vec::new();
        for cell in browser
            .client
            .find_all(Locator::Css(".share-name"))
            .await
            .unwrap()
        {
            names.push(cell.text().await.unwrap());
        }
        names
    };
    assert!(
        names.contains(&"Bee Second".to_owned()),
        "the fresh ACL is shown: {names:?}"
    );
    assert!(
        names.contains(&"Ada First".to_owned()),
        "my edit is kept: {names:?}"
    );
    browser.screenshot("share-dialog-stale").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    browser
        .wait_for_text(".dialog [role=status].alert", "Saved.")
        .await;
    browser.close().await;
}

/// Create a workspace through the API as the session `client`, with a sound research purpose;
/// its detail as JSON.
pub async fn api_workspace(
    base: &str,
    session: (&reqwest::Client, &str),
    project: &str,
    display_name: &str,
    (tier, description): (&str, &str),
) -> Value {
    api_create_workspace(
        base,
        session,
        json!({
            "billing_project": project,
            "display_name": display_name,
            "tier": tier,
            "description": description,
            "research_purpose": {
                "purposes": ["methods_development"],
                "scientific_questions": "Which methods travel between sites?",
                "scientific_approaches": "Compare two sites.",
                "anticipated_findings": "Some of them travel.",
                "focuses_on_underrepresented": false,
                "review_requested": false
            }
        }),
    )
    .await
}

/// `POST /workspaces` with `request`, which must succeed; the detail as JSON.
pub async fn api_create_workspace(
    base: &str,
    (client, csrf): (&reqwest::Client, &str),
    request: Value,
) -> Value {
    let created = client
        .post(format!("{base}/api/v1/workspaces"))
        .header("x-csrf-token", csrf)
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    created.json().await.unwrap()
}

/// Apply `changes` to a workspace's ACL at its current version, through the API.
pub async fn api_share(
    base: &str,
    (client, csrf): (&reqwest::Client, &str),
    workspace: &str,
    changes: Value,
) {
    let acl = format!("{base}/api/v1/workspaces/{workspace}/acl");
    let current: Value = client.get(&acl).send().await.unwrap().json().await.unwrap();
    let shared = client
        .patch(&acl)
        .header("x-csrf-token", csrf)
        .json(&json!({ "version": current["version"], "changes": changes }))
        .send()
        .await
        .unwrap();
    assert_eq!(shared.status(), reqwest::StatusCode::OK);
}
