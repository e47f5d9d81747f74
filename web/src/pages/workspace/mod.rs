//! One workspace: its tabs, its actions (each refused one says why), and the dialogs they open.
//! The About tab is in [`about`], the dialogs of the toolbar in [`dialogs`].

mod about;
mod attributes;
mod dialogs;
mod file_dialogs;
mod files;
mod table_dialogs;
mod tables;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use carrel_core::api::{AclView, PermissionsView, WorkspaceDetail};
use carrel_core::{AccessTier, Action as WorkspaceAction};

use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::{successes, Loaded};
use crate::components::leave_dialog::LeaveDialog;
use crate::components::notice::Notice;
use crate::components::share_dialog::ShareDialog;
use crate::components::tabs::{tab_id, Tabs, PANEL_ID};
use crate::components::title::page_title;
use about::About;
use dialogs::{DeleteDialog, DuplicateDialog, EditDialog};
use files::FilesPanel;
use tables::TablesPanel;

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

/// What the page's owner opened: one dialog at a time.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Share(Box<AclView>),
    Edit,
    Duplicate,
    Delete,
    Leave,
}

/// Whether `detail` allows `action`, or the server's reason it does not.
pub(crate) fn permission(detail: &WorkspaceDetail, action: WorkspaceAction) -> Result<(), String> {
    match detail.actions.iter().find(|p| p.action == action) {
        Some(p) if p.allowed => Ok(()),
        Some(p) => Err(p.reason.clone().unwrap_or_default()),
        None => Err("This action is not available.".to_owned()),
    }
}

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params::<WorkspaceParams>();
    let at = Memo::new(move |_| {
        params.with(|p| {
            let p = p.as_ref().ok();
            WorkspaceAddress::new(
                &p.and_then(|p| p.namespace.clone()).unwrap_or_default(),
                &p.and_then(|p| p.name.clone()).unwrap_or_default(),
            )
        })
    });
    // Everything that changes the workspace's page reads it again once it succeeds.
    let changed = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        let at = at.get();
        changed.track();
        async move { api::workspace(&at).await }
    });
    page_title(move || match detail.get() {
        Some(Ok(workspace)) => workspace.display_name,
        Some(Err(_)) => "Workspace unavailable".to_owned(),
        None => "Workspace".to_owned(),
    });
    let refresh = Callback::new(move |()| changed.update(|v| *v += 1));
    view! {
        <Loaded loading="Loading the workspace…">
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <WorkspaceView detail refresh/> }.into_any(),
                    Err(error) => view! {
                        <section class="panel narrow">
                            <h1>"This workspace cannot be opened"</h1>
                            <p class="alert alert--error" role="alert">{error.message()}</p>
                            <p><a href="/">"Back to your workspaces"</a></p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Loaded>
    }
}

