use leptos::prelude::*;

use carrel_core::api::WorkspaceSummary;

use crate::api::WorkspaceAddress;
use crate::components::leave_dialog::LeaveDialog;
use carrel_core::AccessTier;

/// One workspace in the list. Workspaces whose contents are closed to the user are greyed out
/// and say why.
#[component]
pub fn WorkspaceCard(
    workspace: WorkspaceSummary,
    /// After the user declined a workspace they cannot enter yet.
    #[prop(optional, into)]
    on_declined: Option<Callback<()>>,
) -> impl IntoView {
    let declining = RwSignal::new(false);
    let at = WorkspaceAddress::new(&workspace.namespace, &workspace.name);
    let display_name = workspace.display_name.clone();
    let decline_label = format!("Decline {}", workspace.display_name);
    let inaccessible = workspace.inaccessible_reason.clone();
    let class = if inaccessible.is_some() {
        "card card--inaccessible"
    } else {
        "card"
    };
    let href = format!("/workspaces/{}/{}", workspace.namespace, workspace.name);
    let controlled = workspace.tier == AccessTier::Controlled;
    let closed = inaccessible.is_some();
    view! {
        <li class=class aria-disabled=closed.then_some("true")>
            <div class="card-head">
                <h3 class="card-title">
                    {if closed {
                        view! { <span>{workspace.display_name.clone()}</span> }.into_any()
                    } else {
                        view! { <a href=href>{workspace.display_name.clone()}</a> }.into_any()
                    }}
                </h3>
                {controlled.then(|| view! {
                    <span class="shield" title="Controlled Tier" aria-label="Controlled Tier">"CT"</span>
                })}
                {workspace.locked.then(|| view! {
                    <span class="badge badge--locked" title="Locked: no edits, analyses or deletion">"Locked"</span>
                })}
            </div>
            <p class="card-meta">
                <span class="role">{workspace.role.label()}</span>
                {workspace.can_compute.then_some(" · can compute")}
                {workspace.can_share.then_some(" · can share")}
            </p>
            <p class="card-meta">
                "Created by " {workspace.creator.clone()} " · changed " {format_date(workspace.modified_at)}
            </p>
            {inaccessible.map(|reason| view! {
                <p class="card-reason">{reason}</p>
                <div class="card-actions">
                    <a class="button button--quiet" href="/tiers">"Get the tier"</a>
                    <button type="button" class="button button--quiet" aria-label=decline_label
                        on:click=move |_| declining.set(true)>"Decline"</button>
                </div>
            })}
            {move || declining.get().then(|| view! {
                <LeaveDialog at=at.clone() display_name=display_name.clone() declining=true
                    on_cancel=move |()| declining.set(false)
                    on_left=move |()| {
                        declining.set(false);
                        if let Some(declined) = on_declined { declined.run(()); }
                    }/>
            })}
        </li>
    }
}

fn js_date(unix_ms: i64) -> js_sys::Date {
    // Millisecond timestamps fit an f64 exactly for the next quarter-million years.
    #[allow(clippy::cast_precision_loss)]
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms as f64))
}

/// "Nov 23, 2026, 9:41 AM" in the reader's own time zone.
pub fn format_date_time(unix_ms: i64) -> String {
    String::from(js_date(unix_ms).to_locale_string("en-US", &wasm_bindgen::JsValue::UNDEFINED))
}

pub fn format_date(unix_ms: i64) -> String {
    String::from(js_date(unix_ms).to_locale_date_string("en-US", &wasm_bindgen::JsValue::UNDEFINED))
}
