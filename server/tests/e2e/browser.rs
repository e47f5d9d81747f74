use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use carrel_server::{Application, Config};
use fantoccini::{Client, ClientBuilder, Locator};

/// A Carrel server on a free port with a fresh SQLite database, serving the release web build.
pub struct Site {
    pub base: String,
    pub database_url: String,
    dir: PathBuf,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub async fn start_site() -> Site {
    let dist = PathBuf::from(std::env::var("CARREL_DIST").expect(
        "CARREL_DIST names the release web build; run the e2e tests through `cargo xtask test`",
    ));
    assert!(
        dist.join("index.html").exists(),
        "no web build in {}",
        dist.display()
    );
    let dir = std::env::temp_dir().join(format!("carrel-e2e-{}", uuid::Uuid::new_v4().simple()));
    let database_url = format!("sqlite://{}/carrel.db", dir.display());
    let mut config = Config::for_tests(database_url.clone());
    config.static_dir = Some(dist);
    let app = Application::build(config).await.expect("the server starts");
    let base = format!("http://{}", app.local_addr().unwrap());
    tokio::spawn(app.run_until_stopped());
    Site {
        base,
        database_url,
        dir,
    }
}

/// One browser session (its own profile and cookies) with its own chromedriver.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn open() -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,900"
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::rustls()
                .expect("TLS setup")
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => break client,
                Err(error) if started.elapsed() > Duration::from_secs(20) => {
                    panic!("chromedriver did not accept a session: {error}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Browser { client, driver }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigation");
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self
            .client
            .wait()
            .for_element(Locator::Css(css))
            .await
            .expect(css);
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("typing");
    }

    pub async fn click(&self, locator: Locator<'_>) {
        let element = self
            .client
            .wait()
            .for_element(locator)
            .await
            .expect("element to click");
        element.click().await.expect("click");
    }

    /// Wait until the element matching `css` shows exactly `expected`.
    /// Wait until an element matching `css` is on the page.
    pub async fn wait_for(&self, css: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} should be on the page");
    }

    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if last.trim() == expected {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} should read {expected:?}; it reads {last:?}");
    }

    /// Wait until an element matching `css` shows text that contains `expected`.
    pub async fn wait_for_text_containing(&self, css: &str, expected: &str) {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if last.contains(expected) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} should contain {expected:?}; it reads {last:?}");
    }

    /// The text of every element matching `css`, in page order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            texts.push(element.text().await.unwrap_or_default().trim().to_owned());
        }
        texts
    }

    /// Wait until the elements matching `css` read exactly `expected`, in order.
    pub async fn wait_for_texts(&self, css: &str, expected: &[&str]) {
        let started = Instant::now();
        let mut last = Vec::new();
        while started.elapsed() < Duration::from_secs(30) {
            last = self.texts(css).await;
            if last == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} should read {expected:?}; they read {last:?}");
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("a URL")
            .path()
            .to_owned()
    }

    /// Save a screenshot under target/tmp/screenshots for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
