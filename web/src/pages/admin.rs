//! Site administration: grant and revoke data-access tiers once people complete the requirements.

use leptos::prelude::*;
use leptos::task::spawn_local;

use carrel_core::api::{Me, PasswordResetLink, TierRequest, UserMatch, UserTiers};
use carrel_core::authz::require_site_admin;
use carrel_core::AccessTier;

use crate::api::{self, segment, ApiError};
use crate::components::title::page_title;

#[component]
pub fn AdminPage(me: Me) -> impl IntoView {
    page_title(|| "Data-access tiers".to_owned());
    if let Err(reason) = require_site_admin(me.is_site_admin) {
        return view! {
            <section class="panel narrow">
                <h1>"Site administration"</h1>
                <p class="alert alert--info" role="note">{reason.to_string()}</p>
            </section>
        }
        .into_any();
    }
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<UserMatch>::new());
    let message = RwSignal::new(None::<String>);
    let search = move |text: String| {
        query.set(text.clone());
        if text.trim().chars().count() < 2 {
            found.set(Vec::new());
            return;
        }
        spawn_local(async move {
            if let Ok(people) = api::find_users(text.trim()).await {
                if query.get_untracked() == text {
                    found.set(people);
                }
            }
        });
    };
    let toggle = move |email: String, tier: AccessTier, grant: bool| {
        spawn_local(async move {
            let result: Result<UserTiers, ApiError> = if grant {
                api::post(
                    &format!("/admin/users/{}/tiers", segment(&email)),
                    &TierRequest { tier },
                )
                .await
            } else {
                api::send(
                    gloo_net::http::Method::DELETE,
                    &format!("/admin/users/{}/tiers/{}", segment(&email), tier.as_str()),
                    &(),
                )
                .await
            };
            match result {
                Ok(updated) => {
                    found.update(|people| {
                        if let Some(person) = people.iter_mut().find(|p| p.email == updated.email) {
                            person.tiers = updated.tiers;
                        }
                    });
                    let verb = if grant { "granted to" } else { "revoked from" };
                    message.set(Some(format!("{} {verb} {}.", tier.label(), updated.email)));
                }
                Err(error) => message.set(Some(error.message())),
            }
        });
    };
    let reset_link = RwSignal::new(None::<(String, String)>);
    let make_reset_link = move |email: String| {
        spawn_local(async move {
            let result: Result<PasswordResetLink, ApiError> = api::post(
                &format!("/admin/users/{}/password-reset", segment(&email)),
                &(),
            )
            .await;
            match result {
                Ok(link) => {
                    let origin = web_sys::window()
                        .and_then(|window| window.location().origin().ok())
                        .unwrap_or_default();
                    reset_link.set(Some((link.email, format!("{origin}{}", link.path))));
                }
                Err(error) => message.set(Some(error.message())),
            }
        });
    };
    view! {
        <section class="page">
            <h1>"Data-access tiers"</h1>
            <p class="lead">"Grant a tier once the person has completed its requirements. Without the Registered Tier nobody can create or open workspaces."</p>
            <div class="list-controls">
                <label for="admin-search" class="visually-hidden">"Find a person"</label>
                <input id="admin-search" type="search" placeholder="Find a person by name or email"
                    prop:value=move || query.get() on:input=move |e| search(event_target_value(&e))/>
            </div>
            {move || message.get().map(|m| view! { <p class="alert alert--info" role="status">{m}</p> })}
            {move || reset_link.get().map(|(email, link)| view! {
                <div class="alert alert--info" role="status">
                    <p>{format!("A one-time password reset link for {email}, valid for 24 hours. Give it to them yourself; Carrel sends no mail.")}</p>
                    <p><code class="reset-link">{link}</code></p>
                </div>
            })}
            <table class="share-table">
                <thead><tr><th scope="col">"Person"</th><th scope="col">"Registered Tier"</th><th scope="col">"Controlled Tier"</th><th scope="col">"Password"</th></tr></thead>
                <tbody>
                    {move || found.get().into_iter().map(|person| view! {
                        <tr>
                            <th scope="row"><span class="share-name">{person.display_name.clone()}</span>" "{person.email.clone()}</th>
                            {AccessTier::ALL.into_iter().map(|tier| {
                                let email = person.email.clone();
                                let held = person.tiers.contains(tier);
                                view! {
                                    <td><input type="checkbox" checked=held aria-label=format!("{} holds the {}", person.email, tier.label())
                                        on:change=move |e| toggle(email.clone(), tier, event_target_checked(&e))/></td>
                                }
                            }).collect_view()}
                            <td>{
                                let email = person.email.clone();
                                view! {
                                    <button type="button" class="button button--quiet"
                                        aria-label=format!("Make a password reset link for {}", person.email)
                                        on:click=move |_| make_reset_link(email.clone())>"Reset link"</button>
                                }
                            }</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
