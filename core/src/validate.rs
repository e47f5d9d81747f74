//! Field-level input rules shared by forms and the server: one message per field.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: &str) -> Self {
        FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_BYTES: usize = 512;

pub fn check_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            "password",
            "Use at least 10 characters for your password.",
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(FieldError::new(
            "password",
            "A password has at most 512 bytes.",
        ));
    }
    Ok(())
}

/// A person's display name: 1–80 characters, no control characters, trimmed.
pub fn parse_person_name(raw: &str) -> Result<String, FieldError> {
    parse_label("display_name", raw, 80, "your name")
}

/// Characters a name must not hold: the bidirectional controls (embeddings, overrides, isolates
/// and marks) and the other invisible format characters. The zero-width joiner is allowed between
/// two visible non-ASCII characters, where it joins emoji (👩‍🔬).
pub fn invisible_character(value: &str) -> Option<char> {
    let chars: Vec<char> = value.chars().collect();
    chars.iter().enumerate().find_map(|(at, &c)| {
        let hidden = matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}');
        let joins_emoji = c == '\u{200D}'
            && at > 0
            && chars.get(at + 1).is_some_and(|next| !next.is_ascii())
            && !chars[at - 1].is_ascii();
        (hidden && !joins_emoji).then_some(c)
    })
}

/// A trimmed label of 1..=`max` characters without control or invisible characters.
pub fn parse_label(field: &str, raw: &str, max: usize, what: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError {
            field: field.to_owned(),
            message: format!("Enter {what}."),
        });
    }
    if value.chars().count() > max {
        return Err(FieldError {
            field: field.to_owned(),
            message: format!("Keep {what} to at most {max} characters."),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError {
            field: field.to_owned(),
            message: format!("Remove line breaks and other control characters from {what}."),
        });
    }
    if let Some(hidden) = invisible_character(value) {
        return Err(FieldError {
            field: field.to_owned(),
            message: format!(
                "Remove the invisible character U+{:04X} from {what}: characters that change the \
                 direction of text or take no space let two names look the same.",
                u32::from(hidden)
            ),
        });
    }
    Ok(value.to_owned())
}

/// A required answer of at least `min` characters (trimmed) and at most `max`: a one-letter
/// answer to a question that asks for a sentence is not an answer.
pub fn check_answer(
    field: &str,
    value: &str,
    (min, max): (usize, usize),
    what: &str,
) -> Option<FieldError> {
    if let Some(problem) = check_text(field, value, max, true, what) {
        return Some(problem);
    }
    let chars = value.trim().chars().count();
    (chars < min).then(|| FieldError {
        field: field.to_owned(),
        message: format!("Describe {what} in at least {min} characters (now {chars})."),
    })
}

/// Check an optional free-text answer against its limit; `required` also refuses blank answers.
pub fn check_text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    what: &str,
) -> Option<FieldError> {
    let chars = value.trim().chars().count();
    if required && chars == 0 {
        return Some(FieldError {
            field: field.to_owned(),
            message: format!("Describe {what}."),
        });
    }
    if chars > max {
        return Some(FieldError {
            field: field.to_owned(),
            message: format!("Keep {what} to at most {max} characters (now {chars})."),
        });
    }
    None
}
