//! Billing projects: yours, a new one, and one project's members.

use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use carrel_core::api::{BillingMemberRequest, BillingProjectView, CreateBillingProjectRequest};
use carrel_core::billing::{may_manage_members, parse_project_name, BillingRole};
use carrel_core::validate::FieldError;
use carrel_core::Email;

use crate::api;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::{focus_first_error, TextField};
use crate::components::member_table::{AddMember, MemberRow, MemberTable};
use crate::components::notice::{Notice, Outcome};
use crate::components::title::page_title;

fn money(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn role_label(role: Option<BillingRole>) -> &'static str {
    role.map_or("Not a member", BillingRole::label)
}

#[component]
pub fn BillingPage() -> impl IntoView {
    page_title(|| "Billing projects".to_owned());
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(|request: &CreateBillingProjectRequest| {
        let request = request.clone();
        async move { api::create_billing_project(&request).await }
    });
    let created = successes(create);
    let projects = LocalResource::new(move || {
        created.track();
        api::billing_projects()
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            problem.set(None);
        }
        Some(Err(error)) => {
            problem.set(Some(error.message()));
            focus_first_error();
        }
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match parse_project_name(&name.get_untracked()) {
            Err(error) => {
                problem.set(Some(error.message));
                focus_first_error();
            }
            Ok(name) => {
                create.dispatch(CreateBillingProjectRequest { name });
            }
        }
    };
    view! {
        <section class="page">
            <h1>"Billing projects"</h1>
            <p class="lead">"Costs incurred in a workspace are charged to its billing project. Owners manage its members and own every workspace in it; workspace creators may create workspaces in it."</p>
            <form class="panel inline-form" on:submit=submit novalidate>
                <TextField id="project-name" label="New billing project" placeholder="lower-case letters, digits and -"
                    value=name error=Signal::derive(move || problem.get())/>
                <button type="submit" class="button button--primary">"Create"</button>
            </form>
            <Loaded loading="Loading your billing projects…">
                {move || Suspend::new(async move { projects.await.map(project_cards) })}
            </Loaded>
        </section>
    }
}

fn project_cards(list: Vec<BillingProjectView>) -> AnyView {
    if list.is_empty() {
        return view! { <p class="empty" role="status">"You are not in any billing project yet."</p> }.into_any();
    }
    view! {
        <ul class="cards" aria-label="Billing projects">
            {list.into_iter().map(|p| view! {
                <li class="card">
                    <h2 class="card-title"><a href=format!("/billing/{}", p.name)>{p.name.clone()}</a></h2>
                    <p class="card-meta"><span class="role">{role_label(p.my_role)}</span>" · credits " {money(p.credits_cents)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[derive(Params, Clone, Debug, PartialEq)]
struct ProjectParams {
    name: Option<String>,
}

fn check_email(raw: &str) -> Result<(), FieldError> {
    Email::parse(raw).map(|_| ())
}

#[component]
pub fn BillingProjectPage() -> impl IntoView {
    let params = use_params::<ProjectParams>();
    let name = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.name.clone())
                .unwrap_or_default()
        })
    });
    page_title(move || format!("Billing project {}", name.get()));
    let outcome = RwSignal::new(None as Outcome);
    let changed = Callback::new(move |done: String| outcome.set(Some(Ok(done))));
    let set_member = Action::new_local(move |(who, role): &(String, BillingRole)| {
        let (project, who, role) = (name.get_untracked(), who.clone(), *role);
        async move { api::set_billing_member(&project, &who, &BillingMemberRequest { role }).await }
    });
    let remove = Action::new_local(move |who: &String| {
        let (project, who) = (name.get_untracked(), who.clone());
        async move { api::remove_billing_member(&project, &who).await }
    });
    let (members_set, removed) = (successes(set_member), successes(remove));
    let project = LocalResource::new(move || {
        let name = name.get();
        members_set.track();
        removed.track();
        async move { api::billing_project(&name).await }
    });
    let is_owner = Memo::new(move |_| {
        project
            .get()
            .and_then(Result::ok)
            .is_some_and(|p| may_manage_members(p.my_role).is_ok())
    });
    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/billing">"Billing projects"</a>" / "{move || name.get()}</nav>
            <Notice outcome=outcome/>
            <Loaded loading="Loading the billing project…">
                {move || Suspend::new(async move {
                    project.await.map(|p| {
                        let owner = may_manage_members(p.my_role).is_ok();
                        let rows: Vec<MemberRow<BillingRole>> = p.members.iter().map(|m| MemberRow {
                            key: m.email.clone(),
                            name: m.display_name.clone(),
                            detail: m.email.clone(),
                            role: Some(m.role),
                        }).collect();
                        view! {
                            <h1>{p.name.clone()}</h1>
                            <p class="card-meta">"You are " <strong>{role_label(p.my_role)}</strong>" · credits " {money(p.credits_cents)}</p>
                            <div class="panel">
                                <h2>"Members"</h2>
                                <MemberTable caption=format!("Members of {}", p.name) rows may_manage=owner
                                    set_role=set_member remove on_changed=changed/>
                            </div>
                        }
                    })
                })}
            </Loaded>
            {move || is_owner.get().then(|| view! {
                <div class="panel">
                    <h2>"Add a member"</h2>
                    <AddMember id="billing-email" label="Email of the person to add" check=check_email add=set_member on_added=changed/>
                </div>
            })}
        </section>
    }
}
