//! Who is signed in, shared with every page through context. The one owner of the session:
//! it changes only through `signed_in`, `signed_out` and `refresh`, and it keeps the CSRF token
//! that the API client sends on writes.

use api_types::{Me, Role};
use leptos::prelude::*;
use std::cell::RefCell;

thread_local! {
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The CSRF token of the session signed in now, for the API client's writes.
pub fn csrf_token() -> Option<String> {
    CSRF_TOKEN.with(|t| t.borrow().clone())
}

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
pub struct Session(RwSignal<SessionState>);

impl Session {
    /// A session not known yet; `refresh` asks the backend.
    pub fn loading() -> Self {
        Self(RwSignal::new(SessionState::Loading))
    }

    /// Where the session stands (tracked).
    pub fn state(&self) -> SessionState {
        self.0.get()
    }

    /// Reads the state without cloning it (tracked).
    pub fn with_state<T>(&self, f: impl FnOnce(&SessionState) -> T) -> T {
        self.0.with(f)
    }

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

    /// `me` is signed in: after signing in, a password change (new session id and token), or
    /// asking the backend.
    pub fn signed_in(self, me: Me) {
        CSRF_TOKEN.with(|t| *t.borrow_mut() = Some(me.csrf_token.clone()));
        self.0.set(SessionState::SignedIn(me));
    }

    /// Nobody is signed in any more: signed out here, or the backend found the session gone.
    pub fn signed_out(self) {
        CSRF_TOKEN.with(|t| *t.borrow_mut() = None);
        self.0.set(SessionState::SignedOut);
    }

    /// Asks the backend who is signed in.
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            match crate::api::current_session().await {
                Ok(Some(me)) => self.signed_in(me),
                Ok(None) => self.signed_out(),
                Err(_) => self.0.set(SessionState::Unreachable),
            }
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
            session.with_state(|state| match state {
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
        .filter(|p| !p.starts_with(&hpp_routes::LOGIN.path()))
        .unwrap_or_else(|| hpp_routes::CASE_RECORDS.path())
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
