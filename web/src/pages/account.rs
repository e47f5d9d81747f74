//! Your account: change your password, sign out everywhere; and setting a new password with a
//! reset link a site admin gave you.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use carrel_core::api::{ChangePasswordRequest, Me, ResetPasswordRequest, SessionsEnded};
use carrel_core::validate::{check_password, FieldError};

use crate::api;
use crate::app::use_session;
use crate::components::title::page_title;
use crate::pages::auth::TextField;

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
pub fn AccountPage(me: Me) -> impl IntoView {
    page_title(|| "Your account".to_owned());
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let pending = RwSignal::new(false);
    let change = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let mut found = new_password_problems(&new_password.get());
        if current.get().is_empty() {
            found.insert(
                0,
                FieldError::new("current_password", "Enter your current password."),
            );
        }
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let request = ChangePasswordRequest {
                current_password: current.get_untracked(),
                new_password: new_password.get_untracked(),
            };
            let result: Result<(), api::ApiError> = api::post("/me/password", &request).await;
            pending.set(false);
            match result {
                Ok(()) => {
                    current.set(String::new());
                    new_password.set(String::new());
                    outcome.set(Some(Ok(
                        "Your password is changed. Your other sessions have been signed out."
                            .to_owned(),
                    )));
                }
                Err(error) => {
                    problems.set(error.fields().to_vec());
                    outcome.set(Some(Err(error.message())));
                }
            }
        });
    };
    let ending = RwSignal::new(false);
    let end_everywhere = move |_| {
        let navigate = navigate.clone();
        ending.set(true);
        spawn_local(async move {
            let result: Result<SessionsEnded, api::ApiError> =
                api::post("/auth/logout-everywhere", &()).await;
            ending.set(false);
            match result {
                Ok(_) => {
                    session.signed_out();
                    navigate("/sign-in", Default::default());
                }
                Err(error) => outcome.set(Some(Err(error.message()))),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h1>"Your account"</h1>
            <p class="lead">{format!("Signed in as {} ({}).", me.display_name, me.email)}</p>
            {move || outcome.get().map(|result| match result {
                Ok(message) => view! { <p class="alert alert--info" role="status">{message}</p> }.into_any(),
                Err(message) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
            })}
            <form class="panel" on:submit=change novalidate aria-labelledby="password-title">
                <h2 id="password-title">"Change your password"</h2>
                <TextField label="Current password" field="current_password" kind="password"
                    autocomplete="current-password" value=current problems/>
                <TextField label="New password" field="new_password" kind="password"
                    autocomplete="new-password" hint="At least 10 characters." value=new_password problems/>
                <button type="submit" class="button button--primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Changing…" } else { "Change password" }}
                </button>
            </form>
            <div class="panel">
                <h2>"Sign out everywhere"</h2>
                <p>"Ends every session of your account, on every device, this one included."</p>
                <button id="sign-out-everywhere" class="button" on:click=end_everywhere disabled=move || ending.get()>
                    {move || if ending.get() { "Signing out…" } else { "Sign out everywhere" }}
                </button>
            </div>
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
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let pending = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let found = new_password_problems(&new_password.get());
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        pending.set(true);
        let token = token.clone();
        spawn_local(async move {
            let request = ResetPasswordRequest {
                token,
                new_password: new_password.get_untracked(),
            };
            let result: Result<(), api::ApiError> =
                api::post("/auth/reset-password", &request).await;
            pending.set(false);
            outcome.set(Some(result.map_err(|error| error.message())));
        });
    };
    view! {
        <section class="auth">
            <form class="panel auth-form" on:submit=submit novalidate aria-labelledby="reset-title">
                <h2 id="reset-title">"Set a new password"</h2>
                {move || match outcome.get() {
                    Some(Ok(())) => view! {
                        <p class="alert alert--info" role="status">"Your password is set. " <a href="/sign-in">"Sign in"</a>" with it."</p>
                    }.into_any(),
                    Some(Err(message)) => view! { <p class="alert alert--error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <TextField label="New password" field="new_password" kind="password"
                    autocomplete="new-password" hint="At least 10 characters." value=new_password problems/>
                <button type="submit" class="button button--primary button--wide" disabled=move || pending.get()>
                    {move || if pending.get() { "Saving…" } else { "Set password" }}
                </button>
            </form>
        </section>
    }
}
