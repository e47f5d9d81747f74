//! Create a workspace. Every rule is `core`'s, checked as you type; the server checks again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use carrel_core::api::{BillingProjectView, CreateWorkspaceRequest, WorkspaceDetail};
use carrel_core::validate::FieldError;
use carrel_core::workspace::{
    choose_dataset_version, parse_display_name, DatasetStatus, DatasetVersion, PopulationCategory,
    PrimaryPurpose, ResearchPurpose,
};
use carrel_core::AccessTier;

use crate::api;

const CATEGORIES: [(PopulationCategory, &str); 11] = [
    (PopulationCategory::RaceEthnicity, "Race or ethnicity"),
    (PopulationCategory::AgeGroups, "Age groups"),
    (PopulationCategory::Sex, "Sex"),
    (PopulationCategory::GenderIdentity, "Gender identity"),
    (PopulationCategory::SexualOrientation, "Sexual orientation"),
    (PopulationCategory::Geography, "Geography"),
    (PopulationCategory::DisabilityStatus, "Disability status"),
    (PopulationCategory::AccessToCare, "Access to care"),
    (PopulationCategory::EducationLevel, "Education level"),
    (PopulationCategory::IncomeLevel, "Income level"),
    (PopulationCategory::Other, "Other"),
];

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

    let toggle_purpose = move |p: PrimaryPurpose, on: bool| {
        purpose.update(|rp| {
            rp.purposes.retain(|x| *x != p);
            if on {
                rp.purposes.push(p);
            }
        })
    };
    let toggle_category = move |c: PopulationCategory, on: bool| {
        purpose.update(|rp| {
            rp.population_categories.retain(|x| *x != c);
            if on {
                rp.population_categories.push(c);
            }
        })
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
                <fieldset>
                    <legend>"Research purpose (published in the research directory)"</legend>
                    <div class="field" role="group" aria-labelledby="purposes-label">
                        <span id="purposes-label" class="label">"Primary purposes — choose all that apply"</span>
                        <div class="choices">
                            {PrimaryPurpose::ALL.into_iter().map(|p| view! {
                                <label class="choice"><input type="checkbox" on:change=move |e| toggle_purpose(p, event_target_checked(&e))/>{p.label()}</label>
                            }).collect_view()}
                        </div>
                        <p class="field-message">{message("purposes")}</p>
                    </div>
                    {move || purpose.get().purposes.contains(&PrimaryPurpose::DiseaseFocused).then(|| view! {
                        <TextArea id="rp-disease" label="Disease you focus on" field="disease_name" purpose set=|rp, v| rp.disease_name = v message=message("disease_name")/>
                    })}
                    {move || purpose.get().purposes.contains(&PrimaryPurpose::Other).then(|| view! {
                        <TextArea id="rp-other" label="Describe your other purpose (up to 500 characters)" field="other_purpose" purpose set=|rp, v| rp.other_purpose = v message=message("other_purpose")/>
                    })}
                    <TextArea id="rp-reason" label="Why you chose this data (optional, up to 500 characters)" field="reason_for_data" purpose set=|rp, v| rp.reason_for_data = v message=message("reason_for_data")/>
                    <TextArea id="rp-questions" label="Scientific questions you will study" field="scientific_questions" purpose set=|rp, v| rp.scientific_questions = v message=message("scientific_questions")/>
                    <TextArea id="rp-approaches" label="Scientific approaches" field="scientific_approaches" purpose set=|rp, v| rp.scientific_approaches = v message=message("scientific_approaches")/>
                    <TextArea id="rp-findings" label="Anticipated findings" field="anticipated_findings" purpose set=|rp, v| rp.anticipated_findings = v message=message("anticipated_findings")/>
                    <div class="field" role="radiogroup" aria-labelledby="under-label">
                        <span id="under-label" class="label">"Does your study focus on populations underrepresented in research?"</span>
                        <label class="choice"><input type="radio" name="under" on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(true))/>"Yes"</label>
                        <label class="choice"><input type="radio" name="under" on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(false))/>"No"</label>
                        <p class="field-message">{message("focuses_on_underrepresented")}</p>
                    </div>
                    {move || (purpose.get().focuses_on_underrepresented == Some(true)).then(|| view! {
                        <div class="field" role="group" aria-labelledby="cat-label">
                            <span id="cat-label" class="label">"Which populations?"</span>
                            <div class="choices">
                                {CATEGORIES.into_iter().map(|(c, label)| view! {
                                    <label class="choice"><input type="checkbox" on:change=move |e| toggle_category(c, event_target_checked(&e))/>{label}</label>
                                }).collect_view()}
                            </div>
                            <p class="field-message">{message("population_categories")}</p>
                        </div>
                    })}
                    <div class="field" role="radiogroup" aria-labelledby="review-label">
                        <span id="review-label" class="label">"Request a review of your research purpose by the Resource Access Board? (private, never published)"</span>
                        <label class="choice"><input type="radio" name="review" on:change=move |_| purpose.update(|rp| rp.review_requested = Some(true))/>"Yes"</label>
                        <label class="choice"><input type="radio" name="review" on:change=move |_| purpose.update(|rp| rp.review_requested = Some(false))/>"No"</label>
                        <p class="field-message">{message("review_requested")}</p>
                    </div>
                </fieldset>
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating…" } else { "Create workspace" }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn TextArea(
    id: &'static str,
    label: &'static str,
    field: &'static str,
    purpose: RwSignal<ResearchPurpose>,
    set: fn(&mut ResearchPurpose, String),
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    view! {
        <div class="field" data-field=field>
            <label for=id>{label}</label>
            <textarea id=id aria-describedby=message_id.clone() rows="3"
                on:input=move |e| { let value = event_target_value(&e); purpose.update(|rp| set(rp, value)); }></textarea>
            <p class="field-message" id=message_id>{message}</p>
        </div>
    }
}
