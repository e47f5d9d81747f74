//! Billing projects: yours, a new one, and one project's members.

use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use carrel_core::api::{
    BillingMemberRequest, BillingProjectView, BillingWorkspaceView, CreateBillingProjectRequest,
};
use carrel_core::billing::{
    format_money, may_do, may_manage_members, parse_project_name, BillingRole, BillingTask,
};
use carrel_core::costs::NANOS_PER_CENT;
use carrel_core::validate::FieldError;
use carrel_core::Email;

use crate::api;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::{focus_first_error, TextField};
use crate::components::member_table::{AddMember, MemberRow, MemberTable};
use crate::components::notice::{Notice, Outcome};
use crate::components::spend::SpendFigures;
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

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
                    <p class="card-meta"><span class="role">{role_label(p.my_role)}</span>
                        " · balance " {format_money(p.balance_cents())}
                        " · " {workspace_count(p.workspace_count)}</p>
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
                        let sees_spend = may_do(p.my_role, BillingTask::ReadSpend).is_ok();
                        let rows: Vec<MemberRow<BillingRole>> = p.members.iter().map(|m| MemberRow {
                            key: m.email.clone(),
                            name: m.display_name.clone(),
                            detail: m.email.clone(),
                            role: Some(m.role),
                        }).collect();
                        view! {
                            <h1>{p.name.clone()}</h1>
                            <p class="card-meta">"You are " <strong>{role_label(p.my_role)}</strong>
                                {sees_spend.then(|| view! { " · " <a href=format!("/billing/{}/spend", p.name)>"Spend and credits"</a> })}</p>
                            <SpendFigures credits_cents=p.credits_cents spend_nanos=p.spend_cents * NANOS_PER_CENT/>
                            <ProjectWorkspaces project=p.clone()/>
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

fn workspace_count(count: i64) -> String {
    match count {
        1 => "1 workspace".to_owned(),
        n => format!("{n} workspaces"),
    }
}

/// The workspaces charged to this project, each with what it has cost.
#[component]
fn ProjectWorkspaces(project: BillingProjectView) -> impl IntoView {
    let shown = project.workspaces.len();
    let total = project.workspace_count;
    let caption = format!("Workspaces in {}", project.name);
    view! {
        <div class="panel">
            <h2>"Workspaces " <span class="count">{total}</span></h2>
            {if project.workspaces.is_empty() {
                view! { <p class="empty-note">"No workspace is charged to this project yet. Create one and choose this project."</p> }.into_any()
            } else {
                view! {
                    <table class="share-table project-workspaces">
                        <caption class="visually-hidden">{caption}</caption>
                        <thead><tr>
                            <th scope="col">"Workspace"</th><th scope="col">"Tier"</th>
                            <th scope="col">"Created by"</th><th scope="col">"Created"</th>
                            <th scope="col" class="numeric">"Spent"</th>
                        </tr></thead>
                        <tbody>
                            {project.workspaces.into_iter().map(workspace_row).collect_view()}
                        </tbody>
                    </table>
                    {(i64::try_from(shown).unwrap_or_default() < total).then(|| view! {
                        <p class="muted">{format!("The first {shown} of {total}, by name.")}</p>
                    })}
                }.into_any()
            }}
        </div>
    }
}

fn workspace_row(workspace: BillingWorkspaceView) -> impl IntoView {
    let href = format!("/workspaces/{}/{}", workspace.namespace, workspace.name);
    view! {
        <tr>
            <th scope="row">
                <a href=href><bdi>{workspace.display_name.clone()}</bdi></a>
                {workspace.locked.then(|| view! { <span class="badge badge--locked">"Locked"</span> })}
                <span class="share-email">{format!("{}/{}", workspace.namespace, workspace.name)}</span>
            </th>
            <td>{workspace.tier.label()}</td>
            <td><bdi>{workspace.creator_name.clone()}</bdi></td>
            <td>{format_date(workspace.created_at)}</td>
            <td class="numeric">{format_money(workspace.spend_cents)}</td>
        </tr>
    }
}
