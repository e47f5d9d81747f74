//! The audit log told as sentences: "Ana Lee made Cory Diaz a writer", for the workspace's
//! timeline. Events recorded before a detail existed still read sensibly.

use serde_json::Value;

use crate::api::AuditEvent;
use crate::share::Role;

/// A name inside a sentence, between Unicode's first-strong isolate and its pop: a right-to-left
/// name neither reorders the sentence around it nor is reordered by it.
pub fn isolate(name: &str) -> String {
    format!("\u{2068}{name}\u{2069}")
}

/// Who did it: their name, else their email, else "Someone" (an account since deleted).
fn actor(event: &AuditEvent) -> String {
    [&event.actor_name, &event.actor]
        .into_iter()
        .find(|name| !name.is_empty())
        .map_or_else(|| "Someone".to_owned(), |name| isolate(name))
}

fn text<'a>(detail: &'a Value, key: &str) -> Option<&'a str> {
    detail.get(key).and_then(Value::as_str)
}

fn article(role: Role) -> &'static str {
    match role {
        Role::Owner => "an owner",
        Role::Writer => "a writer",
        Role::Reader => "a reader",
    }
}

/// "a writer who can share and compute": the role with the flags that matter for it.
fn access(grant: &Access) -> String {
    let (share, compute) = grant.role.flags(grant.can_share, grant.can_compute);
    let extras: Vec<&str> = [(share, "share"), (compute, "compute")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| what)
        .collect();
    if grant.role == Role::Owner || extras.is_empty() {
        article(grant.role).to_owned()
    } else {
        format!("{} who can {}", article(grant.role), extras.join(" and "))
    }
}

/// The person or group a sharing change was about.
fn subject(change: &Value) -> String {
    let reference = change.get("principal");
    let by_reference = reference
        .and_then(|r| r.get("email").or_else(|| r.get("name")))
        .and_then(Value::as_str);
    let named = text(change, "name").filter(|name| !name.is_empty());
    let is_group = reference
        .and_then(|r| text(r, "kind"))
        .is_some_and(|kind| kind == "group");
    match (named.or(by_reference), is_group) {
        (Some(name), true) => format!("the group {}", isolate(name)),
        (Some(name), false) => isolate(name),
        (None, _) => "someone".to_owned(),
    }
}

/// A grant's role and flags as the event recorded them.
struct Access {
    role: Role,
    can_share: bool,
    can_compute: bool,
}

fn grant_of(change: &Value, key: &str) -> Option<Access> {
    let grant = change.get(key)?;
    let flag = |name: &str| grant.get(name).and_then(Value::as_bool).unwrap_or(false);
    Some(Access {
        role: Role::parse(text(grant, "role")?)?,
        can_share: flag("can_share"),
        can_compute: flag("can_compute"),
    })
}

fn share_sentence(who: &str, change: &Value) -> String {
    let subject = subject(change);
    match (grant_of(change, "before"), grant_of(change, "after")) {
        (None, Some(after)) => format!("{who} made {subject} {}.", access(&after)),
        (Some(before), None) => {
            format!("{who} removed {subject} (was {}).", access(&before))
        }
        (Some(before), Some(after)) => format!(
            "{who} made {subject} {} (was {}).",
            access(&after),
            access(&before)
        ),
        (None, None) => format!("{who} changed the access of {subject}."),
    }
}

