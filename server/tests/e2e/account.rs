//! The first admin's setup link, changing a password, signing out everywhere, and a reset link.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};

const PASSWORD: &str = "a long enough password";

#[tokio::test]
async fn the_setup_link_makes_the_first_admin_who_resets_a_password_for_a_researcher() {
    let site = start_site().await;
    let admin = Browser::open().await;
    admin
        .goto(&format!(
            "{}/sign-up?setup={}",
            site.base,
            carrel_server::config::TEST_SETUP_TOKEN
        ))
        .await;
    admin
        .wait_for_text_containing(
            ".auth-form .alert",
            "makes the account you create now the site admin",
        )
        .await;
    admin.fill("#field-email", "admin@carrel.test").await;
    admin.fill("#field-display_name", "Site Admin").await;
    admin.fill("#field-password", PASSWORD).await;
    admin.click(Locator::Css("button[type=submit]")).await;
    admin.wait_for_text("main h1", "Your workspaces").await;
    admin.click(Locator::LinkText("Admin")).await;
    admin.wait_for_text("main h1", "Site administration").await;
    admin.click(Locator::Id("tab-People")).await;

    let researcher = reqwest::Client::new();
    let signed_up = researcher
        .post(format!("{}/api/v1/auth/signup", site.base))
        .json(&json!({ "email": "forgetful@lab.org", "display_name": "Fay Forgetful", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), reqwest::StatusCode::CREATED);
    let me: Value = signed_up.json().await.unwrap();
    assert_eq!(me["is_site_admin"], false);

    admin.fill("#admin-search", "forgetful").await;
    admin
        .wait_for_text_containing("main tbody th", "forgetful@lab.org")
        .await;
    admin
        .click(Locator::Css(
            "button[aria-label^='Make a password reset link']",
        ))
        .await;
    admin
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[normalize-space()='Make link']",
        ))
        .await;
    admin.wait_for(".reset-link").await;
    admin.screenshot("admin-reset-link").await;
    let link = admin
        .client
        .find(Locator::Css(".reset-link"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(link.contains("/reset-password?token="), "{link}");
    admin.close().await;

    let forgetful = Browser::open().await;
    forgetful.goto(&link).await;
    forgetful
        .wait_for_text("#reset-title", "Set a new password")
        .await;
    forgetful.fill("#field-new_password", "short").await;
    forgetful.click(Locator::Css("button[type=submit]")).await;
    forgetful
        .wait_for_text_containing("#field-new_password-message", "10")
        .await;
    forgetful
        .fill("#field-new_password", "my brand new password")
        .await;
    forgetful.click(Locator::Css("button[type=submit]")).await;
    forgetful
        .wait_for_text_containing(".auth-form .alert", "Your password is set")
        .await;
    forgetful.goto(&format!("{}/sign-in", site.base)).await;
    forgetful.fill("#field-email", "forgetful@lab.org").await;
    forgetful
        .fill("#field-password", "my brand new password")
        .await;
    forgetful.click(Locator::Css("button[type=submit]")).await;
    forgetful.wait_for_text("main h1", "Your workspaces").await;
    forgetful.close().await;
}

#[tokio::test]
async fn a_researcher_changes_their_password_and_signs_out_everywhere() {
    let site = start_site().await;
    let other_device = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_up = other_device
        .post(format!("{}/api/v1/auth/signup", site.base))
        .json(&json!({ "email": "ada@lab.org", "display_name": "Ada", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), reqwest::StatusCode::CREATED);

    let browser = Browser::open().await;
    browser.goto(&format!("{}/sign-in", site.base)).await;
    browser.fill("#field-email", "ada@lab.org").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1", "Your workspaces").await;
    browser.click(Locator::Css("a.account-name")).await;
    browser.wait_for_text("main h1", "Your account").await;

    browser
        .fill("#field-current_password", "not my password!")
        .await;
    browser
        .fill("#field-new_password", "a newer long password")
        .await;
    browser
        .click(Locator::Css("form button[type=submit]"))
        .await;
    browser
        .wait_for_text_containing(
            "#field-current_password-message",
            "not your current password",
        )
        .await;
    browser.fill("#field-current_password", PASSWORD).await;
    browser
        .click(Locator::Css("form button[type=submit]"))
        .await;
    browser
        .wait_for_text_containing(".alert", "Your other sessions have been signed out")
        .await;
    browser.screenshot("account").await;
    let elsewhere = other_device
        .get(format!("{}/api/v1/me", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), reqwest::StatusCode::UNAUTHORIZED);

    browser.click(Locator::Id("sign-out-everywhere")).await;
    browser
        .wait_for_text("#confirm-title", "Sign out everywhere?")
        .await;
    browser
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[normalize-space()='Sign out everywhere']",
        ))
        .await;
    browser.wait_for_text("#auth-title", "Sign in").await;
    browser.goto(&format!("{}/account", site.base)).await;
    browser.wait_for_text("#auth-title", "Sign in").await;
    browser.close().await;
}
