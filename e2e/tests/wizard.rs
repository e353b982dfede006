//! Filing cases through the wizard with real files, then checking what the backend stored.

use api_types::CaseStatus;
use hpp_e2e::*;
use std::path::PathBuf;

/// Test files written to a temporary directory, as a user's disk would hold them.
struct Fixtures {
    dir: tempfile::TempDir,
}

const QR_PAYLOAD: &str = "SADP-RESET|594199052|2026-11-21T10:00:00Z|7f3a9c2e";
const SADP_SERIAL: &str = "DS-7608NI-E2/8P0820160211AAWR594199052WCVU";

impl Fixtures {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        // A label photo larger than the 2048 px the browser must reduce it to.
        let photo = image::RgbImage::from_fn(3000, 2000, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
        });
        photo.save(dir.path().join("label.jpg")).unwrap();
        let code = qrcode::QrCode::new(QR_PAYLOAD.as_bytes()).unwrap();
        let qr = code
            .render::<image::Luma<u8>>()
            .module_dimensions(8, 8)
            .build();
        qr.save(dir.path().join("sadp-qr.png")).unwrap();
        let export = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeviceKey version=\"1.0\">\n  \
             <deviceType>DS-7608NI-E2/8P</deviceType>\n  <serialNumber>{SADP_SERIAL}</serialNumber>\n  \
             <key>c2FkcC1leHBvcnQ=</key>\n</DeviceKey>\n"
        );
        std::fs::write(dir.path().join("DeviceKey.xml"), export).unwrap();
        std::fs::write(
            dir.path().join("broken.xml"),
            "<DeviceKey><serialNumber>x</DeviceKey>",
        )
        .unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn size(&self, name: &str) -> u64 {
        std::fs::metadata(self.path(name)).unwrap().len()
    }
}

#[tokio::test]
async fn all_four_kinds_of_case_are_filed_with_their_files() {
    let files = Fixtures::new();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();

    for (case_type, method) in [
        ("password_reset", "sadp"),
        ("password_reset", "other"),
        ("unbinding", "sadp"),
        ("unbinding", "other"),
    ] {
        wizard.start().await;
        wizard.choose("case_type", case_type).await;
        if case_type == "unbinding" {
            world.wait_for_text(".guide", "Platform Access").await;
        }
        wizard.next().await;
        wizard.wait_for_step("Where is the device?").await;
        assert_eq!(world.location().await, "/support/cases/new?step=method");
        wizard.choose("method", method).await;
        wizard.next().await;
        wizard.wait_for_step("Device and contact").await;
        // Contact details come from the profile.
        assert_eq!(wizard.value("#contact_email").await, ACME_INSTALLER);
        assert_eq!(wizard.value("#contact_name").await, "Anna Installer");
        if method == "sadp" {
            wizard
                .attach("device_file", &files.path("DeviceKey.xml"))
                .await;
            wizard.wait_for_file("device_file", "DeviceKey.xml").await;
            assert_eq!(
                wizard.value("#serial").await,
                SADP_SERIAL,
                "the serial comes from the file"
            );
            world
                .wait_for_text("#serial-market", "Built for the WR market")
                .await;
            if case_type == "unbinding" {
                // Typed as people type it, the serial is shown as it will be filed once the
                // field is left, and the review and the case hold that form.
                wizard
                    .type_into("#serial", "ds-7608ni-e2/8p08 20160211 aawr 594199052 wcvu")
                    .await;
                world.click("#contact_phone").await;
                world.wait_for_value("#serial", SADP_SERIAL).await;
            }
        } else {
            wizard.attach("label_photo", &files.path("label.jpg")).await;
            wizard.wait_for_file("label_photo", "label.jpg").await;
            wizard.attach("qr_code", &files.path("sadp-qr.png")).await;
            wizard.wait_for_file("qr_code", "sadp-qr.png").await;
            world.wait_for_text(".drop__facts", QR_PAYLOAD).await;
            wizard.type_into("#serial", "594199052").await;
        }
        wizard.type_into("#contact_phone", "+49 170 555 0100").await;
        wizard
            .type_into("#description", &format!("{case_type} by {method}"))
            .await;
        wizard.next().await;
        let filed = if method == "sadp" {
            SADP_SERIAL
        } else {
            "594199052"
        };
        world.wait_for_text(".review", filed).await;
        let id = wizard.submit().await;
        world.case_page().wait_for_case(id).await;

        let (case, bytes) = world.stored_case(id).await;
        assert_eq!(case.summary.case_type.as_str(), case_type);
        assert_eq!(case.summary.method.as_str(), method);
        assert_eq!(case.summary.status, CaseStatus::Submitted);
        assert_eq!(case.contact.email, ACME_INSTALLER);
        assert_eq!(case.contact.phone, "+49 170 555 0100");
        assert_eq!(case.description, format!("{case_type} by {method}"));
        if method == "sadp" {
            assert_eq!(case.summary.serial, SADP_SERIAL);
            assert_eq!(case.files.len(), 1);
            assert_eq!(case.files[0].purpose, "device_file");
            assert_eq!(case.files[0].media_type, "application/xml");
            assert_eq!(case.files[0].size, files.size("DeviceKey.xml"));
        } else {
            assert_eq!(case.summary.serial, "594199052");
            let purposes: Vec<&str> = case.files.iter().map(|f| f.purpose.as_str()).collect();
            assert_eq!(purposes, ["label_photo", "qr_code"]);
            // The browser sent the reduced photo, not the 3000 × 2000 original.
            let label = image::load_from_memory(&bytes[0]).unwrap();
            assert_eq!((label.width(), label.height()), (2048, 1365));
            assert_eq!(case.files[0].media_type, "image/jpeg");
            assert!(
                case.files[0].size < files.size("label.jpg"),
                "{} bytes",
                case.files[0].size
            );
            // The QR screenshot was small enough to go as it was.
            assert_eq!(case.files[1].media_type, "image/png");
            assert_eq!(case.files[1].size, files.size("sadp-qr.png"));
            let qr_payload: String = world
                .state
                .db
                .blocking(move |conn| {
                    conn.query_row(
                        "SELECT qr_payload FROM cases WHERE id = ?1",
                        hpp_backend::params![id],
                        |r| r.get(0),
                    )
                })
                .unwrap();
            assert_eq!(qr_payload, QR_PAYLOAD);
        }
    }
    world.finish().await;
}

