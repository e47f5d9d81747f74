//! The About tab: the research purpose, the facts of the workspace, its collaborators, and (for
//! those who may read it) the audit log.

use leptos::prelude::*;

use carrel_core::api::WorkspaceDetail;
use carrel_core::workspace::PrimaryPurpose;
use carrel_core::Action as WorkspaceAction;

use super::permission;
use crate::api::{self, WorkspaceAddress};
use crate::components::async_view::Loaded;
use crate::components::workspace_card::format_date;

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
    let audit = Action::new_local(move |(): &()| {
        let at = at.clone();
        async move { api::audit_log(&at).await }
    });
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
                <Loaded loading="Loading…">
                    {move || Suspend::new(async move {
                        collaborators.await.map(|acl| view! {
                            <ul class="collaborators">
                                {acl.entries.into_iter().map(|e| {
                                    let (shares, computes) = e.role.flags_beyond_role(e.can_share, e.can_compute);
                                    view! {
                                        <li><strong>{e.who.label.clone()}</strong>" — " {e.role.label()}
                                            {shares.then_some(", can share")}{computes.then_some(", can compute")}
                                            {e.waiting_for_tier.map(|t| view! { <span class="badge badge--locked">"waiting for " {t.label()}</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                                {acl.project_owners.into_iter().map(|p| view! { <li><strong>{p.label.clone()}</strong>" — Owner (billing project)"</li> }).collect_view()}
                            </ul>
                        })
                    })}
                </Loaded>
            </dd>
        </dl>
        {may_audit.then(|| view! {
            <div class="audit">
                <button type="button" class="button" on:click=move |_| { audit.dispatch(()); }
                    aria-disabled=move || audit.pending().get().then_some("true")>"Show the audit log"</button>
                {move || audit.value().get().map(|log| match log {
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
