//! The share dialog. Every option it offers comes from `core::share::plan`, computed in the
//! browser from the ACL it was given; saving sends one batch that the server re-validates.

use leptos::prelude::*;
use leptos::task::spawn_local;

use carrel_core::api::{AclChangeRequest, AclPatchRequest, AclView, PrincipalRef};
use carrel_core::share::{self, GrantOptions, ShareRefusal};
use carrel_core::{AccessTier, Email, Principal, Role, TierSet};

use crate::api;
use crate::components::dialog::on_dialog_key;

/// One row as the user is editing it.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub reference: PrincipalRef,
    pub label: String,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
    /// The row as saved, or `None` for someone being added.
    pub saved: Option<(Role, bool, bool)>,
    pub removed: bool,
    /// Known tiers of the person (from the ACL or the search); `None` for an invitation.
    pub tiers: Option<TierSet>,
    pub principal: Option<Principal>,
}

impl Draft {
    fn from_view(view: &AclView) -> Vec<Draft> {
        view.entries
            .iter()
            .map(|entry| Draft {
                reference: entry.who.reference.clone(),
                label: entry.who.label.clone(),
                role: entry.role,
                can_share: entry.can_share,
                can_compute: entry.can_compute,
                saved: Some((entry.role, entry.can_share, entry.can_compute)),
                removed: false,
                tiers: entry.who.principal.as_user().map(|_| entry.tiers),
                principal: Some(entry.who.principal.clone()),
            })
            .collect()
    }

    fn is_changed(&self) -> bool {
        self.removed || self.saved != Some((self.role, self.can_share, self.can_compute))
    }

    fn change(&self) -> Option<AclChangeRequest> {
        if !self.is_changed() {
            return None;
        }
        if self.removed {
            return self.saved.map(|_| AclChangeRequest::Remove {
                principal: self.reference.clone(),
            });
        }
        let (can_share, can_compute) = self.role.flags(self.can_share, self.can_compute);
        Some(AclChangeRequest::Set {
            principal: self.reference.clone(),
            role: self.role,
            can_share: Some(can_share),
            can_compute: Some(can_compute),
        })
    }

    /// `core`'s warning when the person does not hold the workspace's tier.
    fn tier_warning(&self, tier: AccessTier) -> Option<String> {
        if self.removed || !self.is_changed() {
            return None;
        }
        let principal = self.principal.as_ref()?;
        share::warning_for(tier, principal, self.tiers).map(|warning| warning.message())
    }
}

/// What one row may do — the options of a change and whether it may be removed — from `core`'s
/// plan: a saved row's own entry, or the newcomer's options for a row not yet saved.
fn row_options(
    view: &AclView,
    draft: &Draft,
) -> (Result<GrantOptions, ShareRefusal>, Result<(), ShareRefusal>) {
    let plan = view.plan();
    let saved_entry = match &draft.principal {
        Some(principal) if draft.saved.is_some() => plan
            .entries
            .into_iter()
            .find(|entry| &entry.principal == principal),
        _ => None,
    };
    match saved_entry {
        Some(entry) => (entry.change, entry.remove),
        None => (plan.new_grant, Ok(())),
    }
}

