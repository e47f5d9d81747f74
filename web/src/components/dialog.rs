//! What every modal dialog does with the keyboard: Escape closes it, and Tab and Shift+Tab cycle
//! through its own controls instead of wandering to the page behind it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// Controls that take focus. Unavailable actions use `aria-disabled`, so they stay in the cycle.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
     select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// The `on:keydown` of a dialog's outermost element.
pub fn on_dialog_key(event: &KeyboardEvent, on_close: Callback<()>) {
    match event.key().as_str() {
        "Escape" => on_close.run(()),
        "Tab" => keep_focus_inside(event),
        _ => {}
    }
}

fn keep_focus_inside(event: &KeyboardEvent) {
    let Some(dialog) = event
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|target| target.closest("[aria-modal='true']").ok().flatten())
    else {
        return;
    };
    let controls = focusable_controls(&dialog);
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = document().active_element();
    let is_active = |control: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|element| element == control.unchecked_ref::<Element>())
    };
    let focus_on_a_control = controls.iter().any(is_active);
    let wrap_to = if event.shift_key() && (is_active(first) || !focus_on_a_control) {
        last
    } else if !event.shift_key() && (is_active(last) || !focus_on_a_control) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = wrap_to.focus();
}

pub fn focusable_controls(dialog: &Element) -> Vec<HtmlElement> {
    let Ok(nodes) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .filter(|control| control.offset_parent().is_some())
        .collect()
}
