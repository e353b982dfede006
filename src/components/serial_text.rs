//! A serial number as text that wraps between its parts.

use api_types::serial::Serial;
use leptos::prelude::*;

/// Shows `serial` so that, where its line is too narrow, it wraps between its parts (model,
/// date, grade and region, label serial, features) instead of at whatever character reached the
/// edge: at 360 px a full serial was cut inside the 9 characters a partner reads off the label.
/// The text stays the serial as given (copying it copies the serial); a value that is not a
/// serial is shown as it is.
#[component]
pub fn SerialText(
    /// The serial as the server or the wizard holds it.
    #[prop(into)]
    serial: String,
) -> impl IntoView {
    // The parts' lengths cut the text as given: a serial in lower case is cut at the same
    // places. One with spaces in it is shown whole (its parts would not line up).
    let parts: Vec<String> = match Serial::parse(&serial) {
        Ok(parsed) if parsed.as_str().eq_ignore_ascii_case(&serial) => {
            let mut rest = serial.as_str();
            parsed
                .parts()
                .into_iter()
                .map(|part| {
                    let (head, tail) = rest.split_at(part.len());
                    rest = tail;
                    head.to_owned()
                })
                .collect()
        }
        _ => vec![serial],
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| view! { {(i > 0).then(|| view! { <wbr/> })}{part} })
        .collect_view()
}
