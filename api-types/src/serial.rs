//! Hikvision serial numbers.
//!
//! A device label shows the 9-character short serial (`E61958062`); SADP and the recorder's own
//! screens show the full form, `DS-7608NI-E2/8P0820160211AAWR123456789WCVU`: the model, the
//! manufacturing date (YYYYMMDD), a two-letter grade, a two-letter region code (`CH`, `EU`, `WR`,
//! `RR`, …), the short serial and trailing feature letters. Both forms are accepted.

use std::fmt;

/// Longest serial accepted in either form.
pub const MAX_LEN: usize = 64;
const SHORT_LEN: usize = 9;
/// The full form after its model: date (YYYYMMDD), grade, region, then the short serial.
const DATE_LEN: usize = 8;
const GRADE_LEN: usize = 2;
const REGION_LEN: usize = 2;

/// A validated serial number, normalised to upper case without spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serial {
    text: String,
    full: Option<FullParts>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct FullParts {
    model: String,
    date: String,
    region: String,
    short: String,
}

/// Why a serial number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SerialError {
    Empty,
    TooLong,
    /// Neither 9 letters and digits nor the full form.
    BadFormat,
}

impl fmt::Display for SerialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a serial number is required",
            Self::TooLong => "the serial number is too long",
            Self::BadFormat => "enter the 9-character serial from the label, or the full serial",
        })
    }
}

