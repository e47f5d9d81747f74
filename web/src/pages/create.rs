//! Create a workspace. Every rule is `core`'s, checked as you type; the server checks again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use carrel_core::api::{BillingProjectView, CreateWorkspaceRequest, WorkspaceDetail};
use carrel_core::validate::FieldError;
use carrel_core::workspace::{
    choose_dataset_version, parse_display_name, DatasetStatus, DatasetVersion, ResearchPurpose,
};
use carrel_core::AccessTier;

use crate::api;
use crate::components::purpose_fields::PurposeFields;
use crate::components::title::page_title;

/// Every problem `core` finds in the form, one per field.
pub fn form_problems(
    display_name: &str,
    purpose: &ResearchPurpose,
    versions: &[DatasetVersion],
    tier: AccessTier,
    version: Option<&str>,
    statement: &str,
) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> =
        parse_display_name(display_name).err().into_iter().collect();
    problems.extend(purpose.problems());
    if !versions.is_empty() {
        let statement = (!statement.trim().is_empty()).then_some(statement);
        problems.extend(choose_dataset_version(versions, tier, version, statement).err());
    }
    problems
}

#[component]
pub fn CreateWorkspacePage() -> impl IntoView {
    page_title(|| "Create a workspace".to_owned());
    let projects = LocalResource::new(|| api::get::<Vec<BillingProjectView>>("/billing-projects"));
    let versions = LocalResource::new(|| api::get::<Vec<DatasetVersion>>("/dataset-versions"));
    let project = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let tier = RwSignal::new(AccessTier::Registered);
    let version = RwSignal::new(None::<String>);
    let statement = RwSignal::new(String::new());
    let purpose = RwSignal::new(ResearchPurpose::default());
    let attempted = RwSignal::new(false);
    let server_problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();

    let all_versions = move || versions.get().and_then(Result::ok).unwrap_or_default();
    let problems = move || {
        let mut found = form_problems(
            &display_name.get(),
            &purpose.get(),
            &all_versions(),
            tier.get(),
            version.get().as_deref(),
            &statement.get(),
        );
        found.extend(server_problems.get());
        found
    };
    let message = move |field: &'static str| {
        move || {
            attempted
                .get()
                .then(|| {
                    problems()
                        .into_iter()
                        .find(|p| p.field == field)
                        .map(|p| p.message)
                })
                .flatten()
        }
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        server_problems.set(Vec::new());
        if !problems().is_empty() {
            failure.set(Some(
                "Some answers need attention; each field says what is missing.".to_owned(),
            ));
            return;
        }
        let request = CreateWorkspaceRequest {
            billing_project: project.get_untracked(),
            display_name: display_name.get_untracked(),
            tier: tier.get_untracked(),
            dataset_version: version.get_untracked(),
            replication_statement: Some(statement.get_untracked()).filter(|s| !s.trim().is_empty()),
            research_purpose: purpose.get_untracked(),
            description: String::new(),
        };
        let navigate = navigate.clone();
        pending.set(true);
        failure.set(None);
        spawn_local(async move {
            let created: Result<WorkspaceDetail, api::ApiError> =
                api::post("/workspaces", &request).await;
            pending.set(false);
            match created {
                Ok(ws) => navigate(
                    &format!("/workspaces/{}/{}", ws.namespace, ws.name),
                    Default::default(),
                ),
                Err(error) => {
                    server_problems.set(error.fields().to_vec());
                    failure.set(Some(error.message()));
                }
            }
        });
    };

    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">"Your workspaces"</a>" / New workspace"</nav>
            <h1>"Create a workspace"</h1>
            <form class="panel create-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>"Workspace"</legend>
                    <div class="field">
                        <label for="ws-name">"Name"</label>
                        <input id="ws-name" type="text" prop:value=move || display_name.get()
                            on:input=move |e| display_name.set(event_target_value(&e))/>
                        <p class="field-message" role="status">{message("display_name")}</p>
                    </div>
                    <div class="field">
                        <label for="ws-project">"Billing project (costs are charged to it)"</label>
                        <select id="ws-project" on:change=move |e| project.set(event_target_value(&e))>
                            <option value="">"Choose a billing project"</option>
                            {move || projects.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                                let name = p.name.clone();
                                view! { <option value=name.clone() selected=move || project.get() == name>{p.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-message">{message("billing_project")}</p>
                    </div>
                    <div class="field" role="radiogroup" aria-labelledby="tier-label">
                        <span id="tier-label" class="label">"Data access tier (fixed once created)"</span>
                        {AccessTier::ALL.into_iter().map(|t| view! {
                            <label class="choice"><input type="radio" name="tier" checked=move || tier.get() == t
                                on:change=move |_| { tier.set(t); version.set(None); }/>{t.label()}</label>
                        }).collect_view()}
                    </div>
                    <div class="field">
                        <label for="ws-version">"Dataset version"</label>
                        <select id="ws-version" on:change=move |e| { let v = event_target_value(&e); version.set((!v.is_empty()).then_some(v)); }>
                            {move || all_versions().into_iter().filter(|v| v.tier == tier.get() && v.status == DatasetStatus::Live).map(|v| {
                                let value = if v.is_default { String::new() } else { v.id.clone() };
                                let label = if v.is_default { format!("{} (default)", v.label) } else { v.label.clone() };
                                view! { <option value=value>{label}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-message">{message("dataset_version")}</p>
                    </div>
                    {move || version.get().is_some().then(|| view! {
                        <div class="field">
                            <label for="ws-statement">"Which study are you replicating or continuing? (needed for an older version)"</label>
                            <textarea id="ws-statement" prop:value=move || statement.get() on:input=move |e| statement.set(event_target_value(&e))></textarea>
                            <p class="field-message">{message("replication_statement")}</p>
                        </div>
                    })}
                </fieldset>
                <PurposeFields purpose problems=Signal::derive(problems) show=attempted.into()/>
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating…" } else { "Create workspace" }}
                </button>
            </form>
        </section>
    }
}
