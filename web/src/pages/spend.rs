//! A billing project's spend, for its owners: the banner, credits and balance, spend by day (a
//! chart), by workspace and by category, the latest charges, and adding credits.

use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use carrel_core::api::{SpendReport, WorkspaceSpend};
use carrel_core::costs::{format_nanos, parse_dollars};

use crate::api;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::TextField;
use crate::components::notice::{Notice, Outcome};
use crate::components::spend::{SpendBanner, SpendChart, SpendDetails, SpendFigures};
use crate::components::title::page_title;

#[derive(Params, Clone, Debug, PartialEq)]
struct ProjectParams {
    name: Option<String>,
}

#[component]
pub fn ProjectSpendPage() -> impl IntoView {
    let params = use_params::<ProjectParams>();
    let name = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.name.clone())
                .unwrap_or_default()
        })
    });
    page_title(move || format!("Spend of {}", name.get()));
    let amount = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None as Outcome);
    let add = Action::new_local(move |cents: &i64| {
        let (project, cents) = (name.get_untracked(), *cents);
        async move { api::add_credits(&project, cents).await }
    });
    let added = successes(add);
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            outcome.set(Some(Ok("Credits added.".to_owned())));
            amount.set(String::new());
        }
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let report = LocalResource::new(move || {
        let name = name.get();
        added.track();
        async move { api::project_spend(&name).await }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match parse_dollars(&amount.get_untracked()) {
            Ok(cents) => {
                problem.set(None);
                add.dispatch(cents);
            }
            Err(error) => problem.set(Some(error.message)),
        }
    };
    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs">
                <a href="/billing">"Billing projects"</a>" / "
                <a href=move || format!("/billing/{}", name.get())>{move || name.get()}</a>" / spend"
            </nav>
            <h1>"Spend of " {move || name.get()}</h1>
            <Notice outcome/>
            <Loaded loading="Loading the spend…">
                {move || Suspend::new(async move { report.await.map(report_view) })}
            </Loaded>
            <form class="panel inline-form" on:submit=submit novalidate>
                <TextField id="credits-amount" label="Add credits (dollars)" placeholder="25.00"
                    value=amount error=Signal::derive(move || problem.get())/>
                <button type="submit" class="button button--primary"
                    aria-disabled=move || add.pending().get().then_some("true")>
                    {move || if add.pending().get() { "Adding…" } else { "Add credits" }}
                </button>
            </form>
        </section>
    }
}

fn report_view(report: SpendReport) -> impl IntoView {
    let workspaces = report.by_workspace.clone();
    view! {
        <SpendBanner banner=report.banner/>
        <SpendFigures credits_cents=report.credits_cents spend_nanos=report.spend_nanos/>
        <div class="panel">
            <h2>"By day"</h2>
            <SpendChart days=report.by_day.clone()/>
        </div>
        <div class="panel">
            <h2>"By workspace"</h2>
            <WorkspaceTable workspaces/>
        </div>
        <div class="panel">
            <SpendDetails report/>
        </div>
    }
}

#[component]
fn WorkspaceTable(workspaces: Vec<WorkspaceSpend>) -> impl IntoView {
    if workspaces.is_empty() {
        return view! { <p class="empty-note">"No workspace has cost anything yet."</p> }
            .into_any();
    }
    view! {
        <table class="share-table spend-workspaces">
            <thead><tr><th scope="col">"Workspace"</th><th scope="col" class="numeric">"Spent"</th></tr></thead>
            <tbody>{workspaces.into_iter().map(|w| view! {
                <tr><th scope="row"><a href=format!("/workspaces/{}/{}", w.namespace, w.name)><bdi>{w.display_name.clone()}</bdi></a>
                    <span class="share-email">{format!("{}/{}", w.namespace, w.name)}</span></th>
                    <td class="numeric">{format_nanos(w.spend_nanos)}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}
