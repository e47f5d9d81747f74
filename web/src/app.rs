//! The app shell: who is signed in, the header, and the routes. Pages behind sign-in are
//! children of one `ProtectedParentRoute`: signed out, the router sends you to sign in and back afterwards.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ProtectedParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use carrel_core::api::Me;

use crate::api;
use crate::components::async_view::Loading;
use crate::components::header::Header;
use crate::pages::account::{AccountPage, ResetPasswordPage};
use crate::pages::admin::AdminPage;
use crate::pages::auth::{AuthMode, AuthPage};
use crate::pages::billing::{BillingPage, BillingProjectPage};
use crate::pages::create::CreateWorkspacePage;
use crate::pages::directory::{DirectoryEntryPage, DirectoryPage};
use crate::pages::groups::{GroupPage, GroupsPage};
use crate::pages::not_found::NotFound;
use crate::pages::spend::ProjectSpendPage;
use crate::pages::tiers::TiersPage;
use crate::pages::workspace::WorkspacePage;
use crate::pages::workspaces::WorkspacesPage;

#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    Checking,
    SignedOut,
    SignedIn(Me),
}

/// The signed-in user, shared through context.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

impl Session {
    pub fn signed_in(&self, me: Me) {
        api::remember_csrf(Some(me.csrf_token.clone()));
        self.0.set(SessionState::SignedIn(me));
    }

    pub fn signed_out(&self) {
        api::remember_csrf(None);
        self.0.set(SessionState::SignedOut);
    }

    /// The tiers held now, when a page learns them (a grant arrived since sign-in).
    pub fn tiers_are(&self, tiers: carrel_core::TierSet) {
        let stale =
            matches!(self.0.get_untracked(), SessionState::SignedIn(ref me) if me.tiers != tiers);
        if stale {
            self.0.update(|state| {
                if let SessionState::SignedIn(me) = state {
                    me.tiers = tiers;
                }
            });
        }
    }

    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// For `ProtectedRoute`: `None` while the session is being checked.
    pub fn is_signed_in(&self) -> Option<bool> {
        match self.0.get() {
            SessionState::Checking => None,
            SessionState::SignedOut => Some(false),
            SessionState::SignedIn(_) => Some(true),
        }
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(SessionState::SignedOut)))
}

/// The signed-in user, for pages behind sign-in (their route only shows them signed in).
pub fn use_me() -> Signal<Option<Me>> {
    let session = use_session();
    Signal::derive(move || session.me())
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(SessionState::Checking));
    provide_context(session);
    spawn_local(async move {
        match api::me().await {
            Ok(me) => session.signed_in(me),
            Err(_) => session.signed_out(),
        }
    });
    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_content>"Skip to content"</a>
            <Header/>
            <main id="main" class="main" tabindex="-1">
                <AppRoutes/>
            </main>
        </Router>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let signed_in = move || session.is_signed_in();
    // Back to the page that asked, once signed in.
    let to_sign_in = move || {
        let here = location.pathname.get_untracked();
        // Signing out from a page behind sign-in races its redirect: never come back to an
        // account page.
        if here == "/" || here.starts_with("/sign-") {
            "/sign-in".to_owned()
        } else {
            format!("/sign-in?next={}", js_sys::encode_uri_component(&here))
        }
    };
    let checking = || view! { <Loading what="Loading…"/> };
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/sign-in") view=|| view! { <AuthPage mode=AuthMode::SignIn/> }/>
            <Route path=path!("/sign-up") view=|| view! { <AuthPage mode=AuthMode::SignUp/> }/>
            <Route path=path!("/reset-password") view=ResetPasswordPage/>
            <Route path=path!("/directory") view=DirectoryPage/>
            <Route path=path!("/directory/:id") view=DirectoryEntryPage/>
            <ProtectedParentRoute path=path!("") condition=signed_in redirect_path=to_sign_in fallback=checking view=Outlet>
                <Route path=path!("/") view=WorkspacesPage/>
                <Route path=path!("/workspaces/new") view=CreateWorkspacePage/>
                <Route path=path!("/workspaces/:namespace/:name") view=WorkspacePage/>
                <Route path=path!("/groups") view=GroupsPage/>
                <Route path=path!("/groups/:name") view=GroupPage/>
                <Route path=path!("/billing") view=BillingPage/>
                <Route path=path!("/billing/:name") view=BillingProjectPage/>
                <Route path=path!("/billing/:name/spend") view=ProjectSpendPage/>
                <Route path=path!("/account") view=AccountPage/>
                <Route path=path!("/admin") view=AdminPage/>
                <Route path=path!("/tiers") view=TiersPage/>
            </ProtectedParentRoute>
        </Routes>
    }
}

/// The skip link moves keyboard focus to the page's content (the router would otherwise treat
/// the link as a navigation and leave focus where it was).
fn skip_to_content(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    let main = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("main"));
    if let Some(main) = main
        .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok())
    {
        let _ = main.focus();
    }
}
