//! Sharing with an address that has no account: the dialog asks before it becomes an invitation,
//! and an address that does have one is added as that person without asking.

use fantoccini::Locator;
use serde_json::Value;

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_workspace, researcher, sign_in, site_admin};

#[tokio::test]
async fn a_typed_address_without_an_account_is_invited_only_after_asking() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    researcher(&site.base, &admin, &csrf, "cory@lab.org", "Cory Coworker").await;
    let (olive, olive_csrf) = api_session(&site.base, "olive@lab.org").await;
    let detail = api_workspace(
        &site.base,
        (&olive, &olive_csrf),
        "olive-personal",
        "Staining",
        ("registered", ""),
    )
    .await;
    let workspace = format!("olive-personal/{}", detail["name"].as_str().unwrap());

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "olive@lab.org").await;
    browser
        .goto(&format!("{}/workspaces/{workspace}", site.base))
        .await;
    browser
        .click(Locator::XPath(
            "//div[@role='toolbar']/button[normalize-space()='Share']",
        ))
        .await;
    browser
        .wait_for_text("#share-title", "Share Staining")
        .await;

    // An address with an account, typed and added before any suggestion is picked: that person.
    browser.fill("#share-search", "cory@lab.org").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Add']"))
        .await;
    browser
        .wait_for_text(".share-row--changed .share-name", "Cory Coworker")
        .await;

    // An address without one: asked first; Cancel adds nobody and keeps what was typed.
    browser
        .fill("#share-search", "newcomer@elsewhere.org")
        .await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Add']"))
        .await;
    browser
        .wait_for_text("#confirm-title", "Invite this address?")
        .await;
    browser
        .wait_for_text_containing(
            "#confirm-text",
            "Nobody has signed up as newcomer@elsewhere.org",
        )
        .await;
    browser.screenshot("share-invite-this-address").await;
    browser
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[normalize-space()='Cancel']",
        ))
        .await;
    let names = browser.texts(".share-row .share-name").await;
    assert!(
        !names.iter().any(|name| name.contains("newcomer")),
        "cancelled, so no invitation row: {names:?}"
    );
    let typed = browser
        .client
        .find(Locator::Css("#share-search"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("newcomer@elsewhere.org"));

    browser
        .click(Locator::XPath("//button[normalize-space()='Add']"))
        .await;
    browser
        .click(Locator::XPath(
            "//div[@role='alertdialog']//button[normalize-space()='Invite']",
        ))
        .await;
    browser
        .wait_for_texts(
            ".share-row--changed .share-name",
            &["Cory Coworker", "newcomer@elsewhere.org (invitation)"],
        )
        .await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Save changes']"))
        .await;
    browser
        .wait_for_text_containing(".dialog [role=status].alert", "Saved.")
        .await;
    browser.close().await;

    let acl: Value = olive
        .get(format!("{}/api/v1/workspaces/{workspace}/acl", site.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<(String, String)> = acl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["who"]["principal"]["kind"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                entry["who"]["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("invitation".into(), "newcomer@elsewhere.org".into())),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|(kind, label)| kind == "user" && label == "Cory Coworker"),
        "{kinds:?}"
    );
}
