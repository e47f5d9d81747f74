//! The frame of every modal dialog, and the confirmation dialog built on it.
//!
//! A [`Modal`] is labelled by its title, moves focus inside when it opens (to the element marked
//! `data-autofocus`, else its first control), keeps Tab inside, closes on Escape, and gives focus
//! back to the control that opened it when it closes. When `unsaved` says edits would be lost,
//! closing asks "Discard unsaved changes?" first.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::api::ApiError;
use crate::components::dialog::{focusable_controls, on_dialog_key};

/// What the controls inside a modal use to close it (and so pass through the unsaved check).
#[derive(Copy, Clone)]
pub struct ModalControl {
    pub request_close: Callback<()>,
}

pub fn use_modal() -> ModalControl {
    expect_context::<ModalControl>()
}

/// The element that has focus now: the control opening a dialog.
fn focused_element() -> Option<HtmlElement> {
    document()
        .active_element()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
}

/// Give focus back to the opener. When the page re-renders it after the dialog closed (a
/// workspace read again after a change), focus falls to the body with the old button; then it
/// goes to the new button of the same id, once that is on the page.
fn return_focus(opener: &Option<HtmlElement>) {
    let Some(opener) = opener else { return };
    let _ = opener.focus();
    let id = opener.id();
    if !id.is_empty() {
        refocus_when_lost(id, 30);
    }
}

fn refocus_when_lost(id: String, tries_left: u32) {
    if tries_left == 0 {
        return;
    }
    set_timeout(
        move || {
            let lost = document()
                .active_element()
                .is_none_or(|active| active.tag_name().eq_ignore_ascii_case("body"));
            if !lost {
                return refocus_when_lost(id, tries_left - 1);
            }
            match document()
                .get_element_by_id(&id)
                .and_then(|element| element.dyn_into::<HtmlElement>().ok())
            {
                Some(replacement) => {
                    let _ = replacement.focus();
                }
                None => refocus_when_lost(id, tries_left - 1),
            }
        },
        std::time::Duration::from_millis(100),
    );
}

#[component]
pub fn Modal(
    #[prop(into)] title: String,
    /// The id of the title (other elements and tests refer to it).
    #[prop(default = "dialog-title")]
    title_id: &'static str,
    #[prop(optional, into)] subtitle: Option<String>,
    #[prop(into)] on_close: Callback<()>,
    /// Whether closing now would throw edits away.
    #[prop(optional, into)]
    unsaved: Signal<bool>,
    /// An `alertdialog`: for what cannot be undone.
    #[prop(optional)]
    alert: bool,
    #[prop(optional)] small: bool,
    children: Children,
) -> impl IntoView {
    let opener = SendWrapper::new(focused_element());
    on_cleanup(move || return_focus(&opener));

    let asking_to_discard = RwSignal::new(false);
    let request_close = Callback::new(move |()| {
        if unsaved.get_untracked() {
            asking_to_discard.set(true);
        } else {
            on_close.run(());
        }
    });
    provide_context(ModalControl { request_close });

    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        let marked = dialog
            .query_selector("[data-autofocus]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<HtmlElement>().ok());
        if let Some(first) = marked.or_else(|| focusable_controls(&dialog).into_iter().next()) {
            let _ = first.focus();
        }
    });
    let on_key = move |event: web_sys::KeyboardEvent| {
        // A dialog opened from this one handles its own keys; this one must not close with it.
        if !matches!(event.key().as_str(), "Escape" | "Tab") {
            return;
        }
        event.stop_propagation();
        if asking_to_discard.get_untracked() && event.key() == "Escape" {
            asking_to_discard.set(false);
            return;
        }
        on_dialog_key(&event, request_close);
    };
    let class = if small {
        "dialog dialog--small"
    } else {
        "dialog"
    };
    view! {
        <div class="dialog-backdrop">
            <div class=class node_ref=dialog role=if alert { "alertdialog" } else { "dialog" } aria-modal="true"
                aria-labelledby=title_id on:keydown=on_key>
                <header class="dialog-head">
                    <h2 id=title_id>{title}</h2>
                    <button type="button" class="button button--quiet" aria-label="Close"
                        on:click=move |_| request_close.run(())>"✕"</button>
                </header>
                {subtitle.map(|text| view! { <p class="dialog-sub">{text}</p> })}
                {children()}
                {move || asking_to_discard.get().then(|| view! {
                    <DiscardPrompt on_keep=move || asking_to_discard.set(false) on_discard=move || on_close.run(())/>
                })}
            </div>
        </div>
    }
}

