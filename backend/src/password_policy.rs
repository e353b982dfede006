//! What a new password must be: long enough, not too long to hash, different from the current
//! one, and not guessable (judged by zxcvbn, with the account's own name, email and company as
//! words a guesser would try first).

use api_types::{ErrorCode, FieldError, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use zxcvbn::feedback::Warning;
use zxcvbn::Score;

/// The weakest score accepted: zxcvbn's 3 is "safely unguessable" for an online attacker and
/// moderate protection if the hashes ever leaked (about 10^10 guesses).
const MIN_SCORE: Score = Score::Three;

/// Why a password is guessable, as a word the app turns into a sentence of its language.
fn reason(warning: Option<Warning>) -> &'static str {
    match warning {
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => "keyboard",
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "repeats",
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => "sequence",
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => "common",
        Some(
            Warning::AWordByItselfIsEasyToGuess
            | Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "word",
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => "date",
        _ => "guessable",
    }
}

/// The complaint about `new_password`, if any. `personal` are words of the account (name,
/// email, company) that make a password guessable to anyone who knows whose it is.
pub fn judge_new_password(new: &str, current: &str, personal: &[&str]) -> Option<FieldError> {
    let chars = new.chars().count();
    let complaint = |code, message: String| Some(FieldError::new("new_password", code, message));
    if chars < MIN_PASSWORD_CHARS {
        return complaint(
            ErrorCode::WeakPassword,
            format!("Use at least {MIN_PASSWORD_CHARS} characters"),
        )
        .map(|e| e.with_value("reason", "short"));
    }
    if chars > MAX_PASSWORD_CHARS {
        return complaint(
            ErrorCode::TooLong,
            format!("Use at most {MAX_PASSWORD_CHARS} characters"),
        )
        .map(|e| e.with_value("limit", MAX_PASSWORD_CHARS.to_string()));
    }
    if new == current {
        return complaint(
            ErrorCode::WeakPassword,
            "Choose a password different from the current one".into(),
        )
        .map(|e| e.with_value("reason", "same"));
    }
    // zxcvbn matches whole dictionary words: "Anna Keller" and "anna.keller@acme.example" are
    // given as their words, so "AnnaKeller2024" or "acme-installer" are found.
    let words: Vec<&str> = personal
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().count() >= 3)
        .collect();
    let entropy = zxcvbn::zxcvbn(new, &words);
    if entropy.score() >= MIN_SCORE {
        return None;
    }
    let warning = entropy.feedback().and_then(|f| f.warning());
    let why = warning.map_or_else(
        || "It would be guessed too easily".to_owned(),
        |w| w.to_string(),
    );
    complaint(
        ErrorCode::WeakPassword,
        format!("{why} Add a few uncommon words."),
    )
    .map(|e| e.with_value("reason", reason(warning)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason_for(password: &str) -> Option<String> {
        judge_new_password(
            password,
            "demo-password",
            &["Anna Keller", "anna@acme.example", "Acme"],
        )
        .map(|e| e.values.get("reason").cloned().unwrap_or_default())
    }

    #[test]
    fn guessable_passwords_are_refused_with_a_reason() {
        assert_eq!(reason_for("aaaaaaaaaaaa").as_deref(), Some("repeats"));
        assert_eq!(reason_for("qwerfdsazxcv").as_deref(), Some("keyboard"));
        assert_eq!(reason_for("qwertyuiopasdf").as_deref(), Some("common"));
        assert_eq!(reason_for("abcdefghijklmn").as_deref(), Some("sequence"));
        assert_eq!(reason_for("password1234").as_deref(), Some("common"));
        assert_eq!(reason_for("short").as_deref(), Some("short"));
        assert_eq!(reason_for("demo-password").as_deref(), Some("same"));
    }

    #[test]
    fn passphrases_are_accepted() {
        assert_eq!(reason_for("violet tractor sings at noon"), None);
        assert_eq!(reason_for("Kx9#mP2$vL7qRw"), None);
    }
}
