//! One workspace: its tabs, its actions (each refused one says why), and the share dialog.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use carrel_core::api::{
    AclView, AuditLog, BillingProjectView, DuplicateWorkspaceRequest, PermissionsView,
    WorkspaceDetail,
};
use carrel_core::workspace::PrimaryPurpose;
use carrel_core::{AccessTier, Action};

use crate::api::{self, segment, ApiError};
use crate::components::dialog::on_dialog_key;
use crate::components::purpose_fields::PurposeFields;
use crate::components::share_dialog::ShareDialog;
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

#[derive(Params, Clone, Debug, PartialEq)]
struct WorkspaceParams {
    namespace: Option<String>,
    name: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Tab {
    Data,
    Analysis,
    About,
}

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params::<WorkspaceParams>();
    let key = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| Some((p.namespace.clone()?, p.name.clone()?)))
                .unwrap_or_default()
        })
    };
    let version = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        let (namespace, name) = key();
        version.track();
        async move { api::workspace(&namespace, &name).await }
    });
    page_title(move || match detail.get() {
        Some(Ok(workspace)) => workspace.display_name,
        Some(Err(_)) => "Workspace unavailable".to_owned(),
        None => "Workspace".to_owned(),
    });
    move || match detail.get() {
        None => view! { <p class="loading" role="status">"Loading the workspace…"</p> }.into_any(),
        Some(Err(error)) => view! {
            <section class="panel narrow">
                <h1>"This workspace cannot be opened"</h1>
                <p class="alert alert--error" role="alert">{error.message()}</p>
                <p><a href="/">"Back to your workspaces"</a></p>
            </section>
        }
        .into_any(),
        Some(Ok(detail)) => {
            view! { <WorkspaceView detail refresh=move || version.update(|v| *v += 1)/> }.into_any()
        }
    }
}

fn permission(detail: &WorkspaceDetail, action: Action) -> Result<(), String> {
    match detail.actions.iter().find(|p| p.action == action) {
        Some(p) if p.allowed => Ok(()),
        Some(p) => Err(p.reason.clone().unwrap_or_default()),
        None => Err("This action is not available.".to_owned()),
    }
}

