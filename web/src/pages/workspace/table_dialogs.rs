//! The tables' dialogs: importing a TSV file (with its progress and every problem), adding a
//! row, deleting rows (asked again when other rows refer to them), renaming or deleting a
//! column, choosing and ordering columns, saving rows as a set, copying rows to another
//! workspace.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use carrel_core::api::{
    ColumnChange, CopyEntitiesRequest, DeleteEntitiesRequest, ImportSummary, NewEntity,
};
use carrel_core::entities::{EntityRef, TsvProblem};
use carrel_core::tables::{check_column, check_entity_name, copy_destinations, set_of};
use carrel_core::AccessTier;

use crate::api::{self, WorkspaceAddress};
use crate::components::field::TextField;
use crate::components::modal::{CloseButton, ConfirmChoice, Modal};

/// Where an import stands.
#[derive(Clone, Debug, PartialEq)]
enum ImportState {
    Choosing,
    Sending {
        name: String,
        percent: f64,
    },
    Done(ImportSummary),
    Refused {
        message: String,
        problems: Vec<TsvProblem>,
    },
}

#[component]
pub fn ImportDialog(
    at: WorkspaceAddress,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_imported: Callback<String>,
) -> impl IntoView {
    let state = RwSignal::new(ImportState::Choosing);
    let at = StoredValue::new(at);
    let on_chosen = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        state.set(ImportState::Sending {
            name: name.clone(),
            percent: 0.0,
        });
        spawn_local(async move {
            let progress = {
                let name = name.clone();
                move |sent: f64, total: f64| {
                    let percent = if total > 0.0 {
                        (sent / total * 100.0).round()
                    } else {
                        100.0
                    };
                    state.set(ImportState::Sending {
                        name: name.clone(),
                        percent,
                    });
                }
            };
            match api::import_entities(&at.get_value(), &file, progress).await {
                Ok(summary) => {
                    on_imported.run(summary.entity_type.clone());
                    state.set(ImportState::Done(summary));
                }
                Err(error) => state.set(ImportState::Refused {
                    message: error.message(),
                    problems: error.problems().to_vec(),
                }),
            }
        });
    };
    view! {
        <Modal title="Import a table" title_id="import-title" on_close>
            <p>"A TSV file as Terra writes them: its first column is "<code>"entity:sample_id"</code>" (add or update rows), "
                <code>"update:sample_id"</code>" (update rows only) or "<code>"membership:sample_set_id"</code>" (one member per row). "
                "Every row is imported, or none."</p>
            {move || match state.get() {
                ImportState::Choosing => view! {
                    <input id="import-file" class="visually-hidden file-input" type="file" accept=".tsv,.txt,text/tab-separated-values" on:change=on_chosen/>
                    <label class="button button--primary" for="import-file">"Choose a TSV file"</label>
                }.into_any(),
                ImportState::Sending { name, percent } => view! {
                    <div class="upload" role="status">
                        <span class="upload-name">{name.clone()}</span>
                        <progress max="100" value=percent aria-label=format!("Importing {name}")></progress>
                        <span class="upload-status">{if percent >= 100.0 { "Checking and saving every row…".to_owned() } else { format!("{percent}% sent") }}</span>
                    </div>
                }.into_any(),
                ImportState::Done(summary) => view! {
                    <p class="alert alert--success" role="status">{format!(
                        "Imported {} rows into {}: {} new, {} updated.",
                        summary.rows, summary.entity_type, summary.created, summary.updated
                    )}</p>
                }.into_any(),
                ImportState::Refused { message, problems } => view! {
                    <p class="alert alert--error" role="alert">{message}</p>
                    {(!problems.is_empty()).then(|| view! {
                        <div class="preview-table" tabindex="0">
                            <table class="share-table problem-table">
                                <caption>"What to fix in the file"</caption>
                                <thead><tr><th scope="col">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                                <tbody>{problems.into_iter().map(|p| view! {
                                    <tr><td class="numeric">{p.line}</td><td>{p.column.unwrap_or_default()}</td><td>{p.message}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        </div>
                    })}
                    <button type="button" class="button" on:click=move |_| state.set(ImportState::Choosing)>"Choose another file"</button>
                }.into_any(),
            }}
            <footer class="dialog-foot"><CloseButton label="Close"/></footer>
        </Modal>
    }
}

/// A form that names a row: core checks the name, then `action` runs with it.
fn submit_name<O: Send + Sync + 'static>(
    name: RwSignal<String>,
    problem: RwSignal<Option<String>>,
    action: Action<String, O>,
) -> impl Fn(leptos::ev::SubmitEvent) {
    move |event| {
        event.prevent_default();
        match check_entity_name(name.get_untracked().trim()) {
            Ok(checked) => {
                problem.set(None);
                action.dispatch(checked);
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    }
}

#[component]
pub fn AddRowDialog(
    at: WorkspaceAddress,
    entity_type: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let table = entity_type.clone();
    let adding = Action::new_local(move |name: &String| {
        let (at, table, name) = (at.clone(), table.clone(), name.clone());
        async move {
            let entity = NewEntity {
                name,
                attributes: BTreeMap::new(),
            };
            api::add_entity(&at, &table, &entity).await
        }
    });
    Effect::new(move |_| match adding.value().get() {
        Some(Ok(_)) => on_done.run(()),
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let go = submit_name(name, problem, adding);
    view! {
        <Modal title=format!("Add a row to {entity_type}") title_id="add-row-title" on_close small=true>
            <form on:submit=go novalidate>
                <TextField id="row-name" label="Name" value=name error=Signal::derive(move || problem.get())
                    hint="Letters, digits, _, - and . — then fill its cells in the table."/>
                <footer class="dialog-foot">
                    <CloseButton/>
                    <button type="submit" class="button button--primary">{move || if adding.pending().get() { "Adding…" } else { "Add" }}</button>
                </footer>
            </form>
        </Modal>
    }
}

/// Delete rows; when other rows refer to them, say which and ask again before removing those
/// references too.
#[component]
pub fn DeleteRowsDialog(
    at: WorkspaceAddress,
    entity_type: String,
    names: Vec<String>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let referrers = RwSignal::new(None::<(String, Vec<EntityRef>)>);
    let failure = RwSignal::new(None::<String>);
    let (table, chosen) = (entity_type.clone(), names.clone());
    let deleting = Action::new_local(move |remove_references: &bool| {
        let request = DeleteEntitiesRequest {
            names: chosen.clone(),
            remove_references: *remove_references,
        };
        let (at, table) = (at.clone(), table.clone());
        async move { api::delete_entities(&at, &table, &request).await }
    });
    Effect::new(move |_| match deleting.value().get() {
        Some(Ok(_)) => on_done.run(()),
        Some(Err(error)) => match error.table_detail().filter(|d| !d.entities.is_empty()) {
            Some(detail) => referrers.set(Some((error.message(), detail.entities.clone()))),
            None => failure.set(Some(error.message())),
        },
        None => {}
    });
    let count = names.len();
    let what = if count == 1 {
        names[0].clone()
    } else {
        format!("{count} rows of {entity_type}")
    };
    view! {
        {move || match referrers.get() {
            None => view! {
                <ConfirmChoice title=format!("Delete {what}?") danger=true confirm_label="Delete"
                    message="The rows are deleted for everyone in this workspace. This cannot be undone."
                    on_confirm=move |()| { failure.set(None); deleting.dispatch(false); } on_cancel=on_close
                    pending=deleting.pending() failure=failure/>
            }.into_any(),
            Some((message, entities)) => view! {
                <ConfirmChoice title="Also remove the references?" danger=true confirm_label="Delete and remove references"
                    message on_confirm=move |()| { deleting.dispatch(true); } on_cancel=on_close
                    pending=deleting.pending() failure=failure>
                    <ul class="referrers">{entities.into_iter().map(|e| view! {
                        <li>{format!("{} {}", e.entity_type, e.entity_name)}</li>
                    }).collect_view()}</ul>
                </ConfirmChoice>
            }.into_any(),
        }}
    }
}

/// Rename a column, or delete it with every value in it.
#[component]
pub fn ColumnDialog(
    at: WorkspaceAddress,
    entity_type: String,
    column: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let new_name = RwSignal::new(column.clone());
    let problem = RwSignal::new(None::<String>);
    let confirming_delete = RwSignal::new(false);
    let (table, current) = (entity_type.clone(), column.clone());
    let changing = Action::new_local(move |rename_to: &Option<String>| {
        let change = ColumnChange {
            column: current.clone(),
            rename_to: rename_to.clone(),
        };
        let (at, table) = (at.clone(), table.clone());
        async move { api::change_column(&at, &table, &change).await }
    });
    Effect::new(move |_| match changing.value().get() {
        Some(Ok(_)) => on_done.run(()),
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let checked_table = entity_type.clone();
    let unchanged = column.clone();
    let rename = Callback::new(move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = new_name.get_untracked().trim().to_owned();
        if typed == unchanged {
            problem.set(Some("Type the column's new name.".into()));
            return;
        }
        match check_column(&checked_table, &typed) {
            Ok(to) => {
                problem.set(None);
                changing.dispatch(Some(to));
            }
            Err(refusal) => problem.set(Some(refusal.to_string())),
        }
    });
    let shown = column.clone();
    view! {
        {move || if confirming_delete.get() {
            view! {
                <ConfirmChoice title=format!("Delete the column {shown}?") danger=true confirm_label="Delete the column"
                    message="Every value in it is deleted, in every row. This cannot be undone."
                    on_confirm=move |()| { changing.dispatch(None); } on_cancel=on_close
                    pending=changing.pending() failure=Signal::derive(move || problem.get())/>
            }.into_any()
        } else {
            view! {
                <Modal title=format!("The column {}", shown) title_id="column-title" on_close small=true>
                    <form on:submit=move |event| rename.run(event) novalidate>
                        <TextField id="column-name" label="Name" value=new_name error=Signal::derive(move || problem.get())/>
                        <footer class="dialog-foot">
                            <button type="button" class="button button--danger-quiet" on:click=move |_| confirming_delete.set(true)>"Delete column…"</button>
                            <CloseButton/>
                            <button type="submit" class="button button--primary">{move || if changing.pending().get() { "Renaming…" } else { "Rename" }}</button>
                        </footer>
                    </form>
                </Modal>
            }.into_any()
        }}
    }
}

/// Which columns show, and in what order (this browser only).
#[component]
pub fn ColumnsDialog(
    all: Vec<String>,
    order: RwSignal<Vec<String>>,
    hidden: RwSignal<BTreeSet<String>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let all = StoredValue::new(all);
    let current = move || {
        let mut columns: Vec<String> = order
            .get()
            .into_iter()
            .filter(|c| all.with_value(|a| a.contains(c)))
            .collect();
        let rest: Vec<String> = all
            .get_value()
            .into_iter()
            .filter(|c| !columns.contains(c))
            .collect();
        columns.extend(rest);
        columns
    };
    let shift = move |column: String, by: isize| {
        let mut columns = current();
        let Some(at) = columns.iter().position(|c| *c == column) else {
            return;
        };
        let target = at as isize + by;
        if target < 0 || target as usize >= columns.len() {
            return;
        }
        columns.swap(at, target as usize);
        order.set(columns);
    };
    view! {
        <Modal title="Columns" title_id="columns-title" on_close small=true>
            <ul class="column-list">
                {move || current().into_iter().map(|column| {
                    let shown = { let c = column.clone(); move || !hidden.with(|h| h.contains(&c)) };
                    let toggle = { let c = column.clone(); move |_| hidden.update(|h| if !h.remove(&c) { h.insert(c.clone()); }) };
                    let (up, down) = (column.clone(), column.clone());
                    view! {
                        <li>
                            <label><input type="checkbox" prop:checked=shown on:change=toggle/>" "{column.clone()}</label>
                            <button type="button" class="button button--quiet" aria-label=format!("Move {column} left") on:click=move |_| shift(up.clone(), -1)>"↑"</button>
                            <button type="button" class="button button--quiet" aria-label=format!("Move {column} right") on:click=move |_| shift(down.clone(), 1)>"↓"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <footer class="dialog-foot"><CloseButton label="Done"/></footer>
        </Modal>
    }
}

#[component]
pub fn SaveSetDialog(
    at: WorkspaceAddress,
    entity_type: String,
    names: Vec<String>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let (member_type, members) = (entity_type.clone(), names.clone());
    let saving = Action::new_local(move |set_name: &String| {
        let (at, set_name) = (at.clone(), set_name.clone());
        let made = set_of(&member_type, &members);
        async move {
            let (set_type, attribute, list) = made.map_err(|refusal| refusal.to_string())?;
            let entity = NewEntity {
                name: set_name,
                attributes: BTreeMap::from([(attribute, list)]),
            };
            api::add_entity(&at, &set_type, &entity)
                .await
                .map_err(|error| error.message())
        }
    });
    Effect::new(move |_| match saving.value().get() {
        Some(Ok(_)) => on_done.run(()),
        Some(Err(message)) => problem.set(Some(message)),
        None => {}
    });
    let go = submit_name(name, problem, saving);
    view! {
        <Modal title=format!("Save {} rows as a set", names.len()) title_id="set-title" on_close small=true>
            <form on:submit=go novalidate>
                <TextField id="set-name" label="Set name" value=name error=Signal::derive(move || problem.get())
                    hint=format!("It becomes a row of {entity_type}_set listing the chosen rows.")/>
                <footer class="dialog-foot">
                    <CloseButton/>
                    <button type="submit" class="button button--primary">{move || if saving.pending().get() { "Saving…" } else { "Save set" }}</button>
                </footer>
            </form>
        </Modal>
    }
}

/// Copy rows, with every row they refer to, into a workspace where you write.
#[component]
pub fn CopyRowsDialog(
    at: WorkspaceAddress,
    entity_type: String,
    names: Vec<String>,
    tier: AccessTier,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let workspaces = LocalResource::new(api::workspaces);
    let target = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<u64>);
    let from = at.clone();
    let (table, chosen) = (entity_type.clone(), names.clone());
    let copying = Action::new_local(move |to: &String| {
        let (namespace, name) = to.split_once('/').unwrap_or_default();
        let request = CopyEntitiesRequest {
            to_namespace: namespace.to_owned(),
            to_name: name.to_owned(),
            entity_type: table.clone(),
            names: chosen.clone(),
        };
        let at = at.clone();
        async move { api::copy_entities(&at, &request).await }
    });
    Effect::new(move |_| match copying.value().get() {
        Some(Ok(done)) => copied.set(Some(done.copied)),
        Some(Err(error)) => {
            let conflicts: Vec<String> = error
                .table_detail()
                .map(|d| {
                    d.entities
                        .iter()
                        .map(|e| format!("{} {}", e.entity_type, e.entity_name))
                        .collect()
                })
                .unwrap_or_default();
            let listed = if conflicts.is_empty() {
                String::new()
            } else {
                format!(" In the way: {}.", conflicts.join(", "))
            };
            problem.set(Some(format!("{}{listed}", error.message())));
        }
        None => {}
    });
    let go = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = target.get_untracked();
        if chosen.is_empty() {
            problem.set(Some("Choose the workspace to copy into.".into()));
            return;
        }
        problem.set(None);
        copying.dispatch(chosen);
    };
    let from_address = (from.namespace.clone(), from.name.clone());
    view! {
        <Modal title=format!("Copy {} rows of {entity_type}", names.len()) title_id="copy-title" on_close>
            {move || match copied.get() {
                Some(count) => view! {
                    <p class="alert alert--success" role="status">{format!("Copied {count} rows, with the rows they refer to.")}</p>
                    <footer class="dialog-foot">
                        <button type="button" class="button button--primary" on:click=move |_| on_done.run(())>"Done"</button>
                    </footer>
                }.into_any(),
                None => {
                    let from_address = from_address.clone();
                    view! {
                        <form on:submit=go novalidate>
                            <p>"The rows they refer to come along. Nothing is copied if a name is already taken there; "
                                "Controlled Tier data never goes into a Registered Tier workspace."</p>
                            <label for="copy-target">"Into"</label>
                            <select id="copy-target" on:change=move |e| target.set(event_target_value(&e))>
                                <option value="">"Choose a workspace…"</option>
                                {move || {
                                    let list = workspaces.get().and_then(Result::ok).unwrap_or_default();
                                    copy_destinations(tier, (&from_address.0, &from_address.1), &list.workspaces)
                                        .into_iter()
                                        .map(|w| {
                                            let value = format!("{}/{}", w.namespace, w.name);
                                            view! { <option value=value.clone()>{format!("{} ({value})", w.display_name)}</option> }
                                        })
                                        .collect_view()
                                }}
                            </select>
                            {move || problem.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
                            <footer class="dialog-foot">
                                <CloseButton/>
                                <button type="submit" class="button button--primary">{move || if copying.pending().get() { "Copying…" } else { "Copy" }}</button>
                            </footer>
                        </form>
                    }.into_any()
                }
            }}
        </Modal>
    }
}
