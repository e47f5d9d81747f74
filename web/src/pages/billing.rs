//! Billing projects: yours, a new one, and one project's members.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use carrel_core::api::{BillingMemberRequest, BillingProjectView, CreateBillingProjectRequest};
use carrel_core::billing::{may_manage_members, parse_project_name, BillingRole};
use gloo_net::http::Method;

use crate::api::{self, segment, ApiError};
use crate::components::title::page_title;

fn money(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn role_label(role: Option<BillingRole>) -> &'static str {
    role.map_or("Not a member", BillingRole::label)
}

/// The role picked in a select, as `core` names it.
fn picked_role(event: &leptos::ev::Event) -> Option<BillingRole> {
    BillingRole::parse(&event_target_value(event))
}

#[component]
pub fn BillingPage() -> impl IntoView {
    page_title(|| "Billing projects".to_owned());
    let version = RwSignal::new(0u32);
    let projects = LocalResource::new(move || {
        version.track();
        api::get::<Vec<BillingProjectView>>("/billing-projects")
    });
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Err(error) = parse_project_name(&name.get_untracked()) {
            problem.set(Some(error.message));
            return;
        }
        let request = CreateBillingProjectRequest {
            name: name.get_untracked(),
        };
        spawn_local(async move {
            let created: Result<BillingProjectView, ApiError> =
                api::post("/billing-projects", &request).await;
            match created {
                Ok(_) => {
                    name.set(String::new());
                    problem.set(None);
                    version.update(|v| *v += 1);
                }
                Err(error) => problem.set(Some(error.message())),
            }
        });
    };
    view! {
        <section class="page">
            <h1>"Billing projects"</h1>
            <p class="lead">"Costs incurred in a workspace are charged to its billing project. Owners manage its members and own every workspace in it; workspace creators may create workspaces in it."</p>
            <form class="panel inline-form" on:submit=create>
                <label for="project-name">"New billing project"</label>
                <input id="project-name" type="text" placeholder="lower-case letters, digits and -" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                <button type="submit" class="button button--primary">"Create"</button>
                {move || problem.get().map(|m| view! { <p class="field-message field--invalid" role="alert">{m}</p> })}
            </form>
            {move || match projects.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cards" aria-label="Billing projects">
                        {list.into_iter().map(|p| view! {
                            <li class="card">
                                <h2 class="card-title"><a href=format!("/billing/{}", p.name)>{p.name.clone()}</a></h2>
                                <p class="card-meta"><span class="role">{role_label(p.my_role)}</span>" · credits " {money(p.credits_cents)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn BillingProjectPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("name").unwrap_or_default());
    page_title(move || format!("Billing project {}", name()));
    let version = RwSignal::new(0u32);
    let project = LocalResource::new(move || {
        let name = name();
        version.track();
        async move {
            api::get::<BillingProjectView>(&format!("/billing-projects/{}", segment(&name))).await
        }
    });
    let message = RwSignal::new(None::<(bool, String)>);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(BillingRole::User);
    let report = move |result: Result<(), ApiError>, done: &str| match result {
        Ok(()) => {
            message.set(Some((true, done.to_owned())));
            version.update(|v| *v += 1);
        }
        Err(error) => message.set(Some((false, error.message()))),
    };
    let set_member = move |who: String, role: BillingRole| {
        let project = name();
        spawn_local(async move {
            let result: Result<BillingProjectView, ApiError> = api::send(
                Method::PUT,
                &format!(
                    "/billing-projects/{}/members/{}",
                    segment(&project),
                    segment(who.trim())
                ),
                &BillingMemberRequest { role },
            )
            .await;
            report(result.map(|_| ()), "Saved.");
        });
    };
    let remove = move |who: String| {
        let project = name();
        spawn_local(async move {
            let result: Result<(), ApiError> = api::send(
                Method::DELETE,
                &format!(
                    "/billing-projects/{}/members/{}",
                    segment(&project),
                    segment(&who)
                ),
                &(),
            )
            .await;
            report(result, "Removed.");
        });
    };
    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/billing">"Billing projects"</a>" / "{name}</nav>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "alert alert--info" } else { "alert alert--error" } role=if ok { "status" } else { "alert" }>{m}</p>
            })}
            {move || match project.get() {
                None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                Some(Ok(p)) => {
                    let owner = may_manage_members(p.my_role).is_ok();
                    view! {
                        <h1>{p.name.clone()}</h1>
                        <p class="card-meta">"You are " <strong>{role_label(p.my_role)}</strong>" · credits " {money(p.credits_cents)}</p>
                        <div class="panel">
                            <h2>"Members"</h2>
                            <table class="share-table">
                                <thead><tr><th scope="col">"Person"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                                <tbody>
                                    {p.members.into_iter().map(|m| {
                                        let (who, who2) = (m.email.clone(), m.email.clone());
                                        view! {
                                            <tr>
                                                <th scope="row"><span class="share-name">{m.display_name.clone()}</span>" "{m.email.clone()}</th>
                                                <td><select aria-label=format!("Role of {}", m.email) disabled=!owner
                                                    on:change=move |e| if let Some(role) = picked_role(&e) { set_member(who.clone(), role) }>
                                                    {BillingRole::ALL.into_iter().map(|choice| view! {
                                                        <option value=choice.as_str() selected=choice == m.role>{choice.label()}</option>
                                                    }).collect_view()}
                                                </select></td>
                                                <td>{owner.then(|| view! { <button class="button button--quiet" on:click=move |_| remove(who2.clone())>"Remove"</button> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {owner.then(|| view! {
                                <form class="inline-form" on:submit=move |e: leptos::ev::SubmitEvent| { e.prevent_default(); set_member(email.get_untracked(), role.get_untracked()); email.set(String::new()); }>
                                    <label for="billing-email">"Add a member by email"</label>
                                    <input id="billing-email" type="email" prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e))/>
                                    <select aria-label="Role of the new member" on:change=move |e| if let Some(picked) = picked_role(&e) { role.set(picked) }>
                                        {BillingRole::ALL.into_iter().map(|choice| view! {
                                            <option value=choice.as_str()>{choice.label()}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button button--primary">"Add"</button>
                                </form>
                            })}
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
