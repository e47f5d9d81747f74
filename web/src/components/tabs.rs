//! Tabs as the ARIA pattern has them: one tab stop for the list, arrow keys (and Home, End)
//! move between tabs, and the panel is labelled by its tab.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the tab labelled `label`, for its panel's `aria-labelledby`.
pub fn tab_id(label: &str) -> String {
    format!("tab-{label}")
}

pub const PANEL_ID: &str = "tab-panel";

#[component]
pub fn Tabs<T>(
    /// What the tabs are, for screen readers.
    #[prop(into)]
    label: String,
    tabs: Vec<(T, &'static str)>,
    selected: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let order: Vec<T> = tabs.iter().map(|(tab, _)| *tab).collect();
    let labels: Vec<&'static str> = tabs.iter().map(|(_, label)| *label).collect();
    let on_key = move |event: web_sys::KeyboardEvent| {
        let count = order.len();
        let Some(at) = order
            .iter()
            .position(|tab| *tab == selected.get_untracked())
        else {
            return;
        };
        let next = match event.key().as_str() {
            "ArrowRight" => (at + 1) % count,
            "ArrowLeft" => (at + count - 1) % count,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        event.prevent_default();
        selected.set(order[next]);
        let focus_target = document()
            .get_element_by_id(&tab_id(labels[next]))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(tab) = focus_target {
            let _ = tab.focus();
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_key>
            {tabs.into_iter().map(|(tab, label)| {
                let is_selected = move || selected.get() == tab;
                view! {
                    <button type="button" role="tab" class="tab" id=tab_id(label) aria-controls=PANEL_ID
                        aria-selected=move || is_selected().to_string()
                        tabindex=move || if is_selected() { "0" } else { "-1" }
                        on:click=move |_| selected.set(tab)>{label}</button>
                }
            }).collect_view()}
        </div>
    }
}
