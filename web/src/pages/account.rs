//! Your account: change your password, sign out everywhere; and setting a new password with a
//! reset link a site admin gave you.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use carrel_core::api::{ChangePasswordRequest, ResetPasswordRequest};
use carrel_core::validate::{check_password, FieldError};

use crate::api;
use crate::app::{use_me, use_session};
use crate::components::field::{focus_first_error, problem_for, TextField};
use crate::components::modal::ConfirmDialog;
use crate::components::notice::{Notice, Outcome};
use crate::components::title::page_title;

/// The new password's problem, as `core` sees it, under the form's field name.
fn new_password_problems(new_password: &str) -> Vec<FieldError> {
    check_password(new_password)
        .err()
        .map(|mut problem| {
            problem.field = "new_password".to_owned();
            problem
        })
        .into_iter()
        .collect()
}

#[component]
pub fn AccountPage() -> impl IntoView {
    page_title(|| "Your account".to_owned());
    let me = use_me();
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let change = Action::new_local(|request: &ChangePasswordRequest| {
        let request = request.clone();
        async move { api::change_password(&request).await }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            current.set(String::new());
            new_password.set(String::new());
            outcome.set(Some(Ok(
                "Your password is changed. Your other sessions have been signed out.".to_owned(),
            )));
        }
        Some(Err(error)) => {
            problems.set(error.fields().to_vec());
            outcome.set(Some(Err(error.message())));
            focus_first_error();
        }
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let mut found = new_password_problems(&new_password.get_untracked());
        if current.get_untracked().is_empty() {
            found.insert(
                0,
                FieldError::new("current_password", "Enter your current password."),
            );
        }
        problems.set(found.clone());
        if !found.is_empty() {
            focus_first_error();
            return;
        }
        change.dispatch(ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        });
    };
    let sign_out_everywhere = Action::new_local(|(): &()| api::sign_out_everywhere());
    let confirming = RwSignal::new(false);
    let signed_out = move |_| {
        navigate("/sign-in", Default::default());
        session.signed_out();
    };
    let pending = change.pending();
    view! {
        <section class="page narrow">
            <h1>"Your account"</h1>
            <p class="lead">{move || me.get().map(|me| format!("Signed in as {} ({}).", me.display_name, me.email))}</p>
            <Notice outcome=Signal::derive(move || outcome.get() as Outcome)/>
            <form class="panel" on:submit=submit novalidate aria-labelledby="password-title">
                <h2 id="password-title">"Change your password"</h2>
                <TextField id="field-current_password" label="Current password" field="current_password" kind="password"
                    autocomplete="current-password" value=current error=problem_for(problems.into(), "current_password")/>
                <TextField id="field-new_password" label="New password" field="new_password" kind="password"
                    autocomplete="new-password" hint="At least 10 characters." value=new_password
                    error=problem_for(problems.into(), "new_password")/>
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { "Changing…" } else { "Change password" }}
                </button>
            </form>
            <div class="panel">
                <h2>"Sign out everywhere"</h2>
                <p>"Ends every session of your account, on every device, this one included."</p>
                <button id="sign-out-everywhere" type="button" class="button" on:click=move |_| confirming.set(true)>"Sign out everywhere"</button>
            </div>
            {move || confirming.get().then(|| view! {
                <ConfirmDialog title="Sign out everywhere?"
                    message="Every session of your account ends, this one included. You will sign in again."
                    confirm_label="Sign out everywhere" danger=true
                    action=sign_out_everywhere input=()
                    on_cancel=move |()| confirming.set(false) on_done=signed_out.clone()/>
            })}
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    page_title(|| "Set a new password".to_owned());
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let new_password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let reset = Action::new_local(|request: &ResetPasswordRequest| {
        let request = request.clone();
        async move { api::reset_password(&request).await }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let found = new_password_problems(&new_password.get_untracked());
        problems.set(found.clone());
        if !found.is_empty() {
            focus_first_error();
            return;
        }
        reset.dispatch(ResetPasswordRequest {
            token: token.clone(),
            new_password: new_password.get_untracked(),
        });
    };
    let pending = reset.pending();
    view! {
        <section class="auth">
            <form class="panel auth-form" on:submit=submit novalidate aria-labelledby="reset-title">
                <h2 id="reset-title">"Set a new password"</h2>
                {move || match reset.value().get() {
                    Some(Ok(())) => view! {
                        <p class="alert alert--info" role="status">"Your password is set. " <a href="/sign-in">"Sign in"</a>" with it."</p>
                    }.into_any(),
                    Some(Err(error)) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <TextField id="field-new_password" label="New password" field="new_password" kind="password"
                    autocomplete="new-password" hint="At least 10 characters." value=new_password
                    error=problem_for(problems.into(), "new_password")/>
                <button type="submit" class="button button--primary button--wide" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { "Saving…" } else { "Set password" }}
                </button>
            </form>
        </section>
    }
}
