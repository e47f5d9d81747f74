use std::path::PathBuf;

use carrel_core::api::{Me, CSRF_HEADER};
use carrel_server::store::Store;
use carrel_server::{Application, Config};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sqlx::Executor;

pub const PASSWORD: &str = "a long enough password";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub csrf: Option<String>,
    pub database_url: String,
    _sqlite_dir: Option<TempDir>,
}

/// Removes a test's SQLite folder when the test ends.
pub struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Start a server on a random port with a fresh, migrated database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As [`spawn_app`], with the test configuration changed first (limits, headers…).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let (database_url, sqlite_dir) = match std::env::var("CARREL_TEST_POSTGRES_URL") {
        Ok(admin_url) => (fresh_postgres_database(&admin_url, &id).await, None),
        Err(_) => {
            let dir = std::env::temp_dir().join(format!("carrel-test-{id}"));
            let url = format!("sqlite://{}/carrel.db", dir.display());
            (url, Some(TempDir(dir)))
        }
    };
    let mut config = Config::for_tests(database_url.clone());
    configure(&mut config);
    let mut app = start(config).await;
    app.database_url = database_url;
    app._sqlite_dir = sqlite_dir;
    app
}

/// Another server on the same database, as a second replica behind a load balancer would be.
pub async fn spawn_replica(of: &TestApp, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests(of.database_url.clone());
    configure(&mut config);
    let mut app = start(config).await;
    app.database_url = of.database_url.clone();
    app
}

async fn start(config: Config) -> TestApp {
    let app = Application::build(config).await.expect("the server starts");
    let address = format!("http://{}", app.local_addr().expect("a bound address"));
    let store = app.state().store.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: new_client(),
        store,
        csrf: None,
        database_url: String::new(),
        _sqlite_dir: None,
    }
}

async fn fresh_postgres_database(admin_url: &str, id: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!("carrel_test_{id}");
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
        .await
        .expect("connect to the test cluster");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    /// The same session, usable from another task.
    pub fn another_handle(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: self.client.clone(),
            store: self.store.clone(),
            csrf: self.csrf.clone(),
            database_url: self.database_url.clone(),
            _sqlite_dir: None,
        }
    }

    /// A second browser: same server, its own cookies.
    pub fn another_client(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: new_client(),
            store: self.store.clone(),
            csrf: None,
            database_url: self.database_url.clone(),
            _sqlite_dir: None,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// POST JSON, with the CSRF token when signed in.
    pub async fn post(&self, path: &str, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = &self.csrf {
            request = request.header(CSRF_HEADER, token);
        }
        request.send().await.expect("request sent")
    }

    /// Send JSON with any method, with the CSRF token when signed in.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = &self.csrf {
            request = request.header(CSRF_HEADER, token);
        }
        request.send().await.expect("request sent")
    }

    /// Send a body as it is (a file, a TSV), with the CSRF token when signed in.
    pub async fn send_raw(&self, method: reqwest::Method, path: &str, body: String) -> Response {
        let mut request = self.client.request(method, self.url(path)).body(body);
        if let Some(token) = &self.csrf {
            request = request.header(CSRF_HEADER, token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// A new browser for a new user: signs up and keeps the session.
    pub async fn new_user(&self, email: &str, name: &str) -> TestApp {
        let mut other = self.another_client();
        other.signup(email, name).await;
        other
    }

    /// As site admin, grant `tier` to `email`.
    pub async fn grant_tier(&self, email: &str, tier: &str) {
        let response = self
            .post(
                &format!("/admin/users/{email}/tiers"),
                &json!({ "tier": tier }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "granting {tier} to {email}"
        );
    }

    /// Create a workspace; the response as JSON.
    pub async fn create_workspace(&self, project: &str, name: &str, tier: &str) -> Response {
        self.post(
            "/workspaces",
            &json!({
                "billing_project": project,
                "display_name": name,
                "tier": tier,
                "research_purpose": research_purpose(),
            }),
        )
        .await
    }

    /// The current ACL version of a workspace.
    pub async fn acl_version(&self, workspace: &str) -> u64 {
        let acl: Value = self
            .get(&format!("/workspaces/{workspace}/acl"))
            .await
            .json()
            .await
            .unwrap();
        acl["version"].as_u64().expect("a version")
    }

    /// Apply one batch at the current version.
    pub async fn share(&self, workspace: &str, changes: Value) -> Response {
        let version = self.acl_version(workspace).await;
        self.patch(
            &format!("/workspaces/{workspace}/acl"),
            &json!({ "version": version, "changes": changes }),
        )
        .await
    }

    pub async fn signup_raw(&self, email: &str, name: &str, password: &str) -> Response {
        self.post(
            "/auth/signup",
            &json!({ "email": email, "display_name": name, "password": password }),
        )
        .await
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> Response {
        self.post(
            "/auth/login",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Sign up (which signs in) and keep the session's CSRF token.
    pub async fn signup(&mut self, email: &str, name: &str) -> Me {
        let response = self.signup_raw(email, name, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::CREATED, "sign-up succeeds");
        self.remember(response).await
    }

    /// Sign up as the site admin with the test server's one-time setup token.
    pub async fn signup_admin(&mut self, email: &str, name: &str) -> Me {
        let response = self
            .post(
                "/auth/signup",
                &json!({ "email": email, "display_name": name, "password": PASSWORD,
                         "setup_token": carrel_server::config::TEST_SETUP_TOKEN }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "admin sign-up succeeds"
        );
        let me = self.remember(response).await;
        assert!(me.is_site_admin, "the setup token makes a site admin");
        me
    }

    pub async fn login(&mut self, email: &str) -> Me {
        let response = self.login_raw(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in succeeds");
        self.remember(response).await
    }

    async fn remember(&mut self, response: Response) -> Me {
        let me: Me = response.json().await.expect("a Me body");
        self.csrf = Some(me.csrf_token.clone());
        me
    }

    pub async fn user_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.store.pool())
            .await
            .expect("count users")
    }
}

/// The error body's code and message, asserting the SPEC §6 shape.
pub async fn error_of(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON error body");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_owned();
    assert!(!message.is_empty(), "an error always explains itself");
    (status, code, message)
}

/// A research purpose that passes every rule.
pub fn research_purpose() -> Value {
    json!({
        "purposes": ["methods_development"],
        "scientific_questions": "Can sharing be both precise and fast?",
        "scientific_approaches": "Compare permission engines on synthetic worlds.",
        "anticipated_findings": "Precise sharing need not be slow.",
        "focuses_on_underrepresented": false,
        "review_requested": true
    })
}

pub fn user(email: &str) -> Value {
    json!({ "kind": "user", "email": email })
}

pub fn group(name: &str) -> Value {
    json!({ "kind": "group", "name": name })
}

/// Whether `action` is allowed in a workspace detail, and the reason when not.
pub fn action(detail: &Value, name: &str) -> (bool, String) {
    let entry = detail["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == name)
        .expect("the action is listed");
    (
        entry["allowed"].as_bool().unwrap(),
        entry["reason"].as_str().unwrap_or_default().to_owned(),
    )
}
