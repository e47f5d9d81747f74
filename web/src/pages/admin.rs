//! Site administration: grant and revoke data-access tiers once people complete the requirements.
//! Every grant and revocation is confirmed first: it opens or closes data for that person.

use leptos::prelude::*;
use leptos::task::spawn_local;

use carrel_core::api::{PasswordResetLink, UserMatch, UserTiers};
use carrel_core::authz::require_site_admin;
use carrel_core::AccessTier;

use crate::api;
use crate::app::use_me;
use crate::components::modal::ConfirmDialog;
use crate::components::notice::{outcome_of, Notice, Outcome};
use crate::components::title::page_title;

/// A tier change the admin asked for, waiting for confirmation.
#[derive(Clone, Debug, PartialEq)]
struct TierChange {
    person: UserMatch,
    tier: AccessTier,
    grant: bool,
}

#[component]
pub fn AdminPage() -> impl IntoView {
    page_title(|| "Data-access tiers".to_owned());
    let me = use_me();
    move || {
        let me = me.get()?;
        Some(match require_site_admin(me.is_site_admin) {
            Err(reason) => view! {
                <section class="panel narrow">
                    <h1>"Site administration"</h1>
                    <p class="alert alert--info" role="note">{reason.to_string()}</p>
                </section>
            }
            .into_any(),
            Ok(()) => view! { <TierAdministration/> }.into_any(),
        })
    }
}

#[component]
fn TierAdministration() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<UserMatch>::new());
    let outcome = RwSignal::new(None as Outcome);
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
    let change_tier = Action::new_local(|change: &TierChange| {
        let change = change.clone();
        async move {
            if change.grant {
                api::grant_tier(&change.person.email, change.tier).await
            } else {
                api::revoke_tier(&change.person.email, change.tier).await
            }
        }
    });
    let confirming = RwSignal::new(None::<TierChange>);
    let changed = move |updated: UserTiers| {
        found.update(|people| {
            if let Some(person) = people.iter_mut().find(|p| p.email == updated.email) {
                person.tiers = updated.tiers;
            }
        });
        if let Some(change) = confirming.get_untracked() {
            let verb = if change.grant {
                "granted to"
            } else {
                "revoked from"
            };
            outcome.set(Some(Ok(format!(
                "{} {verb} {}.",
                change.tier.label(),
                updated.email
            ))));
        }
        confirming.set(None);
    };
    let reset_link = Action::new_local(|email: &String| {
        let email = email.clone();
        async move { api::password_reset_link(&email).await }
    });
    Effect::new(move |_| {
        if let Some(Err(error)) = reset_link.value().get() {
            outcome.set(outcome_of::<()>(&Err(error), ""));
        }
    });
    let link_shown = move || {
        let Some(Ok(PasswordResetLink { email, path, .. })) = reset_link.value().get() else {
            return None;
        };
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        Some((email, format!("{origin}{path}")))
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
            <Notice outcome=outcome/>
            {move || link_shown().map(|(email, link)| view! {
                <div class="alert alert--info" role="status">
                    <p>{format!("A one-time password reset link for {email}, valid for 24 hours. Give it to them yourself; Carrel sends no mail.")}</p>
                    <p><code class="reset-link">{link}</code></p>
                </div>
            })}
            <table class="share-table">
                <caption class="visually-hidden">"People found, with their tiers"</caption>
                <thead><tr><th scope="col">"Person"</th><th scope="col">"Registered Tier"</th><th scope="col">"Controlled Tier"</th><th scope="col">"Password"</th></tr></thead>
                <tbody>
                    {move || found.get().into_iter().map(|person| {
                        let email = person.email.clone();
                        view! {
                            <tr>
                                <th scope="row"><span class="share-name">{person.display_name.clone()}</span>" "{person.email.clone()}</th>
                                {AccessTier::ALL.into_iter().map(|tier| {
                                    let held = person.tiers.contains(tier);
                                    let person = person.clone();
                                    view! {
                                        <td><input type="checkbox" prop:checked=held aria-label=format!("{} holds the {}", person.email, tier.label())
                                            on:change=move |e| {
                                                let grant = event_target_checked(&e);
                                                // The box shows the held tier until the change is confirmed and done.
                                                event_target::<web_sys::HtmlInputElement>(&e).set_checked(held);
                                                confirming.set(Some(TierChange { person: person.clone(), tier, grant }));
                                            }/></td>
                                    }
                                }).collect_view()}
                                <td>
                                    <button type="button" class="button button--quiet"
                                        aria-label=format!("Make a password reset link for {email}")
                                        on:click=move |_| { reset_link.dispatch(email.clone()); }>"Reset link"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || confirming.get().map(|change| {
                let who = format!("{} ({})", change.person.display_name, change.person.email);
                let (title, message, label) = if change.grant {
                    (format!("Grant the {}?", change.tier.label()),
                     format!("{who} can then open data of the {} in every workspace shared with them. Grant it only once they have completed its requirements.", change.tier.label()),
                     "Grant")
                } else {
                    (format!("Revoke the {}?", change.tier.label()),
                     format!("{who} loses access to the {}'s data at once, in every workspace.", change.tier.label()),
                     "Revoke")
                };
                view! {
                    <ConfirmDialog title message confirm_label=label danger=!change.grant
                        action=change_tier input=change.clone()
                        on_cancel=move |()| confirming.set(None) on_done=changed/>
                }
            })}
        </section>
    }
}