#[component]
fn WorkspaceView(
    detail: WorkspaceDetail,
    refresh: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let tab = RwSignal::new(Tab::About);
    let sharing = RwSignal::new(None::<AclView>);
    let deleting = RwSignal::new(false);
    let duplicating = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let why = RwSignal::new(None::<PermissionsView>);
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let namespace = detail.namespace.clone();
    let name = detail.name.clone();
    let path = format!("/workspaces/{}/{}", segment(&namespace), segment(&name));

    let run = {
        let path = path.clone();
        move |suffix: &'static str, then_home: bool| {
            let path = format!("{path}{suffix}");
            let navigate = navigate.clone();
            busy.set(true);
            spawn_local(async move {
                let result: Result<serde_json::Value, ApiError> =
                    api::post(&path, &serde_json::json!({})).await;
                busy.set(false);
                match result {
                    Ok(_) if then_home => navigate("/", Default::default()),
                    Ok(_) => refresh(),
                    Err(error) => failure.set(Some(error.message())),
                }
            });
        }
    };
    let open_share = {
        let (namespace, name) = (namespace.clone(), name.clone());
        move || {
            let (namespace, name) = (namespace.clone(), name.clone());
            busy.set(true);
            spawn_local(async move {
                match api::acl(&namespace, &name).await {
                    Ok(view) => sharing.set(Some(view)),
                    Err(error) => failure.set(Some(error.message())),
                }
                busy.set(false);
            });
        }
    };
    let show_why = {
        let path = path.clone();
        move |_| {
            let path = path.clone();
            spawn_local(async move {
                match api::get::<PermissionsView>(&format!(
                    "{}/permissions",
                    path.trim_start_matches("/api/v1")
                ))
                .await
                {
                    Ok(view) => why.set(Some(view)),
                    Err(error) => failure.set(Some(error.message())),
                }
            });
        }
    };

    let lock_action = if detail.locked {
        (Action::Unlock, "Unlock", "/unlock")
    } else {
        (Action::Lock, "Lock", "/lock")
    };
    let actions: Vec<(Action, &'static str)> = vec![
        (Action::Share, "Share"),
        (Action::Duplicate, "Duplicate"),
        (Action::Write, "Edit"),
        (lock_action.0, lock_action.1),
        (Action::Leave, "Leave"),
        (Action::Delete, "Delete"),
    ];
    let role = detail.access.role.map_or("No access", |r| r.label());
    let controlled = detail.tier == AccessTier::Controlled;
    let workspace = format!("{namespace}/{name}");
    let title = detail.display_name.clone();
    let detail_for_actions = detail.clone();
    let (path_for_copy, title_for_copy) = (path.clone(), detail.display_name.clone());
    let (path_for_edit, detail_for_edit) = (path.clone(), detail.clone());

    view! {
        <section class="page workspace">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">"Your workspaces"</a>" / "{namespace.clone()}</nav>
            <header class="page-head">
                <div>
                    <h1>
                        <span class="ws-title">{detail.display_name.clone()}</span>
                        {controlled.then(|| view! { <span class="shield shield--title" title="Controlled Tier" aria-label="Controlled Tier">"CT"</span> })}
                        {detail.locked.then(|| view! { <span class="badge badge--locked">"Locked"</span> })}
                    </h1>
                    <p class="card-meta">"You are " <strong>{role}</strong>
                        {detail.access.project_owner.then_some(" (owner of the billing project)")}
                        " · " <button class="link" on:click=show_why>"Why do I have this access?"</button>
                    </p>
                </div>
                <div class="toolbar" role="toolbar" aria-label="Workspace actions">
                    {actions.into_iter().map(|(action, label)| {
                        let allowed = permission(&detail_for_actions, action);
                        let reason = allowed.clone().err();
                        let hint_id = format!("why-{label}").to_lowercase();
                        let open_share = open_share.clone();
                        let run = run.clone();
                        let suffix = lock_action.2;
                        view! {
                            <button class="button" aria-disabled=reason.is_some().then_some("true")
                                aria-describedby=reason.is_some().then(|| hint_id.clone())
                                title=reason.clone().unwrap_or_default()
                                disabled=move || busy.get()
                                on:click=move |_| {
                                    if allowed.is_err() { return; }
                                    match action {
                                        Action::Share => open_share(),
                                        Action::Lock | Action::Unlock => run(suffix, false),
                                        Action::Leave => run("/leave", true),
                                        Action::Delete => deleting.set(true),
                                        Action::Duplicate => duplicating.set(true),
                                        Action::Write => editing.set(true),
                                        _ => {}
                                    }
                                }>
                                {label}
                            </button>
                            {reason.map(|r| view! { <span class="visually-hidden" id=hint_id>{r}</span> })}
                        }
                    }).collect_view()}
                </div>
            </header>
            {move || failure.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
            {move || why.get().map(|view| view! {
                <div class="panel why" role="region" aria-label="Why you have this access">
                    <h2>"Why you have this access"</h2>
                    <ul>{view.sources.into_iter().map(|s| view! {
                        <li><strong>{s.via}</strong>": " {s.role.label()}
                            {s.can_share.then_some(", can share")}{s.can_compute.then_some(", can compute")}</li>
                    }).collect_view()}</ul>
                </div>
            })}
            <div class="tabs" role="tablist" aria-label="Workspace sections">
                {[(Tab::Data, "Data"), (Tab::Analysis, "Analysis"), (Tab::About, "About")].into_iter().map(|(t, label)| view! {
                    <button role="tab" class="tab" aria-selected=move || (tab.get() == t).to_string()
                        id=format!("tab-{label}") on:click=move |_| tab.set(t)>{label}</button>
                }).collect_view()}
            </div>
            <div class="panel tab-panel" role="tabpanel">
                {move || match tab.get() {
                    Tab::Data => view! { <p class="empty-note">"Data tables, files, cohorts and datasets will appear here."</p> }.into_any(),
                    Tab::Analysis => view! { <p class="empty-note">"Notebooks and workflows will appear here."</p> }.into_any(),
                    Tab::About => view! { <About detail=detail.clone()/> }.into_any(),
                }}
            </div>
            {move || sharing.get().map(|acl| view! {
                <ShareDialog workspace=workspace.clone() display_name=title.clone() view=acl
                    on_close=move |_| { sharing.set(None); refresh(); }/>
            })}
            {move || deleting.get().then(|| view! { <DeleteDialog path=path.clone() name=name.clone() on_close=move |_| deleting.set(false)/> })}
            {move || duplicating.get().then(|| view! { <DuplicateDialog path=path_for_copy.clone() source=title_for_copy.clone() on_close=move |_| duplicating.set(false)/> })}
            {move || editing.get().then(|| view! { <EditDialog path=path_for_edit.clone() detail=detail_for_edit.clone() on_close=move |_| editing.set(false) on_saved=move |_| { editing.set(false); refresh(); }/> })}
        </section>
    }
}

