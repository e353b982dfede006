//! `/login`: sign in, then go back to where the user was.

use crate::api;
use crate::components::page::set_title;
use crate::i18n::{fill, use_i18n, wait_text};
use crate::session::{safe_return_path, use_session, SessionState};
use api_types::ErrorCode;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    set_title(move || i18n.t().login_title.to_owned());

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    // While sign-ins are slowed down: when the next try is allowed (ms since the epoch), and a
    // clock that ticks each second so the wait counts down on screen.
    let allowed_at = RwSignal::new(None::<f64>);
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(tick) = set_interval_with_handle(
        move || {
            if allowed_at.get_untracked().is_some() {
                now.set(js_sys::Date::now());
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || tick.clear());
    }
    let seconds_left = move || {
        let left = (allowed_at.get()? - now.get()) / 1000.0;
        (left > 0.0).then(|| left.ceil() as u64)
    };
    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            let me = api::sign_in(&email, &password).await?;
            session.signed_in(me.clone());
            Ok::<_, api::ApiError>(me)
        }
    });

    Effect::new(move |_| {
        let wait = sign_in.value().with(|v| match v {
            Some(Err(e)) if e.code() == ErrorCode::TooManyAttempts => {
                e.problem().and_then(|p| p.retry_after)
            }
            _ => None,
        });
        now.set(js_sys::Date::now());
        allowed_at.set(wait.map(|s| js_sys::Date::now() + s as f64 * 1000.0));
    });

    // Signed in (now, or already when the page opened): go where the user was going.
    Effect::new(move |_| {
        if matches!(session.state(), SessionState::SignedIn(_)) {
            let next = safe_return_path(query.get_untracked().get("next"));
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            missing.set(true);
            return;
        }
        missing.set(false);
        sign_in.dispatch((e, p));
    };

    let error = move || {
        let t = i18n.t();
        if missing.get() {
            return Some(t.login_required_fields.to_owned());
        }
        match sign_in.value().get()? {
            Ok(_) => None,
            // The wait counts down; when it is over there is nothing left to say.
            Err(e) if e.code() == ErrorCode::TooManyAttempts && allowed_at.get().is_some() => {
                seconds_left()
                    .map(|s| fill(t.errors.too_many_attempts_wait, &[("wait", &wait_text(s))]))
            }
            Err(e) => Some(t.errors.explain(&e)),
        }
    };

    view! {
        <section class="login">
            <div class="card login__card">
                <h1 tabindex="-1">{move || i18n.t().login_title}</h1>
                <p class="muted">{move || i18n.t().login_intro}</p>
                <form class="form" on:submit=on_submit novalidate>
                    <div class="field">
                        <label for="login-email">{move || i18n.t().email}</label>
                        <input id="login-email" name="email" type="email" autocomplete="username"
                            required bind:value=email
                            aria-invalid=move || error().is_some().to_string()
                            aria-describedby="login-error"/>
                    </div>
                    <div class="field">
                        <label for="login-password">{move || i18n.t().password}</label>
                        <input id="login-password" name="password" type="password"
                            autocomplete="current-password" required bind:value=password
                            aria-invalid=move || error().is_some().to_string()
                            aria-describedby="login-error"/>
                    </div>
                    <div id="login-error" class="form__error" role="alert">
                        {move || error().map(|text| view! { <p class="notice notice--error">{text}</p> })}
                    </div>
                    <button type="submit" class="button button--primary button--wide"
                        disabled=move || sign_in.pending().get() || seconds_left().is_some()>
                        {move || if sign_in.pending().get() { i18n.t().signing_in } else { i18n.t().sign_in }}
                    </button>
                </form>
            </div>
        </section>
    }
}
