//! Sign in and sign up. The sign-up form checks `core`'s rules as you submit, before any request.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use carrel_core::api::{LoginRequest, Me, SignupRequest};
use carrel_core::validate::{check_password, parse_person_name, FieldError};
use carrel_core::Email;

use crate::api;
use crate::app::{use_session, SessionState};
use crate::components::field::{focus_first_error, problem_for, show_refusal, TextField};
use crate::components::title::page_title;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AuthMode {
    SignIn,
    SignUp,
}

#[component]
pub fn AuthPage(mode: AuthMode) -> impl IntoView {
    page_title(move || {
        if mode == AuthMode::SignUp {
            "Create your account"
        } else {
            "Sign in"
        }
        .to_owned()
    });
    let session = use_session();
    let query = leptos_router::hooks::use_query_map().get_untracked();
    // Back to the page that sent you here; only a path of this site.
    let next = query
        .get("next")
        .filter(|path| {
            path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.starts_with("/sign-")
        })
        .unwrap_or_else(|| "/".to_owned());
    let navigate = use_navigate();
    let on_success = {
        let next = next.clone();
        Callback::new(move |me: Me| {
            session.signed_in(me);
            navigate(&next, Default::default());
        })
    };
    // The first site admin signs up through the one-time link the server printed.
    let setup_token = query.get("setup").filter(|token| !token.is_empty());
    move || {
        if let SessionState::SignedIn(me) = session.0.get() {
            view! {
                <section class="panel narrow">
                    <h1>"You are signed in"</h1>
                    <p>{format!("Signed in as {} ({}).", me.display_name, me.email)}</p>
                    <p><a href=next.clone()>"Continue"</a></p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <section class="auth">
                    <div class="auth-intro">
                        <h1>"Carrel"</h1>
                        <p>"A research workbench where each project keeps its data, notebooks and analyses in one workspace, and its owners decide exactly who may read, change, share and spend."</p>
                    </div>
                    <AuthForm mode on_success setup_token=setup_token.clone()/>
                </section>
            }
            .into_any()
        }
    }
}

/// Problems found by `core` before sending: one per field.
pub fn sign_up_problems(email: &str, name: &str, password: &str) -> Vec<FieldError> {
    [
        Email::parse(email).err(),
        parse_person_name(name).err(),
        check_password(password).err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn sign_in_problems(email: &str, password: &str) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if email.trim().is_empty() {
        problems.push(FieldError::new("email", "Enter your email address."));
    }
    if password.is_empty() {
        problems.push(FieldError::new("password", "Enter your password."));
    }
    problems
}

/// What the form sends: a new account, or a sign-in.
#[derive(Clone)]
enum Credentials {
    SignUp(SignupRequest),
    SignIn(LoginRequest),
}

#[component]
pub fn AuthForm(
    mode: AuthMode,
    #[prop(into)] on_success: Callback<Me>,
    /// The one-time setup token from the link the server printed: signing up with it makes the
    /// first site admin.
    #[prop(default = None)]
    setup_token: Option<String>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let submit_action = Action::new_local(|credentials: &Credentials| {
        let credentials = credentials.clone();
        async move {
            match credentials {
                Credentials::SignUp(request) => api::sign_up(&request).await,
                Credentials::SignIn(request) => api::sign_in(&request).await,
            }
        }
    });
    Effect::new(move |_| match submit_action.value().get() {
        Some(Ok(me)) => on_success.run(me),
        Some(Err(error)) => show_refusal(&error, problems, failure),
        None => {}
    });
    let pending = submit_action.pending();
    let sign_up = mode == AuthMode::SignUp;
    let signing_up_as_admin = sign_up && setup_token.is_some();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        let found = if sign_up {
            sign_up_problems(&email.get(), &name.get(), &password.get())
        } else {
            sign_in_problems(&email.get(), &password.get())
        };
        problems.set(found.clone());
        if !found.is_empty() {
            focus_first_error();
            return;
        }
        if pending.get_untracked() {
            return;
        }
        let request = if sign_up {
            Credentials::SignUp(SignupRequest {
                email: email.get_untracked(),
                display_name: name.get_untracked(),
                password: password.get_untracked(),
                setup_token: setup_token.clone(),
            })
        } else {
            Credentials::SignIn(LoginRequest {
                email: email.get_untracked(),
                password: password.get_untracked(),
            })
        };
        submit_action.dispatch(request);
    };

    let (title, action, busy, switch_text, switch_href, switch_link) = if sign_up {
        (
            "Create your account",
            "Create account",
            "Creating your account…",
            "Already have an account?",
            "/sign-in",
            "Sign in",
        )
    } else {
        (
            "Sign in",
            "Sign in",
            "Signing in…",
            "New to Carrel?",
            "/sign-up",
            "Create an account",
        )
    };

    view! {
        <form class="panel auth-form" on:submit=submit novalidate aria-labelledby="auth-title">
            <h2 id="auth-title">{title}</h2>
            {signing_up_as_admin.then(|| view! {
                <p class="alert alert--info" role="note">"This one-time link makes the account you create now the site admin."</p>
            })}
            {move || failure.get().map(|message| view! {
                <p class="alert alert--error" role="alert">{message}</p>
            })}
            <TextField id="field-email" label="Email" field="email" kind="email" autocomplete="username"
                value=email error=problem_for(problems.into(), "email")/>
            {sign_up.then(|| view! {
                <TextField id="field-display_name" label="Your name" field="display_name" autocomplete="name"
                    value=name error=problem_for(problems.into(), "display_name")/>
            })}
            <TextField id="field-password" label="Password" field="password" kind="password"
                autocomplete=if sign_up { "new-password" } else { "current-password" }
                hint=if sign_up { "At least 10 characters." } else { "" }
                value=password error=problem_for(problems.into(), "password")/>
            <button type="submit" class="button button--primary button--wide" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { busy } else { action }}
            </button>
            <p class="switch">{switch_text} " " <a href=switch_href>{switch_link}</a></p>
        </form>
    }
}
