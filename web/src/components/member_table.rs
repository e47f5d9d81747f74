//! The members of a group or a billing project: a table with each member's role, and a form to
//! add one. Who may change them, and which changes take access away, are `core`'s answers;
//! removing someone or lowering their role is confirmed first.

use leptos::prelude::*;

use carrel_core::billing::BillingRole;
use carrel_core::groups::GroupRole;
use carrel_core::validate::FieldError;

use crate::api::ApiError;
use crate::components::field::{focus_first_error, FieldMessage};
use crate::components::modal::ConfirmDialog;

/// A role of a membership list, as `core` names and orders it.
pub trait MemberRole: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> Vec<Self>;
    fn as_str(self) -> &'static str;
    fn parse(raw: &str) -> Option<Self>;
    fn label(self) -> &'static str;
    fn lowers_access(self, to: Self) -> bool;
}

impl MemberRole for GroupRole {
    fn all() -> Vec<Self> {
        GroupRole::ALL.to_vec()
    }
    fn as_str(self) -> &'static str {
        GroupRole::as_str(self)
    }
    fn parse(raw: &str) -> Option<Self> {
        GroupRole::parse(raw)
    }
    fn label(self) -> &'static str {
        GroupRole::label(self)
    }
    fn lowers_access(self, to: Self) -> bool {
        GroupRole::lowers_access(self, to)
    }
}

impl MemberRole for BillingRole {
    fn all() -> Vec<Self> {
        BillingRole::ALL.to_vec()
    }
    fn as_str(self) -> &'static str {
        BillingRole::as_str(self)
    }
    fn parse(raw: &str) -> Option<Self> {
        BillingRole::parse(raw)
    }
    fn label(self) -> &'static str {
        BillingRole::label(self)
    }
    fn lowers_access(self, to: Self) -> bool {
        BillingRole::lowers_access(self, to)
    }
}

/// One member: `key` is what the API names them by (an email, or a group's address).
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow<R> {
    pub key: String,
    pub name: String,
    pub detail: String,
    /// `None` for a member whose role is not a choice (a nested group).
    pub role: Option<R>,
}

/// A change waiting for the user's confirmation.
#[derive(Clone)]
enum Pending<R> {
    Lower { row: MemberRow<R>, to: R },
    Remove(MemberRow<R>),
}

