//! What the security limits (#13) look like to a user: how long to wait after wrong passwords,
//! why a new password is refused, and how many files a reply takes, each in the user's
//! language, with what was typed kept.

use hpp_e2e::*;

/// After the free wrong passwords (from this address) the login form says, in German, how many seconds to wait;
/// the email stays typed.
#[tokio::test]
async fn a_slowed_sign_in_says_how_long_to_wait() {
    let world = World::start().await;
    world.open("/login").await;
    world.choose_language("de").await;
    world.wait_for_text("main h1", "Anmelden").await;
    let free = hpp_backend::throttle::SignInPolicy::default().free_failures;
    // The wrong passwords come from this machine, as the browser's would.
    for _ in 0..free {
        assert_eq!(
            world.sign_in_status(ACME_RESELLER, "wrong password").await,
            401
        );
    }
    world.sign_in_here(ACME_RESELLER, PASSWORD).await;
    world
        .wait_for_text("#login-error", "Versuchen Sie es in 1 s erneut")
        .await;
    let typed = world
        .browser
        .execute(
            "return document.querySelector('#login-email').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(typed, ACME_RESELLER);
    // After the wait, the right password signs in.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    world.sign_in_here(ACME_RESELLER, PASSWORD).await;
    world.wait_for_path("/support/cases").await;
    world
        .finish_allowing(&["/api/v1/session - Failed to load resource"])
        .await;
}

/// A guessable new password is refused with the reason in Polish, at its field, and nothing
/// typed is lost; the password on the server is unchanged.
#[tokio::test]
async fn a_guessable_new_password_is_refused_with_its_reason() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.choose_language("pl").await;
    world.open_account_menu().await;
    world.find("#change-password").await.click().await.unwrap();
    for (field, value) in [
        ("#password-current", PASSWORD),
        ("#password-new", "aaaaaaaaaaaa"),
        ("#password-confirm", "aaaaaaaaaaaa"),
    ] {
        world.find(field).await.send_keys(value).await.unwrap();
    }
    world
        .find("dialog[open] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    world
        .wait_for_text("#password-new-error", "Powtórzone znaki")
        .await;
    let kept = world
        .browser
        .execute(
            "return document.querySelector('#password-new').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kept, "aaaaaaaaaaaa");
    assert_eq!(world.sign_in_status(ACME_INSTALLER, PASSWORD).await, 200);
    world
        .finish_allowing(&["/api/v1/session/password - Failed to load resource"])
        .await;
}

/// A reply takes ten files; the eleventh is refused at once, saying so, and the ten stay.
#[tokio::test]
async fn a_reply_takes_ten_files_and_says_so_at_the_eleventh() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.open("/support/cases/3").await;
    world.find("#reply-message").await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    for n in 1..=11 {
        let path = dir.path().join(format!("invoice-{n}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        world
            .find("input#attachment")
            .await
            .send_keys(&path.display().to_string())
            .await
            .unwrap();
        if n <= 10 {
            world
                .wait_for_count("[data-testid=reply-attachments] li", n)
                .await;
        }
    }
    world
        .wait_for_text(".reply", "Too many files: at most 10.")
        .await;
    assert_eq!(
        world
            .find_all("[data-testid=reply-attachments] li")
            .await
            .len(),
        10
    );
    world.finish().await;
}
