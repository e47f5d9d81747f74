//! Getting a tier: each tier's checklist with your progress, whether you hold it (and until
//! when), and your request and where it stands. Whether you may ask is core's rule.

use leptos::prelude::*;

use carrel_core::api::{MyTier, MyTiers, RequirementProgress, TierRequestView};
use carrel_core::tier_requests::RequestStatus;
use carrel_core::AccessTier;

use crate::api;
use crate::app::use_session;
use crate::components::async_view::{successes, Loaded};
use crate::components::field::TextField;
use crate::components::notice::{Notice, Outcome};
use crate::components::title::page_title;
use crate::components::workspace_card::format_date;

type MarkAction = Action<(i64, bool), Result<MyTiers, api::ApiError>>;
type AskAction = Action<(AccessTier, String), Result<MyTiers, api::ApiError>>;

#[component]
pub fn TiersPage() -> impl IntoView {
    page_title(|| "Data-access tiers".to_owned());
    let session = use_session();
    let outcome = RwSignal::new(None as Outcome);
    let mark: MarkAction = Action::new_local(|(id, done): &(i64, bool)| {
        let (id, done) = (*id, *done);
        async move { api::mark_requirement(id, done).await }
    });
    let ask: AskAction = Action::new_local(|(tier, note): &(AccessTier, String)| {
        let (tier, note) = (*tier, note.clone());
        async move { api::request_tier(tier, &note).await }
    });
    let (marked, asked) = (successes(mark), successes(ask));
    let standing = LocalResource::new(move || {
        marked.track();
        asked.track();
        api::my_tiers()
    });
    Effect::new(move |_| {
        if let Some(Err(error)) = mark.value().get() {
            outcome.set(Some(Err(error.message())));
        }
    });
    Effect::new(move |_| match ask.value().get() {
        Some(Ok(_)) => outcome.set(Some(Ok(
            "Your request is with the site admins. This page shows where it stands.".to_owned(),
        ))),
        Some(Err(error)) => outcome.set(Some(Err(error.message()))),
        None => {}
    });
    // Every page reads the tiers from the session: a tier granted since sign-in counts at once.
    Effect::new(move |_| {
        if let Some(Ok(standing)) = standing.get() {
            session.tiers_are(standing.held());
        }
    });
    view! {
        <section class="page">
            <h1>"Data-access tiers"</h1>
            <p class="lead">"A tier opens the data of its kind in every workspace shared with you. Complete a tier's requirements, then ask for it: a site admin checks them and grants it. The Controlled Tier needs the Registered Tier first."</p>
            <Notice outcome=outcome/>
            <Loaded loading="Loading your tiers…">
                {move || Suspend::new(async move {
                    standing.await.map(|standing| view! {
                        <div class="tier-panels">
                            {standing.tiers.iter().map(|tier| tier_panel(&standing, tier, mark, ask)).collect_view()}
                        </div>
                    })
                })}
            </Loaded>
        </section>
    }
}

/// Where the person stands with a tier, in one sentence.
fn standing_line(tier: &MyTier) -> (&'static str, String) {
    if tier.held {
        let since = tier
            .granted_at
            .map(|at| format!(" since {}", format_date(at)))
            .unwrap_or_default();
        let until = tier
            .expires_at
            .map(|at| format!("; renewal due {}", format_date(at)))
            .unwrap_or_default();
        return ("held", format!("You hold the {}{since}{until}.", tier.tier));
    }
    match &tier.latest_request {
        Some(request) if request.status == RequestStatus::Pending => (
            "pending",
            format!(
                "Requested on {}: waiting for a site admin.",
                format_date(request.requested_at)
            ),
        ),
        Some(request) if request.status == RequestStatus::Denied => ("denied", denial(request)),
        _ => ("none", format!("You do not hold the {} yet.", tier.tier)),
    }
}

fn denial(request: &TierRequestView) -> String {
    let when = request.decided_at.map(format_date).unwrap_or_default();
    let reason = request.reason.clone().unwrap_or_default();
    format!("Your request was denied on {when}: {reason} You may ask again.")
}

fn tier_panel(
    standing: &MyTiers,
    tier: &MyTier,
    mark: MarkAction,
    ask: AskAction,
) -> impl IntoView {
    let heading_id = format!("tier-{}", tier.tier.as_str());
    let labelled_by = heading_id.clone();
    let (state, line) = standing_line(tier);
    let may_ask = standing.check_request(tier.tier);
    let pending = tier
        .latest_request
        .as_ref()
        .is_some_and(|r| r.status == RequestStatus::Pending);
    let note = RwSignal::new(String::new());
    let which = tier.tier;
    let reason_id = format!("ask-{}-reason", which.as_str());
    // Held and not yet due for renewal, or already asked: nothing to ask for.
    let nothing_to_ask = pending || (tier.held && may_ask.is_err());
    let ask_form = (!nothing_to_ask).then(|| {
        let disabled = may_ask.is_err();
        let reason = may_ask.err().map(|refusal| refusal.to_string());
        let submit = move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            ask.dispatch((which, note.get_untracked()));
        };
        view! {
            <form class="tier-ask" on:submit=submit novalidate>
                <TextField id=format!("ask-{}-note", which.as_str()) label="A note for the site admin (optional)"
                    placeholder="Your institution, your project, anything that helps" value=note rows=2/>
                <button type="submit" class="button button--primary" disabled=disabled
                    aria-describedby=reason.as_ref().map(|_| reason_id.clone())>
                    {move || if ask.pending().get() { "Sending…".to_owned() } else { format!("Ask for the {}", which) }}
                </button>
                {reason.map(|reason| view! { <p class="action-reason" id=reason_id.clone()>{reason}</p> })}
            </form>
        }
    });
    view! {
        <section class=format!("panel tier-panel tier-panel--{state}") aria-labelledby=labelled_by>
            <h2 id=heading_id>{tier.tier.label()}</h2>
            <p class=format!("tier-standing tier-standing--{state}") role="status">{line}</p>
            <h3>"Requirements"</h3>
            {if tier.requirements.is_empty() {
                view! { <p class="empty">"This tier has no requirements to complete."</p> }.into_any()
            } else {
                view! {
                    <ol class="checklist">
                        {tier.requirements.iter().map(|item| checklist_item(item, tier.held, mark)).collect_view()}
                    </ol>
                }.into_any()
            }}
            {ask_form}
        </section>
    }
}

fn checklist_item(item: &RequirementProgress, held: bool, mark: MarkAction) -> impl IntoView {
    let id = item.requirement.id;
    let done = item.completed_at.is_some();
    let title = item.requirement.title.clone();
    let status = match item.completed_at {
        Some(at) => format!("Done on {}", format_date(at)),
        None => "To do".to_owned(),
    };
    let (label, aria) = if done {
        ("Mark as not done", format!("Mark “{title}” as not done"))
    } else {
        (
            "I have completed this",
            format!("I have completed “{title}”"),
        )
    };
    view! {
        <li class=if done { "checklist-item checklist-item--done" } else { "checklist-item" }>
            <span class="checklist-mark" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
            <div class="checklist-text">
                <p><span class="tag">{item.requirement.kind.label()}</span>" "<strong>{title.clone()}</strong></p>
                {(!item.requirement.details.is_empty()).then(|| view! { <p class="muted">{item.requirement.details.clone()}</p> })}
                <p class="checklist-status">{status}</p>
            </div>
            {(!held).then(|| view! {
                <button type="button" class="button button--quiet" aria-label=aria
                    disabled=move || mark.pending().get()
                    on:click=move |_| { mark.dispatch((id, !done)); }>{label}</button>
            })}
        </li>
    }
}
