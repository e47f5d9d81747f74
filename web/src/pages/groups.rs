//! Managed groups: yours, a new one, and one group's members, nesting, requests and settings.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use carrel_core::api::{
    CreateGroupRequest, DecideRequest, GroupMemberRequest, GroupSettingsRequest, GroupView,
};
use carrel_core::groups::{require_admin, GroupName, GroupRole};
use carrel_core::validate::FieldError;
use carrel_core::Email;

use crate::api;
use crate::app::use_session;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::{focus_first_error, TextField};
use crate::components::member_table::{AddMember, MemberRow, MemberTable};
use crate::components::modal::ConfirmDialog;
use crate::components::notice::{outcome_of, Notice, Outcome};
use crate::components::title::page_title;

#[component]
pub fn GroupsPage() -> impl IntoView {
    page_title(|| "Your groups".to_owned());
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(|request: &CreateGroupRequest| {
        let request = request.clone();
        async move { api::create_group(&request).await }
    });
    let created = successes(create);
    let groups = LocalResource::new(move || {
        created.track();
        api::groups()
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
        if let Err(error) = GroupName::parse(&name.get_untracked()) {
            problem.set(Some(error.message));
            focus_first_error();
            return;
        }
        create.dispatch(CreateGroupRequest {
            name: name.get_untracked().trim().to_owned(),
        });
    };
    view! {
        <section class="page">
            <h1>"Your groups"</h1>
            <p class="lead">"Share a workspace with a group and its access follows the group's membership. A group's admins manage who is in it; its role in a workspace is set by that workspace's owners."</p>
            <form class="panel inline-form" on:submit=submit novalidate>
                <TextField id="group-name" label="New group name" placeholder="letters, digits, _ and -"
                    value=name error=Signal::derive(move || problem.get())/>
                <button type="submit" class="button button--primary">"Create group"</button>
            </form>
            <Loaded loading="Loading your groups…">
                {move || Suspend::new(async move { groups.await.map(group_cards) })}
            </Loaded>
        </section>
    }
}

fn group_cards(list: Vec<GroupView>) -> AnyView {
    if list.is_empty() {
        return view! { <p class="empty" role="status">"You are not in any group yet."</p> }
            .into_any();
    }
    view! {
        <ul class="cards" aria-label="Groups">
            {list.into_iter().map(|g| view! {
                <li class="card">
                    <h2 class="card-title"><a href=format!("/groups/{}", g.name)>{g.name.clone()}</a></h2>
                    <p class="card-meta">{g.address.clone()}</p>
                    <p class="card-meta"><span class="role">{g.my_role.map_or("Not a member", GroupRole::label)}</span></p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[derive(Params, Clone, Debug, PartialEq)]
struct GroupParams {
    name: Option<String>,
}

/// A person's email or a group's address, as `core` reads an address.
fn check_member(raw: &str) -> Result<(), FieldError> {
    Email::parse(raw).map(|_| ())
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params::<GroupParams>();
    let name = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.name.clone())
                .unwrap_or_default()
        })
    });
    page_title(move || format!("Group {}", name.get()));
    let outcome = RwSignal::new(None as Outcome);
    let changed = Callback::new(move |done: String| outcome.set(Some(Ok(done))));

    let set_member = Action::new_local(move |(who, role): &(String, GroupRole)| {
        let (group, who, role) = (name.get_untracked(), who.clone(), *role);
        async move { api::set_group_member(&group, &who, &GroupMemberRequest { role }).await }
    });
    let remove = Action::new_local(move |who: &String| {
        let (group, who) = (name.get_untracked(), who.clone());
        async move { api::remove_group_member(&group, &who).await }
    });
    let decide = Action::new_local(move |(id, approve): &(i64, bool)| {
        let (group, id, approve) = (name.get_untracked(), *id, *approve);
        async move { api::decide_group_request(&group, id, &DecideRequest { approve }).await }
    });
    let request_access = Action::new_local(move |(): &()| {
        let group = name.get_untracked();
        async move { api::request_group_access(&group).await }
    });
    let settings = Action::new_local(move |request: &GroupSettingsRequest| {
        let (group, request) = (name.get_untracked(), request.clone());
        async move { api::group_settings(&group, &request).await }
    });
    let delete = Action::new_local(move |(): &()| {
        let group = name.get_untracked();
        async move { api::delete_group(&group).await }
    });
    Effect::new(move |_| {
        if let Some(result) = decide.value().get() {
            outcome.set(outcome_of(&result, "Done."));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = request_access.value().get() {
            outcome.set(outcome_of(&result, "Request sent to the group's admins."));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = settings.value().get() {
            outcome.set(outcome_of(&result, "Settings saved."));
        }
    });

    let (members_set, removed, decided, saved) = (
        successes(set_member),
        successes(remove),
        successes(decide),
        successes(settings),
    );
    let group = LocalResource::new(move || {
        let name = name.get();
        members_set.track();
        removed.track();
        decided.track();
        saved.track();
        async move { api::group(&name).await }
    });
    let requests = LocalResource::new(move || {
        let name = name.get();
        decided.track();
        async move { api::group_requests(&name).await }
    });
    // The add form stays put while the members reload, so a refused address keeps its text.
    let is_admin = Memo::new(move |_| {
        group
            .get()
            .and_then(Result::ok)
            .is_some_and(|g| require_admin(g.my_role).is_ok())
    });
    let domain = use_session()
        .me()
        .map(|me| me.site_domain)
        .unwrap_or_default();
    let requests_settings = Memo::new(move |_| {
        group
            .get()
            .and_then(Result::ok)
            .filter(|g| require_admin(g.my_role).is_ok())
            .map(|g| (g.allows_requests, g.access_instructions))
    });
    let deleting = RwSignal::new(false);
    let navigate = use_navigate();
    let deleted = move |()| navigate("/groups", Default::default());

    view! {
        <section class="page">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/groups">"Your groups"</a>" / "{move || name.get()}</nav>
            <Notice outcome=outcome/>
            <Loaded loading="Loading the group…">
                {move || Suspend::new(async move {
                    group.await.map(|g| view! {
                        <GroupView group=g set_member remove request_access changed deleting/>
                    })
                })}
            </Loaded>
            {move || is_admin.get().then(|| view! {
                <div class="panel">
                    <h2>"Add a member"</h2>
                    <AddMember id="member-email" label=format!("A person (email) or a group (NAME@groups.{domain})")
                        check=check_member add=set_member on_added=changed/>
                </div>
            })}
            {move || requests_settings.get().map(|(allows_requests, access_instructions)| view! {
                <AccessRequests allows_requests access_instructions requests decide settings/>
            })}
            {move || deleting.get().then(|| view! {
                <ConfirmDialog title=format!("Delete the group {}?", name.get_untracked())
                    message="Its members lose the access the group gives them in every workspace shared with it. This cannot be undone."
                    confirm_label="Delete group" danger=true action=delete input=()
                    on_cancel=move |()| deleting.set(false) on_done=deleted.clone()/>
            })}
        </section>
    }
}

#[component]
fn GroupView(
    group: GroupView,
    set_member: Action<(String, GroupRole), Result<GroupView, api::ApiError>>,
    remove: Action<String, Result<(), api::ApiError>>,
    request_access: Action<(), Result<(), api::ApiError>>,
    changed: Callback<String>,
    deleting: RwSignal<bool>,
) -> impl IntoView {
    let g = group;
    let admin = require_admin(g.my_role).is_ok();
    let domain = use_session()
        .me()
        .map(|me| me.site_domain)
        .unwrap_or_default();
    let member = g.my_role.is_some();
    let mut rows: Vec<MemberRow<GroupRole>> = g
        .members
        .iter()
        .map(|m| MemberRow {
            key: m.email.clone(),
            name: m.display_name.clone(),
            detail: m.email.clone(),
            role: Some(m.role),
        })
        .collect();
    rows.extend(g.subgroups.iter().map(|sub| {
        let address = GroupName::parse(sub)
            .map(|n| n.address(&domain))
            .unwrap_or_default();
        MemberRow {
            key: address.clone(),
            name: format!("Group {sub}"),
            detail: address,
            role: None,
        }
    }));
    view! {
        <header class="page-head">
            <div>
                <h1>{g.name.clone()}</h1>
                <p class="card-meta">"Share with it as " <code>{g.address.clone()}</code></p>
            </div>
            <div class="toolbar" role="toolbar" aria-label="Group actions">
                {(!member && g.allows_requests).then(|| view! {
                    <button type="button" class="button" on:click=move |_| { request_access.dispatch(()); }>"Request access"</button>
                })}
                {admin.then(|| view! {
                    <button type="button" id="delete-group" class="button button--danger" on:click=move |_| deleting.set(true)>"Delete group"</button>
                })}
            </div>
        </header>
        {(!g.access_instructions.is_empty()).then(|| view! { <p class="alert alert--info">{g.access_instructions.clone()}</p> })}
        <div class="panel">
            <h2>"Members"</h2>
            <MemberTable caption=format!("Members of {}", g.name) rows may_manage=admin set_role=set_member remove on_changed=changed/>
        </div>
    }
}

/// Who may ask to join, what they are told, and the requests waiting for an admin.
#[component]
fn AccessRequests(
    allows_requests: bool,
    access_instructions: String,
    requests: LocalResource<Result<Vec<carrel_core::api::GroupRequestView>, api::ApiError>>,
    decide: Action<(i64, bool), Result<(), api::ApiError>>,
    settings: Action<GroupSettingsRequest, Result<GroupView, api::ApiError>>,
) -> impl IntoView {
    let instructions = RwSignal::new(access_instructions);
    let save_instructions = move |_| {
        settings.dispatch(GroupSettingsRequest {
            allows_requests: None,
            access_instructions: Some(instructions.get_untracked()),
        });
    };
    view! {
    <div class="panel">
        <h2>"Access requests"</h2>
        <label class="choice"><input type="checkbox" checked=allows_requests
            on:change=move |e| { settings.dispatch(GroupSettingsRequest { allows_requests: Some(event_target_checked(&e)), access_instructions: None }); }/>
            "People who are not members may ask to join"</label>
        <TextField id="group-instructions" label="Access instructions, shown to people who are not members"
            rows=2 value=instructions/>
        <button type="button" class="button" on:click=save_instructions>"Save instructions"</button>
        {move || match requests.get() {
            Some(Ok(pending)) if !pending.is_empty() => view! {
                <ul class="requests">{pending.into_iter().map(|r| view! {
                    <li>{r.display_name.clone()}" ("{r.email.clone()}") "
                        <button type="button" class="button" on:click=move |_| { decide.dispatch((r.id, true)); }>"Approve"</button>
                        <button type="button" class="button button--quiet" on:click=move |_| { decide.dispatch((r.id, false)); }>"Deny"</button>
                    </li>
                }).collect_view()}</ul>
            }.into_any(),
            _ => view! { <p class="card-meta">"No pending requests."</p> }.into_any(),
        }}
    </div>
    }
}
