//! "Your workspaces" with 1,400 workspaces: every card renders and the filter narrows them.
//! The timings it prints are recorded in BENCHMARKS.md; they are measurements, not assertions.

use fantoccini::Locator;
use sqlx::Executor;

use crate::browser::{start_site, Browser};
use crate::workspaces::{researcher, sign_in, site_admin};

const COUNT: usize = 1_400;

#[tokio::test]
async fn fourteen_hundred_workspaces_render_and_filter() {
    let site = start_site().await;
    let (admin, csrf) = site_admin(&site.base).await;
    researcher(&site.base, &admin, &csrf, "busy@lab.org", "Bea Busy").await;

    // Seed straight into the database: the point is the page, not 1,400 requests.
    let store = carrel_server::store::Store::connect(&site.database_url)
        .await
        .unwrap();
    let mut tx = store.begin_write().await.unwrap();
    let (user, project): (i64, i64) = sqlx::query_as(
        "SELECT u.id, m.project_id FROM users u JOIN billing_members m ON m.user_id = u.id \
         WHERE u.email = 'busy@lab.org'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    for i in 0..COUNT {
        let tier = if i % 7 == 0 {
            "controlled"
        } else {
            "registered"
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO workspaces (project_id, name, display_name, tier, creator_id, locked, \
                 acl_version, created_at, modified_at, research_purpose) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, '{}') RETURNING id",
        )
        .bind(project)
        .bind(format!("study-{i:04}"))
        .bind(format!("Study {i:04} of atlas {}", i % 50))
        .bind(tier)
        .bind(user)
        .bind(i64::from(i % 11 == 0))
        .bind(1_790_000_000_000_i64 + i as i64)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let role = ["owner", "writer", "reader"][i % 3];
        tx.execute(
            sqlx::query(
                "INSERT INTO workspace_grants (workspace_id, principal_key, user_id, role, can_share, can_compute) \
                 VALUES ($1, $2, $3, $4, 0, 0)",
            )
            .bind(id)
            .bind(format!("u:{user}"))
            .bind(user)
            .bind(role),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let browser = Browser::open().await;
    sign_in(&browser, &site.base, "busy@lab.org").await;
    browser.goto(&site.base).await;
    browser.wait_for_text(".count", "1400 workspaces").await;
    // In-page timings of the load that just happened: when the web app's wasm and the list's
    // response arrived.
    let timings = browser
        .client
        .execute(
            "const list = performance.getEntriesByType('resource')
                 .filter(e => e.name.endsWith('/api/v1/workspaces')).pop();
             const wasm = performance.getEntriesByType('resource')
                 .filter(e => e.name.endsWith('.wasm')).pop();
             return [list ? list.responseEnd : 0, list ? list.responseEnd - list.requestStart : 0,
                     wasm ? wasm.responseEnd : 0];",
            vec![],
        )
        .await
        .unwrap();
    let timing = |i: usize| timings[i].as_f64().unwrap_or_default();
    let (list_end, list_ms, wasm_end) = (timing(0), timing(1), timing(2));
    let cards = browser
        .client
        .find_all(Locator::Css(".cards > li"))
        .await
        .unwrap();
    assert_eq!(cards.len(), COUNT, "every workspace has a card");
    let greyed = browser
        .client
        .find_all(Locator::Css(".card--inaccessible"))
        .await
        .unwrap();
    assert_eq!(
        greyed.len(),
        COUNT.div_ceil(7),
        "Controlled Tier workspaces are greyed for this user"
    );

    let filter_ms: f64 = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const input = document.querySelector('#ws-filter');
             const start = performance.now();
             input.value = 'atlas 7';
             input.dispatchEvent(new Event('input', { bubbles: true }));
             const check = () => {
                 const count = document.querySelector('.count');
                 if (count && count.textContent.startsWith('28 of')) { done(performance.now() - start); }
                 else { requestAnimationFrame(check); }
             };
             check();",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_default();
    browser
        .wait_for_text(".count", "28 of 1400 workspaces")
        .await;
    let full_render_ms: f64 = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const input = document.querySelector('#ws-filter');
             const start = performance.now();
             input.value = '';
             input.dispatchEvent(new Event('input', { bubbles: true }));
             const check = () => {
                 const count = document.querySelector('.count');
                 if (count && count.textContent === '1400 workspaces'
                     && document.querySelectorAll('.cards > li').length === 1400) {
                     done(performance.now() - start);
                 } else { requestAnimationFrame(check); }
             };
             check();",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_default();
    browser.close().await;

    let login = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    login
        .post(format!("{}/api/v1/auth/login", site.base))
        .json(&serde_json::json!({ "email": "busy@lab.org", "password": "a long enough password" }))
        .send()
        .await
        .unwrap();
    let plain = login
        .get(format!("{}/api/v1/workspaces", site.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();
    let gzipped = login
        .get(format!("{}/api/v1/workspaces", site.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();
    assert!(gzipped < plain, "the list is compressed on the wire");
    println!(
        "UI measure: {COUNT} workspaces; wasm loaded at {wasm_end:.0} ms, list response took {list_ms:.0} ms \
         (debug server) and ended at {list_end:.0} ms; filter to 28 cards {filter_ms:.0} ms, back to all 1,400 cards {full_render_ms:.0} ms; \
         GET /workspaces {} KB, {} KB gzipped",
        plain / 1024,
        gzipped / 1024
    );
}

#[tokio::test]
async fn the_web_bundle_is_served_precompressed() {
    let site = start_site().await;
    let dist = std::path::PathBuf::from(std::env::var("CARREL_DIST").unwrap());
    let wasm = std::fs::read_dir(&dist)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".wasm"))
        .expect("a wasm file in the build");
    let client = reqwest::Client::new();
    for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
        let response = client
            .get(format!("{}/{wasm}", site.base))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        let body = response.bytes().await.unwrap();
        let stored = std::fs::read(dist.join(format!("{wasm}.{suffix}"))).unwrap();
        assert_eq!(
            body.len(),
            stored.len(),
            "the file compressed at build time is sent as is"
        );
    }
    println!(
        "Bundle measure: {wasm} sent as {} bytes of brotli",
        std::fs::metadata(dist.join(format!("{wasm}.br")))
            .unwrap()
            .len()
    );
}
