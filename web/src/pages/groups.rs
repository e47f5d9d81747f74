//! Managed groups: yours, a new one, and one group's members, nesting, requests and settings.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

use carrel_core::api::{
    CreateGroupRequest, DecideRequest, GroupMemberRequest, GroupRequestView, GroupSettingsRequest,
    GroupView,
};
use carrel_core::groups::{require_admin, GroupName, GroupRole};
use gloo_net::http::Method;

use crate::api::{self, segment, ApiError};
use crate::app::use_session;
use crate::components::title::page_title;

#[component]
pub fn GroupsPage() -> impl IntoView {
    page_title(|| "Your groups".to_owned());
    let version = RwSignal::new(0u32);
    let groups = LocalResource::new(move || {
        version.track();
        api::get::<Vec<GroupView>>("/groups")
    });
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Err(error) = GroupName::parse(&name.get_untracked()) {
            problem.set(Some(error.message));
            return;
        }
        let request = CreateGroupRequest {
            name: name.get_untracked(),
        };
        spawn_local(async move {
            let created: Result<GroupView, ApiError> = api::post("/groups", &request).await;
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
            <h1>"Your groups"</h1>
            <p class="lead">"Share a workspace with a group and its access follows the group's membership. A group's admins manage who is in it; its role in a workspace is set by that workspace's owners."</p>
            <form class="panel inline-form" on:submit=create>
                <label for="group-name">"New group name"</label>
                <input id="group-name" type="text" placeholder="letters, digits, _ and -" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                <button type="submit" class="button button--primary">"Create group"</button>
                {move || problem.get().map(|m| view! { <p class="field-message field--invalid" role="alert">{m}</p> })}
            </form>
            {move || match groups.get() {
                None => view! { <p class="loading" role="status">"Loading your groups…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" role="status">"You are not in any group yet."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cards" aria-label="Groups">
                        {list.into_iter().map(|g| view! {
                            <li class="card">
                                <h2 class="card-title"><a href=format!("/groups/{}", g.name)>{g.name.clone()}</a></h2>
                                <p class="card-meta">{g.address.clone()}</p>
                                <p class="card-meta"><span class="role">{g.my_role.map_or("Not a member", GroupRole::label)}</span></p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("name").unwrap_or_default());
    page_title(move || format!("Group {}", name()));
    let version = RwSignal::new(0u32);
    let group = LocalResource::new(move || {
        let name = name();
        version.track();
        async move { api::get::<GroupView>(&format!("/groups/{}", segment(&name))).await }
    });
    let requests = LocalResource::new(move || {
        let name = name();
        version.track();
        async move {
            api::get::<Vec<GroupRequestView>>(&format!("/groups/{}/requests", segment(&name))).await
        }
    });
    let message = RwSignal::new(None::<(bool, String)>);
    let refresh = move || version.update(|v| *v += 1);
    let report = move |result: Result<(), ApiError>, done: &str| match result {
        Ok(()) => {
            message.set(Some((true, done.to_owned())));
            refresh();
        }
        Err(error) => message.set(Some((false, error.message()))),
    };
    let member_email = RwSignal::new(String::new());
    let member_role = RwSignal::new(GroupRole::Member);
    let navigate = use_navigate();

    let add_member = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (group, who, role) = (
            name(),
            member_email.get_untracked(),
            member_role.get_untracked(),
        );
        spawn_local(async move {
            let result: Result<GroupView, ApiError> = api::send(
                Method::PUT,
                &format!(
                    "/groups/{}/members/{}",
                    segment(&group),
                    segment(who.trim())
                ),
                &GroupMemberRequest { role },
            )
            .await;
            report(result.map(|_| ()), "Added.");
            member_email.set(String::new());
        });
    };
    let remove = move |who: String| {
        let group = name();
        spawn_local(async move {
            let result: Result<(), ApiError> = api::send(
                Method::DELETE,
                &format!("/groups/{}/members/{}", segment(&group), segment(&who)),
                &(),
            )
            .await;
            report(result, "Removed.");
        });
    };
    let set_role = move |who: String, role: GroupRole| {
        let group = name();
        spawn_local(async move {
            let result: Result<GroupView, ApiError> = api::send(
                Method::PUT,
                &format!("/groups/{}/members/{}", segment(&group), segment(&who)),
                &GroupMemberRequest { role },
            )
            .await;
            report(result.map(|_| ()), "Role changed.");
        });
    };
    let decide = move |id: i64, approve: bool| {
        let group = name();
        spawn_local(async move {
            let result: Result<(), ApiError> = api::post(
                &format!("/groups/{}/requests/{id}", segment(&group)),
                &DecideRequest { approve },
            )
            .await;
            report(
                result,
                if approve {
                    "Approved: they are a member now."
                } else {
                    "Request denied."
                },
            );
        });
    };
    let request_access = move |_| {
        let group = name();
        spawn_local(async move {
            let result: Result<(), ApiError> =
                api::post(&format!("/groups/{}/requests", segment(&group)), &()).await;
            report(result, "Request sent to the group's admins.");
        });
    };
    let instructions = RwSignal::new(None::<String>);
    let save_instructions = move |_| {
        let group = name();
        let text = instructions.get_untracked().unwrap_or_default();
        spawn_local(async move {
            let request = GroupSettingsRequest {
                allows_requests: None,
                access_instructions: Some(text),
            };
            let result: Result<GroupView, ApiError> = api::send(
                Method::PATCH,
                &format!("/groups/{}", segment(&group)),
                &request,
            )
            .await;
            report(result.map(|_| ()), "Access instructions saved.");
        });
    };
    let settings = move |allows: bool| {
        let group = name();
        spawn_local(async move {
            let request = GroupSettingsRequest {
                allows_requests: Some(allows),
                access_instructions: None,
            };
            let result: Result<GroupView, ApiError> = api::send(
                Method::PATCH,
                &format!("/groups/{}", segment(&group)),
                &request,
            )
            .await;
            report(result.map(|_| ()), "Settings saved.");
        });
    };
    let delete = move |_| {
        let group = name();
        let navigate = navigate.clone();
        spawn_local(async move {
            let result: Result<(), ApiError> =
                api::send(Method::DELETE, &format!("/groups/{}", segment(&group)), &()).await;
            match result {
                Ok(()) => navigate("/groups", Default::default()),
                Err(error) => message.set(Some((false, error.message()))),
            }
        });
    };

    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/groups">"Your groups"</a>" / "{name}</nav>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "alert alert--info" } else { "alert alert--error" } role=if ok { "status" } else { "alert" }>{m}</p>
            })}
            {move || match group.get() {
                None => view! { <p class="loading" role="status">"Loading the group…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                Some(Ok(g)) => {
                    let admin = require_admin(g.my_role).is_ok();
                    let domain = use_session().me().map(|me| me.site_domain).unwrap_or_default();
                    let group_address_hint = format!("NAME@groups.{domain}");
                    let member = g.my_role.is_some();
                    view! {
                        <header class="page-head">
                            <div>
                                <h1>{g.name.clone()}</h1>
                                <p class="card-meta">"Share with it as " <code>{g.address.clone()}</code></p>
                            </div>
                            <div class="toolbar">
                                {(!member && g.allows_requests).then(|| view! { <button class="button" on:click=request_access>"Request access"</button> })}
                                {admin.then(|| view! { <button class="button button--danger" on:click=delete.clone()>"Delete group"</button> })}
                            </div>
                        </header>
                        {(!g.access_instructions.is_empty()).then(|| view! { <p class="alert alert--info">{g.access_instructions.clone()}</p> })}
                        <div class="panel">
                            <h2>"Members"</h2>
                            <table class="share-table">
                                <thead><tr><th scope="col">"Person"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                                <tbody>
                                    {g.members.clone().into_iter().map(|m| {
                                        let (email, email2) = (m.email.clone(), m.email.clone());
                                        view! {
                                            <tr>
                                                <th scope="row"><span class="share-name">{m.display_name.clone()}</span>" "{m.email.clone()}</th>
                                                <td>
                                                    <select aria-label=format!("Role of {}", m.email) disabled=!admin
                                                        on:change=move |e| if let Some(role) = GroupRole::parse(&event_target_value(&e)) { set_role(email.clone(), role) }>
                                                        {GroupRole::ALL.into_iter().map(|choice| view! {
                                                            <option value=choice.as_str() selected=choice == m.role>{choice.label()}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </td>
                                                <td>{admin.then(|| view! { <button class="button button--quiet" on:click=move |_| remove(email2.clone())>"Remove"</button> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                    {g.subgroups.clone().into_iter().map(|sub| {
                                        let address = GroupName::parse(&sub).map(|n| n.address(&domain)).unwrap_or_default();
                                        view! {
                                            <tr>
                                                <th scope="row"><span class="share-name">"Group " {sub.clone()}</span></th>
                                                <td>"Member"</td>
                                                <td>{admin.then(|| view! { <button class="button button--quiet" on:click=move |_| remove(address.clone())>"Remove"</button> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {admin.then(|| view! {
                                <form class="inline-form" on:submit=add_member>
                                    <label for="member-email">{format!("Add a person (email) or a group ({group_address_hint})")}</label>
                                    <input id="member-email" type="text" prop:value=move || member_email.get() on:input=move |e| member_email.set(event_target_value(&e))/>
                                    <select aria-label="Role of the new member" on:change=move |e| if let Some(role) = GroupRole::parse(&event_target_value(&e)) { member_role.set(role) }>
                                        {GroupRole::ALL.into_iter().map(|choice| view! {
                                            <option value=choice.as_str()>{choice.label()}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button button--primary">"Add"</button>
                                </form>
                            })}
                        </div>
                        {admin.then(|| view! {
                            <div class="panel">
                                <h2>"Access requests"</h2>
                                <label class="choice"><input type="checkbox" checked=g.allows_requests on:change=move |e| settings(event_target_checked(&e))/>"People who are not members may ask to join"</label>
                                <div class="field">
                                    <label for="group-instructions">"Access instructions, shown to people who are not members"</label>
                                    <textarea id="group-instructions" rows="2"
                                        prop:value={let current = g.access_instructions.clone(); move || instructions.get().unwrap_or_else(|| current.clone())}
                                        on:input=move |e| instructions.set(Some(event_target_value(&e)))></textarea>
                                    <button class="button" on:click=save_instructions>"Save instructions"</button>
                                </div>
                                {move || match requests.get() {
                                    Some(Ok(pending)) if !pending.is_empty() => view! {
                                        <ul class="requests">{pending.into_iter().map(|r| view! {
                                            <li>{r.display_name.clone()}" ("{r.email.clone()}") "
                                                <button class="button" on:click=move |_| decide(r.id, true)>"Approve"</button>
                                                <button class="button button--quiet" on:click=move |_| decide(r.id, false)>"Deny"</button>
                                            </li>
                                        }).collect_view()}</ul>
                                    }.into_any(),
                                    _ => view! { <p class="card-meta">"No pending requests."</p> }.into_any(),
                                }}
                            </div>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}
