//! The findings of the black-box security assessment (#13), each reproduced as the attack.

mod common;

use axum::http::StatusCode;
use common::*;

/// High: the lockout was per spelling of the email; a leading space, a tab or capitals reached
/// the same account with fresh password checks.
#[tokio::test]
async fn the_lockout_cannot_be_bypassed_by_spelling_the_email_differently() {
    let app = TestApp::new();
    for _ in 0..hpp_backend::LOGIN_FAILURE_LIMIT {
        assert_eq!(
            app.try_sign_in(ACME_RESELLER, "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    for spelling in [
        " reseller@acme.example",
        "reseller@acme.example ",
        "\treseller@acme.example",
        "  reseller@acme.example\t",
        "RESELLER@acme.example",
        "Reseller@Acme.Example",
    ] {
        for password in ["another guess", PASSWORD] {
            let reply = app.try_sign_in(spelling, password).await;
            assert_eq!(
                reply.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{spelling:?} with {password:?}: {:?}",
                reply.json()
            );
        }
    }
}

/// The owner's address, however typed, is one account: capitals and spaces sign in.
#[tokio::test]
async fn an_email_typed_with_capitals_or_spaces_is_the_same_account() {
    let app = TestApp::new();
    for spelling in [" Installer@Acme.Example ", "INSTALLER@ACME.EXAMPLE"] {
        let reply = app.try_sign_in(spelling, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{spelling:?}");
        assert_eq!(reply.json()["email"], ACME_INSTALLER);
    }
}
