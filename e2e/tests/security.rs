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
    world.wait_for_heading("Anmelden").await;
    let free = hpp_backend::throttle::SignInPolicy::default().free_failures;
    // The wrong passwords come from this machine, as the browser's would: the free ones, then
    // two more after their waits (1 s, 2 s), so the next wait (4 s) outlasts the typing below.
    for _ in 0..free {
        assert_eq!(world.sign_in_status(ACME_RESELLER, "wrong").await, 401);
    }
    for wait_ms in [1100, 2100] {
        tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
        assert_eq!(world.sign_in_status(ACME_RESELLER, "wrong").await, 401);
    }
    let login = world.login();
    login.sign_in(ACME_RESELLER, PASSWORD).await;
    let said = login
        .wait_for_error("Versuchen Sie es in")
        .await
        .text()
        .await
        .unwrap();
    assert!(said.ends_with(" s erneut."), "{said}");
    assert_eq!(login.email().await, ACME_RESELLER);
    // The wait counts down and the button waits with it; then the right password signs in.
    let button = login.submit_button().await;
    assert!(
        button.attr("disabled").await.unwrap().is_some(),
        "the button waits too"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while button.attr("disabled").await.unwrap().is_some() {
        assert!(std::time::Instant::now() < deadline, "the wait never ended");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(login.error().await, "");
    login.sign_in(ACME_RESELLER, PASSWORD).await;
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
    let dialog = world.password_dialog();
    dialog.open().await;
    dialog.fill(PASSWORD, "aaaaaaaaaaaa", "aaaaaaaaaaaa").await;
    dialog.submit().await;
    world
        .wait_for_text("#password-new-error", "Powtórzone znaki")
        .await;
    assert_eq!(world.input_value("#password-new").await, "aaaaaaaaaaaa");
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
    let case = world.case_page();
    case.open(3).await;
    world.find(CasePage::REPLY_MESSAGE).await;
    let attachments = format!("{} li", CasePage::REPLY_ATTACHMENTS);
    let dir = tempfile::tempdir().unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    for n in 1..=11 {
        let path = dir.path().join(format!("invoice-{n}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        case.attach_to_reply(&path).await;
        if n <= 10 {
            world.wait_for_count(&attachments, n).await;
        }
    }
    world
        .wait_for_text(CasePage::REPLY, "Too many files: at most 10.")
        .await;
    assert_eq!(world.find_all(&attachments).await.len(), 10);
    // Removing one makes room, and the complaint goes with it.
    world.click(&format!("{attachments} button")).await;
    world.wait_for_count(&attachments, 9).await;
    assert!(!world
        .find(CasePage::REPLY)
        .await
        .text()
        .await
        .unwrap()
        .contains("Too many files"));
    // A photo whose name says HTML is still a photo: taken, reduced, and named for what it is.
    let photo = dir.path().join("x.html");
    image::RgbImage::from_pixel(640, 480, image::Rgb([200, 120, 40]))
        .save_with_format(&photo, image::ImageFormat::Jpeg)
        .unwrap();
    case.attach_to_reply(&photo).await;
    world
        .wait_for_text(CasePage::REPLY_ATTACHMENTS, "x.jpg")
        .await;
    world.finish().await;
}
