//! The public research directory, signed out: filters, search, pages and each entry's page; and
//! a billing project's page with its balance and its workspaces.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_create_workspace, api_session, researcher, sign_in, site_admin};

async fn create(
    base: &str,
    session: (&reqwest::Client, &str),
    name: &str,
    purposes: &[&str],
    questions: &str,
) -> Value {
    api_create_workspace(
        base,
        session,
        json!({
            "billing_project": "olive-personal",
            "display_name": name,
            "tier": "registered",
            "research_purpose": {
                "purposes": purposes,
                "disease_name": if purposes.contains(&"disease_focused") { "Malaria" } else { "" },
                "scientific_questions": questions,
                "scientific_approaches": "Compare cohorts across sites.",
                "anticipated_findings": "Findings that hold up.",
                "focuses_on_underrepresented": false,
                "review_requested": false
            }
        }),
    )
    .await
}

#[tokio::test]
async fn the_directory_is_filtered_searched_and_paged_and_each_entry_has_its_page() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    let olive = api_session(&site.base, "olive@lab.org").await;
    let olive = (&olive.0, olive.1.as_str());
    for n in 1..=20 {
        create(
            &site.base,
            olive,
            &format!("Methods {n:02}"),
            &["methods_development"],
            "Which staining methods travel between sites?",
        )
        .await;
    }
    create(
        &site.base,
        olive,
        "Malaria genomes",
        &["disease_focused", "genetic"],
        "Which variants protect against malaria?",
    )
    .await;
    let pilot = create(
        &site.base,
        olive,
        "Old pilot",
        &["genetic"],
        "Does the pilot pipeline call variants well?",
    )
    .await;
    let deleted = olive
        .0
        .delete(format!(
            "{}/api/v1/workspaces/olive-personal/old-pilot?confirm=old-pilot",
            site.base
        ))
        .header("x-csrf-token", olive.1)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), reqwest::StatusCode::NO_CONTENT, "{pilot}");

    // Signed out.
    let browser = Browser::open().await;
    browser.goto(&format!("{}/directory", site.base)).await;
    browser
        .wait_for_text(".count", "Page 1 · entries 1–20")
        .await;
    browser.screenshot("directory").await;
    browser.click(Locator::Css(".pager [rel=next]")).await;
    browser
        .wait_for_text(".count", "Page 2 · entries 21–22")
        .await;
    browser
        .wait_for_texts(".directory .card-title", &["Methods 02", "Methods 01"])
        .await;

    let purpose = browser
        .client
        .find(Locator::Css("#dir-purpose"))
        .await
        .unwrap();
    purpose.select_by_value("genetic").await.unwrap();
    browser
        .wait_for_texts(".directory .card-title", &["Old pilot", "Malaria genomes"])
        .await;
    let status = browser
        .client
        .find(Locator::Css("#dir-status"))
        .await
        .unwrap();
    status.select_by_value("active").await.unwrap();
    browser
        .wait_for_texts(".directory .card-title", &["Malaria genomes"])
        .await;
    let address = browser.client.current_url().await.unwrap();
    assert_eq!(
        address.query(),
        Some("purpose=genetic&status=active"),
        "the search is in the address"
    );

    browser.goto(&format!("{}/directory", site.base)).await;
    browser.fill("#dir-search", "protect against").await;
    browser
        .wait_for_texts(".directory .card-title", &["Malaria genomes"])
        .await;
    browser.screenshot("directory-search").await;
    browser.click(Locator::LinkText("Malaria genomes")).await;
    browser.wait_for_text("main h1", "Malaria genomes").await;
    browser
        .wait_for_text_containing(".about", "Which variants protect against malaria?")
        .await;
    browser.wait_for_text_containing(".about", "Malaria").await;
    browser.screenshot("directory-entry").await;

    browser
        .goto(&format!("{}/directory?status=inactive", site.base))
        .await;
    browser
        .wait_for_texts(".directory .card-title", &["Old pilot"])
        .await;
    browser.click(Locator::LinkText("Old pilot")).await;
    browser
        .wait_for_text_containing(".page-head .badge", "Inactive")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_billing_project_page_shows_its_balance_and_its_workspaces() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    let olive = api_session(&site.base, "olive@lab.org").await;
    let olive = (&olive.0, olive.1.as_str());
    create(
        &site.base,
        olive,
        "Malaria genomes",
        &["genetic"],
        "Which variants protect against malaria?",
    )
    .await;
    create(
        &site.base,
        olive,
        "Atlas",
        &["methods_development"],
        "Which staining methods travel between sites?",
    )
    .await;

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "olive@lab.org").await;
    browser.goto(&format!("{}/billing", site.base)).await;
    browser
        .wait_for_text_containing(".card-meta", "balance $300.00 · 2 workspaces")
        .await;
    browser.click(Locator::LinkText("olive-personal")).await;
    browser
        .wait_for_texts(".balance dd", &["$300.00", "$0.00", "$300.00"])
        .await;
    browser
        .wait_for_texts(
            ".project-workspaces tbody th a",
            &["Atlas", "Malaria genomes"],
        )
        .await;
    browser.screenshot("billing-project").await;
    browser.click(Locator::LinkText("Malaria genomes")).await;
    browser
        .wait_for_text("main h1 .ws-title", "Malaria genomes")
        .await;
    browser.close().await;
}
