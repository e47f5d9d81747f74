//! Site administration: the queue of tier requests, granting and revoking tiers with a reason
//! (and a renewal date), the history of every decision, and each tier's checklist.
//! Decisions open or close data for a person: each is made in a dialog that says so.

use leptos::prelude::*;
use leptos::task::spawn_local;

use carrel_core::api::{
    NewTierRequirement, PasswordResetLink, TierDecision, TierGrant, TierHistoryEntry,
    TierRequestView, TierRequirement, UserMatch, UserTiers,
};
use carrel_core::authz::require_site_admin;
use carrel_core::tier_requests::{
    check_renewal_date, parse_reason, parse_requirement, RequirementKind, TierEvent,
};
use carrel_core::validate::FieldError;
use carrel_core::AccessTier;

use crate::api::{self, ApiError};
use crate::app::use_me;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::{
    focus_first_error, problem_for, show_refusal, shows_no_problem, SelectField, TextField,
};
use crate::components::modal::{CloseButton, ConfirmDialog, Modal};
use crate::components::notice::{outcome_of, Notice, Outcome};
use crate::components::tabs::{tab_id, Tabs, PANEL_ID};
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

#[component]
pub fn AdminPage() -> impl IntoView {
    page_title(|| "Site administration".to_owned());
    let me = use_me();
    move || {
        let me = me.get()?;
        Some(match require_site_admin(me.is_site_admin) {
            Err(reason) => view! {
                <section class="panel narrow">
                    <h1>"Site administration"</h1>
                    <p class="alert alert--info" role="note">{reason.to_string()}</p>
                    <p><a href="/tiers">"See your data-access tiers"</a></p>
                </section>
            }
            .into_any(),
            Ok(()) => view! { <Administration/> }.into_any(),
        })
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum AdminTab {
    Requests,
    People,
    History,
    Checklists,
}

/// A decision about someone's tier: on a request in the queue, or made directly.
#[derive(Clone, Debug, PartialEq)]
enum Decision {
    Request {
        request: TierRequestView,
        grant: bool,
    },
    Direct {
        person: UserMatch,
        tier: AccessTier,
        grant: bool,
    },
}

impl Decision {
    fn grant(&self) -> bool {
        match self {
            Decision::Request { grant, .. } | Decision::Direct { grant, .. } => *grant,
        }
    }

    fn tier(&self) -> AccessTier {
        match self {
            Decision::Request { request, .. } => request.tier,
            Decision::Direct { tier, .. } => *tier,
        }
    }

    fn who(&self) -> String {
        match self {
            Decision::Request { request, .. } => {
                format!("{} ({})", request.display_name, request.email)
            }
            Decision::Direct { person, .. } => {
                format!("{} ({})", person.display_name, person.email)
            }
        }
    }

    /// What the history will record.
    fn event(&self) -> TierEvent {
        match (self, self.grant()) {
            (_, true) => TierEvent::Granted,
            (Decision::Request { .. }, false) => TierEvent::Denied,
            (Decision::Direct { .. }, false) => TierEvent::Revoked,
        }
    }

    /// The verb on the dialog's button.
    fn verb(&self) -> &'static str {
        match self.event() {
            TierEvent::Granted => "Grant",
            TierEvent::Denied => "Deny",
            TierEvent::Revoked | TierEvent::Expired => "Revoke",
        }
    }

    /// What it does for the person, said before it is done.
    fn consequence(&self) -> String {
        let (who, tier) = (self.who(), self.tier().label());
        match self.event() {
            TierEvent::Granted => {
                format!(
                    "{who} can then open data of the {tier} in every workspace shared with them."
                )
            }
            TierEvent::Denied => {
                format!("{who} sees your reason on their Tiers page and may ask again.")
            }
            TierEvent::Revoked | TierEvent::Expired => {
                format!("{who} loses access to the {tier}'s data at once, in every workspace.")
            }
        }
    }
}

/// A decision with the admin's reason and renewal date, as dispatched.
#[derive(Clone, Debug, PartialEq)]
struct Decided {
    decision: Decision,
    reason: String,
    expires_at: Option<i64>,
}

type DecideAction = Action<Decided, Result<Option<UserTiers>, ApiError>>;

async fn send_decision(decided: Decided) -> Result<Option<UserTiers>, ApiError> {
    let Decided {
        decision,
        reason,
        expires_at,
    } = decided;
    match decision {
        Decision::Request { request, grant } => {
            let body = TierDecision {
                grant,
                reason,
                expires_at,
            };
            api::decide_tier_request(request.id, &body)
                .await
                .map(|_| None)
        }
        Decision::Direct {
            person,
            tier,
            grant: true,
        } => {
            let body = TierGrant {
                tier,
                reason,
                expires_at,
            };
            api::grant_tier(&person.email, &body).await.map(Some)
        }
        Decision::Direct {
            person,
            tier,
            grant: false,
        } => api::revoke_tier(&person.email, tier, &reason)
            .await
            .map(Some),
    }
}

fn now_ms() -> i64 {
    // Milliseconds since 1970 fit an i64 and an f64 exactly.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    now
}

/// A date field's `YYYY-MM-DD` as the end of that day, UTC, in Unix milliseconds.
fn end_of_day(date: &str) -> Option<i64> {
    let parsed = js_sys::Date::parse(&format!("{date}T23:59:59Z"));
    #[allow(clippy::cast_possible_truncation)]
    (!parsed.is_nan()).then_some(parsed as i64)
}

#[component]
fn Administration() -> impl IntoView {
    let tab = RwSignal::new(AdminTab::Requests);
    let outcome = RwSignal::new(None as Outcome);
    let decide: DecideAction =
        Action::new_local(|decided: &Decided| send_decision(decided.clone()));
    let decided = successes(decide);
    let deciding = RwSignal::new(None::<Decision>);
    let on_done = Callback::new(move |_: Option<UserTiers>| {
        if let Some(decision) = deciding.get_untracked() {
            let event = decision.event();
            outcome.set(Some(Ok(format!(
                "{} {} {} {}.",
                decision.tier().label(),
                event.verb(),
                event.preposition(),
                decision.who()
            ))));
        }
        deciding.set(None);
    });
    let tabs = vec![
        (AdminTab::Requests, "Requests"),
        (AdminTab::People, "People"),
        (AdminTab::History, "History"),
        (AdminTab::Checklists, "Checklists"),
    ];
    let labelled_by = move || {
        tab_id(match tab.get() {
            AdminTab::Requests => "Requests",
            AdminTab::People => "People",
            AdminTab::History => "History",
            AdminTab::Checklists => "Checklists",
        })
    };
    view! {
        <section class="page">
            <header class="page-head">
                <h1>"Site administration"</h1>
                <a class="button button--quiet" href="/tiers">"Your own tiers"</a>
            </header>
            <p class="lead">"Decide requests for data-access tiers once people have completed the requirements. Without the Registered Tier nobody can create or open workspaces; the Controlled Tier needs the Registered Tier."</p>
            <Notice outcome=outcome/>
            <Tabs label="Site administration" tabs selected=tab/>
            <div class="tab-panel" id=PANEL_ID role="tabpanel" aria-labelledby=labelled_by>
                {move || match tab.get() {
                    AdminTab::Requests => view! { <RequestQueue decided deciding/> }.into_any(),
                    AdminTab::People => view! { <People decided deciding outcome/> }.into_any(),
                    AdminTab::History => view! { <History decided/> }.into_any(),
                    AdminTab::Checklists => view! { <Checklists outcome/> }.into_any(),
                }}
            </div>
            {move || deciding.get().map(|decision| view! {
                <DecisionDialog decision action=decide on_cancel=move |()| deciding.set(None) on_done/>
            })}
        </section>
    }
}

#[component]
fn RequestQueue(decided: Signal<usize>, deciding: RwSignal<Option<Decision>>) -> impl IntoView {
    let queue = LocalResource::new(move || {
        decided.track();
        api::tier_queue()
    });
    view! {
        <Loaded loading="Loading the requests…">
            {move || Suspend::new(async move {
                queue.await.map(|requests| {
                    if requests.is_empty() {
                        return view! { <p class="empty" role="status">"No request is waiting."</p> }.into_any();
                    }
                    view! {
                        <ul class="cards request-queue" aria-label="Requests waiting for a decision">
                            {requests.into_iter().map(|request| queued(request, deciding)).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Loaded>
    }
}

fn queued(request: TierRequestView, deciding: RwSignal<Option<Decision>>) -> impl IntoView {
    let done = request
        .requirements
        .iter()
        .filter(|item| item.completed_at.is_some())
        .count();
    let total = request.requirements.len();
    let (grant, deny) = (request.clone(), request.clone());
    view! {
        <li class="card">
            <h2 class="card-title">{request.display_name.clone()}" asks for the "{request.tier.label()}</h2>
            <p class="card-meta">{request.email.clone()}" · requested "{format_date(request.requested_at)}</p>
            {(!request.note.is_empty()).then(|| view! { <blockquote class="request-note">{request.note.clone()}</blockquote> })}
            <p class="checklist-summary">{format!("Requirements: {done} of {total} done")}</p>
            <ul class="checklist checklist--compact">
                {request.requirements.iter().map(|item| view! {
                    <li class=if item.completed_at.is_some() { "checklist-item checklist-item--done" } else { "checklist-item" }>
                        <span class="checklist-mark" aria-hidden="true">{if item.completed_at.is_some() { "✓" } else { "○" }}</span>
                        <span>{item.requirement.title.clone()}" — "{item.completed_at.map_or("not done".to_owned(), |at| format!("done {}", format_date(at)))}</span>
                    </li>
                }).collect_view()}
            </ul>
            <div class="card-actions">
                <button type="button" class="button button--primary"
                    aria-label=format!("Grant the {} to {}", request.tier.label(), request.email)
                    on:click=move |_| deciding.set(Some(Decision::Request { request: grant.clone(), grant: true }))>"Grant…"</button>
                <button type="button" class="button button--quiet"
                    aria-label=format!("Deny the {} to {}", request.tier.label(), request.email)
                    on:click=move |_| deciding.set(Some(Decision::Request { request: deny.clone(), grant: false }))>"Deny…"</button>
            </div>
        </li>
    }
}

/// Grant, deny or revoke with a reason (required to deny or revoke) and, for a grant, an
/// optional renewal date. Core checks both before anything is sent.
#[component]
fn DecisionDialog(
    decision: Decision,
    action: DecideAction,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] on_done: Callback<Option<UserTiers>>,
) -> impl IntoView {
    let grant = decision.grant();
    let reason = RwSignal::new(String::new());
    let renewal = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let started_at = action.version().get_untracked();
    Effect::new(move |_| {
        if action.version().get() == started_at {
            return;
        }
        match action.value().get() {
            Some(Ok(done)) => on_done.run(done),
            Some(Err(error)) => show_refusal(&error, problems, failure),
            None => {}
        }
    });
    let tier = decision.tier();
    let verb = decision.verb();
    let title = format!("{verb} the {}?", tier.label());
    let consequence = decision.consequence();
    let submit = move |_| {
        if action.pending().get_untracked() {
            return;
        }
        let expires_at = Some(renewal.get_untracked()).filter(|d| !d.is_empty());
        let expires_at = match expires_at.map(|date| end_of_day(&date)) {
            Some(None) => Err(FieldError::new(
                "expires_at",
                "Enter the renewal date as a date.",
            )),
            Some(Some(ms)) => check_renewal_date(Some(ms), now_ms()).map(|()| Some(ms)),
            None => Ok(None),
        };
        let found: Vec<FieldError> = [
            parse_reason(grant, &reason.get_untracked()).err(),
            expires_at.clone().err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        failure.set(None);
        if !shows_no_problem(found, problems) {
            return;
        }
        action.dispatch(Decided {
            decision: decision.clone(),
            reason: reason.get_untracked(),
            expires_at: expires_at.unwrap_or_default(),
        });
    };
    let unsaved = Signal::derive(move || {
        reason.with(|r| !r.trim().is_empty()) || renewal.with(|r| !r.is_empty())
    });
    let reason_label = if grant {
        "Reason (optional, kept in the history)"
    } else {
        "Reason (the person sees it)"
    };
    let class = if grant {
        "button button--primary"
    } else {
        "button button--danger"
    };
    view! {
        <Modal title title_id="decision-title" small=true on_close=on_cancel unsaved subtitle=consequence>
            <TextField id="decision-reason" label=reason_label field="reason" rows=3 value=reason autofocus=true
                error=problem_for(problems.into(), "reason")/>
            {grant.then(|| view! {
                <TextField id="decision-renewal" label="Renewal date (optional)" kind="date" field="expires_at" value=renewal
                    hint="The tier ends on this date unless it is granted again."
                    error=problem_for(problems.into(), "expires_at")/>
            })}
            {move || failure.get().map(|m| view! { <p class="alert alert--error" role="alert">{m}</p> })}
            <footer class="dialog-foot">
                <CloseButton/>
                <button type="button" class=class aria-disabled=move || action.pending().get().then_some("true") on:click=submit>
                    {move || if action.pending().get() { "Working…" } else { verb }}
                </button>
            </footer>
        </Modal>
    }
}

#[component]
fn People(
    decided: Signal<usize>,
    deciding: RwSignal<Option<Decision>>,
    outcome: RwSignal<Outcome>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<UserMatch>::new());
    let search = move |text: String| {
        query.set(text.clone());
        if text.trim().chars().count() < 2 {
            found.set(Vec::new());
            return;
        }
        spawn_local(async move {
            if let Ok(people) = api::find_users(text.trim()).await {
                if query.get_untracked() == text {
                    found.set(people);
                }
            }
        });
    };
    // After a decision, read the people found again: their tiers changed.
    Effect::new(move |_| {
        decided.track();
        let text = query.get_untracked();
        if !text.is_empty() {
            search(text);
        }
    });
    let reset_link = Action::new_local(|email: &String| {
        let email = email.clone();
        async move { api::password_reset_link(&email).await }
    });
    let confirming_reset = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Err(error)) = reset_link.value().get() {
            outcome.set(outcome_of::<()>(&Err(error), ""));
        }
    });
    let link_shown = move || {
        let Some(Ok(PasswordResetLink { email, path, .. })) = reset_link.value().get() else {
            return None;
        };
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        Some((email, format!("{origin}{path}")))
    };
    view! {
        <div class="list-controls">
            <label for="admin-search" class="visually-hidden">"Find a person"</label>
            <input id="admin-search" type="search" placeholder="Find a person by name or email"
                prop:value=move || query.get() on:input=move |e| search(event_target_value(&e))/>
        </div>
        {move || link_shown().map(|(email, link)| view! {
            <div class="alert alert--info" role="status">
                <p>{format!("A one-time password reset link for {email}, valid for 24 hours. Give it to them yourself; Carrel sends no mail.")}</p>
                <p><code class="reset-link">{link}</code></p>
            </div>
        })}
        <table class="share-table">
            <caption class="visually-hidden">"People found, with their tiers"</caption>
            <thead><tr><th scope="col">"Person"</th><th scope="col">"Registered Tier"</th><th scope="col">"Controlled Tier"</th><th scope="col">"Password"</th></tr></thead>
            <tbody>
                {move || found.get().into_iter().map(|person| {
                    let email = person.email.clone();
                    view! {
                        <tr>
                            <th scope="row"><span class="share-name">{person.display_name.clone()}</span><span class="share-email">{person.email.clone()}</span></th>
                            {AccessTier::ALL.into_iter().map(|tier| {
                                let held = person.tiers.contains(tier);
                                let person = person.clone();
                                view! {
                                    <td><input type="checkbox" prop:checked=held aria-label=format!("{} holds the {}", person.email, tier.label())
                                        on:change=move |e| {
                                            // The box shows the held tier until the change is decided and done.
                                            event_target::<web_sys::HtmlInputElement>(&e).set_checked(held);
                                            deciding.set(Some(Decision::Direct { person: person.clone(), tier, grant: !held }));
                                        }/></td>
                                }
                            }).collect_view()}
                            <td>
                                <button type="button" class="button button--quiet"
                                    aria-label=format!("Make a password reset link for {email}")
                                    on:click=move |_| confirming_reset.set(Some(email.clone()))>"Reset link"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {move || confirming_reset.get().map(|email| view! {
            <ConfirmDialog title="Make a password reset link?"
                message=format!("Anyone with the link can set a new password for {email} in the next 24 hours. Any earlier link stops working.")
                confirm_label="Make link" action=reset_link input=email.clone()
                on_cancel=move |()| confirming_reset.set(None) on_done=move |_| confirming_reset.set(None)/>
        })}
    }
}

#[component]
fn History(decided: Signal<usize>) -> impl IntoView {
    let history = LocalResource::new(move || {
        decided.track();
        api::tier_history()
    });
    view! {
        <Loaded loading="Loading the history…">
            {move || Suspend::new(async move {
                history.await.map(|lines| {
                    if lines.is_empty() {
                        return view! { <p class="empty" role="status">"No tier has been granted or revoked yet."</p> }.into_any();
                    }
                    view! {
                        <ol class="timeline" aria-label="Tier history, newest first">
                            {lines.into_iter().map(history_line).collect_view()}
                        </ol>
                    }.into_any()
                })
            })}
        </Loaded>
    }
}

fn history_line(line: TierHistoryEntry) -> impl IntoView {
    let who = line.by.clone().unwrap_or_else(|| "Carrel".to_owned());
    let until = line
        .expires_at
        .map(|at| format!(", until {}", format_date(at)))
        .unwrap_or_default();
    let sentence = format!(
        "{who} {} the {} {} {} ({}){until}.",
        line.event.verb(),
        line.tier.label(),
        line.event.preposition(),
        line.display_name,
        line.email
    );
    view! {
        <li class="timeline-item">
            <time class="timeline-time">{format_date(line.at)}</time>
            <p class="timeline-what">{sentence}</p>
            {(!line.reason.is_empty()).then(|| view! { <p class="timeline-why">"Why: "{line.reason.clone()}</p> })}
        </li>
    }
}

#[component]
fn Checklists(outcome: RwSignal<Outcome>) -> impl IntoView {
    let add = Action::new_local(|new: &NewTierRequirement| {
        let new = new.clone();
        async move { api::add_tier_requirement(&new).await }
    });
    let remove = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::remove_tier_requirement(id).await }
    });
    let (added, removed) = (successes(add), successes(remove));
    let requirements = LocalResource::new(move || {
        added.track();
        removed.track();
        api::tier_requirements()
    });
    let removing = RwSignal::new(None::<TierRequirement>);
    view! {
        <Loaded loading="Loading the checklists…">
            {move || Suspend::new(async move {
                requirements.await.map(|all| view! {
                    <div class="tier-panels">
                        {AccessTier::ALL.into_iter().map(|tier| {
                            let items: Vec<TierRequirement> = all.iter().filter(|r| r.tier == tier).cloned().collect();
                            view! {
                                <section class="panel" aria-label=format!("Checklist of the {}", tier.label())>
                                    <h2>{tier.label()}</h2>
                                    <ol class="checklist">
                                        {items.into_iter().map(|item| {
                                            let shown = item.clone();
                                            view! {
                                                <li class="checklist-item">
                                                    <div class="checklist-text">
                                                        <p><span class="tag">{item.kind.label()}</span>" "<strong>{item.title.clone()}</strong></p>
                                                        {(!item.details.is_empty()).then(|| view! { <p class="muted">{item.details.clone()}</p> })}
                                                    </div>
                                                    <button type="button" class="button button--quiet"
                                                        aria-label=format!("Remove “{}”", item.title)
                                                        on:click=move |_| removing.set(Some(shown.clone()))>"Remove"</button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </section>
                            }
                        }).collect_view()}
                    </div>
                })
            })}
        </Loaded>
        <NewRequirementForm add outcome/>
        {move || removing.get().map(|item| view! {
            <ConfirmDialog title="Remove this requirement?"
                message=format!("“{}” leaves the {} checklist, with everyone's progress on it. Tiers already granted stay.", item.title, item.tier.label())
                confirm_label="Remove" danger=true action=remove input=item.id
                on_cancel=move |()| removing.set(None) on_done=move |()| removing.set(None)/>
        })}
    }
}

#[component]
fn NewRequirementForm(
    add: Action<NewTierRequirement, Result<TierRequirement, ApiError>>,
    outcome: RwSignal<Outcome>,
) -> impl IntoView {
    let tier = RwSignal::new(AccessTier::Registered);
    let kind = RwSignal::new(RequirementKind::Training);
    let title = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    Effect::new(move |_| match add.value().get() {
        Some(Ok(added)) => {
            title.set(String::new());
            details.set(String::new());
            outcome.set(Some(Ok(format!(
                "“{}” is now on the {} checklist.",
                added.title,
                added.tier.label()
            ))));
        }
        Some(Err(error)) => {
            problems.set(error.fields().to_vec());
            outcome.set(Some(Err(error.message())));
            focus_first_error();
        }
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match parse_requirement(&title.get_untracked(), &details.get_untracked()) {
            Err(problem) => {
                problems.set(vec![problem]);
                focus_first_error();
            }
            Ok((title, details)) => {
                problems.set(Vec::new());
                add.dispatch(NewTierRequirement {
                    tier: tier.get_untracked(),
                    kind: kind.get_untracked(),
                    title,
                    details,
                });
            }
        }
    };
    view! {
        <form class="panel stack-form" on:submit=submit novalidate aria-labelledby="new-requirement-title">
            <h2 id="new-requirement-title">"Add a requirement"</h2>
            <SelectField id="requirement-tier" label="Tier" error=Signal::derive(|| None::<String>)
                on_change=move |value: String| { if let Some(t) = AccessTier::parse(&value) { tier.set(t) } }>
                {AccessTier::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
            </SelectField>
            <SelectField id="requirement-kind" label="Kind" error=Signal::derive(|| None::<String>)
                on_change=move |value: String| { if let Some(k) = RequirementKind::parse(&value) { kind.set(k) } }>
                {RequirementKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
            </SelectField>
            <TextField id="requirement-title" label="Title" field="title" value=title
                error=problem_for(problems.into(), "title")/>
            <TextField id="requirement-details" label="What to do, and where (optional)" field="details" rows=2 value=details
                error=problem_for(problems.into(), "details")/>
            <button type="submit" class="button button--primary">{move || if add.pending().get() { "Adding…" } else { "Add requirement" }}</button>
        </form>
    }
}
