//! Create a workspace. Every rule is `core`'s, checked as you type; the server checks again.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use carrel_core::api::CreateWorkspaceRequest;
use carrel_core::billing::{check_project_choice, check_tier_choice};
use carrel_core::validate::FieldError;
use carrel_core::workspace::{
    choose_dataset_version, parse_display_name, DatasetStatus, DatasetVersion, ResearchPurpose,
};
use carrel_core::AccessTier;

use crate::api::{self, WorkspaceAddress};
use crate::app::use_me;
use crate::components::field::{
    focus_first_error, problem_for, show_refusal, FieldMessage, SelectField, TextField,
};
use crate::components::purpose_fields::PurposeFields;
use crate::components::title::page_title;

/// Every problem `core` finds in the form, one per field.
pub fn form_problems(
    display_name: &str,
    project: &str,
    purpose: &ResearchPurpose,
    versions: &[DatasetVersion],
    tier: AccessTier,
    version: Option<&str>,
    statement: &str,
) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> =
        parse_display_name(display_name).err().into_iter().collect();
    problems.extend(check_project_choice(project).err());
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
    let me = use_me();
    let projects = LocalResource::new(api::billing_projects);
    let versions = LocalResource::new(api::dataset_versions);
    let project = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let tier = RwSignal::new(AccessTier::Registered);
    let version = RwSignal::new(None::<String>);
    let statement = RwSignal::new(String::new());
    let purpose = RwSignal::new(ResearchPurpose::default());
    let attempted = RwSignal::new(false);
    let server_problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = Action::new_local(|request: &CreateWorkspaceRequest| {
        let request = request.clone();
        async move { api::create_workspace(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => navigate(&WorkspaceAddress::of(&created).page(), Default::default()),
        Some(Err(error)) => show_refusal(&error, server_problems, failure),
        None => {}
    });

    let all_versions = move || versions.get().and_then(Result::ok).unwrap_or_default();
    let problems = Signal::derive(move || {
        let mut found = form_problems(
            &display_name.get(),
            &project.get(),
            &purpose.get(),
            &all_versions(),
            tier.get(),
            version.get().as_deref(),
            &statement.get(),
        );
        found.extend(server_problems.get());
        found
    });
    let shown = Signal::derive(move || {
        if attempted.get() {
            problems.get()
        } else {
            Vec::new()
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        attempted.set(true);
        server_problems.set(Vec::new());
        if !problems.get_untracked().is_empty() {
            failure.set(Some(
                "Some answers need attention; each field says what is missing.".to_owned(),
            ));
            focus_first_error();
            return;
        }
        failure.set(None);
        create.dispatch(CreateWorkspaceRequest {
            billing_project: project.get_untracked(),
            display_name: display_name.get_untracked(),
            tier: tier.get_untracked(),
            dataset_version: version.get_untracked(),
            replication_statement: Some(statement.get_untracked()).filter(|s| !s.trim().is_empty()),
            research_purpose: purpose.get_untracked(),
            description: String::new(),
        });
    };
    let pending = create.pending();

    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">"Your workspaces"</a>" / New workspace"</nav>
            <h1>"Create a workspace"</h1>
            <form class="panel create-form" on:submit=submit novalidate>
                <fieldset>
                    <legend>"Workspace"</legend>
                    <TextField id="ws-name" label="Name" field="display_name" value=display_name error=problem_for(shown, "display_name")/>
                    <SelectField id="ws-project" label="Billing project (costs are charged to it)" field="billing_project"
                        error=problem_for(shown, "billing_project") on_change=move |value| project.set(value)>
                        <option value="">"Choose a billing project"</option>
                        {move || projects.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                            let name = p.name.clone();
                            view! { <option value=name.clone() selected=move || project.get() == name>{p.name.clone()}</option> }
                        }).collect_view()}
                    </SelectField>
                    <div class="field" role="radiogroup" aria-labelledby="tier-label">
                        <span id="tier-label" class="label">"Data access tier (fixed once created)"</span>
                        {AccessTier::ALL.into_iter().map(|t| {
                            let refusal = move || me.get().and_then(|me| check_tier_choice(me.tiers, t).err());
                            let reason_id = format!("tier-{}-reason", t.as_str());
                            let described = move || refusal().map(|_| format!("tier-{}-reason", t.as_str()));
                            view! {
                                <label class="choice"><input type="radio" name="tier" value=t.as_str() checked=move || tier.get() == t
                                    disabled=move || refusal().is_some() aria-describedby=described
                                    on:change=move |_| { tier.set(t); version.set(None); }/>{t.label()}</label>
                                {move || refusal().map(|reason| view! {
                                    <p class="choice-reason" id=reason_id.clone()>{reason.to_string()}" "<a href="/tiers">"Ask for it on the Tiers page."</a></p>
                                })}
                            }
                        }).collect_view()}
                        <FieldMessage id="tier-message" error=problem_for(shown, "tier")/>
                    </div>
                    <SelectField id="ws-version" label="Dataset version" field="dataset_version"
                        error=problem_for(shown, "dataset_version")
                        on_change=move |value: String| version.set((!value.is_empty()).then_some(value))>
                        {move || all_versions().into_iter().filter(|v| v.tier == tier.get() && v.status == DatasetStatus::Live).map(|v| {
                            let value = if v.is_default { String::new() } else { v.id.clone() };
                            let label = if v.is_default { format!("{} (default)", v.label) } else { v.label.clone() };
                            view! { <option value=value>{label}</option> }
                        }).collect_view()}
                    </SelectField>
                    {move || version.get().is_some().then(|| view! {
                        <TextField id="ws-statement" label="Which study are you replicating or continuing? (needed for an older version)"
                            field="replication_statement" rows=3 value=statement error=problem_for(shown, "replication_statement")/>
                    })}
                </fieldset>
                <PurposeFields purpose problems=shown/>
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { "Creating…" } else { "Create workspace" }}
                </button>
            </form>
        </section>
    }
}
