//! "Your workspaces": every workspace the user has a role in.

use leptos::prelude::*;

use carrel_core::api::{Me, WorkspaceList};
use carrel_core::AccessTier;

use crate::api::{self, ApiError};
use crate::components::workspace_card::WorkspaceCard;

#[component]
pub fn WorkspacesPage(me: Me) -> impl IntoView {
    let list = LocalResource::new(api::workspaces);
    let registered = me.tiers.contains(AccessTier::Registered);
    view! {
        <section class="page">
            <header class="page-head">
                <h1>"Your workspaces"</h1>
            </header>
            {(!registered).then(|| view! {
                <p class="alert alert--info" role="note">
                    "You need the Registered Tier before you can create or open workspaces. "
                    "A site admin grants it once you complete its requirements."
                </p>
            })}
            {move || match list.get() {
                None => view! {
                    <p class="loading" role="status" aria-live="polite">"Loading your workspaces…"</p>
                }.into_any(),
                Some(result) => view! { <WorkspaceListView result/> }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn WorkspaceListView(result: Result<WorkspaceList, ApiError>) -> impl IntoView {
    match result {
        Err(error) => view! {
            <p class="alert alert--error" role="alert">{error.message()}</p>
        }
        .into_any(),
        Ok(list) if list.workspaces.is_empty() => view! {
            <div class="empty" role="status">
                <h2>"No workspaces yet"</h2>
                <p>"Workspaces you create, and workspaces others share with you or your groups, appear here."</p>
            </div>
        }
        .into_any(),
        Ok(list) => view! {
            <p class="count" role="status">{format!("{} workspaces", list.workspaces.len())}</p>
            <ul class="cards" aria-label="Workspaces">
                {list.workspaces.into_iter().map(|workspace| view! { <WorkspaceCard workspace/> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
}