#[component]
pub fn MemberTable<R, T>(
    /// "Members of smith-lab", for screen readers.
    #[prop(into)]
    caption: String,
    rows: Vec<MemberRow<R>>,
    /// Whether the user may change members (`core`'s answer).
    may_manage: bool,
    /// Sets a member's role: the member's key and the new role.
    set_role: Action<(String, R), Result<T, ApiError>>,
    remove: Action<String, Result<(), ApiError>>,
    /// Called after a change succeeded, with a sentence saying what was done.
    #[prop(into)]
    on_changed: Callback<String>,
) -> impl IntoView
where
    R: MemberRole,
    T: Clone + Send + Sync + 'static,
{
    let pending = RwSignal::new(None::<Pending<R>>);
    // Each select shows the role it was set to, so a cancelled lowering puts it back.
    let shown = RwSignal::new(rows.iter().map(|row| row.role).collect::<Vec<_>>());
    let row_views = rows
        .into_iter()
        .enumerate()
        .map(|(index, row)| {
            let label = format!("Role of {}", row.key);
            let remove_row = row.clone();
            let select_row = row.clone();
            let role_cell = match row.role {
                None => view! { <span>{"Member"}</span> }.into_any(),
                Some(current) => view! {
                    <select aria-label=label disabled=!may_manage
                        prop:value=move || shown.with(|roles| roles[index].map(R::as_str).unwrap_or_default())
                        on:change=move |e| {
                            let Some(to) = R::parse(&event_target_value(&e)) else { return };
                            shown.update(|roles| roles[index] = Some(to));
                            if current.lowers_access(to) {
                                pending.set(Some(Pending::Lower { row: select_row.clone(), to }));
                            } else {
                                set_role.dispatch((select_row.key.clone(), to));
                            }
                        }>
                        {R::all().into_iter().map(|choice| view! {
                            <option value=choice.as_str() selected=choice == current>{choice.label()}</option>
                        }).collect_view()}
                    </select>
                }
                .into_any(),
            };
            view! {
                <tr>
                    <th scope="row"><span class="share-name">{row.name.clone()}</span>" "{row.detail.clone()}</th>
                    <td>{role_cell}</td>
                    <td>{may_manage.then(|| view! {
                        <button type="button" class="button button--quiet" aria-label=format!("Remove {}", row.key)
                            on:click=move |_| pending.set(Some(Pending::Remove(remove_row.clone())))>"Remove"</button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let original_roles = StoredValue::new(shown.get_untracked());
    let cancel = move || {
        shown.set(original_roles.get_value());
        pending.set(None);
    };
    let cancel = StoredValue::new(cancel);
    // A change refused without a dialog (raising a role): the select shows the real role again,
    // and the reason is said above the table.
    let refused = RwSignal::new(None::<String>);
    let seen = set_role.version().get_untracked();
    Effect::new(move |_| {
        if set_role.version().get() == seen || pending.with_untracked(Option::is_some) {
            return;
        }
        match set_role.value().get() {
            Some(Err(error)) => {
                shown.set(original_roles.get_value());
                refused.set(Some(error.message()));
            }
            Some(Ok(_)) => refused.set(None),
            None => {}
        }
    });
    view! {
        {move || refused.get().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
        <table class="share-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr><th scope="col">"Member"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
            <tbody>{row_views}</tbody>
        </table>
        {move || pending.get().map(|waiting| match waiting {
            Pending::Lower { row, to } => view! {
                <ConfirmDialog title=format!("Make {} {}?", row.name, to.label())
                    message=format!("{} loses what the {} role allows. You can raise it again later.", row.name, row.role.map_or("", R::label))
                    confirm_label=format!("Make {}", to.label()) danger=true
                    action=set_role input=(row.key.clone(), to)
                    on_cancel=move |()| cancel.with_value(|cancel| cancel())
                    on_done=move |_| { pending.set(None); on_changed.run("Role changed.".to_owned()); }/>
            }.into_any(),
            Pending::Remove(row) => view! {
                <ConfirmDialog title=format!("Remove {}?", row.name)
                    message=format!("{} ({}) loses the access this membership gives.", row.name, row.key)
                    confirm_label="Remove" danger=true
                    action=remove input=row.key.clone()
                    on_cancel=move |()| pending.set(None)
                    on_done=move |()| { pending.set(None); on_changed.run("Removed.".to_owned()); }/>
            }.into_any(),
        })}
    }
}

/// Add a member by email (or address): the text stays when it is refused, with the reason
/// beside the field; it clears once the member is added.
#[component]
pub fn AddMember<R, T>(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    /// `core`'s check of what was typed, before anything is sent.
    check: fn(&str) -> Result<(), FieldError>,
    add: Action<(String, R), Result<T, ApiError>>,
    #[prop(into)] on_added: Callback<String>,
) -> impl IntoView
where
    R: MemberRole,
    T: Clone + Send + Sync + 'static,
{
    let typed = RwSignal::new(String::new());
    let role = RwSignal::new(R::all()[0]);
    let problem = RwSignal::new(None::<String>);
    let sent_at = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let version = add.version().get();
        if sent_at.get_untracked() != Some(version.saturating_sub(1)) {
            return;
        }
        sent_at.set(None);
        match add.value().get_untracked() {
            Some(Ok(_)) => {
                on_added.run(format!("Added {}.", typed.get_untracked().trim()));
                typed.set(String::new());
            }
            Some(Err(error)) => {
                problem.set(Some(error.message()));
                focus_first_error();
            }
            None => {}
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        if let Err(error) = check(&text) {
            problem.set(Some(error.message));
            focus_first_error();
            return;
        }
        problem.set(None);
        sent_at.set(Some(add.version().get_untracked()));
        add.dispatch((text, role.get_untracked()));
    };
    let message_id = format!("{id}-message");
    let error = Signal::derive(move || problem.get());
    view! {
        <form class="inline-form add-member" on:submit=submit novalidate>
            <div class="field" class:field--invalid=move || problem.with(Option::is_some)>
                <label for=id.clone()>{label}</label>
                <input id=id type="text" autocomplete="off" aria-describedby=message_id.clone()
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    prop:value=move || typed.get() on:input=move |e| typed.set(event_target_value(&e))/>
                <FieldMessage id=message_id error/>
            </div>
            <select aria-label="Role of the new member" on:change=move |e| if let Some(picked) = R::parse(&event_target_value(&e)) { role.set(picked) }>
                {R::all().into_iter().map(|choice| view! { <option value=choice.as_str()>{choice.label()}</option> }).collect_view()}
            </select>
            <button type="submit" class="button button--primary" aria-disabled=move || add.pending().get().then_some("true")>"Add"</button>
        </form>
    }
}
