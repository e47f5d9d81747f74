//! The public research directory: every workspace's published research purpose, searchable and
//! filtered, a page at a time, with a page of its own for each. No sign-in. The search lives in
//! the address (`/directory?q=…&purpose=…&page=2`), so it can be shared and Back returns to it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query_map};
use leptos_router::params::Params;
use leptos_router::NavigateOptions;

use carrel_core::api::{
    Directory, DirectoryEntry, DirectoryQuery, DirectorySearch, DirectoryStatus,
};
use carrel_core::workspace::PrimaryPurpose;
use carrel_core::AccessTier;

use crate::api;
use crate::components::async_view::Loaded;
use crate::components::purpose_summary::PurposeTerms;
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

fn directory_href(search: &DirectorySearch) -> String {
    match search.query_string() {
        query if query.is_empty() => "/directory".to_owned(),
        query => format!("/directory?{query}"),
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    page_title(|| "Research directory".to_owned());
    let address = use_query_map();
    let search = Memo::new(move |_| {
        address.with(|params| {
            DirectorySearch::parse(&DirectoryQuery {
                q: params.get("q").unwrap_or_default(),
                purpose: params.get("purpose").unwrap_or_default(),
                tier: params.get("tier").unwrap_or_default(),
                status: params.get("status").unwrap_or_default(),
                page: params.get("page").and_then(|page| page.parse().ok()),
            })
        })
    });
    // What is typed stays as typed (spaces and all); the address carries it trimmed.
    let typed = RwSignal::new(search.get_untracked().map(|s| s.words).unwrap_or_default());
    Effect::new(move |_| {
        if let Ok(search) = search.get() {
            if typed.get_untracked().trim() != search.words {
                typed.set(search.words);
            }
        }
    });
    let navigate = use_navigate();
    let go = move |change: &dyn Fn(&mut DirectorySearch)| {
        let mut next = search.get_untracked().unwrap_or_default();
        change(&mut next);
        next.page = 1;
        navigate(
            &directory_href(&next),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let results = LocalResource::new(move || {
        let search = search.get();
        async move {
            match search {
                Ok(search) => api::directory(&search).await.map(|found| (search, found)),
                Err(_) => Ok((DirectorySearch::default(), Directory::default())),
            }
        }
    });
    let current = move || search.get().unwrap_or_default();
    let on_words = {
        let go = go.clone();
        move |event| {
            let text = event_target_value(&event);
            typed.set(text.clone());
            go(&|s| s.words = text.trim().to_owned());
        }
    };
    let on_purpose = {
        let go = go.clone();
        move |event| {
            let purpose = PrimaryPurpose::parse(&event_target_value(&event));
            go(&|s| s.purpose = purpose);
        }
    };
    let on_tier = {
        let go = go.clone();
        move |event| {
            let tier = AccessTier::parse(&event_target_value(&event));
            go(&|s| s.tier = tier);
        }
    };
    let on_status = move |event| {
        let status = DirectoryStatus::parse(&event_target_value(&event)).unwrap_or_default();
        go(&|s| s.status = status);
    };
    view! {
        <section class="page">
            <h1>"Research directory"</h1>
            <p class="lead">"What every workspace on Carrel is for, as its researchers described it. Deleted workspaces stay listed, marked inactive."</p>
            <form class="list-controls directory-filters" role="search" aria-label="Search the directory"
                on:submit=|event| event.prevent_default()>
                <label for="dir-search" class="visually-hidden">"Search names and research questions"</label>
                <input id="dir-search" type="search" placeholder="Search names, questions, approaches"
                    prop:value=move || typed.get() on:input=on_words/>
                <label for="dir-purpose" class="visually-hidden">"Primary purpose"</label>
                <select id="dir-purpose" on:change=on_purpose>
                    <option value="" selected=move || current().purpose.is_none()>"Any purpose"</option>
                    {PrimaryPurpose::ALL.into_iter().map(|purpose| view! {
                        <option value=purpose.as_str() selected=move || current().purpose == Some(purpose)>{purpose.label()}</option>
                    }).collect_view()}
                </select>
                <label for="dir-tier" class="visually-hidden">"Access tier"</label>
                <select id="dir-tier" on:change=on_tier>
                    <option value="" selected=move || current().tier.is_none()>"Any tier"</option>
                    {AccessTier::ALL.into_iter().map(|tier| view! {
                        <option value=tier.as_str() selected=move || current().tier == Some(tier)>{tier.label()}</option>
                    }).collect_view()}
                </select>
                <label for="dir-status" class="visually-hidden">"Active or inactive"</label>
                <select id="dir-status" on:change=on_status>
                    {DirectoryStatus::ALL.into_iter().map(|status| view! {
                        <option value=status.as_str() selected=move || current().status == status>{status.label()}</option>
                    }).collect_view()}
                </select>
            </form>
            {move || search.get().err().map(|problem| view! {
                <div class="alert alert--error" role="alert">
                    <p>{problem.message}</p>
                    <p><a href="/directory">"Show the whole directory"</a></p>
                </div>
            })}
            <Loaded loading="Searching…">
                {move || Suspend::new(async move { results.await.map(|(search, found)| page(&search, found)) })}
            </Loaded>
        </section>
    }
}

fn page(search: &DirectorySearch, found: Directory) -> AnyView {
    if found.entries.is_empty() {
        let message = if found.page > 1 {
            "There are no more entries."
        } else {
            "Nothing matches your search."
        };
        return view! { <p class="empty" role="status">{message}</p> }.into_any();
    }
    let first = search.offset() + 1;
    let last = search.offset() + i64::try_from(found.entries.len()).unwrap_or_default();
    let previous = (found.page > 1).then(|| {
        directory_href(&DirectorySearch {
            page: found.page - 1,
            ..search.clone()
        })
    });
    let next = found.has_more.then(|| {
        directory_href(&DirectorySearch {
            page: found.page + 1,
            ..search.clone()
        })
    });
    view! {
        <p class="count" role="status">{format!("Page {} · entries {first}–{last}", found.page)}</p>
        <ul class="directory" aria-label="Research purposes">
            {found.entries.into_iter().map(entry_card).collect_view()}
        </ul>
        <nav class="pager" aria-label="Pages">
            {previous.map(|href| view! { <a class="button" rel="prev" href=href>"← Newer"</a> })}
            {next.map(|href| view! { <a class="button" rel="next" href=href>"Older →"</a> })}
        </nav>
    }
    .into_any()
}

fn entry_card(entry: DirectoryEntry) -> impl IntoView {
    let purposes: Vec<&str> = entry
        .research_purpose
        .purposes
        .iter()
        .map(|p| p.label())
        .collect();
    view! {
        <li class="card directory-entry" class:card--inactive=!entry.active>
            <div class="card-head">
                <h2 class="card-title"><a href=format!("/directory/{}", entry.id)>{entry.display_name.clone()}</a></h2>
                {(entry.tier == AccessTier::Controlled).then(|| view! { <span class="shield" aria-label="Controlled Tier">"CT"</span> })}
                {(!entry.active).then(|| view! { <span class="badge">"Inactive"</span> })}
            </div>
            <p class="card-meta">{purposes.join(" · ")}</p>
            <p><strong>"Questions: "</strong>{entry.research_purpose.scientific_questions.clone()}</p>
            <p class="card-meta"><bdi>{entry.creator.clone()}</bdi> " · " {format_date(entry.created_at)}</p>
        </li>
    }
}

#[derive(Params, Clone, Debug, PartialEq)]
struct EntryParams {
    id: Option<i64>,
}

/// One workspace's published research purpose, public, kept after the workspace is deleted.
#[component]
pub fn DirectoryEntryPage() -> impl IntoView {
    let params = use_params::<EntryParams>();
    let id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.id)));
    let entry = LocalResource::new(move || {
        let id = id.get();
        async move { api::directory_entry(id.unwrap_or_default()).await }
    });
    page_title(move || {
        entry
            .get()
            .and_then(Result::ok)
            .map_or_else(|| "Research purpose".to_owned(), |e| e.display_name)
    });
    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/directory">"Research directory"</a></nav>
            <Loaded loading="Loading the research purpose…">
                {move || Suspend::new(async move { entry.await.map(entry_page) })}
            </Loaded>
        </section>
    }
}

fn entry_page(entry: DirectoryEntry) -> impl IntoView {
    view! {
        <div class="page-head">
            <h1><bdi>{entry.display_name.clone()}</bdi></h1>
            {(!entry.active).then(|| view! { <span class="badge">"Inactive: the workspace was deleted"</span> })}
        </div>
        <p class="card-meta">
            {format!("{}/{}", entry.namespace, entry.name)} " · " {entry.tier.label()}
            " · created " {format_date(entry.created_at)} " by " <bdi>{entry.creator.clone()}</bdi>
        </p>
        <div class="panel">
            <h2>"Research purpose"</h2>
            <dl class="about">
                <PurposeTerms purpose=entry.research_purpose/>
            </dl>
        </div>
    }
}
