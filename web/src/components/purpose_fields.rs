//! The research purpose questions, shared by creating a workspace and editing its About page.
//! The messages are `core`'s: the caller passes the problems to show (none before a first try).

use leptos::prelude::*;

use carrel_core::validate::FieldError;
use carrel_core::workspace::{PopulationCategory, PrimaryPurpose, ResearchPurpose};

use crate::components::field::{problem_for, FieldMessage, TextField};

/// The population categories with their names for people.
pub const CATEGORIES: [(PopulationCategory, &str); 11] = [
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

/// A text answer of the research purpose, read from and written into `purpose`.
fn answer(
    purpose: RwSignal<ResearchPurpose>,
    get: fn(&ResearchPurpose) -> &String,
    set: fn(&mut ResearchPurpose) -> &mut String,
) -> RwSignal<String> {
    let value = RwSignal::new(purpose.with_untracked(|rp| get(rp).clone()));
    Effect::new(move |_| {
        let typed = value.get();
        if purpose.with_untracked(|rp| *get(rp) != typed) {
            purpose.update(|rp| *set(rp) = typed);
        }
    });
    value
}

#[component]
pub fn PurposeFields(
    purpose: RwSignal<ResearchPurpose>,
    /// `core`'s problems to show now (none before the first attempt to save).
    problems: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let error = move |field: &'static str| problem_for(problems, field);
    let invalid =
        move |field: &'static str| move || error(field).with(Option::is_some).then_some("true");
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
    let disease = answer(purpose, |rp| &rp.disease_name, |rp| &mut rp.disease_name);
    let other = answer(purpose, |rp| &rp.other_purpose, |rp| &mut rp.other_purpose);
    let reason = answer(
        purpose,
        |rp| &rp.reason_for_data,
        |rp| &mut rp.reason_for_data,
    );
    let questions = answer(
        purpose,
        |rp| &rp.scientific_questions,
        |rp| &mut rp.scientific_questions,
    );
    let approaches = answer(
        purpose,
        |rp| &rp.scientific_approaches,
        |rp| &mut rp.scientific_approaches,
    );
    let findings = answer(
        purpose,
        |rp| &rp.anticipated_findings,
        |rp| &mut rp.anticipated_findings,
    );
    let initial = purpose.get_untracked();
    let purposes_invalid = invalid("purposes");
    let categories_invalid = invalid("population_categories");
    view! {
        <fieldset>
            <legend>"Research purpose (published in the research directory)"</legend>
            <div class="field" role="group" aria-labelledby="purposes-label" data-field="purposes">
                <span id="purposes-label" class="label">"Primary purposes — choose all that apply"</span>
                <div class="choices">
                    {PrimaryPurpose::ALL.into_iter().enumerate().map(|(at, p)| view! {
                        <label class="choice"><input type="checkbox" checked=initial.purposes.contains(&p)
                            aria-invalid=move || if at == 0 { purposes_invalid() } else { None } aria-describedby="purposes-message"
                            on:change=move |e| toggle_purpose(p, event_target_checked(&e))/>{p.label()}</label>
                    }).collect_view()}
                </div>
                <FieldMessage id="purposes-message" error=error("purposes")/>
            </div>
            {move || purpose.with(|rp| rp.purposes.contains(&PrimaryPurpose::DiseaseFocused)).then(|| view! {
                <TextField id="rp-disease" label="Disease you focus on" field="disease_name" rows=2 value=disease error=error("disease_name")/>
            })}
            {move || purpose.with(|rp| rp.purposes.contains(&PrimaryPurpose::Other)).then(|| view! {
                <TextField id="rp-other" label="Describe your other purpose (up to 500 characters)" field="other_purpose" rows=3 value=other error=error("other_purpose")/>
            })}
            <TextField id="rp-reason" label="Why you chose this data (optional, up to 500 characters)" field="reason_for_data" rows=3 value=reason error=error("reason_for_data")/>
            <TextField id="rp-questions" label="Scientific questions you will study" field="scientific_questions" rows=3 value=questions error=error("scientific_questions")/>
            <TextField id="rp-approaches" label="Scientific approaches" field="scientific_approaches" rows=3 value=approaches error=error("scientific_approaches")/>
            <TextField id="rp-findings" label="Anticipated findings" field="anticipated_findings" rows=3 value=findings error=error("anticipated_findings")/>
            <div class="field" role="radiogroup" aria-labelledby="under-label" data-field="focuses_on_underrepresented">
                <span id="under-label" class="label">"Does your study focus on populations underrepresented in research?"</span>
                <label class="choice"><input type="radio" name="under" checked=initial.focuses_on_underrepresented == Some(true)
                    aria-invalid=invalid("focuses_on_underrepresented") aria-describedby="under-message"
                    on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(true))/>"Yes"</label>
                <label class="choice"><input type="radio" name="under" checked=initial.focuses_on_underrepresented == Some(false)
                    on:change=move |_| purpose.update(|rp| rp.focuses_on_underrepresented = Some(false))/>"No"</label>
                <FieldMessage id="under-message" error=error("focuses_on_underrepresented")/>
            </div>
            {move || (purpose.with(|rp| rp.focuses_on_underrepresented) == Some(true)).then(|| view! {
                <div class="field" role="group" aria-labelledby="cat-label" data-field="population_categories">
                    <span id="cat-label" class="label">"Which populations?"</span>
                    <div class="choices">
                        {CATEGORIES.into_iter().enumerate().map(|(at, (c, label))| view! {
                            <label class="choice"><input type="checkbox" checked=purpose.with_untracked(|rp| rp.population_categories.contains(&c))
                                aria-invalid=move || if at == 0 { categories_invalid() } else { None } aria-describedby="cat-message"
                                on:change=move |e| toggle_category(c, event_target_checked(&e))/>{label}</label>
                        }).collect_view()}
                    </div>
                    <FieldMessage id="cat-message" error=error("population_categories")/>
                </div>
            })}
            <div class="field" role="radiogroup" aria-labelledby="review-label" data-field="review_requested">
                <span id="review-label" class="label">"Request a review of your research purpose by the Resource Access Board? (private, never published)"</span>
                <label class="choice"><input type="radio" name="review" checked=initial.review_requested == Some(true)
                    aria-invalid=invalid("review_requested") aria-describedby="review-message"
                    on:change=move |_| purpose.update(|rp| rp.review_requested = Some(true))/>"Yes"</label>
                <label class="choice"><input type="radio" name="review" checked=initial.review_requested == Some(false)
                    on:change=move |_| purpose.update(|rp| rp.review_requested = Some(false))/>"No"</label>
                <FieldMessage id="review-message" error=error("review_requested")/>
            </div>
        </fieldset>
    }
}
