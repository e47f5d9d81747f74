//! The About tab: the description as markdown (sanitized), and the history of changes as
//! sentences people read.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_share, api_workspace, researcher, sign_in, site_admin};

#[tokio::test]
async fn the_description_is_markdown_and_the_history_reads_as_sentences() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "ana@lab.org", "Ana Lee").await;
    researcher(&site.base, &admin, &csrf, "cory@lab.org", "Cory Diaz").await;
    let (ana, ana_csrf) = api_session(&site.base, "ana@lab.org").await;
    let description = "**Aim**: markers\nacross sites\n\n- one\n- two\n\n[Protocol](https://example.org/protocol)\n\n<script>document.title='owned'</script>\n\n[bad](javascript:alert(1))";
    let created = api_workspace(
        &site.base,
        (&ana, &ana_csrf),
        "ana-personal",
        "Markers",
        ("registered", description),
    )
    .await;
    assert_eq!(created["name"], "markers", "{created}");
    let cory = json!({ "op": "set", "principal": { "kind": "user", "email": "cory@lab.org" }, "role": "writer", "can_compute": true });
    api_share(
        &site.base,
        (&ana, &ana_csrf),
        "ana-personal/markers",
        json!([cory]),
    )
    .await;

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "ana@lab.org").await;
    browser
        .goto(&format!("{}/workspaces/ana-personal/markers", site.base))
        .await;
    browser.wait_for_text(".markdown strong", "Aim").await;
    let markdown = browser
        .client
        .find(Locator::Css(".markdown"))
        .await
        .unwrap();
    let html = markdown.html(true).await.unwrap();
    assert!(html.contains("markers<br>"), "line breaks kept: {html}");
    assert_eq!(
        markdown.find_all(Locator::Css("li")).await.unwrap().len(),
        2
    );
    let link = markdown
        .find(Locator::Css("a[href='https://example.org/protocol']"))
        .await
        .unwrap();
    assert_eq!(link.text().await.unwrap(), "Protocol");
    assert!(!html.contains("<script"), "{html}");
    let script_links = markdown
        .find_all(Locator::Css("a[href^='javascript']"))
        .await
        .unwrap();
    assert!(script_links.is_empty(), "{html}");
    assert_ne!(browser.client.title().await.unwrap(), "owned");

    browser
        .click(Locator::XPath(
            "//button[normalize-space()='Show the history of changes']",
        ))
        .await;
    browser
        .wait_for_text(
            ".timeline-item:first-child .timeline-what",
            "\u{2068}Ana Lee\u{2069} made \u{2068}Cory Diaz\u{2069} a writer who can compute.",
        )
        .await;
    browser
        .wait_for_text(
            ".timeline-item:last-child .timeline-what",
            "\u{2068}Ana Lee\u{2069} created the workspace “\u{2068}Markers\u{2069}”.",
        )
        .await;
    browser.screenshot("about-markdown-and-history").await;

    // A right-to-left name keeps its own direction in the public directory, as typed.
    let rtl = ana
        .post(format!(
            "{}/api/v1/workspaces/ana-personal/markers/duplicate",
            site.base
        ))
        .header("x-csrf-token", &ana_csrf)
        .json(&json!({ "billing_project": "ana-personal", "display_name": "دراسة القلب 2" }))
        .send()
        .await
        .unwrap();
    assert_eq!(rtl.status(), reqwest::StatusCode::CREATED);
    browser.goto(&format!("{}/directory", site.base)).await;
    let title = browser
        .client
        .wait()
        .for_element(Locator::XPath(
            "//li[contains(@class,'directory-entry')]//*[contains(@class,'card-title')][contains(normalize-space(),'دراسة القلب 2')]",
        ))
        .await
        .unwrap();
    assert_eq!(title.text().await.unwrap(), "دراسة القلب 2", "as typed");
    let bidi: Value = browser
        .client
        .execute(
            "return getComputedStyle(arguments[0]).unicodeBidi;",
            vec![serde_json::to_value(&title).unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(bidi, "plaintext");
    browser.close().await;

    // A writer without "can share": the Share button's reason shows in text on focus.
    let cory = Browser::open().await;
    sign_in(&cory, &site.base, "cory@lab.org").await;
    cory.goto(&format!("{}/workspaces/ana-personal/markers", site.base))
        .await;
    cory.wait_for_text("main h1 .ws-title", "Markers").await;
    let tip_width = |cory: &Browser| {
        let client = cory.client.clone();
        async move {
            let width: Value = client
                .execute(
                    "return document.getElementById('why-share').getBoundingClientRect().width;",
                    vec![],
                )
                .await
                .unwrap();
            width.as_f64().unwrap()
        }
    };
    assert!(tip_width(&cory).await < 2.0, "hidden until focused");
    cory.client
        .execute("document.getElementById('action-share').focus();", vec![])
        .await
        .unwrap();
    assert!(tip_width(&cory).await > 100.0, "shown while focused");
    let tip = cory
        .client
        .find(Locator::Id("why-share"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tip.contains("share"), "{tip}");
    cory.screenshot("action-reason-on-focus").await;
    cory.close().await;
}
