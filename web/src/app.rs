//! The app shell: who is signed in, the header, and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use carrel_core::api::Me;

use crate::api;
use crate::components::header::Header;
use crate::pages::account::{AccountPage, ResetPasswordPage};
use crate::pages::admin::AdminPage;
use crate::pages::auth::{AuthMode, AuthPage};
use crate::pages::billing::{BillingPage, BillingProjectPage};
use crate::pages::create::CreateWorkspacePage;
use crate::pages::directory::DirectoryPage;
use crate::pages::groups::{GroupPage, GroupsPage};
use crate::pages::not_found::NotFound;
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

    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(SessionState::SignedOut)))
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
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/sign-in") view=|| view! { <AuthPage mode=AuthMode::SignIn/> }/>
                    <Route path=path!("/sign-up") view=|| view! { <AuthPage mode=AuthMode::SignUp/> }/>
                    <Route path=path!("/workspaces/new") view=CreateWorkspacePage/>
                    <Route path=path!("/directory") view=DirectoryPage/>
                    <Route path=path!("/groups") view=GroupsPage/>
                    <Route path=path!("/groups/:name") view=GroupPage/>
                    <Route path=path!("/billing") view=BillingPage/>
                    <Route path=path!("/billing/:name") view=BillingProjectPage/>
                    <Route path=path!("/account") view=|| view! { <SignedIn page=|me| view! { <AccountPage me/> }.into_any()/> }/>
                    <Route path=path!("/reset-password") view=ResetPasswordPage/>
                    <Route path=path!("/admin") view=|| view! { <SignedIn page=|me| view! { <AdminPage me/> }.into_any()/> }/>
                    <Route path=path!("/workspaces/:namespace/:name") view=WorkspacePage/>
                </Routes>
            </main>
        </Router>
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

/// "Your workspaces" once signed in; the sign-in page otherwise.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.0.get() {
        SessionState::Checking => view! {
            <p class="loading" role="status" aria-live="polite">"Loading…"</p>
        }
        .into_any(),
        SessionState::SignedOut => view! { <Redirect path="/sign-in"/> }.into_any(),
        SessionState::SignedIn(me) => view! { <WorkspacesPage me/> }.into_any(),
    }
}

/// A page behind sign-in: shown with the signed-in user, or the sign-in page instead.
#[component]
pub fn SignedIn(page: fn(Me) -> AnyView) -> impl IntoView {
    let session = use_session();
    move || match session.0.get() {
        SessionState::Checking => {
            view! { <p class="loading" role="status">"Loading…"</p> }.into_any()
        }
        SessionState::SignedOut => view! { <Redirect path="/sign-in"/> }.into_any(),
        SessionState::SignedIn(me) => page(me),
    }
}
