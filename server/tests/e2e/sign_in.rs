use fantoccini::Locator;

use crate::browser::{start_site, Browser};

const PASSWORD: &str = "a long enough password";

#[tokio::test]
async fn a_new_researcher_signs_up_signs_out_signs_in_and_sees_no_workspaces_yet() {
    let site = start_site().await;
    let browser = Browser::open().await;

    browser.goto(&site.base).await;
    browser.wait_for_text("#auth-title", "Sign in").await;
    assert_eq!(
        browser.path().await,
        "/sign-in",
        "signed-out visitors land on sign-in"
    );

    browser.click(Locator::LinkText("Create an account")).await;
    browser
        .wait_for_text("#auth-title", "Create your account")
        .await;
    browser.fill("#field-email", "postdoc@example.org").await;
    browser.fill("#field-display_name", "Pat Postdoc").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;

    browser.wait_for_text("main h1", "Your workspaces").await;
    browser
        .wait_for_text(".empty h2", "No workspaces yet")
        .await;
    browser
        .wait_for_text(".account-display", "Pat Postdoc")
        .await;
    browser.screenshot("workspaces-empty").await;

    browser.click(Locator::Css(".account button")).await;
    browser.wait_for_text("#auth-title", "Sign in").await;

    browser.fill("#field-email", "Postdoc@Example.org").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click(Locator::Css("button[type=submit]")).await;
    browser.wait_for_text("main h1", "Your workspaces").await;
    browser
        .wait_for_text(".empty h2", "No workspaces yet")
        .await;
    assert_eq!(browser.path().await, "/");
    browser.close().await;
}

#[tokio::test]
async fn a_wrong_password_shows_a_clear_message_and_stays_signed_out() {
    let site = start_site().await;
    let signup = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/signup", site.base))
        .json(&serde_json::json!({
            "email": "coworker@example.org", "display_name": "Cory Coworker", "password": PASSWORD
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), reqwest::StatusCode::CREATED);

    let browser = Browser::open().await;
    browser.goto(&format!("{}/sign-in", site.base)).await;
    browser.wait_for_text("#auth-title", "Sign in").await;
    browser.fill("#field-email", "coworker@example.org").await;
    browser
        .fill("#field-password", "not my password at all")
        .await;
    browser.click(Locator::Css("button[type=submit]")).await;

    browser
        .wait_for_text("[role=alert]", "The email or password is not right.")
        .await;
    browser.screenshot("sign-in-wrong-password").await;
    assert_eq!(browser.path().await, "/sign-in");
    assert!(
        browser.client.find(Locator::Css(".account")).await.is_err(),
        "nobody is signed in"
    );
    browser.close().await;
}
