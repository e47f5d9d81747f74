//! The Data tab's files in the browser: a writer uploads (a progress bar, then the file listed
//! with its size), previews a CSV as a table, moves it into a folder; a reader sees the files
//! without the controls that change them, and why.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::{start_site, Browser};
use crate::workspaces::{api_session, api_share, api_workspace, researcher, sign_in, site_admin};

#[tokio::test]
async fn a_writer_uploads_previews_and_moves_a_file_and_a_reader_sees_why_they_cannot() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "olive@lab.org", "Olive Owner").await;
    researcher(&site.base, &admin, &csrf, "rea@lab.org", "Rea Reader").await;
    let (olive, olive_csrf) = api_session(&site.base, "olive@lab.org").await;
    api_workspace(
        &site.base,
        (&olive, &olive_csrf),
        "olive-personal",
        "Samples",
        ("registered", ""),
    )
    .await;
    api_share(
        &site.base,
        (&olive, &olive_csrf),
        "olive-personal/samples",
        json!([{ "op": "set", "principal": { "kind": "user", "email": "rea@lab.org" }, "role": "reader" }]),
    )
    .await;
    let upload_dir = std::env::temp_dir().join(format!("carrel-e2e-upload-{}", std::process::id()));
    std::fs::create_dir_all(&upload_dir).unwrap();
    let csv = upload_dir.join("samples.csv");
    let mut content = String::from("sample,depth\n");
    for n in 0..100 {
        content.push_str(&format!("S{n},{}\n", 30 + n));
    }
    std::fs::write(&csv, &content).unwrap();

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "olive@lab.org").await;
    browser
        .goto(&format!("{}/workspaces/olive-personal/samples", site.base))
        .await;
    browser.click(Locator::Css("#tab-Data")).await;
    browser.wait_for_text("#files-title", "Files").await;
    browser
        .wait_for_text(".files .empty-note", "No files yet.")
        .await;
    let input = browser
        .client
        .find(Locator::Css("#file-input"))
        .await
        .unwrap();
    input.send_keys(&csv.to_string_lossy()).await.unwrap();
    browser
        .wait_for_text(".upload--done .upload-status", "Uploaded")
        .await;
    browser
        .wait_for_texts(".file-table .file-name", &["samples.csv"])
        .await;
    let size = carrel_core::files::human_bytes(content.len() as u64);
    browser
        .wait_for_texts(".file-table tbody td.numeric", &[&size])
        .await;
    browser.screenshot("files-uploaded").await;

    browser
        .click(Locator::Css("button[aria-label='Preview samples.csv']"))
        .await;
    browser
        .wait_for_text("#preview-title", "Preview of samples.csv")
        .await;
    browser
        .wait_for_texts(".preview-table thead th", &["sample", "depth"])
        .await;
    browser.screenshot("files-preview").await;
    browser
        .click(Locator::XPath(
            "//div[@role='dialog']//footer//button[normalize-space()='Close']",
        ))
        .await;

    browser
        .click(Locator::Css(
            "button[aria-label='Move or rename samples.csv']",
        ))
        .await;
    browser.fill("#move-to", "cohort/samples.csv").await;
    browser
        .click(Locator::XPath("//button[normalize-space()='Move']"))
        .await;
    browser
        .wait_for_texts(".file-table .folder-link", &["📁 cohort"])
        .await;
    browser.click(Locator::Css(".folder-link")).await;
    browser
        .wait_for_texts(".file-table .file-name", &["samples.csv"])
        .await;
    browser
        .wait_for_text(".folder-path [aria-current]", "cohort")
        .await;
    browser.close().await;

    let reader = Browser::open().await;
    sign_in(&reader, &site.base, "rea@lab.org").await;
    reader
        .goto(&format!("{}/workspaces/olive-personal/samples", site.base))
        .await;
    reader.click(Locator::Css("#tab-Data")).await;
    reader
        .wait_for_text_containing(".files .files-readonly", "Only writers can upload files")
        .await;
    reader.click(Locator::Css(".folder-link")).await;
    reader
        .wait_for_texts(".file-table .file-name", &["samples.csv"])
        .await;
    assert!(
        reader.texts("#file-input").await.is_empty()
            && reader
                .texts("button[aria-label='Delete samples.csv']")
                .await
                .is_empty(),
        "no controls that change files for a reader"
    );
    assert_eq!(
        reader.texts("a[aria-label='Download samples.csv']").await,
        ["Download"]
    );
    reader.screenshot("files-as-reader").await;
    reader.close().await;
    let _ = std::fs::remove_dir_all(&upload_dir);
}
