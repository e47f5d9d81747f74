//! A research purpose as readers see it: every published answer, as terms of a `<dl>`. Used by
//! a workspace's About tab and by the public directory's page for each workspace.

use leptos::prelude::*;

use carrel_core::workspace::{PrimaryPurpose, ResearchPurpose};

use crate::components::purpose_fields::CATEGORIES;

/// The `<dt>`/`<dd>` pairs of a research purpose (place inside a `<dl>`); blank optional
/// answers are left out.
#[component]
pub fn PurposeTerms(purpose: ResearchPurpose) -> impl IntoView {
    let purposes: Vec<&'static str> = purpose
        .purposes
        .iter()
        .map(|p: &PrimaryPurpose| p.label())
        .collect();
    let populations: Vec<String> = CATEGORIES
        .iter()
        .filter(|(category, _)| purpose.population_categories.contains(category))
        .map(|(_, label)| (*label).to_owned())
        .chain((!purpose.population_other.is_empty()).then(|| purpose.population_other.clone()))
        .collect();
    let answer = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
    let underrepresented = match purpose.focuses_on_underrepresented {
        Some(true) if populations.is_empty() => "Yes".to_owned(),
        Some(true) => format!("Yes: {}", populations.join(", ")),
        Some(false) => "No".to_owned(),
        None => "Not answered".to_owned(),
    };
    view! {
        <dt>"Primary purposes"</dt><dd>{purposes.join(", ")}</dd>
        {answer(&purpose.disease_name).map(|text| view! { <dt>"Disease"</dt><dd>{text}</dd> })}
        {answer(&purpose.other_purpose).map(|text| view! { <dt>"Other purpose"</dt><dd>{text}</dd> })}
        {answer(&purpose.reason_for_data).map(|text| view! { <dt>"Why this data"</dt><dd>{text}</dd> })}
        <dt>"Scientific questions"</dt><dd>{purpose.scientific_questions.clone()}</dd>
        <dt>"Scientific approaches"</dt><dd>{purpose.scientific_approaches.clone()}</dd>
        <dt>"Anticipated findings"</dt><dd>{purpose.anticipated_findings.clone()}</dd>
        <dt>"Focus on underrepresented populations"</dt><dd>{underrepresented}</dd>
    }
}
