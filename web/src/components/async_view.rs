//! One way to show that something is loading and one way to show that it failed: every read of
//! the server goes through [`Loaded`] (`Transition` + `ErrorBoundary`).

use leptos::error::Errors;
use leptos::prelude::*;

#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">{what}</p> }
}

/// The errors of a failed read, as the sentences the client made of them.
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="alert alert--error" role="alert">
            {move || errors.get().into_iter().map(|(_, error)| view! { <p>{error.to_string()}</p> }).collect_view()}
        </div>
    }
}

/// Shows `loading` until the resources read inside `children` first arrive (later reloads keep
/// the old view until the new one is ready), and the error view if one of them fails.
#[component]
pub fn Loaded(#[prop(into)] loading: String, children: Children) -> impl IntoView {
    view! {
        <Transition fallback=move || view! { <Loading what=loading.clone()/> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {children()}
            </ErrorBoundary>
        </Transition>
    }
}

/// How many times `action` has succeeded: what a resource tracks to read again after a change.
/// (Its version would also move on a refusal, and reading again then would replace the view —
/// and the dialog or the typed text that shows the refusal — for nothing.)
pub fn successes<I, T, E>(action: Action<I, Result<T, E>>) -> Signal<usize>
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    let count = RwSignal::new(0usize);
    Effect::new(move |_| {
        if action.value().with(|value| matches!(value, Some(Ok(_)))) {
            count.update(|count| *count += 1);
        }
    });
    count.into()
}
