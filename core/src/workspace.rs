//! Workspace fields: names, dataset versions and the research purpose.

use serde::{Deserialize, Serialize};

use crate::tier::AccessTier;
use crate::validate::{check_answer, check_text, parse_label, FieldError};

pub const DISPLAY_NAME_MAX: usize = 80;

pub fn parse_display_name(raw: &str) -> Result<String, FieldError> {
    parse_label("display_name", raw, DISPLAY_NAME_MAX, "a workspace name")
}

/// The URL name of a workspace, derived from its display name: lower-case letters, digits and
/// single dashes, at most 80 characters; "workspace" when nothing usable remains.
/// Combining marks (accents, Arabic and Hebrew vowel points, Indic vowel signs): part of the
/// word they follow.
fn is_combining_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0DFF | 0x0E31..=0x0E4E | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// A workspace's URL name from its display name: its words in lower case, in any script
/// ("Heart study" → `heart-study`, "دراسة القلب" → `دراسة-القلب`), joined by `-`. A name with no
/// letters or digits at all (only emoji) gets `workspace`; the store adds `-2`, `-3` … to make
/// a URL name unique in its billing project.
pub fn url_name_of(display_name: &str) -> String {
    let mut name = String::new();
    for c in display_name.chars().flat_map(char::to_lowercase) {
        let continues_word = is_combining_mark(c) && !name.is_empty() && !name.ends_with('-');
        if c.is_alphanumeric() || continues_word {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name: String = name
        .trim_end_matches('-')
        .chars()
        .take(DISPLAY_NAME_MAX)
        .collect();
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "workspace".to_owned()
    } else {
        name.to_owned()
    }
}

/// An ASCII name from free text (billing project names): `a-z`, `0-9` and `-`.
pub fn slug_of(display_name: &str) -> String {
    let mut slug = String::new();
    for c in display_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug
        .trim_end_matches('-')
        .chars()
        .take(DISPLAY_NAME_MAX)
        .collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "workspace".to_owned()
    } else {
        slug.to_owned()
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DatasetStatus {
    Live,
    Archived,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetVersion {
    pub id: String,
    pub tier: AccessTier,
    pub label: String,
    pub status: DatasetStatus,
    pub is_default: bool,
}

/// Which dataset version a new workspace gets: the tier's default when none is chosen; an
/// archived one is refused; an older live one needs a replication statement.
pub fn choose_dataset_version<'a>(
    versions: &'a [DatasetVersion],
    tier: AccessTier,
    chosen: Option<&str>,
    replication_statement: Option<&str>,
) -> Result<&'a DatasetVersion, FieldError> {
    let field = "dataset_version";
    let in_tier = || versions.iter().filter(move |v| v.tier == tier);
    let Some(id) = chosen else {
        return in_tier()
            .find(|v| v.is_default)
            .ok_or_else(|| FieldError::new(field, "This tier has no default dataset version."));
    };
    let version = in_tier().find(|v| v.id == id).ok_or_else(|| {
        FieldError::new(field, "Choose a dataset version of the workspace's tier.")
    })?;
    if version.status == DatasetStatus::Archived {
        return Err(FieldError::new(
            field,
            "This dataset version is archived; new workspaces cannot use it.",
        ));
    }
    let statement_given = replication_statement.is_some_and(|s| !s.trim().is_empty());
    if !version.is_default && !statement_given {
        return Err(FieldError::new(
            "replication_statement",
            "Explain which study you are replicating or continuing to use an older dataset version.",
        ));
    }
    Ok(version)
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrimaryPurpose {
    DiseaseFocused,
    MethodsDevelopment,
    ResearchControl,
    Genetic,
    SocialBehavioral,
    PopulationHealth,
    DrugDevelopment,
    ForProfit,
    Educational,
    Other,
}

impl PrimaryPurpose {
    pub const ALL: [PrimaryPurpose; 10] = [
        PrimaryPurpose::DiseaseFocused,
        PrimaryPurpose::MethodsDevelopment,
        PrimaryPurpose::ResearchControl,
        PrimaryPurpose::Genetic,
        PrimaryPurpose::SocialBehavioral,
        PrimaryPurpose::PopulationHealth,
        PrimaryPurpose::DrugDevelopment,
        PrimaryPurpose::ForProfit,
        PrimaryPurpose::Educational,
        PrimaryPurpose::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PrimaryPurpose::DiseaseFocused => "Disease-focused research",
            PrimaryPurpose::MethodsDevelopment => "Methods development or validation",
            PrimaryPurpose::ResearchControl => "Research control",
            PrimaryPurpose::Genetic => "Genetic research",
            PrimaryPurpose::SocialBehavioral => "Social or behavioral research",
            PrimaryPurpose::PopulationHealth => "Population or public health research",
            PrimaryPurpose::DrugDevelopment => "Drug or therapeutics development",
            PrimaryPurpose::ForProfit => "For-profit research",
            PrimaryPurpose::Educational => "Educational purpose",
            PrimaryPurpose::Other => "Other purpose",
        }
    }

    /// The name the API and the directory's filter use (`disease_focused`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PrimaryPurpose::DiseaseFocused => "disease_focused",
            PrimaryPurpose::MethodsDevelopment => "methods_development",
            PrimaryPurpose::ResearchControl => "research_control",
            PrimaryPurpose::Genetic => "genetic",
            PrimaryPurpose::SocialBehavioral => "social_behavioral",
            PrimaryPurpose::PopulationHealth => "population_health",
            PrimaryPurpose::DrugDevelopment => "drug_development",
            PrimaryPurpose::ForProfit => "for_profit",
            PrimaryPurpose::Educational => "educational",
            PrimaryPurpose::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<PrimaryPurpose> {
        PrimaryPurpose::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PopulationCategory {
    RaceEthnicity,
    AgeGroups,
    Sex,
    GenderIdentity,
    SexualOrientation,
    Geography,
    DisabilityStatus,
    AccessToCare,
    EducationLevel,
    IncomeLevel,
    Other,
}

/// What the workspace is for. Published in the directory, except `review_requested`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResearchPurpose {
    pub purposes: Vec<PrimaryPurpose>,
    #[serde(default)]
    pub disease_name: String,
    #[serde(default)]
    pub other_purpose: String,
    #[serde(default)]
    pub reason_for_data: String,
    pub scientific_questions: String,
    pub scientific_approaches: String,
    pub anticipated_findings: String,
    pub focuses_on_underrepresented: Option<bool>,
    #[serde(default)]
    pub population_categories: Vec<PopulationCategory>,
    #[serde(default)]
    pub population_other: String,
    /// Private: never published.
    pub review_requested: Option<bool>,
}

/// The shortest answer to a question that asks for sentences (research purpose).
pub const MIN_ANSWER_CHARS: usize = 10;
/// The shortest disease name ("HIV", "flu").
pub const MIN_NAME_CHARS: usize = 3;

impl ResearchPurpose {
    /// Every rule of SPEC §3, one message per field that breaks one.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let has = |purpose| self.purposes.contains(&purpose);
        if self.purposes.is_empty() {
            problems.push(FieldError::new(
                "purposes",
                "Choose at least one primary purpose.",
            ));
        }
        if has(PrimaryPurpose::DiseaseFocused) {
            problems.extend(check_answer(
                "disease_name",
                &self.disease_name,
                (MIN_NAME_CHARS, 200),
                "the disease you focus on",
            ));
        }
        if has(PrimaryPurpose::Other) {
            problems.extend(check_answer(
                "other_purpose",
                &self.other_purpose,
                (MIN_ANSWER_CHARS, 500),
                "your other purpose",
            ));
        }
        problems.extend(check_text(
            "reason_for_data",
            &self.reason_for_data,
            500,
            false,
            "why you chose this data",
        ));
        problems.extend(check_answer(
            "scientific_questions",
            &self.scientific_questions,
            (MIN_ANSWER_CHARS, 1000),
            "the scientific questions you will study",
        ));
        problems.extend(check_answer(
            "scientific_approaches",
            &self.scientific_approaches,
            (MIN_ANSWER_CHARS, 1000),
            "your scientific approaches",
        ));
        problems.extend(check_answer(
            "anticipated_findings",
            &self.anticipated_findings,
            (MIN_ANSWER_CHARS, 1000),
            "the findings you anticipate",
        ));
        match self.focuses_on_underrepresented {
            None => problems.push(FieldError::new(
                "focuses_on_underrepresented",
                "Say whether your study focuses on underrepresented populations.",
            )),
            Some(true) if self.population_categories.is_empty() => problems.push(FieldError::new(
                "population_categories",
                "Choose at least one population category your study focuses on.",
            )),
            Some(true)
                if self
                    .population_categories
                    .contains(&PopulationCategory::Other) =>
            {
                problems.extend(check_text(
                    "population_other",
                    &self.population_other,
                    100,
                    true,
                    "the other population",
                ));
            }
            _ => {}
        }
        if self.review_requested.is_none() {
            problems.push(FieldError::new(
                "review_requested",
                "Say whether you request a review by the Resource Access Board.",
            ));
        }
        problems
    }

    /// The published part: everything but the review request.
    /// The words the public directory's search looks in: the questions, approaches, findings
    /// and the disease and other purpose named (never the private review request).
    pub fn searchable_text(&self) -> String {
        [
            self.scientific_questions.as_str(),
            &self.scientific_approaches,
            &self.anticipated_findings,
            &self.disease_name,
            &self.other_purpose,
        ]
        .join("\n")
    }

    pub fn published(&self) -> ResearchPurpose {
        ResearchPurpose {
            review_requested: None,
            ..self.clone()
        }
    }
}

/// Deleting a workspace is confirmed by typing its URL name exactly: the name the delete dialog
/// shows and the workspace's address carries. (The display name is not accepted: one rule, one
/// answer, in the dialog and on the server.)
pub fn confirms_deletion(typed: &str, url_name: &str) -> bool {
    typed.trim() == url_name
}
