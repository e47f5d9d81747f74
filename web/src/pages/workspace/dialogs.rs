//! The workspace toolbar's dialogs: duplicate, edit, delete.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use carrel_core::api::{DuplicateWorkspaceRequest, EditWorkspaceRequest, WorkspaceDetail};
use carrel_core::billing::check_project_choice;
use carrel_core::files::human_bytes;
use carrel_core::validate::FieldError;
use carrel_core::workspace::{confirms_deletion, parse_display_name};
use carrel_core::Action as WorkspaceAction;

use super::permission;
use crate::api::{self, WorkspaceAddress};
use crate::components::field::{
    focus_first_error, problem_for, show_refusal, shows_no_problem, SelectField, TextField,
};
use crate::components::modal::{CloseButton, Modal};
use crate::components::purpose_fields::PurposeFields;

/// Duplicate into a billing project where you may create workspaces.
#[component]
pub fn DuplicateDialog(
    at: WorkspaceAddress,
    source: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let projects = LocalResource::new(api::billing_projects);
    let bucket_bytes = {
        let at = at.clone();
        LocalResource::new(move || {
            let at = at.clone();
            async move {
                api::files(&at, "")
                    .await
                    .map(|f| f.total_bytes)
                    .unwrap_or(0)
            }
        })
    };
    let copy_files = RwSignal::new(true);
    let files_size = move || bucket_bytes.get().map_or_else(String::new, human_bytes);
    let suggested = format!("Duplicate of {source}");
    let name = RwSignal::new(suggested.clone());
    let project = RwSignal::new(String::new());
    let copy = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let duplicate = Action::new_local(move |request: &DuplicateWorkspaceRequest| {
        let (at, request) = (at.clone(), request.clone());
        async move { api::duplicate_workspace(&at, &request).await }
    });
    Effect::new(move |_| match duplicate.value().get() {
        Some(Ok(copy)) => navigate(&WorkspaceAddress::of(&copy).page(), Default::default()),
        Some(Err(error)) => show_refusal(&error, problems, failure),
        None => {}
    });
    let go = move |_| {
        if duplicate.pending().get_untracked() {
            return;
        }
        let found: Vec<FieldError> = [
            parse_display_name(&name.get_untracked()).err(),
            check_project_choice(&project.get_untracked()).err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        failure.set(None);
        if !shows_no_problem(found, problems) {
            return;
        }
        duplicate.dispatch(DuplicateWorkspaceRequest {
            billing_project: project.get_untracked(),
            display_name: name.get_untracked(),
            copy_collaborators: copy.get_untracked(),
            research_purpose: None,
            copy_files: copy_files.get_untracked(),
        });
    };
    let unsaved = Signal::derive(move || {
        name.with(|typed| *typed != suggested) || project.with(|p| !p.is_empty()) || copy.get()
    });
    let pending = duplicate.pending();
    view! {
        <Modal title="Duplicate workspace" title_id="dup-title" small=true on_close unsaved
            subtitle="The copy keeps the tier, dataset version, description and research purpose. You become its creator and owner.">
            <TextField id="dup-name" label="Name of the copy" field="display_name" value=name
                error=problem_for(problems.into(), "display_name")/>
            <SelectField id="dup-project" label="Billing project" field="billing_project"
                error=problem_for(problems.into(), "billing_project") on_change=move |value| project.set(value)>
                <option value="">"Choose a billing project"</option>
                {move || projects.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| view! {
                    <option value=p.name.clone()>{p.name.clone()}</option>
                }).collect_view()}
            </SelectField>
            <label class="choice"><input type="checkbox" on:change=move |e| copy.set(event_target_checked(&e))/>"Share the copy with the same collaborators"</label>
            <label class="choice"><input type="checkbox" checked on:change=move |e| copy_files.set(event_target_checked(&e))/>
                "Copy the files too " <span class="muted">{move || format!("({} in the bucket)", files_size())}</span></label>
            {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
            {move || pending.get().then(|| view! { <p class="loading" role="status">{
                if copy_files.get() && bucket_bytes.get().unwrap_or(0) > 0 {
                    format!("Duplicating and copying {} of files…", files_size())
                } else {
                    "Duplicating…".to_owned()
                }
            }</p> })}
            <footer class="dialog-foot">
                <CloseButton/>
                <button type="button" class="button button--primary" aria-disabled=move || pending.get().then_some("true") on:click=go>"Duplicate"</button>
            </footer>
        </Modal>
    }
}

/// Edit the name (owners) and the description (writers), guarded by the About version.
#[component]
pub fn EditDialog(
    at: WorkspaceAddress,
    detail: WorkspaceDetail,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let may_edit_about = permission(&detail, WorkspaceAction::EditAbout);
    let rename_reason = may_edit_about.clone().err();
    let may_edit_about = may_edit_about.is_ok();
    let name = RwSignal::new(detail.display_name.clone());
    let description = RwSignal::new(detail.description.clone());
    let purpose = RwSignal::new(detail.research_purpose.clone());
    let attempted = RwSignal::new(false);
    let server_problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let original = StoredValue::new(detail.clone());
    let problems = Signal::derive(move || {
        let mut found = purpose.with(|rp| rp.problems());
        found.extend(parse_display_name(&name.get()).err());
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
    let unsaved = Signal::derive(move || {
        original.with_value(|d| {
            name.with(|n| *n != d.display_name)
                || description.with(|t| *t != d.description)
                || purpose.with(|rp| *rp != d.research_purpose)
        })
    });
    let edit = Action::new_local(move |request: &EditWorkspaceRequest| {
        let (at, request) = (at.clone(), request.clone());
        async move { api::edit_workspace(&at, &request).await }
    });
    Effect::new(move |_| match edit.value().get() {
        Some(Ok(_)) => on_saved.run(()),
        Some(Err(error)) => show_refusal(&error, server_problems, failure),
        None => {}
    });
    let save = move |_| {
        if edit.pending().get_untracked() {
            return;
        }
        attempted.set(true);
        server_problems.set(Vec::new());
        if may_edit_about && !problems.get_untracked().is_empty() {
            failure.set(Some(
                "Some answers need attention; each field says what is missing.".to_owned(),
            ));
            focus_first_error();
            return;
        }
        failure.set(None);
        let request = original.with_value(|d| EditWorkspaceRequest {
            about_version: d.about_version,
            display_name: Some(name.get_untracked()).filter(|n| *n != d.display_name),
            research_purpose: Some(purpose.get_untracked())
                .filter(|rp| may_edit_about && *rp != d.research_purpose),
            description: Some(description.get_untracked()),
        });
        edit.dispatch(request);
    };
    let pending = edit.pending();
    view! {
        <Modal title="Edit workspace" title_id="edit-title" on_close unsaved>
            <TextField id="edit-name" label="Name" field="display_name" value=name locked=rename_reason
                error=problem_for(shown, "display_name")/>
            <TextField id="edit-description" label="Description" field="description" rows=6 value=description
                autofocus=true error=problem_for(shown, "description")/>
            {may_edit_about.then(|| view! { <PurposeFields purpose problems=shown/> })}
            {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
            <footer class="dialog-foot">
                <CloseButton/>
                <button type="button" class="button button--primary" aria-disabled=move || pending.get().then_some("true") on:click=save>
                    {move || if pending.get() { "Saving…" } else { "Save" }}
                </button>
            </footer>
        </Modal>
    }
}

/// Delete, confirmed by typing the workspace's URL name (`core`'s rule).
#[component]
pub fn DeleteDialog(at: WorkspaceAddress, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let url_name = at.name.clone();
    let navigate = use_navigate();
    let delete = Action::new_local(move |confirm: &String| {
        let (at, confirm) = (at.clone(), confirm.clone());
        async move { api::delete_workspace(&at, &confirm).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/", Default::default());
        }
    });
    let confirmed = {
        let url_name = url_name.clone();
        move || typed.with(|typed| confirms_deletion(typed, &url_name))
    };
    let pending = delete.pending();
    view! {
        <Modal title="Delete this workspace?" title_id="delete-title" small=true alert=true on_close>
            <p>"Its data is removed for everyone. Its research purpose stays in the public directory, marked inactive."</p>
            <div class="field">
                <label for="delete-confirm">"Type " <code>{url_name}</code> " to confirm"</label>
                <input id="delete-confirm" data-autofocus="" type="text" autocomplete="off" prop:value=move || typed.get()
                    on:input=move |event| typed.set(event_target_value(&event))/>
            </div>
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <p class="alert alert--error" role="alert">{error.message()}</p> })}
            <footer class="dialog-foot">
                <CloseButton/>
                <button type="button" class="button button--danger" disabled=move || !confirmed() aria-disabled=move || pending.get().then_some("true")
                    on:click=move |_| if !pending.get_untracked() { delete.dispatch(typed.get_untracked()); }>
                    {move || if pending.get() { "Deleting…" } else { "Delete for everyone" }}
                </button>
            </footer>
        </Modal>
    }
}
