//! The share dialog. Every option it offers comes from `core::share::plan`, computed in the
//! browser from the ACL it was given (once per ACL, as a memo); saving sends one batch that the
//! server re-validates. The rows' model is in [`draft`].

pub mod draft;

use leptos::prelude::*;
use leptos::task::spawn_local;

use carrel_core::api::{
    AclChangeRequest, AclPatchRequest, AclPatchResponse, AclView, GroupView, UserMatch,
};
use carrel_core::share::{GrantOptions, ShareRefusal};
use carrel_core::Role;

use crate::api::{self, ApiError, WorkspaceAddress};
use crate::components::field::{focus_first_error, FieldMessage};
use crate::components::modal::{CloseButton, ConfirmChoice, Modal};
use draft::{keep_edits_on, reference_label, Draft, Newcomer};

#[component]
pub fn ShareDialog(
    at: WorkspaceAddress,
    /// Shown in the title.
    display_name: String,
    view: AclView,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let acl = RwSignal::new(view);
    let plan = Memo::new(move |_| acl.with(AclView::plan));
    let drafts = RwSignal::new(Draft::from_view(&acl.get_untracked()));
    let query = RwSignal::new(String::new());
    let new_role = RwSignal::new(Role::Reader);
    let people = RwSignal::new(Vec::<UserMatch>::new());
    let groups = RwSignal::new(Vec::<GroupView>::new());
    let add_problem = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let refusals = RwSignal::new(Vec::<(String, String)>::new());
    let confirming = RwSignal::new(None::<Vec<String>>);
    let inviting = RwSignal::new(None::<Newcomer>);

    let add = move |newcomer: Newcomer| {
        if drafts.with(|rows| rows.iter().any(|row| row.reference == newcomer.reference)) {
            add_problem.set(Some(format!(
                "{} is already in the list; change their row instead.",
                newcomer.label
            )));
            focus_first_error();
            return;
        }
        let Ok(options) = plan.get_untracked().new_grant else {
            return;
        };
        let row = newcomer.draft(new_role.get_untracked(), &options);
        drafts.update(|rows| rows.push(row));
        query.set(String::new());
        people.set(Vec::new());
        groups.set(Vec::new());
        add_problem.set(None);
    };

    let search = move |text: String| {
        query.set(text.clone());
        add_problem.set(None);
        if text.trim().chars().count() < 2 {
            people.set(Vec::new());
            groups.set(Vec::new());
            return;
        }
        let needle = text.trim().trim_start_matches("group:").to_owned();
        spawn_local(async move {
            let found_people = api::find_users(&needle).await;
            let found_groups = api::find_groups(&needle).await;
            if query.get_untracked() == text {
                people.set(found_people.unwrap_or_default());
                groups.set(found_groups.unwrap_or_default());
            }
        });
    };

    // An address nobody the search found has: ask the server once more (the search may not have
    // answered yet), then ask the user before it becomes an invitation.
    let add_or_ask = move |newcomer: Newcomer| {
        let Some(email) = newcomer.invited_address().map(str::to_owned) else {
            add(newcomer);
            return;
        };
        spawn_local(async move {
            let found = api::find_users(&email).await.unwrap_or_default();
            match found.iter().find(|person| person.email == email) {
                Some(person) => add(Newcomer::person(person)),
                None => inviting.set(Some(newcomer)),
            }
        });
    };

    // An empty or mistyped Add keeps what was typed and says what is missing beside the field.
    let add_typed = move |_| {
        let found = people.get_untracked();
        match Newcomer::typed(&query.get_untracked(), &found) {
            Ok(newcomer) => add_or_ask(newcomer),
            Err(message) => {
                add_problem.set(Some(message));
                focus_first_error();
            }
        }
    };

    let save = Action::new_local(move |request: &AclPatchRequest| {
        let (at, request) = (at.clone(), request.clone());
        async move { api::patch_acl(&at, &request).await }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            saved(result, acl, drafts, notice, problem, refusals);
        }
    });
    let send = move || {
        let changes: Vec<AclChangeRequest> =
            drafts.with_untracked(|rows| rows.iter().filter_map(Draft::change).collect());
        if changes.is_empty() || save.pending().get_untracked() {
            return;
        }
        problem.set(None);
        refusals.set(Vec::new());
        notice.set(None);
        save.dispatch(AclPatchRequest {
            version: acl.with_untracked(|v| v.version),
            changes,
        });
    };
    // Taking access away is confirmed first, with each loss listed.
    let ask_then_save = move |_| {
        let losses: Vec<String> = drafts
            .with_untracked(|rows| rows.iter().filter_map(Draft::takes_access_away).collect());
        if losses.is_empty() {
            send();
        } else {
            confirming.set(Some(losses));
        }
    };

    let has_changes =
        Signal::derive(move || drafts.with(|rows| rows.iter().any(Draft::is_changed)));
    let warnings = move || {
        let tier = acl.with(|v| v.tier);
        drafts.with(|rows| {
            rows.iter()
                .filter_map(|row| row.tier_warning(tier).map(|w| (row.label.clone(), w)))
                .collect::<Vec<_>>()
        })
    };
    let project_owners = move || {
        acl.with(|v| {
            v.project_owners
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let saving = save.pending();

    view! {
        <Modal title=format!("Share {display_name}") title_id="share-title" on_close unsaved=has_changes
            subtitle="Changes are saved together: all of them, or none.">
            {move || match plan.with(|p| p.new_grant.clone()) {
                Ok(options) => view! {
                    <div class="share-add" class:field--invalid=move || add_problem.with(Option::is_some)>
                        <label for="share-search">"Add a person or group"</label>
                        <div class="share-add-row">
                            <input id="share-search" type="text" autocomplete="off" data-autofocus=""
                                placeholder="Name, email, or group:NAME" aria-describedby="share-search-message"
                                aria-invalid=move || add_problem.with(Option::is_some).then_some("true")
                                prop:value=move || query.get()
                                on:input=move |event| search(event_target_value(&event))/>
                            <select id="share-new-role" aria-label="Role for the new collaborator"
                                on:change=move |event| if let Some(role) = Role::parse(&event_target_value(&event)) { new_role.set(role) }>
                                {options.roles.into_iter().map(|role| view! {
                                    <option value=role.as_str() selected=move || new_role.get() == role title=role.description()>{role.label()}</option>
                                }).collect_view()}
                            </select>
                            <button type="button" class="button" on:click=add_typed>"Add"</button>
                        </div>
                        <FieldMessage id="share-search-message" error=Signal::derive(move || add_problem.get())/>
                        <p class="role-help" aria-live="polite">{move || format!("{}: {}", new_role.get().label(), new_role.get().description())}</p>
                        <ul class="suggestions" role="listbox" aria-label="People found">
                            {move || people.get().into_iter().map(|person| {
                                let newcomer = Newcomer::person(&person);
                                view! {
                                    <li role="option">
                                        <button type="button" class="suggestion" on:click=move |_| add(newcomer.clone())>
                                            <strong>{person.display_name.clone()}</strong>" "{person.email.clone()}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                            {move || groups.get().into_iter().map(|group| {
                                let newcomer = Newcomer::group(&group.name);
                                view! {
                                    <li role="option">
                                        <button type="button" class="suggestion" on:click=move |_| add(newcomer.clone())>
                                            <strong>"Group " {group.name.clone()}</strong>" "{group.address.clone()}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
                Err(refusal) => view! { <p class="alert alert--info share-closed">{refusal.to_string()}</p> }.into_any(),
            }}
            <table class="share-table">
                <caption class="visually-hidden">"Who has access"</caption>
                <thead><tr><th scope="col">"Collaborator"</th><th scope="col">"Role"</th><th scope="col">"Can share"</th><th scope="col">"Can compute"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                <tbody>
                    {move || drafts.get().into_iter().enumerate().map(|(index, row)| {
                        let (options, removable) = plan.with(|plan| row.options(plan));
                        view! { <ShareRow index row options removable drafts/> }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="share-owners">"Owners through the billing project: " {project_owners}</p>
            {move || warnings().into_iter().map(|(who, warning)| view! {
                <p class="alert alert--warning" role="status"><strong>{who}": "</strong>{warning}</p>
            }).collect_view()}
            {move || problem.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
            {move || (!refusals.get().is_empty()).then(|| view! {
                <ul class="refusals">{refusals.get().into_iter().map(|(who, why)| view! { <li><strong>{who}": "</strong>{why}</li> }).collect_view()}</ul>
            })}
            {move || notice.get().map(|message| view! { <p class="alert alert--info" role="status">{message}</p> })}
            <footer class="dialog-foot">
                <CloseButton label="Close"/>
                <button type="button" class="button button--primary" disabled=move || !has_changes.get()
                    aria-disabled=move || saving.get().then_some("true") on:click=ask_then_save>
                    {move || if saving.get() { "Saving…" } else { "Save changes" }}
                </button>
            </footer>
            {move || inviting.get().map(|newcomer| {
                let address = newcomer.invited_address().unwrap_or_default().to_owned();
                view! {
                    <ConfirmChoice title="Invite this address?" confirm_label="Invite"
                        message=format!("Nobody has signed up as {address} yet. Invite this address? The invitation waits until someone signs up with it; they then get the role you chose.")
                        on_cancel=move |()| inviting.set(None)
                        on_confirm=move |()| { inviting.set(None); add(newcomer.clone()); }/>
                }
            })}
            {move || confirming.get().map(|losses| view! {
                <ConfirmChoice title="Take access away?" danger=true confirm_label="Save changes"
                    message="Saving takes access away from:"
                    on_cancel=move |()| confirming.set(None)
                    on_confirm=move |()| { confirming.set(None); send(); }>
                    <ul class="losses">{losses.into_iter().map(|loss| view! { <li>{loss}</li> }).collect_view()}</ul>
                </ConfirmChoice>
            })}
        </Modal>
    }
}

/// What a save's answer does to the dialog: the saved ACL, or the refusals, or — when someone
/// else changed the ACL first — the current ACL with the user's edits kept on top.
fn saved(
    result: Result<AclPatchResponse, ApiError>,
    acl: RwSignal<AclView>,
    drafts: RwSignal<Vec<Draft>>,
    notice: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
    refusals: RwSignal<Vec<(String, String)>>,
) {
    match result {
        Ok(done) => {
            drafts.set(Draft::from_view(&done.acl));
            acl.set(done.acl);
            notice.set(Some(if done.warnings.is_empty() {
                "Saved.".to_owned()
            } else {
                format!("Saved. {}", done.warnings.join(" "))
            }));
        }
        Err(error) => match error.current_acl().cloned() {
            Some(current) => {
                let rows = drafts.with_untracked(|edited| keep_edits_on(&current, edited));
                acl.set(current);
                drafts.set(rows);
                problem.set(Some(format!(
                    "{} Your edits are kept on top of the current sharing settings.",
                    error.message()
                )));
            }
            None => {
                refusals.set(
                    error
                        .refusals()
                        .iter()
                        .map(|r| (reference_label(&r.principal), r.message.clone()))
                        .collect(),
                );
                problem.set(Some(error.message()));
            }
        },
    }
}

/// One collaborator: only the roles and flags `core` allows this actor to set on this row.
#[component]
fn ShareRow(
    index: usize,
    row: Draft,
    options: Result<GrantOptions, ShareRefusal>,
    removable: Result<(), ShareRefusal>,
    drafts: RwSignal<Vec<Draft>>,
) -> impl IntoView {
    let locked_reason = options.as_ref().err().map(ToString::to_string);
    let roles: Vec<Role> = match &options {
        Ok(options) => options.roles.clone(),
        Err(_) => vec![row.role],
    };
    let may_share = options.as_ref().is_ok_and(|o| o.may_set_share);
    let may_compute =
        options.as_ref().is_ok_and(|o| o.may_set_compute) && row.role.chooses_compute();
    let remove_reason = removable.as_ref().err().map(ToString::to_string);
    let flags_implied = row.role.implies_flags();
    let label = row.label.clone();
    let class = if row.removed {
        "share-row share-row--removed"
    } else if row.is_changed() {
        "share-row share-row--changed"
    } else {
        "share-row"
    };
    let update = move |apply: Box<dyn Fn(&mut Draft)>| {
        drafts.update(|rows| {
            if let Some(row) = rows.get_mut(index) {
                apply(row)
            }
        })
    };
    view! {
        <tr class=class>
            <th scope="row">
                <span class="share-name">{row.label.clone()}</span>
                {row.saved.is_none().then(|| view! { <span class="badge">"new"</span> })}
                {row.email().map(|email| view! { <span class="share-email">{email}</span> })}
            </th>
            <td>
                <select aria-label=format!("Role of {label}") disabled=locked_reason.is_some() || row.removed
                    title=locked_reason.clone().unwrap_or_default()
                    on:change=move |event| {
                        if let Some(role) = Role::parse(&event_target_value(&event)) {
                            update(Box::new(move |row: &mut Draft| {
                                row.role = role;
                                (row.can_share, row.can_compute) = role.flags(row.can_share, row.can_compute);
                            }));
                        }
                    }>
                    {roles.into_iter().map(|role| view! {
                        <option value=role.as_str() selected=role == row.role title=role.description()>{role.label()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <input type="checkbox" aria-label=format!("{} can share", row.label) checked=row.can_share || flags_implied
                    disabled=!may_share || flags_implied || row.removed
                    on:change=move |event| { let on = event_target_checked(&event); update(Box::new(move |row: &mut Draft| row.can_share = on)); }/>
            </td>
            <td>
                <input type="checkbox" aria-label=format!("{} can compute", row.label) checked=row.can_compute || flags_implied
                    disabled=!may_compute || flags_implied || row.removed
                    on:change=move |event| { let on = event_target_checked(&event); update(Box::new(move |row: &mut Draft| row.can_compute = on)); }/>
            </td>
            <td>
                <button type="button" class="button button--quiet" disabled=remove_reason.is_some()
                    title=remove_reason.clone().unwrap_or_else(|| if row.removed { "Keep".to_owned() } else { "Remove".to_owned() })
                    aria-label=format!("{} {}", if row.removed { "Keep" } else { "Remove" }, row.label)
                    on:click=move |_| {
                        if row.saved.is_none() {
                            drafts.update(|rows| { rows.remove(index); });
                        } else {
                            update(Box::new(|row: &mut Draft| row.removed = !row.removed));
                        }
                    }>
                    {if row.removed { "Undo" } else { "Remove" }}
                </button>
            </td>
        </tr>
    }
}
