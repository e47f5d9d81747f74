//! The Data tab's tables: each table of the workspace a page at a time from the server (sorted
//! by any column, filtered, columns chosen and ordered), cells edited in place by writers
//! against the row's version, rows added and deleted, columns renamed or deleted, a selection
//! saved as a set or copied to another workspace, TSV import with its progress and every
//! problem listed, and export — each offered only when `core` allows it, with its reason when
//! not.

use std::collections::BTreeSet;

use leptos::prelude::*;

use carrel_core::api::{EntityEdit, EntityPage, EntityRow, EntityTypeInfo, WorkspaceDetail};
use carrel_core::entities::{format_cell, parse_cell, set_members, Change, Value};
use carrel_core::tables::{display_text, name_column};
use carrel_core::Action as WorkspaceAction;

use super::attributes::WorkspaceAttributesPanel;
use super::permission;
use super::table_dialogs::{
    AddRowDialog, ColumnDialog, ColumnsDialog, CopyRowsDialog, DeleteRowsDialog, ImportDialog,
    SaveSetDialog,
};
use crate::api::{self, TableQuery, WorkspaceAddress};
use crate::components::async_view::Loaded;

/// What this person may do with the tables: each `Err` holds core's reason.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRights {
    pub import: Result<(), String>,
    pub edit: Result<(), String>,
    pub delete: Result<(), String>,
    pub copy: Result<(), String>,
}

impl TableRights {
    fn of(detail: &WorkspaceDetail) -> TableRights {
        TableRights {
            import: permission(detail, WorkspaceAction::ImportEntities),
            edit: permission(detail, WorkspaceAction::EditEntities),
            delete: permission(detail, WorkspaceAction::DeleteEntities),
            copy: permission(detail, WorkspaceAction::CopyEntities),
        }
    }
}

/// A dialog the grid opened.
#[derive(Clone, Debug, PartialEq)]
pub enum TableDialog {
    AddRow,
    Delete(Vec<String>),
    Column(String),
    Columns,
    SaveSet(Vec<String>),
    Copy(Vec<String>),
}

#[component]
pub fn TablesPanel(detail: WorkspaceDetail) -> impl IntoView {
    let at = StoredValue::new(WorkspaceAddress::of(&detail));
    let rights = StoredValue::new(TableRights::of(&detail));
    let tier = detail.tier;
    let changed = RwSignal::new(0usize);
    let importing = RwSignal::new(false);
    let selected = RwSignal::new(None::<String>);
    let types = LocalResource::new(move || {
        changed.track();
        async move { api::entity_types(&at.get_value()).await }
    });
    let shown = Memo::new(move |_| {
        let list = types.get().and_then(Result::ok)?;
        let chosen = selected.get();
        let info = list
            .types
            .iter()
            .find(|t| Some(&t.name) == chosen.as_ref())
            .or_else(|| list.types.first())?
            .clone();
        let names: Vec<String> = list.types.iter().map(|t| t.name.clone()).collect();
        Some((info, names))
    });
    let refresh = Callback::new(move |()| changed.update(|n| *n += 1));

    view! {
        <section class="tables" aria-labelledby="tables-title">
            <div class="files-head">
                <h2 id="tables-title">"Tables"</h2>
                {move || match rights.get_value().import {
                    Ok(()) => view! {
                        <div class="files-actions">
                            <button type="button" class="button button--primary" on:click=move |_| importing.set(true)>"Import TSV…"</button>
                        </div>
                    }.into_any(),
                    Err(reason) => view! { <p class="muted files-readonly" role="note">"You can look at these tables, export them and copy rows out. " {reason}</p> }.into_any(),
                }}
            </div>
            <Loaded loading="Loading the tables…">
                {move || Suspend::new(async move {
                    types.await.map(|list| view! { <TableChoice types=list.types selected shown/> })
                })}
            </Loaded>
            {move || shown.get().map(|(info, names)| view! {
                <TableGrid at=at.get_value() info table_names=names rights=rights.get_value() tier refresh changed/>
            })}
            <WorkspaceAttributesPanel at=at.get_value() may_edit=rights.get_value().edit/>
            {move || importing.get().then(|| view! {
                <ImportDialog at=at.get_value() on_close=move |()| importing.set(false)
                    on_imported=move |table: String| { selected.set(Some(table)); refresh.run(()); }/>
            })}
        </section>
    }
}

