//! Form fields: a label, the control, and beside it either a hint or its error — red, marked
//! `aria-invalid`, tied to the control by `aria-describedby`. After a refused submit the page
//! calls [`focus_first_error`], so the keyboard lands on what needs attention.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use carrel_core::validate::FieldError;

use crate::api::ApiError;

/// The message `problems` has for `field`, if any.
pub fn problem_for(
    problems: Signal<Vec<FieldError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        problems.with(|found| {
            found
                .iter()
                .find(|problem| problem.field == field)
                .map(|problem| problem.message.clone())
        })
    })
}

/// Move focus to the first field marked invalid: in the open dialog if there is one, else on the page.
pub fn focus_first_error() {
    request_animation_frame(|| {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        let first = [
            "[aria-modal='true'] [aria-invalid='true']",
            "main [aria-invalid='true']",
            "[aria-invalid='true']",
        ]
        .into_iter()
        .find_map(|selector| document.query_selector(selector).ok().flatten());
        if let Some(element) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}

/// Show `found` beside their fields; with any, move the focus to the first. True when the form
/// has no problem and may be sent.
pub fn shows_no_problem(found: Vec<FieldError>, problems: RwSignal<Vec<FieldError>>) -> bool {
    let clean = found.is_empty();
    problems.set(found);
    if !clean {
        focus_first_error();
    }
    clean
}

/// Show a refused submit: each field's problem beside it, the server's sentence in `failure`,
/// and the focus on the first field in error.
pub fn show_refusal(
    error: &ApiError,
    problems: RwSignal<Vec<FieldError>>,
    failure: RwSignal<Option<String>>,
) {
    problems.set(error.fields().to_vec());
    failure.set(Some(error.message()));
    focus_first_error();
}

/// The message under a field: its error in red, or its hint.
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    error: Signal<Option<String>>,
    /// Shown while there is no error (empty: nothing).
    #[prop(optional, into)]
    hint: String,
) -> impl IntoView {
    view! {
        <p class="field-message" class:field-message--error=move || error.with(Option::is_some) id=id>
            {move || error.get().unwrap_or_else(|| hint.clone())}
        </p>
    }
}

/// A labelled text input (or textarea) bound to `value`.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: String,
    #[prop(optional, into)] placeholder: Option<String>,
    /// A textarea of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
    /// Why the field cannot be changed, when it cannot.
    #[prop(default = None)]
    locked: Option<String>,
    /// The form field's name in `core`'s problems (tests and styles find fields by it).
    #[prop(optional)]
    field: Option<&'static str>,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
    /// Takes the focus when its dialog opens.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let autofocus = autofocus.then_some("");
    let message_id = format!("{id}-message");
    let invalid = move || error.with(Option::is_some).then_some("true");
    let hint = locked.clone().unwrap_or(hint);
    let control = match rows {
        Some(rows) => view! {
            <textarea id=id.clone() rows=rows data-autofocus=autofocus aria-invalid=invalid aria-describedby=message_id.clone()
                disabled=locked.is_some() placeholder=placeholder.clone()
                prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e))></textarea>
        }
        .into_any(),
        None => view! {
            <input id=id.clone() type=kind autocomplete=autocomplete name=field node_ref=node_ref data-autofocus=autofocus
                aria-invalid=invalid aria-describedby=message_id.clone()
                disabled=locked.is_some() title=locked.clone() placeholder=placeholder.clone()
                prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e))/>
        }
        .into_any(),
    };
    view! {
        <div class="field" class:field--invalid=move || invalid().is_some() data-field=field>
            <label for=id>{label}</label>
            {control}
            <FieldMessage id=message_id error hint/>
        </div>
    }
}

/// A labelled select; `children` are its options.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] on_change: Callback<String>,
    #[prop(optional, into)] hint: String,
    #[prop(optional)] field: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    let invalid = move || error.with(Option::is_some).then_some("true");
    view! {
        <div class="field" class:field--invalid=move || invalid().is_some() data-field=field>
            <label for=id.clone()>{label}</label>
            <select id=id aria-invalid=invalid aria-describedby=message_id.clone()
                on:change=move |e| on_change.run(event_target_value(&e))>
                {children()}
            </select>
            <FieldMessage id=message_id error hint/>
        </div>
    }
}