impl Serial {
    pub fn parse(input: &str) -> Result<Self, SerialError> {
        let text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if text.is_empty() {
            return Err(SerialError::Empty);
        }
        if text.len() > MAX_LEN {
            return Err(SerialError::TooLong);
        }
        if !text.is_ascii() {
            return Err(SerialError::BadFormat);
        }
        if text.len() == SHORT_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(Self { text, full: None });
        }
        let full = parse_full(&text).ok_or(SerialError::BadFormat)?;
        Ok(Self {
            text,
            full: Some(full),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 9-character serial printed on the label.
    pub fn short(&self) -> &str {
        self.full.as_ref().map_or(&self.text, |f| &f.short)
    }

    pub fn model(&self) -> Option<&str> {
        self.full.as_ref().map(|f| f.model.as_str())
    }

    /// The region code of a full serial.
    pub fn region(&self) -> Option<&str> {
        self.full.as_ref().map(|f| f.region.as_str())
    }

    /// The serial cut where a line may break when it must wrap: a full serial into its model,
    /// date, grade and region, label serial and feature letters, so that a narrow screen never
    /// splits the 9 characters the partner compares with the label; a short serial whole.
    pub fn parts(&self) -> Vec<&str> {
        let Some(full) = &self.full else {
            return vec![&self.text];
        };
        let lengths = [
            full.model.len(),
            DATE_LEN,
            GRADE_LEN + REGION_LEN,
            SHORT_LEN,
        ];
        let mut rest = self.text.as_str();
        let mut parts = Vec::with_capacity(lengths.len() + 1);
        for length in lengths {
            let (part, after) = rest.split_at(length);
            parts.push(part);
            rest = after;
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts
    }

    /// Manufacturing date of a full serial, as `YYYY-MM-DD`.
    pub fn manufactured(&self) -> Option<String> {
        self.full
            .as_ref()
            .map(|f| format!("{}-{}-{}", &f.date[0..4], &f.date[4..6], &f.date[6..8]))
    }
}

impl Serial {
    /// Whether two serials name the same device: the full form and the label's short serial
    /// of one device agree.
    pub fn same_device(&self, other: &Serial) -> bool {
        self.short() == other.short()
    }

    /// The first serial-shaped value in free text (a QR payload, an export's other fields):
    /// `sn=…`-style keys first, then any full serial, then a short serial with at least five
    /// digits (so that ordinary nine-letter words are not taken for one).
    pub fn find_in_text(text: &str) -> Option<Serial> {
        let tokens = || {
            text.split(|c: char| c.is_whitespace() || "|&;,<>\"'[]{}()?#".contains(c))
                .filter(|t| !t.is_empty())
        };
        let keyed = tokens().find_map(|token| {
            let (key, value) = token.split_once(['=', ':'])?;
            let key = normalise_name(key);
            (key == "sn" || key.contains("serial"))
                .then(|| Serial::parse(value).ok())
                .flatten()
        });
        let value_of = |token: &str| -> String {
            token
                .rsplit_once(['=', ':'])
                .map_or(token, |(_, value)| value)
                .to_owned()
        };
        keyed
            .or_else(|| {
                tokens()
                    .filter_map(|t| Serial::parse(&value_of(t)).ok())
                    .find(|s| s.full.is_some())
            })
            .or_else(|| {
                tokens()
                    .filter_map(|t| Serial::parse(&value_of(t)).ok())
                    .find(|s| {
                        s.full.is_none() && s.text.bytes().filter(u8::is_ascii_digit).count() >= 5
                    })
            })
    }
}

/// A field name as SADP versions spell it, reduced to compare: lower case, without `_`, `-`,
/// `.` or spaces (`Serial_No`, `serialNo` and `SERIAL-NO` are one name). ASCII case only: the
/// names are ASCII, and Unicode's case tables would cost the wizard's code kilobytes.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn parse_full(text: &str) -> Option<FullParts> {
    let bytes = text.as_bytes();
    // The model can itself contain digits, so try date positions from the right.
    let tail_len = DATE_LEN + GRADE_LEN + REGION_LEN + SHORT_LEN;
    if bytes.len() < tail_len + 1 {
        return None;
    }
    (1..=bytes.len() - tail_len).rev().find_map(|at| {
        let grade_at = at + DATE_LEN;
        let region_at = grade_at + GRADE_LEN;
        let short_at = region_at + REGION_LEN;
        let date = &text[at..grade_at];
        let grade = &bytes[grade_at..region_at];
        let region = &text[region_at..short_at];
        let short = &text[short_at..short_at + SHORT_LEN];
        let features = &bytes[short_at + SHORT_LEN..];
        let model = &text[..at];
        let ok = is_date(date)
            && grade.iter().all(u8::is_ascii_uppercase)
            && region.bytes().all(|b| b.is_ascii_uppercase())
            && short.bytes().all(|b| b.is_ascii_alphanumeric())
            && features.iter().all(u8::is_ascii_uppercase)
            && model
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-/_.+()".contains(&b))
            && model.bytes().any(|b| b.is_ascii_alphabetic());
        ok.then(|| FullParts {
            model: model.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            short: short.to_owned(),
        })
    })
}

fn is_date(s: &str) -> bool {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let year: u32 = s[0..4].parse().unwrap_or(0);
    let month: u32 = s[4..6].parse().unwrap_or(0);
    let day: u32 = s[6..8].parse().unwrap_or(0);
    (1990..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_short_serials_from_labels() {
        for s in ["E61958062", "594199052", " e61958062 "] {
            let serial = Serial::parse(s).unwrap();
            assert_eq!(serial.short(), s.trim().to_ascii_uppercase());
            assert_eq!(serial.region(), None);
        }
    }

    #[test]
    fn splits_a_full_serial_into_its_parts() {
        let serial = Serial::parse("DS-7608NI-E2/8P0820160211AAWR123456789WCVU").unwrap();
        assert_eq!(serial.model(), Some("DS-7608NI-E2/8P08"));
        assert_eq!(serial.manufactured().as_deref(), Some("2016-02-11"));
        assert_eq!(serial.region(), Some("WR"));
        assert_eq!(serial.short(), "123456789");
    }

    #[test]
    fn cuts_a_serial_where_a_line_may_break() {
        let full = Serial::parse("DS-7608NI-E2/8P0820160211AAWR123456789WCVU").unwrap();
        assert_eq!(
            full.parts(),
            ["DS-7608NI-E2/8P08", "20160211", "AAWR", "123456789", "WCVU"]
        );
        assert_eq!(full.parts().concat(), full.as_str());
        let no_features = Serial::parse("DS-2CD2143G2-I20210101AAWR123456789").unwrap();
        assert_eq!(no_features.parts().last(), Some(&"123456789"));
        assert_eq!(Serial::parse("e61958062").unwrap().parts(), ["E61958062"]);
    }

    #[test]
    fn refuses_what_is_not_a_serial() {
        assert_eq!(Serial::parse("   "), Err(SerialError::Empty));
        assert_eq!(Serial::parse("E6195806"), Err(SerialError::BadFormat));
        assert_eq!(
            Serial::parse("<script>alert(1)</script>"),
            Err(SerialError::BadFormat)
        );
        assert_eq!(
            Serial::parse("DS-7608NI20161311AAWR123456789"),
            Err(SerialError::BadFormat)
        );
        assert_eq!(Serial::parse(&"A".repeat(65)), Err(SerialError::TooLong));
    }

    #[test]
    fn the_region_code_is_the_market_the_device_was_built_for() {
        let serial = Serial::parse("DS-7608NI-K2/8P0820230417CCRRE61958062WCVU").unwrap();
        assert_eq!(serial.region(), Some("RR"));
        assert_eq!(serial.short(), "E61958062");
        assert!(serial.same_device(&Serial::parse("e61958062").unwrap()));
        assert!(!serial.same_device(&Serial::parse("594199052").unwrap()));
    }

    #[test]
    fn finds_serials_in_free_text() {
        let find = |t: &str| Serial::find_in_text(t).map(|s| s.as_str().to_owned());
        assert_eq!(
            find("sn=E61958062&mac=44:19:b6:00:11:22&code=QUJDRA==").as_deref(),
            Some("E61958062")
        );
        assert_eq!(
            find("SADP|DS-2CD2143G2-I20210101AAWR123456789|2026-11-21T10:00:00Z|a8f3c1").as_deref(),
            Some("DS-2CD2143G2-I20210101AAWR123456789")
        );
        assert_eq!(find("Device 594199052 ready").as_deref(), Some("594199052"));
        assert_eq!(find("Recording CAMERA01 online"), None);
        assert_eq!(find("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="), None);
    }
}
