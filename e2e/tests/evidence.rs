//! Evidence as partners bring it, made by other tools than the app's (`hpp_e2e::corpus`): SADP
//! exports of many layouts and encodings, phone photos of SADP's QR code on a screen, a PNG
//! bomb. Each kind of case is filed with them through the wizard, by labels and button names,
//! and what the backend stored is checked; the cross-checks and the region rule are read at the
//! fields where the user acts on them.

use api_types::serial::Serial;
use hpp_e2e::corpus::{self, Export, QrPicture};
use hpp_e2e::*;
use std::path::Path;

/// Seeded picks, so a failure names a run that can be repeated.
struct Picks(u64);

impl Picks {
    fn next(&mut self, below: usize) -> usize {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn normalised(serial: &str) -> String {
    Serial::parse(serial)
        .expect("the generator writes valid serials")
        .as_str()
        .to_owned()
}

fn file_name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Attaches a label photo and waits until it is taken (photos are re-encoded as JPEG).
async fn attach_label(wizard: &Wizard<'_>, photo: &Path) {
    wizard.attach("label_photo", photo).await;
    let stem = photo.file_stem().unwrap().to_string_lossy();
    wizard
        .wait_for_file("label_photo", &format!("{stem}.jpg"))
        .await;
}

#[tokio::test]
async fn the_four_kinds_are_filed_with_exports_of_many_layouts_and_photos_of_screens() {
    let scratch = tempfile::tempdir().unwrap();
    let exports = corpus::exports(&scratch.path().join("exports"), 5);
    let photos = corpus::qr_pictures(12, 29);
    let mut picks = Picks(0x5eed_0011);

    // Five exports of five different layouts, picked at random among those a reader must take.
    let mut chosen: Vec<&Export> = Vec::new();
    let readable: Vec<&Export> = exports.iter().filter(|e| e.serial.is_some()).collect();
    while chosen.len() < 5 {
        let export = readable[picks.next(readable.len())];
        if chosen.iter().all(|c| c.layout != export.layout) {
            chosen.push(export);
        }
    }
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();

    for (n, export) in chosen.iter().enumerate() {
        let case_type = ["password_reset", "unbinding"][n % 2];
        let context = format!("{} ({}, {})", export.layout, export.encoding, case_type);
        wizard.to_form(case_type, "sadp").await;
        wizard.attach("device_file", &export.path).await;
        let name = file_name_of(&export.path);
        wizard.wait_for_file("device_file", &name).await;
        let serial = normalised(export.serial.as_deref().unwrap());
        assert_eq!(wizard.value("#serial").await, serial, "{context}");
        // What the file names is shown, so the user sees it is the right device.
        let facts = world.wait_for_text(".drop__facts", &serial).await;
        let facts = facts.text().await.unwrap();
        for shown in [&export.model, &export.export_time].into_iter().flatten() {
            assert!(
                facts.contains(shown.as_str()),
                "{context}: {shown} in {facts}"
            );
        }
        if export.mac.is_some() {
            assert!(facts.contains("MAC address"), "{context}: {facts}");
        }
        wizard.next().await;
        let id = wizard.submit().await;
        let (case, bytes) = world.stored_case(id).await;
        assert_eq!(case.summary.serial, serial, "{context}");
        assert_eq!(case.summary.case_type.as_str(), case_type);
        assert_eq!(case.files[0].purpose, "device_file");
        assert_eq!(
            bytes[0],
            std::fs::read(&export.path).unwrap(),
            "{context}: the file as exported"
        );
    }

    // Photos of the screen: a reset and an unbinding, each with a label photo and a QR photo.
    for case_type in ["password_reset", "unbinding"] {
        let qr: &QrPicture = &photos[picks.next(photos.len())];
        let label = &photos[picks.next(photos.len())];
        let context = format!("{} {:?} ({case_type})", qr.path.display(), qr.distortions);
        wizard.to_form(case_type, "other").await;
        attach_label(&wizard, &label.path).await;
        wizard.attach("qr_code", &qr.path).await;
        world.wait_for_text(".drop__facts", &qr.payload).await;
        let serial = match &qr.serial {
            // The QR code's serial fills the empty field.
            Some(serial) => {
                let serial = normalised(serial);
                assert_eq!(wizard.value("#serial").await, serial, "{context}");
                serial
            }
            None => {
                wizard.type_into("#serial", "594199052").await;
                "594199052".to_owned()
            }
        };
        wizard.next().await;
        let id = wizard.submit().await;
        let (case, _) = world.stored_case(id).await;
        assert_eq!(case.summary.serial, serial, "{context}");
        assert_eq!(case.qr_payload, qr.payload, "{context}");
        let purposes: Vec<&str> = case.files.iter().map(|f| f.purpose.as_str()).collect();
        assert_eq!(purposes, ["label_photo", "qr_code"], "{context}");
    }
    world.finish().await;
}

#[tokio::test]
async fn serials_that_disagree_and_the_region_rule_are_said_at_the_field() {
    let scratch = tempfile::tempdir().unwrap();
    let exports = corpus::exports(&scratch.path().join("exports"), 5);
    let photos = corpus::qr_pictures(24, 31);
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();

    // An export, then another serial typed: both are named, and what to do.
    let export = exports.iter().find(|e| e.serial.is_some()).unwrap();
    let in_file = normalised(export.serial.as_deref().unwrap());
    wizard.to_form("password_reset", "sadp").await;
    wizard.attach("device_file", &export.path).await;
    wizard
        .wait_for_file("device_file", &file_name_of(&export.path))
        .await;
    wizard.type_into("#serial", "Q55501234").await;
    wizard.next().await;
    let error = world.wait_for_text("#serial-error", "Q55501234").await;
    let error = error.text().await.unwrap();
    assert!(error.contains(&in_file), "{error}");
    assert!(error.contains("the device file"), "{error}");
    assert!(world.location().await.ends_with("step=form"));

    // A QR code that carries a serial, and another typed.
    let qr = photos
        .iter()
        .find(|p| p.serial.is_some())
        .expect("a payload with a serial");
    let in_code = normalised(qr.serial.as_deref().unwrap());
    wizard.to_form("unbinding", "other").await;
    wizard.attach("qr_code", &qr.path).await;
    world.wait_for_text(".drop__facts", &qr.payload).await;
    wizard.type_into("#serial", "Q55501234").await;
    wizard.next().await;
    let error = world.wait_for_text("#serial-error", &in_code).await;
    assert!(error.text().await.unwrap().contains("the QR code"));
    wizard
        .click("#qr_code ~ .button, .drop .button--ghost")
        .await;

    // The region code in a serial is a market: an RR device registered on the EU server is
    // filed like any other.
    let rr = "DS-7608NI-K2/8P0820230417CCRRE61958062WCVU";
    wizard.to_form("password_reset", "other").await;
    wizard.type_into("#serial", rr).await;
    world
        .wait_for_text("#serial-market", "Built for the RR market")
        .await;

    // Unbinding a device registered on another server than the account's: explained, with
    // the way on, and the case can be filed.
    wizard.to_form("unbinding", "other").await;
    wizard.type_into("#serial", "J12345678").await;
    world
        .wait_for_text(
            "#serial-registration",
            "registered on the CN server and your account on EU",
        )
        .await;
    attach_label(&wizard, &photos[0].path).await;
    let no_serial = photos
        .iter()
        .find(|p| p.serial.is_none())
        .expect("a payload without a serial");
    wizard.attach("qr_code", &no_serial.path).await;
    world
        .wait_for_text(".drop__facts", &no_serial.payload)
        .await;
    wizard.type_into("#serial", "J12345678").await;
    wizard.next().await;
    let first = wizard.submit().await;
    world.wait_for_text(".facts", "CN").await;

    // The same device again: the open case is named before submit, with a link to it.
    wizard.to_form("unbinding", "other").await;
    attach_label(&wizard, &photos[0].path).await;
    wizard.attach("qr_code", &no_serial.path).await;
    world
        .wait_for_text(".drop__facts", &no_serial.payload)
        .await;
    wizard.type_into("#serial", "J12345678").await;
    wizard.next().await;
    wizard.wait_for_step("Review and submit").await;
    let notice = world
        .wait_for_text("[data-testid=open-cases]", &format!("HPP-{first:06}"))
        .await;
    assert!(notice
        .text()
        .await
        .unwrap()
        .contains("You can still submit"));
    wizard.click("[data-testid=open-cases] a").await;
    world
        .wait_for_path(&format!("/support/cases/{first}"))
        .await;
    world.finish().await;
}

#[tokio::test]
async fn a_png_bomb_and_files_that_are_no_export_are_refused_at_their_field() {
    let scratch = tempfile::tempdir().unwrap();
    let exports = corpus::exports(&scratch.path().join("exports"), 5);
    let bomb = scratch.path().join("bomb.png");
    corpus::png_bomb(&bomb, 30_000, 30_000);
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();

    wizard.to_form("password_reset", "other").await;
    wizard.attach("label_photo", &bomb).await;
    world
        .wait_for_text(
            "#label_photo-error",
            "too many pixels: at most 50 megapixels",
        )
        .await;

    wizard.to_form("password_reset", "sadp").await;
    for export in exports.iter().filter(|e| e.serial.is_none()) {
        wizard.attach("device_file", &export.path).await;
        let says = match export.refuse_reason.as_deref() {
            Some("too_large") => "too large: at most 256 KB",
            Some("no_serial") => "names no serial number",
            _ => "not a device file exported by SADP",
        };
        world.wait_for_text("#device_file-error", says).await;
        // The next file is judged afresh.
        world.browser.refresh().await.unwrap();
        wizard.wait_for_step("Device and contact").await;
    }

    world.finish().await;
}

#[tokio::test]
async fn the_serial_follows_the_files_until_the_user_types_another() {
    let scratch = tempfile::tempdir().unwrap();
    let photos = corpus::qr_pictures(24, 31);
    let bomb = scratch.path().join("bomb.png");
    corpus::png_bomb(&bomb, 30_000, 30_000);
    let mut with_serial = photos.iter().filter(|p| p.serial.is_some());
    let (first, second) = (with_serial.next().unwrap(), with_serial.next().unwrap());
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "other").await;
    wizard.attach("qr_code", &first.path).await;
    world.wait_for_text(".drop__facts", &first.payload).await;
    assert_eq!(
        wizard.value("#serial").await,
        normalised(first.serial.as_deref().unwrap())
    );
    // Another code replaces the serial the first one put there.
    wizard.attach("qr_code", &second.path).await;
    world.wait_for_text(".drop__facts", &second.payload).await;
    assert_eq!(
        wizard.value("#serial").await,
        normalised(second.serial.as_deref().unwrap())
    );
    // A serial the user typed stays; the disagreement is said at once, before Continue.
    wizard.type_into("#serial", "Q55501234").await;
    wizard.attach("qr_code", &first.path).await;
    world.wait_for_text(".drop__facts", &first.payload).await;
    world.wait_for_text("#serial-error", "Q55501234").await;
    assert_eq!(wizard.value("#serial").await, "Q55501234");
    // Typed as people type it and left by pressing Remove: the field shows the serial as it
    // will be filed, and the click lands (the file boxes were drawn again at the field's
    // change, and the click went with the old button).
    wizard.type_into("#serial", "q5550 1234").await;
    wizard
        .click("#qr_code-label ~ .drop__chosen .button--ghost")
        .await;
    world
        .wait_for_count("#qr_code-label ~ .drop__chosen", 0)
        .await;
    world.wait_for_value("#serial", "Q55501234").await;

    // The same with SADP exports: one fills the empty field, the next replaces what the first
    // put there, and a serial typed before an export stays, with the disagreement said.
    let exports = corpus::exports(&scratch.path().join("exports"), 5);
    let mut named = exports.iter().filter(|e| e.serial.is_some());
    let (one, other) = (named.next().unwrap(), named.next().unwrap());
    wizard.to_form("password_reset", "sadp").await;
    wizard.type_into("#serial", "Q55501234").await;
    wizard.attach("device_file", &one.path).await;
    wizard
        .wait_for_file("device_file", &file_name_of(&one.path))
        .await;
    world.wait_for_text("#serial-error", "Q55501234").await;
    assert_eq!(wizard.value("#serial").await, "Q55501234");
    // Removing the export leaves what the user typed.
    let remove_export = "#device_file-label ~ .drop__chosen .button--ghost";
    wizard.click(remove_export).await;
    world.wait_for_count(".drop__chosen", 0).await;
    assert_eq!(wizard.value("#serial").await, "Q55501234");
    // (A blank typed over it: the field counts as empty.)
    wizard.type_into("#serial", " ").await;
    wizard.attach("device_file", &one.path).await;
    let in_one = normalised(one.serial.as_deref().unwrap());
    world.wait_for_value("#serial", &in_one).await;
    wizard.attach("device_file", &other.path).await;
    let in_other = normalised(other.serial.as_deref().unwrap());
    world.wait_for_value("#serial", &in_other).await;
    // Removing the export takes the serial it put there: the next export fills the field
    // again (a stranger's walk saw a mismatch against a serial they never typed).
    wizard.click(remove_export).await;
    world.wait_for_value("#serial", "").await;
    wizard.attach("device_file", &one.path).await;
    world.wait_for_value("#serial", &in_one).await;

    // A refusal goes with the file it was about.
    wizard.to_form("password_reset", "other").await;
    attach_label(&wizard, &photos[0].path).await;
    wizard.attach("label_photo", &bomb).await;
    world
        .wait_for_text("#label_photo-error", "too many pixels")
        .await;
    wizard
        .click("#label_photo-label ~ .drop__chosen .button--ghost")
        .await;
    wizard.next().await;
    world
        .wait_for_text("#label_photo-error", "This is required.")
        .await;
    world.finish().await;
}
