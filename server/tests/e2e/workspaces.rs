use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};

const PASSWORD: &str = "a long enough password";

/// Sign up `email` through the API; the site admin (first account) grants the Registered Tier.
async fn researcher(base: &str, admin: &reqwest::Client, csrf: &str, email: &str, name: &str) {
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
            &json!({ "email": "admin@carrel.test", "display_name": "Admin", "password": PASSWORD }),
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

    browser.wait_for_text("main h1", "Tumour methods").await;
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