#[component]
pub fn ShareDialog(
    /// `namespace/name` of the workspace.
    workspace: String,
    /// Shown in the title.
    display_name: String,
    view: AclView,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let view = RwSignal::new(view);
    let drafts = RwSignal::new(Draft::from_view(&view.get_untracked()));
    let query = RwSignal::new(String::new());
    let new_role = RwSignal::new(Role::Reader);
    let matches = RwSignal::new(Vec::<carrel_core::api::UserMatch>::new());
    let group_matches = RwSignal::new(Vec::<carrel_core::api::GroupView>::new());
    let search_input = NodeRef::<leptos::html::Input>::new();
    let close_button = NodeRef::<leptos::html::Button>::new();
    // Focus moves into the dialog: to the search, or to Close for someone who cannot add anyone.
    Effect::new(move |_| {
        if let Some(input) = search_input.get() {
            let _ = input.focus();
        } else if let Some(button) = close_button.get() {
            let _ = button.focus();
        }
    });
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let refusals = RwSignal::new(Vec::<(String, String)>::new());
    let saving = RwSignal::new(false);
    let (namespace, name) = workspace
        .split_once('/')
        .map_or((String::new(), String::new()), |(n, w)| {
            (n.to_owned(), w.to_owned())
        });

    let newcomer_options = move || view.with(|v| v.plan().new_grant);
    let add = move |reference: PrincipalRef,
                    label: String,
                    tiers: Option<TierSet>,
                    principal: Option<Principal>| {
        let exists = drafts.with(|rows| rows.iter().any(|row| row.reference == reference));
        if exists {
            problem.set(Some(format!(
                "{label} is already in the list; change their row instead."
            )));
            return;
        }
        let role = new_role.get_untracked();
        let writer_computes = view.with_untracked(|v| {
            v.plan()
                .new_grant
                .is_ok_and(|o| o.writer_computes_by_default)
        });
        drafts.update(|rows| {
            rows.push(Draft {
                reference,
                label,
                role,
                can_share: false,
                can_compute: role.chooses_compute() && writer_computes,
                saved: None,
                removed: false,
                tiers,
                principal,
            })
        });
        query.set(String::new());
        matches.set(Vec::new());
        group_matches.set(Vec::new());
        problem.set(None);
    };

    let search = move |text: String| {
        query.set(text.clone());
        if text.trim().chars().count() < 2 {
            matches.set(Vec::new());
            group_matches.set(Vec::new());
            return;
        }
        let needle = text.trim().trim_start_matches("group:").to_owned();
        spawn_local(async move {
            let users = api::find_users(&needle).await;
            let groups = api::find_groups(&needle).await;
            if query.get_untracked() == text {
                matches.set(users.unwrap_or_default());
                group_matches.set(groups.unwrap_or_default());
            }
        });
    };

    let add_typed = move |_| {
        let text = query.get_untracked().trim().to_owned();
        if let Some(group) = text
            .strip_prefix("group:")
            .or_else(|| text.split_once("@groups.").map(|(name, _)| name))
        {
            add(
                PrincipalRef::Group {
                    name: group.to_owned(),
                },
                group.to_owned(),
                None,
                None,
            );
            return;
        }
        match Email::parse(&text) {
            Ok(email) => {
                let known = matches.with_untracked(|found| {
                    found.iter().find(|m| m.email == email.as_str()).cloned()
                });
                match known {
                    Some(person) => add(
                        PrincipalRef::User {
                            email: person.email.clone(),
                        },
                        person.display_name.clone(),
                        Some(person.tiers),
                        Some(Principal::Invitation(email)),
                    ),
                    None => add(
                        PrincipalRef::User {
                            email: email.to_string(),
                        },
                        format!("{email} (invitation)"),
                        None,
                        Some(Principal::Invitation(email)),
                    ),
                }
            }
            Err(error) => problem.set(Some(format!(
                "{} Or pick someone from the suggestions.",
                error.message
            ))),
        }
    };

    let save = move |_| {
        if saving.get_untracked() {
            return;
        }
        let changes: Vec<AclChangeRequest> =
            drafts.with_untracked(|rows| rows.iter().filter_map(Draft::change).collect());
        if changes.is_empty() {
            return;
        }
        let request = AclPatchRequest {
            version: view.with_untracked(|v| v.version),
            changes,
        };
        let (namespace, name) = (namespace.clone(), name.clone());
        saving.set(true);
        problem.set(None);
        refusals.set(Vec::new());
        spawn_local(async move {
            match api::patch_acl(&namespace, &name, &request).await {
                Ok(done) => {
                    drafts.set(Draft::from_view(&done.acl));
                    view.set(done.acl);
                    notice.set(Some(if done.warnings.is_empty() {
                        "Saved.".to_owned()
                    } else {
                        format!("Saved. {}", done.warnings.join(" "))
                    }));
                }
                Err(error) => {
                    match error.current_acl().cloned() {
                        Some(current) => {
                            let message = error.message();
                            // Keep the user's edits on top of the fresh ACL for review.
                            let mine: Vec<Draft> = drafts
                                .get_untracked()
                                .into_iter()
                                .filter(Draft::is_changed)
                                .collect();
                            let mut rows = Draft::from_view(&current);
                            for edit in mine {
                                match rows.iter_mut().find(|row| row.reference == edit.reference) {
                                    Some(row) => {
                                        row.role = edit.role;
                                        row.can_share = edit.can_share;
                                        row.can_compute = edit.can_compute;
                                        row.removed = edit.removed;
                                    }
                                    None if edit.saved.is_none() => rows.push(edit),
                                    None => {}
                                }
                            }
                            view.set(current);
                            drafts.set(rows);
                            problem.set(Some(format!("{message} Your edits are kept on top of the current sharing settings.")));
                        }
                        None => {
                            let listed: Vec<(String, String)> = error
                                .refusals()
                                .iter()
                                .map(|r| (reference_label(&r.principal), r.message.clone()))
                                .collect();
                            refusals.set(listed);
                            problem.set(Some(error.message()));
                        }
                    }
                }
            }
            saving.set(false);
        });
    };

    let has_changes = move || drafts.with(|rows| rows.iter().any(Draft::is_changed));
    let warnings = move || {
        let tier = view.with(|v| v.tier);
        drafts.with(|rows| {
            rows.iter()
                .filter_map(|row| row.tier_warning(tier).map(|w| (row.label.clone(), w)))
                .collect::<Vec<_>>()
        })
    };
    let project_owners = move || {
        view.with(|v| {
            v.project_owners
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };

    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title"
                on:keydown=move |event| on_dialog_key(&event, on_close)>
                <header class="dialog-head">
                    <h2 id="share-title">"Share " {display_name}</h2>
                    <button class="button button--quiet" aria-label="Close" node_ref=close_button on:click=move |_| on_close.run(())>"✕"</button>
                </header>
                <p class="dialog-sub">"Changes are saved together: all of them, or none."</p>
                {move || match newcomer_options() {
                    Ok(options) => view! {
                        <div class="share-add">
                            <label for="share-search">"Add a person or group"</label>
                            <div class="share-add-row">
                                <input id="share-search" type="text" autocomplete="off" node_ref=search_input
                                    placeholder="Name, email, or group:NAME"
                                    prop:value=move || query.get()
                                    on:input=move |event| search(event_target_value(&event))/>
                                <select id="share-new-role" aria-label="Role for the new collaborator"
                                    on:change=move |event| if let Some(role) = Role::parse(&event_target_value(&event)) { new_role.set(role) }>
                                    {options.roles.into_iter().map(|role| view! {
                                        <option value=role.as_str() selected=move || new_role.get() == role title=role.description()>{role.label()}</option>
                                    }).collect_view()}
                                </select>
                                <button class="button" on:click=add_typed>"Add"</button>
                            </div>
                            <p class="role-help" aria-live="polite">{move || format!("{}: {}", new_role.get().label(), new_role.get().description())}</p>
                            <ul class="suggestions" role="listbox" aria-label="People found">
                                {move || matches.get().into_iter().map(|person| {
                                    let reference = PrincipalRef::User { email: person.email.clone() };
                                    let label = person.display_name.clone();
                                    let tiers = person.tiers;
                                    let principal = Email::parse(&person.email).ok().map(Principal::Invitation);
                                    view! {
                                        <li role="option">
                                            <button class="suggestion" on:click=move |_| add(reference.clone(), label.clone(), Some(tiers), principal.clone())>
                                                <strong>{person.display_name.clone()}</strong>" "{person.email.clone()}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                                {move || group_matches.get().into_iter().map(|group| {
                                    let name = group.name.clone();
                                    view! {
                                        <li role="option">
                                            <button class="suggestion" on:click=move |_| add(PrincipalRef::Group { name: name.clone() }, name.clone(), None, None)>
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
                            let (options, removable) = view.with(|v| row_options(v, &row));
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
                    <button class="button button--quiet" on:click=move |_| on_close.run(())>"Close"</button>
                    <button class="button button--primary" disabled=move || !has_changes() aria-disabled=move || saving.get().then_some("true") on:click=save>
                        {move || if saving.get() { "Saving…" } else { "Save changes" }}
                    </button>
                </footer>
            </div>
        </div>
    }
}

fn reference_label(reference: &PrincipalRef) -> String {
    match reference {
        PrincipalRef::User { email } => email.clone(),
        PrincipalRef::Group { name } => format!("group {name}"),
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
                <button class="button button--quiet" disabled=remove_reason.is_some()
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