/// "Discard unsaved changes?" inside the dialog that would lose them.
#[component]
fn DiscardPrompt(
    on_keep: impl Fn() + Send + Sync + 'static,
    on_discard: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let keep = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="discard" role="alertdialog" aria-labelledby="discard-title" aria-describedby="discard-text">
            <p id="discard-title" class="discard-title"><strong>"Discard unsaved changes?"</strong></p>
            <p id="discard-text">"What you changed in this dialog has not been saved."</p>
            <div class="dialog-foot">
                <button type="button" class="button" node_ref=keep on:click=move |_| on_keep()>"Keep editing"</button>
                <button type="button" class="button button--danger" on:click=move |_| on_discard()>"Discard changes"</button>
            </div>
        </div>
    }
}

/// The dialog's own Cancel or Close button: it closes through the unsaved check.
#[component]
pub fn CloseButton(
    #[prop(default = "Cancel")] label: &'static str,
    /// Takes the focus when the dialog opens (the safe choice when confirming a loss).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let control = use_modal();
    view! {
        <button type="button" class="button button--quiet" data-autofocus=autofocus.then_some("")
            on:click=move |_| control.request_close.run(())>{label}</button>
    }
}

/// Ask before doing what cannot be undone or is easy to do by mistake: Cancel, or the confirm
/// button (red for losses; then Cancel takes the focus). `pending` and `failure` show the work
/// the confirmation started, when it runs in the dialog.
#[component]
pub fn ConfirmChoice(
    #[prop(into)] title: String,
    #[prop(into)] message: String,
    #[prop(into)] confirm_label: String,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(optional)] danger: bool,
    #[prop(optional, into)] pending: Signal<bool>,
    #[prop(optional, into)] failure: Signal<Option<String>>,
    /// More detail under the message (for example the list of what changes).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let class = if danger {
        "button button--danger"
    } else {
        "button button--primary"
    };
    view! {
        <Modal title title_id="confirm-title" on_close=on_cancel alert=true small=true>
            <p id="confirm-text">{message}</p>
            {children.map(|children| children())}
            {move || failure.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
            <footer class="dialog-foot">
                <CloseButton autofocus=danger/>
                <button type="button" class=class data-autofocus=(!danger).then_some("")
                    aria-disabled=move || pending.get().then_some("true")
                    on:click=move |_| if !pending.get_untracked() { on_confirm.run(()) }>
                    {move || if pending.get() { "Working…".to_owned() } else { confirm_label.clone() }}
                </button>
            </footer>
        </Modal>
    }
}

/// A confirmation whose button dispatches `action` with `input`: the dialog stays open with
/// the server's reason if it is refused, and calls `on_done` once it succeeds.
#[component]
pub fn ConfirmDialog<I, T>(
    #[prop(into)] title: String,
    #[prop(into)] message: String,
    #[prop(into)] confirm_label: String,
    action: Action<I, Result<T, ApiError>>,
    input: I,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] on_done: Callback<T>,
    #[prop(optional)] danger: bool,
) -> impl IntoView
where
    I: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let started_at = action.version().get_untracked();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if action.version().get() == started_at {
            return;
        }
        match action.value().get() {
            Some(Ok(done)) => on_done.run(done),
            Some(Err(error)) => failure.set(Some(error.message())),
            None => {}
        }
    });
    let confirm = Callback::new(move |()| {
        failure.set(None);
        action.dispatch(input.clone());
    });
    view! {
        <ConfirmChoice title message confirm_label on_confirm=confirm on_cancel danger
            pending=action.pending() failure=failure/>
    }
}
