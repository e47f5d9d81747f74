//! A file's dialogs: its preview, moving or renaming it, deleting it.

use leptos::prelude::*;

use carrel_core::api::{FileEntry, FilePreview};
use carrel_core::files::parse_key;

use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::Loaded;
use crate::components::field::TextField;
use crate::components::modal::{CloseButton, ConfirmDialog, Modal};

#[component]
pub fn PreviewDialog(
    at: WorkspaceAddress,
    file: FileEntry,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let preview = {
        let (at, key) = (at.clone(), file.key.clone());
        LocalResource::new(move || {
            let (at, key) = (at.clone(), key.clone());
            async move { api::preview_file(&at, &key).await }
        })
    };
    let inline = api::download_url(&at, &file.key, true);
    let name = file.name.clone();
    view! {
        <Modal title=format!("Preview of {}", file.name) title_id="preview-title" on_close>
            <Loaded loading="Loading the preview…">
                {move || {
                    let (inline, name) = (inline.clone(), name.clone());
                    Suspend::new(async move { preview.await.map(|p| shown(p, inline, name)) })
                }}
            </Loaded>
            <footer class="dialog-foot"><CloseButton label="Close"/></footer>
        </Modal>
    }
}

fn shown(preview: FilePreview, inline: String, name: String) -> AnyView {
    let cut = |truncated: bool| {
        truncated.then(|| view! { <p class="muted">"Only the beginning is shown: download the file for the rest."</p> })
    };
    match preview {
        FilePreview::Text { text, truncated } => view! {
            <pre class="preview-text" tabindex="0">{text}</pre>{cut(truncated)}
        }
        .into_any(),
        FilePreview::Table { rows, truncated } => {
            let mut rows = rows.into_iter();
            let head = rows.next().unwrap_or_default();
            view! {
                <div class="preview-table" tabindex="0">
                    <table class="share-table">
                        <thead><tr>{head.into_iter().map(|cell| view! { <th scope="col">{cell}</th> }).collect_view()}</tr></thead>
                        <tbody>{rows.map(|row| view! {
                            <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
                {cut(truncated)}
            }
            .into_any()
        }
        FilePreview::Embed { media_type } if media_type.starts_with("image/") => view! {
            <img class="preview-image" src=inline alt=name/>
            <p class="muted">"Showing an image downloads it: its bytes count as egress."</p>
        }
        .into_any(),
        FilePreview::Embed { .. } => view! {
            <p><a href=inline target="_blank" rel="noopener">"Open the PDF in a new tab"</a></p>
        }
        .into_any(),
        FilePreview::None { reason } => view! { <p class="empty-note">{reason}</p> }.into_any(),
    }
}

/// Move or rename: the whole path, so a file can change folder and name at once.
#[component]
pub fn MoveFileDialog(
    at: WorkspaceAddress,
    file: FileEntry,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_moved: Callback<()>,
) -> impl IntoView {
    let to = RwSignal::new(file.key.clone());
    let problem = RwSignal::new(None::<String>);
    let from = file.key.clone();
    let moving = Action::new_local(move |to: &String| {
        let (at, from, to) = (at.clone(), from.clone(), to.clone());
        async move { api::move_file(&at, &from, &to).await }
    });
    Effect::new(move |_| match moving.value().get() {
        Some(Ok(_)) => on_moved.run(()),
        Some(Err(error)) => problem.set(Some(error.message())),
        None => {}
    });
    let unchanged = file.key.clone();
    let go = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = to.get_untracked().trim().to_owned();
        if typed == unchanged {
            problem.set(Some("Choose a new name or folder for the file.".into()));
            return;
        }
        match parse_key(&typed) {
            Err(refusal) => problem.set(Some(refusal.to_string())),
            Ok(key) => {
                problem.set(None);
                moving.dispatch(key);
            }
        }
    };
    view! {
        <Modal title=format!("Move or rename {}", file.name) title_id="move-title" on_close small=true>
            <form on:submit=go novalidate>
                <TextField id="move-to" label="New path" value=to error=Signal::derive(move || problem.get())
                    hint="Folders are separated by /, as in data/raw/reads.bam."/>
                <footer class="dialog-foot">
                    <CloseButton/>
                    <button type="submit" class="button button--primary"
                        aria-disabled=move || moving.pending().get().then_some("true")>
                        {move || if moving.pending().get() { "Moving…" } else { "Move" }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

#[component]
pub fn DeleteFileDialog(
    at: WorkspaceAddress,
    file: FileEntry,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_deleted: Callback<()>,
) -> impl IntoView {
    let deleting = Action::new_local(move |key: &String| {
        let (at, key) = (at.clone(), key.clone());
        async move { api::delete_file(&at, &key).await }
    });
    view! {
        <ConfirmDialog title=format!("Delete {}?", file.name) danger=true confirm_label="Delete"
            message=format!("{} will be deleted for everyone in this workspace. This cannot be undone.", file.key)
            action=deleting input=file.key.clone() on_cancel=on_close on_done=move |()| on_deleted.run(())/>
    }
}
