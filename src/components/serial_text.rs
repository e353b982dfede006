//! A serial number as text that wraps between its parts.

use api_types::serial::Serial;
use leptos::prelude::*;

/// Shows `serial` so that, where its line is too narrow, it wraps between its parts (model,
/// date, grade and region, label serial, features) instead of at whatever character reached the
/// edge: at 360 px a full serial was cut inside the 9 characters a partner reads off the label.
/// The text stays the serial as stored (copying it copies the serial); a value that is not a
/// serial is shown as it is.
#[component]
pub fn SerialText(
    /// The serial as the server or the wizard holds it.
    #[prop(into)]
    serial: String,
) -> impl IntoView {
    let parts: Vec<String> = match Serial::parse(&serial) {
        Ok(parsed) if parsed.as_str() == serial => {
            parsed.parts().into_iter().map(str::to_owned).collect()
        }
        _ => vec![serial],
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| view! { {(i > 0).then(|| view! { <wbr/> })}{part} })
        .collect_view()
}