/// The event as one or more sentences.
pub fn sentences(event: &AuditEvent) -> Vec<String> {
    let who = actor(event);
    let detail = &event.detail;
    match event.action.as_str() {
        "create" => vec![match text(detail, "display_name") {
            Some(name) => format!("{who} created the workspace “{}”.", isolate(name)),
            None => format!("{who} created the workspace."),
        }],
        "duplicate" => {
            let from = text(detail, "duplicated_from").unwrap_or("another workspace");
            let with = if detail.get("copied_collaborators") == Some(&Value::Bool(true)) {
                ", with its collaborators"
            } else {
                ""
            };
            vec![format!(
                "{who} made this workspace as a copy of {from}{with}."
            )]
        }
        "edit" => {
            let mut changed = Vec::new();
            if let Some(name) = text(detail, "display_name") {
                changed.push(format!("set the name to “{}”", isolate(name)));
            }
            if detail.get("description_changed") == Some(&Value::Bool(true)) {
                changed.push("changed the description".to_owned());
            }
            if detail.get("research_purpose_changed") == Some(&Value::Bool(true)) {
                changed.push("changed the research purpose".to_owned());
            }
            if changed.is_empty() {
                vec![format!("{who} edited the workspace's details.")]
            } else {
                vec![format!("{who} {}.", changed.join(" and "))]
            }
        }
        "lock" => vec![format!("{who} locked the workspace.")],
        "unlock" => vec![format!("{who} unlocked the workspace.")],
        "leave" => vec![format!("{who} left the workspace.")],
        "delete" => vec![format!("{who} deleted the workspace.")],
        "share" => match detail.as_array() {
            Some(changes) if !changes.is_empty() => changes
                .iter()
                .map(|change| share_sentence(&who, change))
                .collect(),
            _ => vec![format!("{who} changed the sharing.")],
        },
        other => vec![format!("{who}: {}.", other.replace(['_', '.'], " "))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The sentences without their isolates, to compare as text.
    fn plain(event: &AuditEvent) -> Vec<String> {
        sentences(event)
            .into_iter()
            .map(|s| s.replace(['\u{2068}', '\u{2069}'], ""))
            .collect()
    }

    fn event(action: &str, detail: Value) -> AuditEvent {
        AuditEvent {
            at: 0,
            actor: "ana@lab.org".to_owned(),
            actor_name: "Ana Lee".to_owned(),
            action: action.to_owned(),
            detail,
        }
    }

    fn grant(role: &str, can_share: bool, can_compute: bool) -> Value {
        json!({ "principal": { "kind": "user", "id": 2 }, "role": role, "can_share": can_share, "can_compute": can_compute })
    }

    #[test]
    fn sharing_changes_read_as_sentences() {
        let changes = json!([
            { "principal": { "kind": "user", "email": "cory@lab.org" }, "name": "Cory Diaz",
              "before": null, "after": grant("writer", false, true) },
            { "principal": { "kind": "group", "name": "students" }, "name": "students",
              "before": grant("reader", false, false), "after": null },
            { "principal": { "kind": "user", "email": "dee@lab.org" },
              "before": grant("reader", false, false), "after": grant("owner", false, false) },
        ]);
        assert_eq!(
            plain(&event("share", changes)),
            [
                "Ana Lee made Cory Diaz a writer who can compute.",
                "Ana Lee removed the group students (was a reader).",
                "Ana Lee made dee@lab.org an owner (was a reader).",
            ]
        );
    }

    #[test]
    fn other_events_and_unknown_actors() {
        let mut created = event(
            "create",
            json!({ "display_name": "Markers", "tier": "registered" }),
        );
        assert_eq!(
            plain(&created),
            ["Ana Lee created the workspace “Markers”."]
        );
        created.actor_name.clear();
        created.actor.clear();
        assert_eq!(
            plain(&created),
            ["Someone created the workspace “Markers”."]
        );
        let edited = event(
            "edit",
            json!({ "display_name": "Markers II", "description_changed": true, "research_purpose_changed": false }),
        );
        assert_eq!(
            plain(&edited),
            ["Ana Lee set the name to “Markers II” and changed the description."]
        );
        assert_eq!(
            plain(&event("lock", json!({}))),
            ["Ana Lee locked the workspace."]
        );
    }

    #[test]
    fn names_are_isolated_in_sentences() {
        let mut shared = event(
            "share",
            json!([{ "principal": { "kind": "user", "email": "x@y.org" },
                "name": "مريم", "before": null, "after": grant("reader", false, false) }]),
        );
        shared.actor_name = "שרה".to_owned();
        assert_eq!(
            sentences(&shared),
            ["\u{2068}שרה\u{2069} made \u{2068}مريم\u{2069} a reader."]
        );
    }
}