#[component]
fn About(detail: WorkspaceDetail) -> impl IntoView {
    let (namespace, name) = (detail.namespace.clone(), detail.name.clone());
    let collaborators = LocalResource::new(move || {
        let (namespace, name) = (namespace.clone(), name.clone());
        async move { api::acl(&namespace, &name).await }
    });
    let may_audit = permission(&detail, Action::ReadAudit).is_ok();
    let audit_path = format!(
        "/workspaces/{}/{}/audit",
        segment(&detail.namespace),
        segment(&detail.name)
    );
    let audit = RwSignal::new(None::<Result<AuditLog, ApiError>>);
    let show_audit = move |_| {
        let path = audit_path.clone();
        spawn_local(async move {
            audit.set(Some(api::get::<AuditLog>(&path).await));
        });
    };
    let purpose = detail.research_purpose.clone();
    let purposes: Vec<&'static str> = purpose
        .purposes
        .iter()
        .map(|p: &PrimaryPurpose| p.label())
        .collect();
    view! {
        <dl class="about">
            <dt>"Primary purposes"</dt><dd>{purposes.join(", ")}</dd>
            <dt>"Scientific questions"</dt><dd>{purpose.scientific_questions.clone()}</dd>
            <dt>"Scientific approaches"</dt><dd>{purpose.scientific_approaches.clone()}</dd>
            <dt>"Anticipated findings"</dt><dd>{purpose.anticipated_findings.clone()}</dd>
            <dt>"Dataset version"</dt><dd>{detail.dataset_version.clone()}</dd>
            <dt>"Access tier"</dt><dd>{detail.tier.label()}</dd>
            <dt>"Created"</dt><dd>{format_date(detail.created_at)} " by " {detail.creator.clone()}</dd>
            <dt>"Description"</dt><dd>{if detail.description.is_empty() { "No description yet.".to_owned() } else { detail.description.clone() }}</dd>
            <dt>"Collaborators"</dt>
            <dd>
                {move || match collaborators.get() {
                    None => view! { <span class="loading">"Loading…"</span> }.into_any(),
                    Some(Err(error)) => view! { <span>{error.message()}</span> }.into_any(),
                    Some(Ok(acl)) => view! {
                        <ul class="collaborators">
                            {acl.entries.into_iter().map(|e| view! {
                                <li><strong>{e.who.label.clone()}</strong>" — " {e.role.label()}
                                    {e.role.flags_beyond_role(e.can_share, e.can_compute).0.then_some(", can share")}{e.role.flags_beyond_role(e.can_share, e.can_compute).1.then_some(", can compute")}
                                    {e.waiting_for_tier.map(|t| view! { <span class="badge badge--locked">"waiting for " {t.label()}</span> })}
                                </li>
                            }).collect_view()}
                            {acl.project_owners.into_iter().map(|p| view! { <li><strong>{p.label.clone()}</strong>" — Owner (billing project)"</li> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </dd>
        </dl>
        {may_audit.then(|| view! {
            <div class="audit">
                <button class="button" on:click=show_audit.clone()>"Show the audit log"</button>
                {move || audit.get().map(|log| match log {
                    Err(error) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                    Ok(log) => view! {
                        <table class="share-table">
                            <caption class="visually-hidden">"Audit log, newest first"</caption>
                            <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Details"</th></tr></thead>
                            <tbody>{log.events.into_iter().map(|e| view! {
                                <tr><td>{format_date(e.at)}</td><td>{e.actor.clone()}</td><td>{e.action.clone()}</td><td><code class="detail">{e.detail.to_string()}</code></td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                })}
            </div>
        })}
    }
}

/// Duplicate into a billing project where you may create workspaces.
#[component]
fn DuplicateDialog(
    path: String,
    source: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let projects = LocalResource::new(|| api::get::<Vec<BillingProjectView>>("/billing-projects"));
    let name = RwSignal::new(format!("Duplicate of {source}"));
    let dup_focus = focus_on_open::<leptos::html::Input>();
    let project = RwSignal::new(String::new());
    let copy = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let go = move |_| {
        if pending.get_untracked() {
            return;
        }
        if let Err(error) = carrel_core::workspace::parse_display_name(&name.get_untracked()) {
            failure.set(Some(error.message));
            return;
        }
        let request = DuplicateWorkspaceRequest {
            billing_project: project.get_untracked(),
            display_name: name.get_untracked(),
            copy_collaborators: copy.get_untracked(),
            research_purpose: None,
        };
        let (path, navigate) = (format!("{path}/duplicate"), navigate.clone());
        pending.set(true);
        failure.set(None);
        spawn_local(async move {
            let done: Result<WorkspaceDetail, ApiError> = api::post(&path, &request).await;
            pending.set(false);
            match done {
                Ok(ws) => navigate(
                    &format!("/workspaces/{}/{}", ws.namespace, ws.name),
                    Default::default(),
                ),
                Err(error) => failure.set(Some(error.message())),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog dialog--small" role="dialog" aria-modal="true" aria-labelledby="dup-title"
                on:keydown=move |event| on_dialog_key(&event, on_close)>
                <h2 id="dup-title">"Duplicate workspace"</h2>
                <p class="dialog-sub">"The copy keeps the tier, dataset version, description and research purpose. You become its creator and owner."</p>
                <div class="field"><label for="dup-name">"Name of the copy"</label>
                    <input id="dup-name" node_ref=dup_focus type="text" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/></div>
                <div class="field"><label for="dup-project">"Billing project"</label>
                    <select id="dup-project" on:change=move |e| project.set(event_target_value(&e))>
                        <option value="">"Choose a billing project"</option>
                        {move || projects.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| view! { <option value=p.name.clone()>{p.name.clone()}</option> }).collect_view()}
                    </select></div>
                <label class="choice"><input type="checkbox" on:change=move |e| copy.set(event_target_checked(&e))/>"Share the copy with the same collaborators"</label>
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                {move || pending.get().then(|| view! { <p class="loading" role="status">"Duplicating…"</p> })}
                <footer class="dialog-foot">
                    <button class="button button--quiet" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button class="button button--primary" aria-disabled=move || pending.get().then_some("true") on:click=go>"Duplicate"</button>
                </footer>
            </div>
        </div>
    }
}

/// Edit the name (owners) and the description (writers), guarded by the About version.
#[component]
fn EditDialog(
    path: String,
    detail: WorkspaceDetail,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let may_rename = permission(&detail, Action::EditAbout);
    let name = RwSignal::new(detail.display_name.clone());
    let description = RwSignal::new(detail.description.clone());
    let edit_focus = focus_on_open::<leptos::html::Textarea>();
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let original_name = detail.display_name.clone();
    let version = detail.about_version;
    let rename_reason = may_rename.clone().err();
    let may_edit_about = may_rename.is_ok();
    let original_purpose = detail.research_purpose.clone();
    let purpose = RwSignal::new(detail.research_purpose.clone());
    let attempted = RwSignal::new(false);
    let problems = move || {
        let mut found = purpose.get().problems();
        found.extend(carrel_core::workspace::parse_display_name(&name.get()).err());
        found
    };
    let save = move |_| {
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        if may_edit_about && !problems().is_empty() {
            failure.set(Some(
                "Some answers need attention; each field says what is missing.".to_owned(),
            ));
            return;
        }
        let mut body = serde_json::json!({ "about_version": version, "description": description.get_untracked() });
        if name.get_untracked() != original_name {
            body["display_name"] = serde_json::json!(name.get_untracked());
        }
        if may_edit_about && purpose.get_untracked() != original_purpose {
            body["research_purpose"] = serde_json::json!(purpose.get_untracked());
        }
        let path = path.clone();
        pending.set(true);
        spawn_local(async move {
            let done: Result<WorkspaceDetail, ApiError> =
                api::send(gloo_net::http::Method::PATCH, &path, &body).await;
            pending.set(false);
            match done {
                Ok(_) => on_saved.run(()),
                Err(error) => failure.set(Some(error.message())),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="edit-title"
                on:keydown=move |event| on_dialog_key(&event, on_close)>
                <h2 id="edit-title">"Edit workspace"</h2>
                <div class="field"><label for="edit-name">"Name"</label>
                    <input id="edit-name" type="text" disabled=rename_reason.is_some() title=rename_reason.clone().unwrap_or_default()
                        prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
                    <p class="field-message">{rename_reason.clone()}</p></div>
                <div class="field"><label for="edit-description">"Description"</label>
                    <textarea id="edit-description" node_ref=edit_focus rows="6" prop:value=move || description.get() on:input=move |e| description.set(event_target_value(&e))></textarea></div>
                {may_edit_about.then(|| view! { <PurposeFields purpose problems=Signal::derive(problems) show=attempted.into()/> })}
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                <footer class="dialog-foot">
                    <button class="button button--quiet" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button class="button button--primary" aria-disabled=move || pending.get().then_some("true") on:click=save>{move || if pending.get() { "Saving…" } else { "Save" }}</button>
                </footer>
            </div>
        </div>
    }
}

/// Delete, confirmed by typing the workspace's name.
#[component]
fn DeleteDialog(path: String, name: String, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let delete_focus = focus_on_open::<leptos::html::Input>();
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let expected = name.clone();
    let confirm = move |_| {
        if pending.get_untracked() {
            return;
        }
        let url = format!("{path}?confirm={}", segment(&typed.get_untracked()));
        let navigate = navigate.clone();
        pending.set(true);
        spawn_local(async move {
            let result: Result<(), ApiError> =
                api::send(gloo_net::http::Method::DELETE, &url, &()).await;
            pending.set(false);
            match result {
                Ok(()) => navigate("/", Default::default()),
                Err(error) => failure.set(Some(error.message())),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog dialog--small" role="alertdialog" aria-modal="true" aria-labelledby="delete-title"
                on:keydown=move |event| on_dialog_key(&event, on_close)>
                <h2 id="delete-title">"Delete this workspace?"</h2>
                <p>"Its data is removed for everyone. Its research purpose stays in the public directory, marked inactive."</p>
                <div class="field">
                    <label for="delete-confirm">"Type " <code>{name.clone()}</code> " to confirm"</label>
                    <input id="delete-confirm" node_ref=delete_focus type="text" autocomplete="off" prop:value=move || typed.get()
                        on:input=move |event| typed.set(event_target_value(&event))/>
                </div>
                {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
                <footer class="dialog-foot">
                    <button class="button button--quiet" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button class="button button--danger" disabled=move || typed.get() != expected aria-disabled=move || pending.get().then_some("true") on:click=confirm>
                        {move || if pending.get() { "Deleting…" } else { "Delete for everyone" }}
                    </button>
                </footer>
            </div>
        </div>
    }
}

/// A reference whose element takes the keyboard focus when it appears (dialogs open on it).
fn focus_on_open<E>() -> NodeRef<E>
where
    E: leptos::html::ElementType + 'static,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    let node = NodeRef::<E>::new();
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            use wasm_bindgen::JsCast;
            if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
    node
}