#[tokio::test]
async fn bad_files_are_refused_at_once_and_the_draft_survives_a_reload() {
    let files = Fixtures::new();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.start().await;
    // Continue without a choice says what is missing.
    wizard.next().await;
    world
        .wait_for_text("#case-type-error", "Choose a case type")
        .await;
    wizard.choose("case_type", "unbinding").await;
    // The binding look-up shows the masked account.
    wizard.look_up_binding("594199052").await;
    world
        .wait_for_text("[data-testid=binding-result]", "j***@e***.com")
        .await;
    wizard.next().await;
    wizard.choose("method", "other").await;
    wizard.next().await;
    wizard.wait_for_step("Device and contact").await;

    // A picture without a QR code is refused where the QR code goes.
    wizard.attach("qr_code", &files.path("label.jpg")).await;
    world
        .wait_for_text("#qr_code-error", "No QR code can be read")
        .await;
    wizard.attach("label_photo", &files.path("label.jpg")).await;
    wizard.wait_for_file("label_photo", "label.jpg").await;
    wizard.type_into("#serial", "E6195806").await;
    wizard.next().await;
    world
        .wait_for_text("#serial-error", "9-character serial")
        .await;
    world.wait_for_text("#qr_code-error", "No QR code").await;
    assert!(world.location().await.ends_with("step=form"));

    // Reload: the step, the fields and the chosen photo are all still there.
    world.browser.refresh().await.unwrap();
    wizard.wait_for_step("Device and contact").await;
    assert_eq!(wizard.value("#serial").await, "E6195806");
    wizard.wait_for_file("label_photo", "label.jpg").await;

    // Back goes to the previous step, Forward returns.
    world.browser.back().await.unwrap();
    wizard.wait_for_step("Where is the device?").await;
    world.browser.forward().await.unwrap();
    wizard.wait_for_step("Device and contact").await;

    // A SADP draft refuses a broken export and names why.
    wizard.open_step("method").await;
    wizard.choose("method", "sadp").await;
    wizard.next().await;
    wizard
        .attach("device_file", &files.path("broken.xml"))
        .await;
    world
        .wait_for_text("#device_file-error", "not well-formed XML")
        .await;
    assert_eq!(world.stored_case_count(), 6, "nothing was filed");
    world.finish().await;
}

