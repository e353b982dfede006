//! Who is signed in, shared with every page through context.

use api_types::{Me, Role};
use leptos::prelude::*;

/// Where the session stands.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// `GET /session` has not answered yet.
    Loading,
    /// The backend could not be reached to ask.
    Unreachable,
    SignedOut,
    SignedIn(Me),
}

/// The session context: read with `use_session`.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

impl Session {
    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.0.with(|s| match s {
            SessionState::SignedIn(me) => Some(me.role),
            _ => None,
        })
    }

    /// Asks the backend who is signed in.
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            let state = match crate::api::current_session().await {
                Ok(Some(me)) => SessionState::SignedIn(me),
                Ok(None) => SessionState::SignedOut,
                Err(_) => SessionState::Unreachable,
            };
            self.0.set(state);
        });
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The account signed in, as the pages behind the sign-in gate see it. It keeps the last
/// account when the session ends: the gate then takes the page down, and nothing on the page
/// re-runs for the sign-out itself (a page that did re-ran its reads while being disposed, and
/// panicked on a disposed resource).
#[derive(Clone, Copy)]
pub struct SignedIn(Memo<Option<Me>>);

impl SignedIn {
    /// Made by the gate, for the pages under it.
    pub fn provide(session: Session) {
        let me = Memo::new(move |last: Option<&Option<Me>>| {
            session.0.with(|state| match state {
                SessionState::SignedIn(me) => Some(me.clone()),
                _ => last.cloned().flatten(),
            })
        });
        provide_context(Self(me));
    }

    pub fn me(&self) -> Option<Me> {
        self.0.get()
    }

    pub fn role(&self) -> Option<Role> {
        self.0.with(|me| me.as_ref().map(|me| me.role))
    }

    /// Whether the account files cases and replies to them: partners do, support does not.
    pub fn is_partner(&self) -> bool {
        self.role().is_some_and(|role| role != Role::Support)
    }

    /// The account's id: drafts and other things kept in this browser belong to it.
    pub fn id(&self) -> Option<i64> {
        self.0.with(|me| me.as_ref().map(|me| me.id))
    }
}

pub fn use_signed_in() -> SignedIn {
    expect_context::<SignedIn>()
}

/// Where to go after signing in: only paths of this app, never another site.
pub fn safe_return_path(next: Option<String>) -> String {
    next.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\"))
        .filter(|p| !p.starts_with("/login"))
        .unwrap_or_else(|| "/support/cases".to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn return_paths_stay_in_the_app() {
        assert_eq!(
            safe_return_path(Some("/support/cases/3".into())),
            "/support/cases/3"
        );
        assert_eq!(
            safe_return_path(Some("//evil.example".into())),
            "/support/cases"
        );
        assert_eq!(
            safe_return_path(Some("https://evil.example".into())),
            "/support/cases"
        );
        assert_eq!(
            safe_return_path(Some("/login?next=/x".into())),
            "/support/cases"
        );
        assert_eq!(safe_return_path(None), "/support/cases");
    }
}
