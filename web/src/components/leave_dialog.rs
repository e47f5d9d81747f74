//! Leave a workspace, or decline one you cannot enter yet (still waiting for its tier). Before
//! confirming it says when access would remain through a group or a billing project: leaving
//! removes only your own grant.

use leptos::prelude::*;

use carrel_core::api::PermissionsView;

use crate::api::{self, WorkspaceAddress};
use crate::components::modal::ConfirmChoice;

/// The ways the caller would still have access after removing their own grant.
fn remaining_access(view: &PermissionsView) -> Vec<String> {
    view.sources
        .iter()
        .filter(|source| !source.direct)
        .map(|source| format!("{} ({})", source.via, source.role.label()))
        .collect()
}

#[component]
pub fn LeaveDialog(
    at: WorkspaceAddress,
    #[prop(into)] display_name: String,
    /// Declining a workspace you are waiting to enter, rather than leaving one you use.
    #[prop(optional)]
    declining: bool,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] on_left: Callback<()>,
) -> impl IntoView {
    let sources = LocalResource::new({
        let at = at.clone();
        move || {
            let at = at.clone();
            async move { api::permissions(&at).await }
        }
    });
    let leave = Action::new_local(move |(): &()| {
        let at = at.clone();
        async move { api::leave_workspace(&at).await }
    });
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| match leave.value().get() {
        Some(Ok(())) => on_left.run(()),
        Some(Err(error)) => failure.set(Some(error.message())),
        None => {}
    });
    let (title, message, label) = if declining {
        (
            format!("Decline {display_name}?"),
            "It leaves your list, and you will not get access when you receive its tier. An owner can share it with you again.",
            "Decline",
        )
    } else {
        (
            format!("Leave {display_name}?"),
            "You lose your own access to it. An owner can share it with you again.",
            "Leave workspace",
        )
    };
    let remaining = move || {
        sources
            .get()
            .and_then(Result::ok)
            .map(|view| remaining_access(&view))
            .unwrap_or_default()
    };
    view! {
        <ConfirmChoice title message confirm_label=label danger=true
            pending=leave.pending() failure
            on_confirm=move |()| { failure.set(None); leave.dispatch(()); }
            on_cancel>
            {move || {
                let remaining = remaining();
                (!remaining.is_empty()).then(|| view! {
                    <div class="alert alert--warning remaining-access" role="note">
                        <p>"You will still have access through:"</p>
                        <ul>{remaining.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                        <p>"Leaving removes only your own grant."</p>
                    </div>
                })
            }}
        </ConfirmChoice>
    }
}
