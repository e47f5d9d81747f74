//! API responses are compressed when it pays: large bodies gzipped or brotli'd, small ones sent
//! as they are.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn large_responses_are_compressed_and_small_ones_are_not() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    for encoding in ["gzip", "br"] {
        let large = app
            .client
            .get(app.url("/openapi.json"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(large.status(), StatusCode::OK);
        assert_eq!(large.headers()["content-encoding"], encoding);
        let compressed = large.bytes().await.unwrap().len();
        let plain = app.get("/openapi.json").await.bytes().await.unwrap().len();
        assert!(
            compressed * 4 < plain,
            "{encoding}: {compressed} bytes of {plain}"
        );
    }

    let small = app
        .client
        .get(app.url("/me"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(small.status(), StatusCode::OK);
    assert!(
        small.headers().get("content-encoding").is_none(),
        "a small body is sent as is"
    );
    let body = small.bytes().await.unwrap();
    assert!(body.len() < 1024 && body.starts_with(b"{"), "{body:?}");
}
