//! The outcome of the last thing the user did on a page: a short confirmation, or an error.

use leptos::prelude::*;

use crate::api::ApiError;

/// What happened: `Ok` says what was done, `Err` why it was not.
pub type Outcome = Option<Result<String, String>>;

/// An outcome from an action's result: `done` on success, the error's sentence otherwise.
pub fn outcome_of<T>(result: &Result<T, ApiError>, done: &str) -> Outcome {
    Some(match result {
        Ok(_) => Ok(done.to_owned()),
        Err(error) => Err(error.message()),
    })
}

#[component]
pub fn Notice(#[prop(into)] outcome: Signal<Outcome>) -> impl IntoView {
    move || {
        outcome.get().map(|result| match result {
            Ok(message) => {
                view! { <p class="alert alert--info" role="status">{message}</p> }.into_any()
            }
            Err(message) => {
                view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any()
            }
        })
    }
}