#[tokio::test]
async fn a_refusal_from_the_backend_lands_at_its_field_in_the_users_language() {
    let files = Fixtures::new();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "other").await;
    wizard.attach("label_photo", &files.path("label.jpg")).await;
    wizard.wait_for_file("label_photo", "label.jpg").await;
    wizard.attach("qr_code", &files.path("sadp-qr.png")).await;
    wizard.wait_for_file("qr_code", "sadp-qr.png").await;
    // Only the backend knows its limit for contact fields: both complaints come back at once.
    let long = "x".repeat(4001);
    wizard.paste_into("#contact_name", &long).await;
    // A plausible phone number by its characters (six digits), too long only by the backend's
    // measure.
    let long_phone = format!("{}123456", "-".repeat(3995));
    wizard.paste_into("#contact_phone", &long_phone).await;
    wizard.next().await;
    wizard.wait_for_step("Review and submit").await;
    world.choose_language("de").await;
    wizard.agree().await;
    wizard.press_submit().await;
    let list = world
        .wait_for_text(
            "[data-testid=server-errors]",
            "Name: Das ist zu lang: höchstens 4000 Zeichen.",
        )
        .await;
    assert!(list.text().await.unwrap().contains("Telefon"));
    assert!(
        world.location().await.ends_with("step=review"),
        "the user stays with their draft"
    );
    world
        .find("[data-testid=server-errors] button")
        .await
        .click()
        .await
        .unwrap();
    // After Fix, each complaint is at its own field, with its own message.
    for field in ["contact_name", "contact_phone"] {
        world
            .wait_for_text(
                &format!("#{field}-error"),
                "Das ist zu lang: höchstens 4000 Zeichen.",
            )
            .await;
    }
    assert_eq!(
        wizard.value("#contact_name").await,
        long,
        "nothing entered is lost"
    );
    assert_eq!(world.stored_case_count(), 6);
    // The refused request is logged by the browser as a failed resource load; nothing else.
    world
        .finish_allowing(&["/api/v1/cases - Failed to load resource"])
        .await;
}

#[tokio::test]
async fn a_session_that_expires_before_submitting_loses_nothing() {
    let files = Fixtures::new();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "sadp").await;
    wizard
        .attach("device_file", &files.path("DeviceKey.xml"))
        .await;
    wizard.wait_for_file("device_file", "DeviceKey.xml").await;
    wizard
        .type_into("#description", "typed before the session ended")
        .await;
    wizard.next().await;
    wizard.wait_for_step("Review and submit").await;
    wizard.agree().await;

    // The session ends on the server (as after 12 hours); the user presses Submit.
    world.expire_sessions();
    wizard.press_submit().await;
    world.wait_for_path("/login").await;
    assert_eq!(
        world.location().await,
        "/login?next=%2Fsupport%2Fcases%2Fnew%3Fstep%3Dreview"
    );

    // Signing in again returns to the review with everything as it was.
    world.login().sign_in(ACME_INSTALLER, PASSWORD).await;
    wizard.wait_for_step("Review and submit").await;
    world
        .wait_for_text(".review", "typed before the session ended")
        .await;
    world.wait_for_text(".review__files", "DeviceKey.xml").await;
    let agreed = world
        .find("#agreement")
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(
        agreed.as_deref(),
        Some("true"),
        "even the ticked agreement was kept"
    );
    wizard.press_submit().await;
    world.case_page().wait_for_case(7).await;
    let (case, _) = world.stored_case(7).await;
    assert_eq!(case.description, "typed before the session ended");
    assert_eq!(case.files.len(), 1);
    assert_eq!(world.stored_case_count(), 7, "exactly one case was filed");
    // The 401 of the expired session is logged by the browser; nothing else may be.
    world.finish_allowing(&["Failed to load resource"]).await;
}
