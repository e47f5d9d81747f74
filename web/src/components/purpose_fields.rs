//! The research purpose questions, shared by creating a workspace and editing its About page.
//! The messages are `core`'s: the caller passes `core`'s problems and whether to show them yet.

use leptos::prelude::*;

use carrel_core::validate::FieldError;
use carrel_core::workspace::{PopulationCategory, PrimaryPurpose, ResearchPurpose};

const CATEGORIES: [(PopulationCategory, &str); 11] = [
    (PopulationCategory::RaceEthnicity, "Race or ethnicity"),
    (PopulationCategory::AgeGroups, "Age groups"),
    (PopulationCategory::Sex, "Sex"),
    (PopulationCategory::GenderIdentity, "Gender identity"),
    (PopulationCategory::SexualOrientation, "Sexual orientation"),
    (PopulationCategory::Geography, "Geography"),
    (PopulationCategory::DisabilityStatus, "Disability status"),
    (PopulationCategory::AccessToCare, "Access to care"),
    (PopulationCategory::EducationLevel, "Education level"),
    (PopulationCategory::IncomeLevel, "Income level"),
    (PopulationCategory::Other, "Other"),
];

#[component]
pub fn PurposeFields(
    purpose: RwSignal<ResearchPurpose>,
    /// `core`'s problems with the whole form.
    problems: Signal<Vec<FieldError>>,
    /// Whether to show them yet (after the first attempt to save).
    show: Signal<bool>,
) -> impl IntoView {
    let message = move |field: &'static str| {
        move || {
            show.get()
                .then(|| {
                    problems
                        .get()
                        .into_iter()
                        .find(|p| p.field == field)
                        .map(|p| p.message)
                })
                .flatten()
        }
    };
    let toggle_purpose = move |p: PrimaryPurpose, on: bool| {
        purpose.update(|rp| {
            rp.purposes.retain(|x| *x != p);
            if on {
                rp.purposes.push(p);
            }
        })
    };
    let toggle_category = move |c: PopulationCategory, on: bool| {
        purpose.update(|rp| {
            rp.population_categories.retain(|x| *x != c);
            if on {
                rp.population_categories.push(c);
            }
        })
    };
    let initial = purpose.get_untracked();
    view! {
        <fieldset>
            <legend>"Research purpose (published in the research directory)"</legend>
            <div class="field" role="group" aria-labelledby="purposes-label">
                <span id="purposes-label" class="label">"Primary purposes — choose all that apply"</span>
                <div class="choices">
                    {PrimaryPurpose::ALL.into_iter().map(|p| view! {
                        <label class="choice"><input type="checkbox" checked=initial.purposes.contains(&p) on:change=move |e| toggle_purpose(p, event_target_checked(&e))/>{p.label()}</label>
                    }).collect_view()}
                </div>
                <p class="field-message">{message("purposes")}</p>
            </div>
            {move || purpose.get().purposes.contains(&PrimaryPurpose::DiseaseFocused).then(|| view! {
                <TextArea id="rp-disease" label="Disease you focus on" field="disease_name" purpose get=|rp| rp.disease_name.clone() set=|rp, v| rp.disease_name = v message=message("disease_name")/>
            })}
            {move || purpose.get().purposes.contains(&PrimaryPurpose::Other).then(|| view! {
                <TextArea id="rp-other" label="Describe your other purpose (up to 500 characters)" field="other_purpose" purpose get=|rp| rp.other_purpose.clone() set=|rp, v| rp.other_purpose = v message=message("other_purpose")/>
            })}
            <TextArea id="rp-reason" label="Why you chose this data (optional, up to 500 characters)" field="reason_for_data" purpose get=|rp| rp.reason_for_data.clone() set=|rp, v| rp.reason_for_data = v message=message("reason_for_data")/>
            <TextArea id="rp-questions" label="Scientific questions you will study" field="scientific_questions" purpose get=|rp| rp.scientific_questions.clone() set=|rp, v| rp.scientific_questions = v message=message("scientific_questions")/>
            <TextArea id="rp-approaches" label="Scientific approaches" field="scientific_approaches" purpose get=|rp| rp.scientific_approaches.clone() set=|rp, v| rp.scientific_approaches = v message=message("scientific_approaches")/>
            <TextArea id="rp-findings" label="Anticipated findings" field="anticipated_findings" purpose get=|rp| rp.anticipated_findings.clone() set=|rp, v| rp.anticipated_findings = v message=message("anticipated_findings")/>
            <div class="field" role="radiogroup" aria-labelledby="under-label">
                <span id="under-label" class="label">"Does your study focus on populations underrepresented in research?"</span>
                <label class="choice"><input type="radio" name="under" checked=initial.focuses_on_underrepresented == Some(true) on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(true))/>"Yes"</label>
                <label class="choice"><input type="radio" name="under" checked=initial.focuses_on_underrepresented == Some(false) on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(false))/>"No"</label>
                <p class="field-message">{message("focuses_on_underrepresented")}</p>
            </div>
            {move || (purpose.get().focuses_on_underrepresented == Some(true)).then(|| view! {
                <div class="field" role="group" aria-labelledby="cat-label">
                    <span id="cat-label" class="label">"Which populations?"</span>
                    <div class="choices">
                        {CATEGORIES.into_iter().map(|(c, label)| view! {
                            <label class="choice"><input type="checkbox" checked=purpose.with_untracked(|rp| rp.population_categories.contains(&c)) on:change=move |e| toggle_category(c, event_target_checked(&e))/>{label}</label>
                        }).collect_view()}
                    </div>
                    <p class="field-message">{message("population_categories")}</p>
                </div>
            })}
            <div class="field" role="radiogroup" aria-labelledby="review-label">
                <span id="review-label" class="label">"Request a review of your research purpose by the Resource Access Board? (private, never published)"</span>
                <label class="choice"><input type="radio" name="review" checked=initial.review_requested == Some(true) on:change=move |_| purpose.update(|rp| rp.review_requested = Some(true))/>"Yes"</label>
                <label class="choice"><input type="radio" name="review" checked=initial.review_requested == Some(false) on:change=move |_| purpose.update(|rp| rp.review_requested = Some(false))/>"No"</label>
                <p class="field-message">{message("review_requested")}</p>
            </div>
        </fieldset>
    }
}

#[component]
fn TextArea(
    id: &'static str,
    label: &'static str,
    field: &'static str,
    purpose: RwSignal<ResearchPurpose>,
    get: fn(&ResearchPurpose) -> String,
    set: fn(&mut ResearchPurpose, String),
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    view! {
        <div class="field" data-field=field>
            <label for=id>{label}</label>
            <textarea id=id aria-describedby=message_id.clone() rows="3"
                prop:value=move || purpose.with(get)
                on:input=move |e| { let value = event_target_value(&e); purpose.update(|rp| set(rp, value)); }></textarea>
            <p class="field-message" id=message_id>{message}</p>
        </div>
    }
}
