//! The Data tab's tables in the browser: a writer imports a Terra-style TSV (its progress, then
//! the rows), sees a bad file's problems by line and column, edits a cell, and the export
//! imports back into another workspace as the same table; a reader sees the table without the
//! controls that change it, and why.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_share, api_workspace, researcher, sign_in, site_admin};

const PARTICIPANTS: &str = "entity:participant_id\tage\tsex\nP1\t34\tF\nP2\t51\tM\nP3\t29\tF\n";

#[tokio::test]
async fn a_writer_imports_and_edits_a_table_and_a_reader_sees_why_they_cannot() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    researcher(&site.base, &admin, &csrf, "rea@lab.org", "Rea Reader").await;
    let (olive, olive_csrf) = api_session(&site.base, "olive@lab.org").await;
    for name in ["Cohort", "Replica"] {
        api_workspace(
            &site.base,
            (&olive, &olive_csrf),
            "olive-personal",
            name,
            ("registered", ""),
        )
        .await;
    }
    api_share(
        &site.base,
        (&olive, &olive_csrf),
        "olive-personal/cohort",
        json!([{ "op": "set", "principal": { "kind": "user", "email": "rea@lab.org" }, "role": "reader" }]),
    )
    .await;
    let dir = std::env::temp_dir().join(format!("carrel-e2e-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("participants.tsv");
    std::fs::write(&good, PARTICIPANTS).unwrap();
    let bad = dir.join("broken.tsv");
    std::fs::write(
        &bad,
        "entity:participant_id\tage\nP4\t40\nP5\nP6\t[1, \"x\"]\n",
    )
    .unwrap();

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "olive@lab.org").await;
    browser
        .goto(&format!("{}/workspaces/olive-personal/cohort", site.base))
        .await;
    browser.click(Locator::Css("#tab-Data")).await;
    browser.wait_for_text("#tables-title", "Tables").await;
    browser
        .wait_for_text_containing(".tables .empty-note", "No tables yet")
        .await;

    // A bad file: every problem listed with its line and column, nothing imported.
    browser
        .click(Locator::XPath("//button[normalize-space()='Import TSV…']"))
        .await;
    let input = browser
        .client
        .find(Locator::Css("#import-file"))
        .await
        .unwrap();
    input.send_keys(&bad.to_string_lossy()).await.unwrap();
    browser
        .wait_for_texts(".problem-table tbody td.numeric", &["3", "4"])
        .await;
    browser
        .wait_for_text_containing(".problem-table tbody", "A list holds values of one kind.")
        .await;
    browser.screenshot("tables-import-problems").await;

    // The good file: the rows appear.
    browser
        .click(Locator::XPath(
            "//button[normalize-space()='Choose another file']",
        ))
        .await;
    let input = browser
        .client
        .find(Locator::Css("#import-file"))
        .await
        .unwrap();
    input.send_keys(&good.to_string_lossy()).await.unwrap();
    browser
        .wait_for_text_containing(
            ".alert--success",
            "Imported 3 rows into participant: 3 new, 0 updated.",
        )
        .await;
    browser
        .click(Locator::XPath(
            "//div[@role='dialog']//footer//button[normalize-space()='Close']",
        ))
        .await;
    browser
        .wait_for_texts(".data-grid tbody th", &["P1", "P2", "P3"])
        .await;
    browser
        .wait_for_text(".pager [role='status']", "Rows 1–3 of 3")
        .await;

    // Sorting by a column asks the server for that order.
    browser
        .click(Locator::XPath(
            "//th//button[starts-with(normalize-space(), 'age')]",
        ))
        .await;
    browser
        .wait_for_texts(".data-grid tbody th", &["P3", "P1", "P2"])
        .await;

    // Edit a cell in place: Enter saves against the row's version.
    browser
        .click(Locator::Css("button[aria-label^='Edit age of P1']"))
        .await;
    browser.fill(".cell-input", "35\u{E007}").await;
    browser
        .wait_for("button[aria-label='Edit age of P1: 35']")
        .await;
    browser.screenshot("tables-edited").await;

    // The workspace's own attributes.
    browser.fill("#attribute-name", "reference").await;
    browser.fill("#attribute-value", "hg38").await;
    browser
        .click(Locator::XPath(
            "//form[.//input[@id='attribute-value']]//button[normalize-space()='Save']",
        ))
        .await;
    browser
        .wait_for_texts(".attribute-list dt", &["reference"])
        .await;
    browser.close().await;

    // The export imports back into another workspace as the same table.
    let export = olive
        .get(format!(
            "{}/api/v1/workspaces/olive-personal/cohort/entities/participant/export",
            site.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        export,
        "entity:participant_id\tage\tsex\nP1\t35\tF\nP2\t51\tM\nP3\t29\tF\n"
    );
    let imported = olive
        .post(format!(
            "{}/api/v1/workspaces/olive-personal/replica/entities/import",
            site.base
        ))
        .header("x-csrf-token", &olive_csrf)
        .body(export.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 200);
    let page = |workspace: &'static str| {
        let (client, base) = (olive.clone(), site.base.clone());
        async move {
            let page: Value = client
                .get(format!(
                    "{base}/api/v1/workspaces/olive-personal/{workspace}/entities/participant"
                ))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (
                page["columns"].clone(),
                page["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["attributes"].clone())
                    .collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(page("cohort").await, page("replica").await);

    // A reader sees the rows, and why nothing can be changed.
    let reader = Browser::open().await;
    sign_in(&reader, &site.base, "rea@lab.org").await;
    reader
        .goto(&format!("{}/workspaces/olive-personal/cohort", site.base))
        .await;
    reader.click(Locator::Css("#tab-Data")).await;
    reader
        .wait_for_text_containing(
            ".tables .files-readonly",
            "Only writers can import data tables",
        )
        .await;
    reader
        .wait_for_texts(".data-grid tbody th", &["P1", "P2", "P3"])
        .await;
    assert!(
        reader.texts(".data-grid .cell-button").await.is_empty()
            && reader.texts(".data-grid .column-menu").await.is_empty(),
        "no controls that change the table for a reader"
    );
    // A reader may still choose rows to copy them out, but not to delete them.
    reader
        .click(Locator::Css("input[aria-label='Choose P1']"))
        .await;
    reader
        .wait_for_texts(".table-toolbar button", &["Columns…", "Copy to workspace…"])
        .await;
    assert_eq!(reader.texts(".table-toolbar a").await, ["Export TSV"]);
    reader
        .wait_for_texts(".attribute-list dt", &["reference"])
        .await;
    assert!(
        reader.texts("#attribute-name").await.is_empty(),
        "a reader does not edit the workspace's attributes"
    );
    reader.screenshot("tables-as-reader").await;
    reader.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
