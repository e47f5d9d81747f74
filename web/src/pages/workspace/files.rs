//! The Data tab's files: one folder of the workspace bucket at a time, uploads with a progress
//! bar per file (chosen or dropped), and each file's preview, download, move and delete — each
//! offered only when `core` allows it, with its reason when not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use carrel_core::api::{FileEntry, FileListing, WorkspaceDetail};
use carrel_core::files::{human_bytes, parse_key};
use carrel_core::Action as WorkspaceAction;

use super::file_dialogs::{DeleteFileDialog, MoveFileDialog, PreviewDialog};
use super::permission;
use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::Loaded;
use crate::components::workspace_card::format_date_time;

/// One upload as the page shows it.
#[derive(Clone, Debug, PartialEq)]
struct Upload {
    id: usize,
    name: String,
    sent: f64,
    total: f64,
    state: UploadState,
}

#[derive(Clone, Debug, PartialEq)]
enum UploadState {
    Sending,
    Done,
    Refused(String),
}

/// What a row's button opened.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Preview(FileEntry),
    Move(FileEntry),
    Delete(FileEntry),
}

/// What this person may do with files: each `Err` holds core's reason.
#[derive(Clone, Debug, PartialEq)]
struct FileRights {
    upload: Result<(), String>,
    download: Result<(), String>,
    preview: Result<(), String>,
    change: Result<(), String>,
}

impl FileRights {
    fn of(detail: &WorkspaceDetail) -> FileRights {
        FileRights {
            upload: permission(detail, WorkspaceAction::UploadFiles),
            download: permission(detail, WorkspaceAction::Download),
            preview: permission(detail, WorkspaceAction::ReadFiles),
            change: permission(detail, WorkspaceAction::MoveFiles)
                .and(permission(detail, WorkspaceAction::DeleteFiles)),
        }
    }
}

#[component]
pub fn FilesPanel(detail: WorkspaceDetail) -> impl IntoView {
    let at = StoredValue::new(WorkspaceAddress::of(&detail));
    let rights = StoredValue::new(FileRights::of(&detail));
    let prefix = RwSignal::new(String::new());
    let changed = RwSignal::new(0usize);
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let open = RwSignal::new(None::<Open>);
    let listing = LocalResource::new(move || {
        let prefix = prefix.get();
        changed.track();
        async move { api::files(&at.get_value(), &prefix).await }
    });

    let start = move |files: web_sys::FileList| {
        for index in 0..files.length() {
            let Some(file) = files.get(index) else {
                continue;
            };
            let id = uploads.with_untracked(Vec::len);
            let name = file.name();
            let key = format!("{}{name}", prefix.get_untracked());
            uploads.update(|all| {
                all.push(Upload {
                    id,
                    name: name.clone(),
                    sent: 0.0,
                    total: file.size(),
                    state: UploadState::Sending,
                })
            });
            let update = move |change: Box<dyn FnOnce(&mut Upload)>| {
                uploads.update(|all| {
                    if let Some(upload) = all.iter_mut().find(|u| u.id == id) {
                        change(upload);
                    }
                })
            };
            spawn_local(async move {
                let result = match parse_key(&key) {
                    Err(refusal) => Err(refusal.to_string()),
                    Ok(key) => api::upload(&at.get_value(), &key, &file, move |sent, total| {
                        update(Box::new(move |u| {
                            u.sent = sent;
                            u.total = total;
                        }))
                    })
                    .await
                    .map_err(|error| error.message()),
                };
                match result {
                    Ok(_) => {
                        update(Box::new(|u| {
                            u.sent = u.total;
                            u.state = UploadState::Done;
                        }));
                        changed.update(|n| *n += 1);
                    }
                    Err(message) => {
                        update(Box::new(move |u| u.state = UploadState::Refused(message)))
                    }
                }
            });
        }
    };
    let on_chosen = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(files) = input.files() {
            start(files);
        }
        input.set_value("");
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if rights.with_value(|r| r.upload.is_err()) {
            return;
        }
        if let Some(files) = event.data_transfer().and_then(|d| d.files()) {
            start(files);
        }
    };
    let done = Callback::new(move |()| {
        open.set(None);
        changed.update(|n| *n += 1);
    });
    let close = Callback::new(move |()| open.set(None));

    view! {
        <section class="files" aria-labelledby="files-title"
            class:files--dragging=move || dragging.get()
            on:dragover=move |event: leptos::ev::DragEvent| { event.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <div class="files-head">
                <h2 id="files-title">"Files"</h2>
                <FolderPath prefix/>
                {move || match rights.get_value().upload {
                    Ok(()) => view! {
                        <div class="files-actions">
                            // The input keeps the keyboard focus (it is only visually hidden); its
                            // label shows the focus ring.
                            <input id="file-input" class="visually-hidden file-input" type="file" multiple on:change=on_chosen/>
                            <label class="button button--primary" for="file-input">"Upload files"</label>
                            <NewFolder prefix/>
                        </div>
                        <p class="muted">"Or drop files anywhere on this panel. They go into the folder shown."</p>
                    }.into_any(),
                    Err(reason) => view! { <p class="muted files-readonly" role="note">"You can look at and download these files. " {reason}</p> }.into_any(),
                }}
            </div>
            <UploadList uploads/>
            <Loaded loading="Loading the files…">
                {move || Suspend::new(async move {
                    listing.await.map(|found| view! { <FileTable listing=found prefix open rights=rights.get_value() at=at.get_value()/> })
                })}
            </Loaded>
            {move || open.get().map(|which| match which {
                Open::Preview(file) => view! { <PreviewDialog at=at.get_value() file on_close=close/> }.into_any(),
                Open::Move(file) => view! { <MoveFileDialog at=at.get_value() file on_close=close on_moved=done/> }.into_any(),
                Open::Delete(file) => view! { <DeleteFileDialog at=at.get_value() file on_close=close on_deleted=done/> }.into_any(),
            })}
        </section>
    }
}

