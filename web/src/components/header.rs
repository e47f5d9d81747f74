use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use carrel_core::authz::require_site_admin;

use crate::api;
use crate::app::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        let navigate = navigate.clone();
        signing_out.set(true);
        spawn_local(async move {
            // Even if the server cannot be reached, forget the session locally.
            let _ = api::sign_out().await;
            // Leave the page first: a page behind sign-in would otherwise send you to sign in
            // and back to it.
            navigate("/sign-in", Default::default());
            session.signed_out();
            signing_out.set(false);
        });
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/" aria-label="Carrel home">
                <span class="brand-mark" aria-hidden="true">"C"</span>
                <span class="brand-name">"Carrel"</span>
            </a>
            <nav class="mainnav" aria-label="Main">
                {move || session.me().is_some().then(|| view! {
                    <a href="/">"Workspaces"</a>
                    <a href="/groups">"Groups"</a>
                    <a href="/billing">"Billing"</a>
                    <a href="/tiers">"Tiers"</a>
                })}
                <a href="/directory">"Directory"</a>
                {move || session.me().filter(|me| require_site_admin(me.is_site_admin).is_ok()).map(|_| view! { <a href="/admin">"Admin"</a> })}
            </nav>
            {move || session.me().map(|me| view! {
                <nav class="account" aria-label="Account">
                    <a class="account-name" href="/account" title="Your account">
                        <span class="account-display">{me.display_name.clone()}</span>
                        <span class="account-email">{me.email.clone()}</span>
                    </a>
                    <button class="button button--quiet" on:click=sign_out.clone()
                        disabled=move || signing_out.get()>
                        {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </nav>
            })}
        </header>
    }
}
