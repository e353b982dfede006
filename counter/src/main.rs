//! A minimal Leptos counter. The benchmark builds it with the app's release profile and audits it
//! with the same Lighthouse settings, so the app's figures stand beside the framework's floor.

use leptos::prelude::*;

#[component]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    view! {
        <main>
            <h1>"Counter"</h1>
            <p>"Clicked " {count} " times"</p>
            <button on:click=move |_| count.update(|n| *n += 1)>"Add one"</button>
        </main>
    }
}

fn main() {
    mount_to_body(Counter);
}