/// "All files / data / raw", each part a way back up.
#[component]
fn FolderPath(prefix: RwSignal<String>) -> impl IntoView {
    move || {
        let current = prefix.get();
        let mut parts = vec![("All files".to_owned(), String::new())];
        let mut so_far = String::new();
        for part in current.split('/').filter(|p| !p.is_empty()) {
            so_far = format!("{so_far}{part}/");
            parts.push((part.to_owned(), so_far.clone()));
        }
        let last = parts.len() - 1;
        view! {
            <nav class="folder-path" aria-label="Folder">
                {parts.into_iter().enumerate().map(|(index, (label, target))| {
                    if index == last {
                        view! { <span aria-current="location">{label}</span> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="link" on:click=move |_| prefix.set(target.clone())>{label}</button>
                            <span aria-hidden="true">" / "</span>
                        }.into_any()
                    }
                }).collect_view()}
            </nav>
        }
    }
}

/// A folder exists once a file is in it: this opens an empty one to upload into.
#[component]
fn NewFolder(prefix: RwSignal<String>) -> impl IntoView {
    let naming = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let go = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked();
        let typed = typed.trim();
        let checked = if typed.contains('/') {
            Err("A folder name cannot contain /.".to_owned())
        } else {
            parse_key(typed).map_err(|refusal| refusal.to_string())
        };
        match checked {
            Ok(folder) => {
                prefix.update(|p| *p = format!("{p}{folder}/"));
                naming.set(false);
                name.set(String::new());
                problem.set(None);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        {move || if naming.get() {
            view! {
                <form class="inline-form" on:submit=go novalidate>
                    <label for="folder-name" class="visually-hidden">"New folder's name"</label>
                    <input id="folder-name" type="text" placeholder="Folder name" autofocus
                        aria-invalid=move || problem.with(Option::is_some).then_some("true")
                        aria-describedby="folder-name-problem"
                        prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                    <button type="submit" class="button">"Open"</button>
                    <button type="button" class="button button--quiet" on:click=move |_| naming.set(false)>"Cancel"</button>
                    <span id="folder-name-problem" class="field-message field-message--error" role="alert">{move || problem.get()}</span>
                </form>
            }.into_any()
        } else {
            view! { <button type="button" class="button" on:click=move |_| naming.set(true)>"New folder"</button> }.into_any()
        }}
    }
}

#[component]
fn UploadList(uploads: RwSignal<Vec<Upload>>) -> impl IntoView {
    view! {
        {move || (!uploads.with(Vec::is_empty)).then(|| view! {
            <ul class="uploads" aria-label="Uploads" aria-live="polite">
                {uploads.get().into_iter().map(|upload| {
                    let percent = if upload.total > 0.0 { (upload.sent / upload.total * 100.0).round() } else { 100.0 };
                    let (class, status) = match &upload.state {
                        UploadState::Sending => ("upload", format!("{percent}%")),
                        UploadState::Done => ("upload upload--done", "Uploaded".to_owned()),
                        UploadState::Refused(why) => ("upload upload--refused", why.clone()),
                    };
                    view! {
                        <li class=class>
                            <span class="upload-name">{upload.name.clone()}</span>
                            <progress max="100" value=percent aria-label=format!("Uploading {}", upload.name)></progress>
                            <span class="upload-status">{status}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn FileTable(
    listing: FileListing,
    prefix: RwSignal<String>,
    open: RwSignal<Option<Open>>,
    rights: FileRights,
    at: WorkspaceAddress,
) -> impl IntoView {
    let summary = format!(
        "{} in this workspace · uploads up to {}{}",
        human_bytes(listing.total_bytes),
        human_bytes(listing.max_upload_bytes),
        if listing.truncated {
            " · only the first 20,000 files under this folder are listed: open a subfolder"
        } else {
            ""
        }
    );
    if listing.folders.is_empty() && listing.files.is_empty() {
        return view! {
            <p class="empty-note">{if listing.prefix.is_empty() { "No files yet." } else { "This folder is empty: upload files into it." }}</p>
            <p class="muted">{summary}</p>
        }
        .into_any();
    }
    let folder_rows = listing.folders.into_iter().map(|folder| {
        let name = folder
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        view! {
            <tr class="folder-row">
                <th scope="row"><button type="button" class="link folder-link" on:click=move |_| prefix.set(folder.clone())>
                    <span aria-hidden="true">"📁 "</span>{name}</button></th>
                <td>"Folder"</td><td></td><td></td><td></td>
            </tr>
        }
    });
    let file_rows = listing.files.into_iter().map(|file| {
        view! { <FileRow file open rights=rights.clone() at=at.clone()/> }
    });
    view! {
        <table class="share-table file-table">
            <caption class="visually-hidden">"Files in this folder"</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col" class="numeric">"Size"</th>
                <th scope="col">"Changed"</th><th scope="col">"Uploaded by"</th>
                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr></thead>
            <tbody>{folder_rows.collect_view()}{file_rows.collect_view()}</tbody>
        </table>
        <p class="muted">{summary}</p>
    }
    .into_any()
}

#[component]
fn FileRow(
    file: FileEntry,
    open: RwSignal<Option<Open>>,
    rights: FileRights,
    at: WorkspaceAddress,
) -> impl IntoView {
    let name = file.name.clone();
    let href = api::download_url(&at, &file.key, false);
    let (preview_file, move_file, delete_file) = (file.clone(), file.clone(), file.clone());
    let change_reason = rights.change.clone().err();
    view! {
        <tr>
            <th scope="row"><span class="file-name">{file.name.clone()}</span></th>
            <td class="numeric">{human_bytes(file.size)}</td>
            <td>{format_date_time(file.modified_at)}</td>
            <td>{file.uploaded_by.clone()}</td>
            <td class="row-actions">
                {rights.preview.is_ok().then(|| view! {
                    <button type="button" class="button button--quiet" aria-label=format!("Preview {name}")
                        on:click=move |_| open.set(Some(Open::Preview(preview_file.clone())))>"Preview"</button>
                })}
                {match rights.download.clone() {
                    Ok(()) => view! { <a class="button button--quiet" href=href download=file.name.clone()
                        aria-label=format!("Download {}", file.name)>"Download"</a> }.into_any(),
                    Err(reason) => view! { <span class="muted" title=reason>"No download"</span> }.into_any(),
                }}
                {change_reason.is_none().then(|| view! {
                    <button type="button" class="button button--quiet" aria-label=format!("Move or rename {}", file.name)
                        on:click=move |_| open.set(Some(Open::Move(move_file.clone())))>"Move…"</button>
                    <button type="button" class="button button--quiet" aria-label=format!("Delete {}", file.name)
                        on:click=move |_| open.set(Some(Open::Delete(delete_file.clone())))>"Delete…"</button>
                })}
            </td>
        </tr>
    }
}
