//! The workspace's own attributes (`workspace.<name>` in a method configuration): listed for
//! readers; writers add, change and remove them.

use leptos::prelude::*;

use carrel_core::api::WorkspaceAttributesEdit;
use carrel_core::entities::{format_cell, parse_cell, Change};
use carrel_core::tables::{check_type_name, display_text};

use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::Loaded;

#[component]
pub fn WorkspaceAttributesPanel(
    at: WorkspaceAddress,
    may_edit: Result<(), String>,
) -> impl IntoView {
    let at = StoredValue::new(at);
    let editable = may_edit.is_ok();
    let name = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let saving = Action::new_local(move |edit: &WorkspaceAttributesEdit| {
        let edit = edit.clone();
        async move { api::edit_workspace_attributes(&at.get_value(), &edit).await }
    });
    let attributes = LocalResource::new(move || {
        saving.version().track();
        async move { api::workspace_attributes(&at.get_value()).await }
    });
    Effect::new(move |_| match saving.value().get() {
        Some(Ok(_)) => {
            problem.set(None);
            name.set(String::new());
            value.set(String::new());
        }
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        let checked = check_type_name(&typed).map_err(|refusal| refusal.to_string());
        let parsed = checked.and_then(|key| {
            parse_cell(value.get_untracked().trim(), None)
                .map(|change| (key, change))
                .map_err(|message| format!("{typed}: {message}"))
        });
        match parsed {
            Ok((key, Some(Change::Set(v)))) => {
                saving.dispatch(WorkspaceAttributesEdit {
                    set: [(key, v)].into(),
                    remove: Vec::new(),
                });
            }
            Ok((key, _)) => {
                saving.dispatch(WorkspaceAttributesEdit {
                    set: Default::default(),
                    remove: vec![key],
                });
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        <section class="workspace-attributes" aria-labelledby="attributes-title">
            <h3 id="attributes-title">"Workspace attributes"</h3>
            <Loaded loading="Loading the attributes…">
                {move || Suspend::new(async move {
                    attributes.await.map(|found| {
                        if found.attributes.is_empty() {
                            return view! { <p class="muted">"None yet. Workflows read them as workspace.NAME."</p> }.into_any();
                        }
                        view! {
                            <dl class="attribute-list">
                                {found.attributes.into_iter().map(|(key, v)| {
                                    let shown = display_text(&v);
                                    let raw = format_cell(&key, &v);
                                    let (edit_key, remove_key) = (key.clone(), key.clone());
                                    view! {
                                        <div>
                                            <dt>{key.clone()}</dt>
                                            <dd>{shown}
                                                {editable.then(|| view! {
                                                    <button type="button" class="button button--quiet" aria-label=format!("Change {edit_key}")
                                                        on:click=move |_| { name.set(edit_key.clone()); value.set(raw.clone()); }>"Change"</button>
                                                    <button type="button" class="button button--quiet" aria-label=format!("Remove {remove_key}")
                                                        on:click=move |_| { saving.dispatch(WorkspaceAttributesEdit { set: Default::default(), remove: vec![remove_key.clone()] }); }>"Remove"</button>
                                                })}
                                            </dd>
                                        </div>
                                    }
                                }).collect_view()}
                            </dl>
                        }.into_any()
                    })
                })}
            </Loaded>
            {match may_edit {
                Ok(()) => view! {
                    <form class="inline-form" on:submit=save novalidate>
                        <label for="attribute-name">"Name"</label>
                        <input id="attribute-name" type="text" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                        <label for="attribute-value">"Value"</label>
                        <input id="attribute-value" type="text" placeholder="text, a number, true/false or a JSON list"
                            prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e))/>
                        <button type="submit" class="button">{move || if saving.pending().get() { "Saving…" } else { "Save" }}</button>
                    </form>
                    {move || problem.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
                }.into_any(),
                Err(_) => ().into_any(),
            }}
        </section>
    }
}