/// The workspace's tables as a row of choices, each with its count.
#[component]
fn TableChoice(
    types: Vec<EntityTypeInfo>,
    selected: RwSignal<Option<String>>,
    shown: Memo<Option<(EntityTypeInfo, Vec<String>)>>,
) -> impl IntoView {
    if types.is_empty() {
        return view! {
            <p class="empty-note">"No tables yet. Import a TSV file whose first column is entity:sample_id (or participant_id, …) to make one."</p>
        }
        .into_any();
    }
    view! {
        <nav class="table-choice" aria-label="Tables">
            {types.into_iter().map(|t| {
                let name = t.name.clone();
                let current = move || shown.with(|s| s.as_ref().is_some_and(|(info, _)| info.name == name));
                let label = format!("{} ({})", t.name, t.count);
                let choose = t.name.clone();
                view! {
                    <button type="button" class="chip" aria-pressed=move || current().to_string()
                        on:click=move |_| selected.set(Some(choose.clone()))>{label}</button>
                }
            }).collect_view()}
        </nav>
    }
    .into_any()
}

/// The columns in the order chosen, without the hidden ones.
fn visible_columns(all: &[String], order: &[String], hidden: &BTreeSet<String>) -> Vec<String> {
    let mut columns: Vec<String> = order.iter().filter(|c| all.contains(c)).cloned().collect();
    columns.extend(all.iter().filter(|c| !order.contains(c)).cloned());
    columns.retain(|c| !hidden.contains(c));
    columns
}

#[component]
fn TableGrid(
    at: WorkspaceAddress,
    info: EntityTypeInfo,
    table_names: Vec<String>,
    rights: TableRights,
    tier: carrel_core::AccessTier,
    refresh: Callback<()>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let at = StoredValue::new(at);
    let entity_type = StoredValue::new(info.name.clone());
    let table_names = StoredValue::new(table_names);
    let rights = StoredValue::new(rights);
    let query = RwSignal::new(TableQuery::default());
    let earlier = RwSignal::new(Vec::<Option<String>>::new());
    let hidden = RwSignal::new(BTreeSet::<String>::new());
    let order = RwSignal::new(Vec::<String>::new());
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let open = RwSignal::new(None::<TableDialog>);
    // Kept here, not in the rows: a refused edit's reason outlives the reload that shows the
    // row as it is now.
    let edit_problem = RwSignal::new(None::<String>);
    let page = LocalResource::new(move || {
        let query = query.get();
        changed.track();
        async move { api::entity_page(&at.get_value(), &entity_type.get_value(), &query).await }
    });
    let sort_by = Callback::new(move |column: String| {
        earlier.set(Vec::new());
        query.update(|q| {
            if q.sort.as_ref() == Some(&column) {
                q.descending = !q.descending;
            } else {
                q.sort = Some(column);
                q.descending = false;
            }
            q.after = None;
        });
    });
    let done = Callback::new(move |()| {
        open.set(None);
        chosen.set(BTreeSet::new());
        refresh.run(());
    });
    let close = Callback::new(move |()| open.set(None));
    let count = info.count;
    let export = api::export_url(&at.get_value(), &info.name);
    let export_label = if info.members_of.is_some() {
        "Export (zip)"
    } else {
        "Export TSV"
    };
    let all_columns = StoredValue::new(info.columns.clone());

    view! {
        <div class="table-view">
            <div class="table-toolbar" role="toolbar" aria-label=format!("Table {}", info.name)>
                <label class="visually-hidden" for="table-filter">"Filter rows"</label>
                <input id="table-filter" type="search" placeholder="Filter rows…"
                    prop:value=move || query.with(|q| q.filter.clone())
                    on:input=move |e| {
                        let text = event_target_value(&e);
                        earlier.set(Vec::new());
                        query.update(|q| { q.filter = text; q.after = None; });
                    }/>
                <button type="button" class="button" on:click=move |_| open.set(Some(TableDialog::Columns))>"Columns…"</button>
                <a class="button" href=export download="">{export_label}</a>
                {rights.get_value().edit.is_ok().then(|| view! {
                    <button type="button" class="button" on:click=move |_| open.set(Some(TableDialog::AddRow))>"Add row…"</button>
                })}
                {move || {
                    let names: Vec<String> = chosen.get().into_iter().collect();
                    (!names.is_empty()).then(|| {
                        let (delete, set, copy) = (names.clone(), names.clone(), names.clone());
                        let r = rights.get_value();
                        view! {
                            <span class="muted" role="status">{format!("{} chosen", names.len())}</span>
                            {r.delete.is_ok().then(|| view! {
                                <button type="button" class="button button--danger-quiet" on:click=move |_| open.set(Some(TableDialog::Delete(delete.clone())))>"Delete…"</button>
                            })}
                            {(r.edit.is_ok() && entity_type.with_value(|t| set_members(t).is_none())).then(|| view! {
                                <button type="button" class="button" on:click=move |_| open.set(Some(TableDialog::SaveSet(set.clone())))>"Save as set…"</button>
                            })}
                            {r.copy.is_ok().then(|| view! {
                                <button type="button" class="button" on:click=move |_| open.set(Some(TableDialog::Copy(copy.clone())))>"Copy to workspace…"</button>
                            })}
                        }
                    })
                }}
            </div>
            <Loaded loading="Loading rows…">
                {move || Suspend::new(async move {
                    page.await.map(|found| view! {
                        <Rows page=found at=at.get_value() table_names=table_names.get_value()
                            rights=rights.get_value() columns=Signal::derive(move || visible_columns(&all_columns.get_value(), &order.get(), &hidden.get()))
                            query sort_by chosen open changed edit_problem/>
                    })
                })}
            </Loaded>
            <Pager page earlier query count/>
            {move || open.get().map(|which| {
                let (at, table) = (at.get_value(), entity_type.get_value());
                match which {
                    TableDialog::AddRow => view! { <AddRowDialog at entity_type=table on_close=close on_done=done/> }.into_any(),
                    TableDialog::Delete(names) => view! { <DeleteRowsDialog at entity_type=table names on_close=close on_done=done/> }.into_any(),
                    TableDialog::Column(column) => view! { <ColumnDialog at entity_type=table column on_close=close on_done=done/> }.into_any(),
                    TableDialog::Columns => view! { <ColumnsDialog all=all_columns.get_value() order hidden on_close=close/> }.into_any(),
                    TableDialog::SaveSet(names) => view! { <SaveSetDialog at entity_type=table names on_close=close on_done=done/> }.into_any(),
                    TableDialog::Copy(names) => view! { <CopyRowsDialog at entity_type=table names tier on_close=close on_done=done/> }.into_any(),
                }
            })}
        </div>
    }
}

