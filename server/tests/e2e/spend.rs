//! Spend in the browser: a download shows on the billing project's spend page (figures, chart,
//! by workspace, latest charges) and in the workspace's About tab; an owner adds credits; a
//! project without credits shows the banner that says compute is stopped.

use fantoccini::Locator;

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_workspace, researcher, sign_in, site_admin};

#[tokio::test]
async fn an_owner_sees_what_was_spent_and_adds_credits() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    let (olive, olive_csrf) = api_session(&site.base, "olive@lab.org").await;
    api_workspace(
        &site.base,
        (&olive, &olive_csrf),
        "olive-personal",
        "Reads",
        ("registered", ""),
    )
    .await;
    let file = format!(
        "{}/api/v1/workspaces/olive-personal/reads/files/reads.bin",
        site.base
    );
    let put = olive
        .put(&file)
        .header("x-csrf-token", &olive_csrf)
        .body(vec![1u8; 2_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), reqwest::StatusCode::CREATED);
    for _ in 0..2 {
        let got = olive.get(&file).send().await.unwrap();
        assert_eq!(got.bytes().await.unwrap().len(), 2_000_000);
    }
    let empty = olive
        .post(format!("{}/api/v1/billing-projects", site.base))
        .header("x-csrf-token", &olive_csrf)
        .json(&serde_json::json!({ "name": "no-credits" }))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), reqwest::StatusCode::CREATED);

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "olive@lab.org").await;
    browser
        .goto(&format!("{}/billing/olive-personal", site.base))
        .await;
    browser.click(Locator::LinkText("Spend and credits")).await;
    browser
        .wait_for_text("main h1", "Spend of olive-personal")
        .await;
    browser.wait_for(".spend-chart svg rect").await;
    browser
        .wait_for_texts(".spend-workspaces tbody th a", &["Reads"])
        .await;
    let causes = browser.texts(".spend-events tbody td:nth-child(3)").await;
    assert_eq!(
        causes
            .iter()
            .filter(|c| c.contains("download reads.bin"))
            .count(),
        2,
        "{causes:?}"
    );
    browser.screenshot("spend-page").await;
    browser.fill("#credits-amount", "25").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Add credits']"))
        .await;
    browser
        .wait_for_text_containing(".balance div:first-child dd", "$325.00")
        .await;

    browser
        .goto(&format!("{}/workspaces/olive-personal/reads", site.base))
        .await;
    browser.click(Locator::Css("#tab-About")).await;
    browser
        .wait_for_text("#spend-title", "What this workspace has cost")
        .await;
    browser.wait_for(".spend-panel .spend-chart svg rect").await;

    browser
        .goto(&format!("{}/billing/no-credits/spend", site.base))
        .await;
    browser
        .wait_for_text_containing(".spend-banner", "credits are spent")
        .await;
    browser.close().await;
}
