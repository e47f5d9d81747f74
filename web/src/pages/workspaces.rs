//! "Your workspaces": every workspace the user has a role in.

use leptos::prelude::*;

use carrel_core::api::{WorkspaceList, WorkspaceSummary};

use crate::api::{self, ApiError};
use crate::app::use_me;
use crate::components::async_view::Loaded;
use crate::components::title::page_title;
use crate::components::workspace_card::WorkspaceCard;

#[component]
pub fn WorkspacesPage() -> impl IntoView {
    page_title(|| "Your workspaces".to_owned());
    let me = use_me();
    let declined = RwSignal::new(0_usize);
    let list = LocalResource::new(move || {
        declined.track();
        api::workspaces()
    });
    let registration = move || {
        me.get()
            .map(|me| carrel_core::authz::require_registered(me.tiers))
    };
    view! {
        <section class="page">
            <header class="page-head">
                <h1>"Your workspaces"</h1>
                {move || registration().is_some_and(|r| r.is_ok()).then(|| view! {
                    <a class="button button--primary" href="/workspaces/new">"Create workspace"</a>
                })}
            </header>
            {move || registration().and_then(Result::err).map(|reason| view! {
                <p class="alert alert--info" role="note">{reason.to_string()}" "<a href="/tiers">"See what each tier requires, and ask for it"</a></p>
            })}
            <Loaded loading="Loading your workspaces…">
                {move || Suspend::new(async move {
                    let result = list.await;
                    view! { <WorkspaceListView result on_changed=move |()| declined.update(|n| *n += 1)/> }
                })}
            </Loaded>
        </section>
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum SortBy {
    Changed,
    Name,
    Role,
}

fn matches(workspace: &WorkspaceSummary, needle: &str) -> bool {
    needle.is_empty()
        || [
            &workspace.display_name,
            &workspace.namespace,
            &workspace.creator,
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(needle))
}

#[component]
pub fn WorkspaceListView(
    result: Result<WorkspaceList, ApiError>,
    /// After a workspace left the list (declined).
    #[prop(optional, into)]
    on_changed: Option<Callback<()>>,
) -> impl IntoView {
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
        Ok(list) => {
            let total = list.workspaces.len();
            let all = StoredValue::new(list.workspaces);
            let filter = RwSignal::new(String::new());
            let sort = RwSignal::new(SortBy::Changed);
            let shown = move || {
                let needle = filter.get().trim().to_lowercase();
                let mut shown: Vec<WorkspaceSummary> = all.with_value(|all| {
                    all.iter().filter(|w| matches(w, &needle)).cloned().collect()
                });
                match sort.get() {
                    SortBy::Changed => shown.sort_by_key(|w| std::cmp::Reverse(w.modified_at)),
                    SortBy::Name => shown.sort_by_key(|w| w.display_name.to_lowercase()),
                    SortBy::Role => shown.sort_by(|a, b| b.role.cmp(&a.role).then(b.modified_at.cmp(&a.modified_at))),
                }
                shown
            };
            view! {
                <div class="list-controls">
                    <label for="ws-filter" class="visually-hidden">"Filter workspaces"</label>
                    <input id="ws-filter" type="search" placeholder="Filter by name, billing project or creator"
                        prop:value=move || filter.get() on:input=move |e| filter.set(event_target_value(&e))/>
                    <label for="ws-sort">"Sort by"</label>
                    <select id="ws-sort" on:change=move |e| sort.set(match event_target_value(&e).as_str() {
                        "name" => SortBy::Name,
                        "role" => SortBy::Role,
                        _ => SortBy::Changed,
                    })>
                        <option value="changed">"Last changed"</option>
                        <option value="name">"Name"</option>
                        <option value="role">"My role"</option>
                    </select>
                </div>
                <p class="count" role="status">{move || {
                    let count = shown().len();
                    let noun = if total == 1 { "workspace" } else { "workspaces" };
                    if count == total { format!("{total} {noun}") } else { format!("{count} of {total} {noun}") }
                }}</p>
                <ul class="cards" aria-label="Workspaces">
                    {move || shown().into_iter().map(|workspace| view! { <WorkspaceCard workspace on_declined=move |()| if let Some(changed) = on_changed { changed.run(()) }/> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}
