//! Declining a workspace you cannot enter yet, and being told before leaving that access stays
//! through a group.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};
use crate::workspaces::{
    api_session, api_share, api_workspace, grant, researcher, sign_in, site_admin,
};

async fn controlled_workspace(
    base: &str,
    owner: (&reqwest::Client, &str),
    name: &str,
    changes: Value,
) {
    let detail = api_workspace(base, owner, "olive-personal", name, ("controlled", "")).await;
    let workspace = format!("olive-personal/{}", detail["name"].as_str().unwrap());
    api_share(base, owner, &workspace, changes).await;
}

#[tokio::test]
async fn a_workspace_waiting_for_a_tier_can_be_declined_and_leaving_says_what_access_stays() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    grant(&site.base, &admin, &csrf, "olive@lab.org", "controlled").await;
    researcher(&site.base, &admin, &csrf, "wes@lab.org", "Wes Waiting").await;
    let (olive, olive_csrf) = api_session(&site.base, "olive@lab.org").await;
    let group = olive
        .post(format!("{}/api/v1/groups", site.base))
        .header("x-csrf-token", &olive_csrf)
        .json(&json!({ "name": "lab" }))
        .send()
        .await
        .unwrap();
    assert_eq!(group.status(), reqwest::StatusCode::CREATED);
    let member = olive
        .put(format!(
            "{}/api/v1/groups/lab/members/wes@lab.org",
            site.base
        ))
        .header("x-csrf-token", &olive_csrf)
        .json(&json!({ "role": "member" }))
        .send()
        .await
        .unwrap();
    assert_eq!(member.status(), reqwest::StatusCode::OK);
    let wes_directly = json!({ "op": "set", "principal": { "kind": "user", "email": "wes@lab.org" }, "role": "reader" });
    let the_group =
        json!({ "op": "set", "principal": { "kind": "group", "name": "lab" }, "role": "reader" });
    controlled_workspace(
        &site.base,
        (&olive, &olive_csrf),
        "Genomes",
        json!([wes_directly]),
    )
    .await;
    controlled_workspace(
        &site.base,
        (&olive, &olive_csrf),
        "Variants",
        json!([wes_directly, the_group]),
    )
    .await;

    let wes = Browser::open().await;
    sign_in(&wes, &site.base, "wes@lab.org").await;
    wes.wait_for_text(".count", "2 workspaces").await;
    wes.click(Locator::Css("button[aria-label='Decline Variants']"))
        .await;
    wes.wait_for_text("#confirm-title", "Decline Variants?")
        .await;
    wes.wait_for_text_containing(".remaining-access li", "Member of group lab (Reader)")
        .await;
    wes.screenshot("decline-with-remaining-access").await;
    wes.click(Locator::XPath(
        "//div[@role='alertdialog']//button[normalize-space()='Cancel']",
    ))
    .await;

    wes.click(Locator::Css("button[aria-label='Decline Genomes']"))
        .await;
    wes.wait_for_text("#confirm-title", "Decline Genomes?")
        .await;
    wes.click(Locator::XPath(
        "//div[@role='alertdialog']//button[normalize-space()='Decline']",
    ))
    .await;
    wes.wait_for_text(".count", "1 workspace").await;
    wes.wait_for_text(".card-title", "Variants").await;
    wes.close().await;
}