/// "Rows 101–200 of 1,000" with Previous and Next.
#[component]
fn Pager(
    page: LocalResource<Result<EntityPage, api::ApiError>>,
    earlier: RwSignal<Vec<Option<String>>>,
    query: RwSignal<TableQuery>,
    count: u64,
) -> impl IntoView {
    let next = move || page.get().and_then(Result::ok).and_then(|p| p.next);
    let shown = move || {
        page.get()
            .and_then(Result::ok)
            .map(|p| p.rows.len())
            .unwrap_or(0)
    };
    let filtered = move || query.with(|q| !q.filter.trim().is_empty());
    let go_next = move |_| {
        if let Some(cursor) = next() {
            earlier.update(|e| e.push(query.with_untracked(|q| q.after.clone())));
            query.update(|q| q.after = Some(cursor));
        }
    };
    let go_back = move |_| {
        let mut stack = earlier.get_untracked();
        if let Some(previous) = stack.pop() {
            earlier.set(stack);
            query.update(|q| q.after = previous);
        }
    };
    view! {
        <nav class="pager" aria-label="Pages of rows">
            <button type="button" class="button" disabled=move || earlier.with(Vec::is_empty) on:click=go_back>"Previous"</button>
            <span role="status">{move || {
                let first = earlier.with(Vec::len) * 100 + 1;
                let last = first + shown().saturating_sub(1);
                if shown() == 0 {
                    "No rows".to_owned()
                } else if filtered() {
                    format!("Matching rows {first}–{last}")
                } else {
                    format!("Rows {first}–{last} of {count}")
                }
            }}</span>
            <button type="button" class="button" disabled=move || next().is_none() on:click=go_next>"Next"</button>
        </nav>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Rows(
    page: EntityPage,
    at: WorkspaceAddress,
    table_names: Vec<String>,
    rights: TableRights,
    columns: Signal<Vec<String>>,
    query: RwSignal<TableQuery>,
    sort_by: Callback<String>,
    chosen: RwSignal<BTreeSet<String>>,
    open: RwSignal<Option<TableDialog>>,
    changed: RwSignal<usize>,
    edit_problem: RwSignal<Option<String>>,
) -> impl IntoView {
    if page.rows.is_empty() {
        let note = if query.with_untracked(|q| q.filter.trim().is_empty()) {
            "This table has no rows."
        } else {
            "No rows hold this text."
        };
        return view! { <p class="empty-note">{note}</p> }.into_any();
    }
    let name_col = name_column(&page.entity_type);
    let may_choose = rights.delete.is_ok() || rights.edit.is_ok() || rights.copy.is_ok();
    let may_edit = rights.edit.is_ok();
    let page_names: Vec<String> = page.rows.iter().map(|r| r.name.clone()).collect();
    let all_chosen = {
        let names = page_names.clone();
        move || chosen.with(|c| names.iter().all(|n| c.contains(n)))
    };
    let toggle_all = move |_| {
        let names = page_names.clone();
        chosen.update(|c| {
            if names.iter().all(|n| c.contains(n)) {
                names.iter().for_each(|n| {
                    c.remove(n);
                });
            } else {
                c.extend(names.iter().cloned());
            }
        });
    };
    let by_name = name_col.clone();
    let header = move |column: String, label: String| {
        let sorted = {
            let (column, by_name) = (column.clone(), by_name.clone());
            Signal::derive(move || {
                query.with(|q| {
                    let by = q.sort.clone().unwrap_or_else(|| by_name.clone());
                    (by == column).then_some(if q.descending {
                        "descending"
                    } else {
                        "ascending"
                    })
                })
            })
        };
        let sort_column = column.clone();
        let menu_column = column.clone();
        let is_name = column == by_name;
        view! {
            <th scope="col" aria-sort=move || sorted.get().unwrap_or("none")>
                <button type="button" class="link sort-button" on:click=move |_| sort_by.run(sort_column.clone())>
                    {label.clone()}
                    <span aria-hidden="true">{move || match sorted.get() { Some("ascending") => " ▲", Some(_) => " ▼", None => "" }}</span>
                </button>
                {(may_edit && !is_name).then(|| {
                    let c = menu_column.clone();
                    view! {
                        <button type="button" class="button button--quiet column-menu" aria-label=format!("Rename or delete the column {c}")
                            on:click=move |_| open.set(Some(TableDialog::Column(c.clone())))>"⋯"</button>
                    }
                })}
            </th>
        }
    };
    let rows = page.rows.clone();
    let entity_type = page.entity_type.clone();
    let files = StoredValue::new(page.files.iter().cloned().collect::<BTreeSet<String>>());
    view! {
        {move || edit_problem.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
        <div class="grid-scroll" tabindex="0" role="region" aria-label=format!("Rows of {}", page.entity_type)>
            <table class="share-table data-grid">
                <caption class="visually-hidden">{format!("The {} table", page.entity_type)}</caption>
                <thead><tr>
                    {may_choose.then(|| view! {
                        <th scope="col" class="choose"><input type="checkbox" aria-label="Choose every row of this page"
                            prop:checked=all_chosen on:change=toggle_all/></th>
                    })}
                    {header(name_col.clone(), name_col.clone())}
                    {move || columns.get().into_iter().map(|c| header(c.clone(), c)).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <Row row entity_type=entity_type.clone() at=at.clone() table_names=table_names.clone() columns
                            files may_choose may_edit chosen edit_problem changed/>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Row(
    row: EntityRow,
    entity_type: String,
    at: WorkspaceAddress,
    table_names: Vec<String>,
    columns: Signal<Vec<String>>,
    /// Text values that name a file of the bucket.
    files: StoredValue<BTreeSet<String>>,
    may_choose: bool,
    may_edit: bool,
    chosen: RwSignal<BTreeSet<String>>,
    edit_problem: RwSignal<Option<String>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let row = StoredValue::new(row);
    let name = row.with_value(|r| r.name.clone());
    let is_chosen = {
        let name = name.clone();
        Signal::derive(move || chosen.with(|c| c.contains(&name)))
    };
    let toggle = {
        let name = name.clone();
        move |_| {
            chosen.update(|c| {
                if !c.remove(&name) {
                    c.insert(name.clone());
                }
            })
        }
    };
    let editing = RwSignal::new(None::<String>);
    let (at, entity_type, table_names) = (
        StoredValue::new(at),
        StoredValue::new(entity_type),
        StoredValue::new(table_names),
    );
    let saving = Action::new_local(move |(column, text): &(String, String)| {
        let (column, text) = (column.clone(), text.clone());
        let reference_type = table_names
            .with_value(|t| t.contains(&column))
            .then(|| column.clone());
        let current = row.get_value();
        async move {
            let mut edit = EntityEdit {
                version: current.version,
                set: Default::default(),
                remove: Vec::new(),
            };
            match parse_cell(text.trim(), reference_type.as_deref()) {
                Ok(Some(Change::Set(value))) => {
                    edit.set.insert(column.clone(), value);
                }
                Ok(None | Some(Change::Delete)) => edit.remove.push(column.clone()),
                Err(message) => return Err((format!("{column}: {message}"), false)),
            }
            let saved = api::edit_entity(
                &at.get_value(),
                &entity_type.get_value(),
                &current.name,
                &edit,
            )
            .await;
            saved.map_err(
                |error| match error.table_detail().and_then(|d| d.current.clone()) {
                    Some(now) => {
                        let shown = now
                            .attributes
                            .get(&column)
                            .map(display_text)
                            .unwrap_or_else(|| "nothing".to_owned());
                        let message = format!(
                            "{} It now holds {shown} in {column}; your edit was not saved.",
                            error.message()
                        );
                        (message, true)
                    }
                    None => (error.message(), false),
                },
            )
        }
    });
    Effect::new(move |_| match saving.value().get() {
        Some(Ok(_)) => {
            edit_problem.set(None);
            editing.set(None);
            changed.update(|n| *n += 1);
        }
        Some(Err((message, stale))) => {
            edit_problem.set(Some(message));
            // A stale row is read again to show what it holds now; any other refusal keeps
            // the draft open to correct.
            if stale {
                changed.update(|n| *n += 1);
            }
        }
        None => {}
    });
    let cell = move |column: String| {
        let value = row.with_value(|r| r.attributes.get(&column).cloned());
        let shown = value.as_ref().map(display_text).unwrap_or_default();
        let raw = value
            .as_ref()
            .map(|v| format_cell(&column, v))
            .unwrap_or_default();
        let row_name = row.with_value(|r| r.name.clone());
        let file = match &value {
            Some(Value::String(text)) if files.with_value(|f| f.contains(text)) => {
                Some(text.clone())
            }
            _ => None,
        };
        let file_link = file.map(|key| {
            let href = api::download_url(&at.get_value(), &key, false);
            view! { <a class="file-link" href=href download="" aria-label=format!("Download the file {key}")>"⤓ file"</a> }
        });
        if !may_edit {
            return view! { <td>{shown}" "{file_link}</td> }.into_any();
        }
        let is_editing = {
            let column = column.clone();
            move || editing.with(|e| e.as_ref() == Some(&column))
        };
        let draft = RwSignal::new(raw.clone());
        let begin = {
            let column = column.clone();
            move |_| {
                draft.set(raw.clone());
                editing.set(Some(column.clone()));
            }
        };
        let commit_column = column.clone();
        let on_key = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                saving.dispatch((commit_column.clone(), draft.get_untracked()));
            }
            "Escape" => {
                event.prevent_default();
                editing.set(None);
            }
            _ => {}
        };
        let label = format!("{column} of {row_name}");
        let field = NodeRef::<leptos::html::Input>::new();
        Effect::new(move |_| {
            if let Some(input) = field.get() {
                let _ = input.focus();
            }
        });
        view! {
            <td class="cell">
                {move || if is_editing() {
                    view! {
                        <input class="cell-input" type="text" aria-label=format!("New value of {label}")
                            node_ref=field prop:value=move || draft.get() on:input=move |e| draft.set(event_target_value(&e))
                            on:keydown=on_key.clone()/>
                        <span class="muted cell-hint">{move || if saving.pending().get() { "Saving…" } else { "Enter saves · Esc cancels" }}</span>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="cell-button" aria-label=format!("Edit {label}: {}", if shown.is_empty() { "empty" } else { &shown })
                            on:click=begin.clone()>{shown.clone()}</button>
                    }.into_any()
                }}
                {file_link}
            </td>
        }
        .into_any()
    };
    view! {
        <tr class:chosen=move || is_chosen.get()>
            {may_choose.then(|| view! {
                <td class="choose"><input type="checkbox" aria-label=format!("Choose {name}") prop:checked=move || is_chosen.get() on:change=toggle/></td>
            })}
            <th scope="row">{row.with_value(|r| r.name.clone())}</th>
            {move || columns.get().into_iter().map(cell).collect_view()}
        </tr>
    }
}
