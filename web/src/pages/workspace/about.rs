//! The About tab: the research purpose, the facts of the workspace, its collaborators, and (for
//! those who may read it) the audit log.

use leptos::prelude::*;

use carrel_core::api::{AclView, PrincipalRef, WorkspaceDetail};
use carrel_core::AccessTier;
use carrel_core::Action as WorkspaceAction;

use super::permission;
use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::Loaded;
use crate::components::purpose_summary::PurposeTerms;
use crate::components::spend::{SpendBanner, SpendChart, SpendDetails};
use crate::components::workspace_card::{format_date, format_date_time};
use carrel_core::costs::format_nanos;

#[component]
pub fn About(detail: WorkspaceDetail) -> impl IntoView {
    let at = WorkspaceAddress::of(&detail);
    let collaborators = {
        let at = at.clone();
        LocalResource::new(move || {
            let at = at.clone();
            async move { api::acl(&at).await }
        })
    };
    let may_audit = permission(&detail, WorkspaceAction::ReadAudit).is_ok();
    let may_read_spend = permission(&detail, WorkspaceAction::ReadSpend).is_ok();
    let spend_at = at.clone();
    let audit = Action::new_local(move |(): &()| {
        let at = at.clone();
        async move { api::audit_log(&at).await }
    });
    let versions = LocalResource::new(api::dataset_versions);
    let version_id = detail.dataset_version.clone();
    let version_name = move || {
        versions
            .get()
            .and_then(Result::ok)
            .and_then(|all| all.into_iter().find(|v| v.id == version_id))
            .map_or_else(|| version_id.clone(), |v| v.label)
    };
    view! {
        <dl class="about">
            <PurposeTerms purpose=detail.research_purpose.clone()/>
            <dt>"Dataset version"</dt><dd>{version_name}</dd>
            <dt>"Access tier"</dt><dd>{detail.tier.label()}</dd>
            <dt>"Created"</dt><dd>{format_date(detail.created_at)} " by " {detail.creator.clone()}</dd>
            <dt>"Description"</dt><dd>{if detail.description.trim().is_empty() {
                view! { <p class="empty-note">"No description yet."</p> }.into_any()
            } else {
                // Rendered from markdown and sanitized by the server (scripts, handlers and
                // script links removed); the page's CSP forbids inline scripts besides.
                view! { <div class="markdown" inner_html=detail.description_html.clone()></div> }.into_any()
            }}</dd>
            <dt>"Collaborators"</dt>
            <dd>
                <Loaded loading="Loading…">
                    {move || Suspend::new(async move {
                        collaborators.await.map(|acl| view! {
                            <ul class="collaborators">
                                {collaborator_lines(acl).into_iter().map(|line| view! {
                                    <li><strong>{line.name}</strong>
                                        {line.email.map(|email| view! { " " <span class="card-meta">{email}</span> })}
                                        " — " {line.access}
                                        {line.waiting.map(|t| view! { " " <span class="badge badge--locked">"waiting for " {t.label()}</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </Loaded>
            </dd>
        </dl>
        {may_read_spend.then(|| view! { <WorkspaceSpendPanel at=spend_at/> })}
        {may_audit.then(|| view! {
            <div class="audit">
                <button type="button" class="button" on:click=move |_| { audit.dispatch(()); }
                    aria-disabled=move || audit.pending().get().then_some("true")>"Show the history of changes"</button>
                {move || audit.value().get().map(|log| match log {
                    Err(error) => view! { <p class="alert alert--error" role="alert">{error.message()}</p> }.into_any(),
                    Ok(log) if log.events.is_empty() => view! { <p class="empty-note">"Nothing has been recorded yet."</p> }.into_any(),
                    Ok(log) => view! {
                        <ol class="timeline" aria-label="Audit log, newest first">
                            {log.events.into_iter().map(|event| view! {
                                <li class="timeline-item">
                                    <time class="timeline-time">{format_date_time(event.at)}</time>
                                    {carrel_core::audit::sentences(&event).into_iter().map(|sentence| view! {
                                        <p class="timeline-what">{sentence}</p>
                                    }).collect_view()}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </div>
        })}
    }
}

/// What this workspace has cost, for its owners (the billing project's owners see every
/// workspace on the project's spend page).
#[component]
fn WorkspaceSpendPanel(at: WorkspaceAddress) -> impl IntoView {
    let report = LocalResource::new(move || {
        let at = at.clone();
        async move { api::workspace_spend(&at).await }
    });
    view! {
        <section class="spend-panel" aria-labelledby="spend-title">
            <h2 id="spend-title">"What this workspace has cost"</h2>
            <Loaded loading="Loading the spend…">
                {move || Suspend::new(async move {
                    report.await.map(|report| view! {
                        <SpendBanner banner=report.banner/>
                        <p class="spend-total">"Spent so far: " <strong>{format_nanos(report.spend_nanos)}</strong></p>
                        <SpendChart days=report.by_day.clone()/>
                        <SpendDetails report/>
                    })
                })}
            </Loaded>
        </section>
    }
}

/// One collaborator, once: their role and every way they have it.
struct CollaboratorLine {
    name: String,
    email: Option<String>,
    access: String,
    waiting: Option<AccessTier>,
}

/// Each collaborator once: direct grants (a group counts as one collaborator), with "owner of
/// the billing project" added to a direct line, or a line of its own.
fn collaborator_lines(acl: AclView) -> Vec<CollaboratorLine> {
    let email_of = |reference: &PrincipalRef| match reference {
        PrincipalRef::User { email } => Some(email.clone()),
        PrincipalRef::Group { .. } => None,
    };
    let mut lines: Vec<(carrel_core::Principal, CollaboratorLine)> = acl
        .entries
        .iter()
        .map(|entry| {
            let (shares, computes) = entry
                .role
                .flags_beyond_role(entry.can_share, entry.can_compute);
            let via = if matches!(entry.who.reference, PrincipalRef::Group { .. }) {
                "group"
            } else {
                "direct"
            };
            let mut access = entry.role.label().to_owned();
            if shares {
                access.push_str(", can share");
            }
            if computes {
                access.push_str(", can compute");
            }
            (
                entry.who.principal.clone(),
                CollaboratorLine {
                    name: entry.who.label.clone(),
                    email: email_of(&entry.who.reference).filter(|email| *email != entry.who.label),
                    access: format!("{access} ({via})"),
                    waiting: entry.waiting_for_tier,
                },
            )
        })
        .collect();
    for owner in acl.project_owners {
        match lines
            .iter_mut()
            .find(|(principal, _)| *principal == owner.principal)
        {
            Some((_, line)) => {
                line.access = line.access.replace(')', "; owner of the billing project)");
            }
            None => lines.push((
                owner.principal.clone(),
                CollaboratorLine {
                    name: owner.label.clone(),
                    email: email_of(&owner.reference).filter(|email| *email != owner.label),
                    access: "Owner (owner of the billing project)".to_owned(),
                    waiting: None,
                },
            )),
        }
    }
    lines.into_iter().map(|(_, line)| line).collect()
}
