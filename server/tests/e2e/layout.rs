//! Page patterns every page keeps: long unbroken text wraps instead of widening the page, the
//! header wraps on a narrow screen (500 px: a phone, or 250% zoom) with Sign out still on screen,
//! the skip link moves focus to the content, and every page has its own title.

use fantoccini::key::Key;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, researcher, sign_in, site_admin};

/// (page width, viewport width) as the browser sees them.
async fn widths(browser: &Browser) -> (i64, i64) {
    let measured: Value = browser
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    (measured[0].as_i64().unwrap(), measured[1].as_i64().unwrap())
}

#[tokio::test]
async fn long_words_wrap_and_the_header_fits_a_narrow_screen() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "ada@lab.org", "Ada").await;
    let (ada, ada_csrf) = api_session(&site.base, "ada@lab.org").await;
    let long_name = "W".repeat(80);
    let long_answer = "x".repeat(1_000);
    let created = ada
        .post(format!("{}/api/v1/workspaces", site.base))
        .header("x-csrf-token", &ada_csrf)
        .json(&json!({
            "billing_project": "ada-personal",
            "display_name": long_name,
            "tier": "registered",
            "description": "a".repeat(300),
            "research_purpose": {
                "purposes": ["methods_development"],
                "scientific_questions": long_answer,
                "scientific_approaches": "Measure the page.",
                "anticipated_findings": "It fits the page.",
                "focuses_on_underrepresented": false,
                "review_requested": false
            }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let path = format!(
        "/workspaces/{}/{}",
        created["namespace"].as_str().unwrap(),
        created["name"].as_str().unwrap()
    );

    let browser = Browser::open().await;
    browser.client.set_window_size(500, 900).await.unwrap();
    sign_in(&browser, &site.base, "ada@lab.org").await;
    let titles = [
        ("/", "Your workspaces · Carrel".to_owned()),
        (path.as_str(), format!("{long_name} · Carrel")),
        ("/directory", "Research directory · Carrel".to_owned()),
    ];
    for (page, title) in titles {
        browser.goto(&format!("{}{page}", site.base)).await;
        browser.wait_for("main h1").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let shown: Value = browser
            .client
            .execute("return document.title;", vec![])
            .await
            .unwrap();
        assert_eq!(shown, title.as_str(), "every page names itself");
        let (page_width, viewport) = widths(&browser).await;
        assert!(
            page_width <= viewport,
            "{page} is {page_width} px wide in a {viewport} px window"
        );
    }
    browser.goto(&format!("{}{path}", site.base)).await;
    browser.wait_for("main h1").await;
    let sign_out_right: Value = browser
        .client
        .execute(
            "return document.querySelector('.account button').getBoundingClientRect().right;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        sign_out_right.as_f64().unwrap() <= 500.0,
        "Sign out ends at {sign_out_right} px"
    );
    browser.screenshot("narrow-workspace").await;

    // The skip link: the first Tab reaches it, Enter moves focus to the content.
    browser.goto(&format!("{}/", site.base)).await;
    browser.wait_for("main h1").await;
    let body = browser
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .unwrap();
    body.send_keys(&Key::Tab.to_string()).await.unwrap();
    let focused: Value = browser
        .client
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "skip-link");
    let link = browser
        .client
        .find(fantoccini::Locator::Css(".skip-link"))
        .await
        .unwrap();
    link.send_keys(&Key::Enter.to_string()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let focused: Value = browser
        .client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "main", "the skip link moves focus to the content");
    browser.close().await;
}
