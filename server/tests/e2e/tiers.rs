//! Getting a tier in the browser: a newcomer works through the checklist and asks; the site
//! admin grants from the queue with a reason; the history says who did it and why; the
//! newcomer can then create workspaces.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::{start_site, Browser};
use crate::workspaces::{sign_in, site_admin, PASSWORD};

#[tokio::test]
async fn a_newcomer_asks_for_the_registered_tier_and_a_site_admin_grants_it_from_the_queue() {
    let site = start_site().await;
    let (_admin, _csrf) = site_admin(&site.base).await;
    let signed_up = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/signup", site.base))
        .json(&json!({ "email": "nia@lab.org", "display_name": "Nia New", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), reqwest::StatusCode::CREATED);

    let nia = Browser::open().await;
    sign_in(&nia, &site.base, "nia@lab.org").await;
    nia.click(Locator::LinkText(
        "See what each tier requires, and ask for it",
    ))
    .await;
    nia.wait_for_text("main h1", "Data-access tiers").await;
    nia.wait_for_text_containing("#ask-registered-reason", "Complete every requirement")
        .await;
    let ask = "//section[@aria-labelledby='tier-registered']//button[@type='submit']";
    let disabled = nia
        .client
        .find(Locator::XPath(ask))
        .await
        .unwrap()
        .attr("disabled")
        .await
        .unwrap();
    assert!(disabled.is_some(), "asking waits for the checklist");
    nia.screenshot("tiers-checklist").await;
    for title in [
        "Verify your identity",
        "Responsible conduct of research training",
        "Sign the data user code of conduct",
    ] {
        nia.click(Locator::Css(&format!(
            "button[aria-label='I have completed “{title}”']"
        )))
        .await;
        nia.wait_for(&format!("button[aria-label='Mark “{title}” as not done']"))
            .await;
    }
    nia.fill("#ask-registered-note", "Postdoc in the Lee lab")
        .await;
    nia.click(Locator::XPath(ask)).await;
    nia.wait_for_text_containing(".tier-standing--pending", "waiting for a site admin")
        .await;
    nia.screenshot("tiers-requested").await;

    let admin = Browser::open().await;
    sign_in(&admin, &site.base, "admin@carrel.test").await;
    admin.click(Locator::LinkText("Admin")).await;
    admin
        .wait_for_text(
            ".request-queue .card-title",
            "Nia New asks for the Registered Tier",
        )
        .await;
    admin
        .wait_for_text_containing(".request-queue .checklist-summary", "3 of 3 done")
        .await;
    admin.screenshot("admin-requests").await;
    admin
        .click(Locator::Css(
            "button[aria-label='Grant the Registered Tier to nia@lab.org']",
        ))
        .await;
    admin
        .wait_for_text("#decision-title", "Grant the Registered Tier?")
        .await;
    admin.fill("#decision-reason", "Checklist complete").await;
    admin
        .click(Locator::XPath(
            "//div[@role='dialog']//button[normalize-space()='Grant']",
        ))
        .await;
    admin
        .wait_for_text_containing("[role=status].alert", "Registered Tier granted to Nia New")
        .await;
    admin
        .wait_for_text(".empty", "No request is waiting.")
        .await;
    admin.click(Locator::Id("tab-History")).await;
    admin
        .wait_for_text_containing(
            ".timeline-what",
            "admin@carrel.test granted the Registered Tier to Nia New (nia@lab.org)",
        )
        .await;
    admin
        .wait_for_text(".timeline-why", "Why: Checklist complete")
        .await;
    admin.screenshot("admin-history").await;
    admin.close().await;

    nia.goto(&format!("{}/tiers", site.base)).await;
    nia.wait_for_text_containing(".tier-standing--held", "You hold the Registered Tier")
        .await;
    nia.click(Locator::LinkText("Workspaces")).await;
    nia.wait_for_text("main .page-head .button", "Create workspace")
        .await;
    nia.close().await;
}

#[tokio::test]
async fn the_create_form_greys_out_a_tier_you_do_not_hold_and_says_why() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    crate::workspaces::researcher(&site.base, &admin, &csrf, "ria@lab.org", "Ria Registered").await;
    let ria = Browser::open().await;
    sign_in(&ria, &site.base, "ria@lab.org").await;
    ria.click(Locator::LinkText("Create workspace")).await;
    ria.wait_for_text_containing(
        "#tier-controlled-reason",
        "You need the Controlled Tier to create a workspace in it.",
    )
    .await;
    let disabled = |value: &'static str| {
        let ria = &ria;
        async move {
            ria.client
                .find(Locator::Css(&format!("input[name=tier][value={value}]")))
                .await
                .unwrap()
                .attr("disabled")
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(disabled("controlled").await);
    assert!(!disabled("registered").await);
    ria.screenshot("create-tier-not-held").await;
    ria.close().await;
}