#[component]
fn WorkspaceView(detail: WorkspaceDetail, refresh: Callback<()>) -> impl IntoView {
    let at = WorkspaceAddress::of(&detail);
    let tab = RwSignal::new(Tab::About);
    let open = RwSignal::new(None::<Open>);
    let navigate = use_navigate();

    let lock = {
        let at = at.clone();
        Action::new_local(move |locking: &bool| {
            let (at, locking) = (at.clone(), *locking);
            async move {
                if locking {
                    api::lock_workspace(&at).await
                } else {
                    api::unlock_workspace(&at).await
                }
            }
        })
    };
    let load_acl = {
        let at = at.clone();
        Action::new_local(move |(): &()| {
            let at = at.clone();
            async move { api::acl(&at).await }
        })
    };
    let why = {
        let at = at.clone();
        Action::new_local(move |(): &()| {
            let at = at.clone();
            async move { api::permissions(&at).await }
        })
    };
    let locked_or_unlocked = successes(lock);
    Effect::new(move |previous: Option<usize>| {
        let now = locked_or_unlocked.get();
        if previous.is_some_and(|previous| previous != now) {
            refresh.run(());
        }
        now
    });
    Effect::new(move |_| {
        if let Some(Ok(view)) = load_acl.value().get() {
            open.set(Some(Open::Share(Box::new(view))));
        }
    });
    let failure = Signal::derive(move || {
        let failed = |result: Option<Result<(), String>>| result.and_then(Result::err);
        failed(
            lock.value()
                .get()
                .map(|r| r.map(|_| ()).map_err(|e| e.message())),
        )
        .or_else(|| {
            failed(
                load_acl
                    .value()
                    .get()
                    .map(|r| r.map(|_| ()).map_err(|e| e.message())),
            )
        })
        .or_else(|| {
            failed(
                why.value()
                    .get()
                    .map(|r| r.map(|_| ()).map_err(|e| e.message())),
            )
        })
        .map(Err)
    });
    let busy = Signal::derive(move || lock.pending().get() || load_acl.pending().get());

    let actions = [
        (WorkspaceAction::Share, "Share"),
        (WorkspaceAction::Duplicate, "Duplicate"),
        (WorkspaceAction::Write, "Edit"),
        if detail.locked {
            (WorkspaceAction::Unlock, "Unlock")
        } else {
            (WorkspaceAction::Lock, "Lock")
        },
        (WorkspaceAction::Leave, "Leave"),
        (WorkspaceAction::Delete, "Delete"),
    ];
    let locked = detail.locked;
    // The reason an action is unavailable, in text once its button is pressed (the tip shown
    // while it has the focus, and the screen-reader description, say it before).
    let why_not = RwSignal::new(None::<(&'static str, String)>);
    let role = detail.access.role.map_or("No access", |r| r.label());
    let controlled = detail.tier == AccessTier::Controlled;
    let toolbar = actions
        .into_iter()
        .map(|(action, label)| {
            let allowed = permission(&detail, action);
            let reason = allowed.clone().err();
            let id = format!("action-{}", label.to_lowercase());
            let hint_id = format!("why-{}", label.to_lowercase());
            let unavailable = reason.is_some();
            // Busy keeps the focus on the button (a disabled button would drop it, and the
            // dialog it opens could not give it back).
            let click = move |_| {
                if let Err(reason) = &allowed {
                    why_not.set(Some((label, reason.clone())));
                    return;
                }
                if busy.get_untracked() {
                    return;
                }
                match action {
                    WorkspaceAction::Share => {
                        load_acl.dispatch(());
                    }
                    WorkspaceAction::Lock | WorkspaceAction::Unlock => {
                        lock.dispatch(!locked);
                    }
                    WorkspaceAction::Leave => open.set(Some(Open::Leave)),
                    WorkspaceAction::Delete => open.set(Some(Open::Delete)),
                    WorkspaceAction::Duplicate => open.set(Some(Open::Duplicate)),
                    WorkspaceAction::Write => open.set(Some(Open::Edit)),
                    _ => {}
                }
            };
            view! {
                <button type="button" id=id class="button"
                    aria-disabled=move || (unavailable || busy.get()).then_some("true")
                    aria-describedby=reason.is_some().then(|| hint_id.clone())
                    title=reason.clone().unwrap_or_default()
                    on:click=click>
                    {label}
                </button>
                // Shown under the toolbar while the button has the focus (keyboard or click).
                {reason.map(|r| view! { <span class="action-tip" id=hint_id role="tooltip">{r}</span> })}
            }
        })
        .collect_view();

    let left = move |()| navigate("/", Default::default());
    let detail = StoredValue::new(detail);
    let close = Callback::new(move |()| open.set(None));
    let dialog = move || {
        let at = at.clone();
        open.get().map(|which| match which {
            Open::Share(acl) => view! {
                <ShareDialog at display_name=detail.with_value(|d| d.display_name.clone()) view=*acl
                    on_close=move |()| { open.set(None); refresh.run(()); }/>
            }
            .into_any(),
            Open::Edit => view! {
                <EditDialog at detail=detail.get_value() on_close=close
                    on_saved=move |()| { open.set(None); refresh.run(()); }/>
            }
            .into_any(),
            Open::Duplicate => view! {
                <DuplicateDialog at source=detail.with_value(|d| d.display_name.clone()) on_close=close/>
            }
            .into_any(),
            Open::Delete => view! { <DeleteDialog at on_close=close/> }.into_any(),
            Open::Leave => view! {
                <LeaveDialog at display_name=detail.with_value(|d| d.display_name.clone())
                    on_cancel=close on_left=left.clone()/>
            }
            .into_any(),
        })
    };

    view! {
        <section class="page workspace">
            <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">"Your workspaces"</a>" / "{detail.with_value(|d| d.namespace.clone())}</nav>
            <header class="page-head">
                <div>
                    <h1>
                        <span class="ws-title">{detail.with_value(|d| d.display_name.clone())}</span>
                        {controlled.then(|| view! { <span class="shield shield--title" title="Controlled Tier" aria-label="Controlled Tier">"CT"</span> })}
                        {locked.then(|| view! { <span class="badge badge--locked">"Locked"</span> })}
                    </h1>
                    <p class="card-meta">"You are " <strong>{role}</strong>
                        {detail.with_value(|d| d.access.project_owner).then_some(" (owner of the billing project)")}
                        " · " <button type="button" class="link" on:click=move |_| { why.dispatch(()); }>"Why do I have this access?"</button>
                    </p>
                </div>
                <div class="toolbar" role="toolbar" aria-label="Workspace actions">{toolbar}</div>
            </header>
            {move || why_not.get().map(|(label, reason)| view! {
                <p class="alert alert--info action-reason" role="status"><strong>{label}" is not available: "</strong>{reason}</p>
            })}
            <Notice outcome=failure/>
            {move || why.value().get().and_then(Result::ok).map(|view: PermissionsView| view! {
                <div class="panel why" role="region" aria-label="Why you have this access">
                    <h2>"Why you have this access"</h2>
                    <ul>{view.sources.into_iter().map(|s| view! {
                        <li><strong>{s.via}</strong>": " {s.role.label()}
                            {s.can_share.then_some(", can share")}{s.can_compute.then_some(", can compute")}</li>
                    }).collect_view()}</ul>
                </div>
            })}
            <Tabs label="Workspace sections" tabs=vec![(Tab::Data, "Data"), (Tab::Analysis, "Analysis"), (Tab::About, "About")] selected=tab/>
            <div class="panel tab-panel" role="tabpanel" id=PANEL_ID tabindex="0"
                aria-labelledby=move || tab_id(match tab.get() { Tab::Data => "Data", Tab::Analysis => "Analysis", Tab::About => "About" })>
                {move || match tab.get() {
                    Tab::Data => view! { <TablesPanel detail=detail.get_value()/> <FilesPanel detail=detail.get_value()/> }.into_any(),
                    Tab::Analysis => view! { <p class="empty-note">"Notebooks and workflows will appear here."</p> }.into_any(),
                    Tab::About => view! { <About detail=detail.get_value()/> }.into_any(),
                }}
            </div>
            {dialog}
        </section>
    }
}
