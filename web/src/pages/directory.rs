//! The public research directory: every workspace's published research purpose. No sign-in.

use leptos::prelude::*;

use carrel_core::api::Directory;

use crate::api;
use crate::components::async_view::Loaded;
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    page_title(|| "Research directory".to_owned());
    let query = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let q = query.get();
        async move { api::directory(q.trim()).await }
    });
    view! {
        <section class="page">
            <h1>"Research directory"</h1>
            <p class="lead">"What every workspace on Carrel is for, as its researchers described it. Deleted workspaces stay listed, marked inactive."</p>
            <div class="list-controls">
                <label for="dir-search" class="visually-hidden">"Search the directory"</label>
                <input id="dir-search" type="search" placeholder="Search by name, question or approach"
                    prop:value=move || query.get() on:input=move |e| query.set(event_target_value(&e))/>
            </div>
            <Loaded loading="Searching…">
            {move || Suspend::new(async move { results.await.map(entries) })}
            </Loaded>
        </section>
    }
}

fn entries(found: Directory) -> AnyView {
    if found.entries.is_empty() {
        return view! { <p class="empty" role="status">"Nothing matches your search."</p> }
            .into_any();
    }
    view! {
                    <ul class="directory" aria-label="Research purposes">
                        {found.entries.into_iter().map(|entry| {
                            let purposes: Vec<&str> = entry.research_purpose.purposes.iter().map(|p| p.label()).collect();
                            view! {
                                <li class="card directory-entry" class:card--inactive=!entry.active>
                                    <div class="card-head">
                                        <h2 class="card-title">{entry.display_name.clone()}</h2>
                                        {(entry.tier == carrel_core::AccessTier::Controlled).then(|| view! { <span class="shield" aria-label="Controlled Tier">"CT"</span> })}
                                        {(!entry.active).then(|| view! { <span class="badge">"Inactive"</span> })}
                                    </div>
                                    <p class="card-meta">{purposes.join(" · ")}</p>
                                    <p><strong>"Questions: "</strong>{entry.research_purpose.scientific_questions.clone()}</p>
                                    <p><strong>"Approaches: "</strong>{entry.research_purpose.scientific_approaches.clone()}</p>
                                    <p class="card-meta">{entry.creator.clone()} " · " {format_date(entry.created_at)}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
    }
    .into_any()
}
