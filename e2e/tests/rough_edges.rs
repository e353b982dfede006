//! The small things a new user ran into: a page past the end of the list, what a screen reader
//! hears after signing in, a description over its limit, and a refused picture beside the one
//! that was kept.

use hpp_e2e::*;

#[tokio::test]
async fn a_page_past_the_end_leads_back_to_the_last_page() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.open("/support/cases?page=9").await;
    let empty = world
        .records()
        .wait_for_empty("Page 9 is past the end")
        .await;
    empty
        .find(fantoccini::Locator::Css("a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    world.wait_for_text("tbody", "HPP-").await;
    assert!(!world.location().await.contains("page=9"));
    world.finish().await;
}

#[tokio::test]
async fn after_signing_in_a_screen_reader_hears_the_page_it_landed_on() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world
        .wait_for_text("#route-announcement", "Online Support Case")
        .await;
    world.finish().await;
}

#[tokio::test]
async fn the_description_says_by_how_much_it_is_too_long() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "other").await;
    wizard.paste_into("#description", &"x".repeat(4100)).await;
    world
        .wait_for_text("#description-left", "100 characters too many")
        .await;
    wizard.paste_into("#description", &"x".repeat(3999)).await;
    world
        .wait_for_text("#description-left", "1 character left")
        .await;
    world.finish().await;
}

#[tokio::test]
async fn a_refused_picture_says_which_one_is_kept() {
    let scratch = tempfile::tempdir().unwrap();
    let photo = scratch.path().join("label.jpg");
    image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
    })
    .save(&photo)
    .unwrap();
    let broken = scratch.path().join("broken.jpg");
    std::fs::write(&broken, b"\xff\xd8\xff\xe0 not really a JPEG").unwrap();
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "other").await;
    wizard.attach("label_photo", &photo).await;
    wizard.wait_for_file("label_photo", "label.jpg").await;
    wizard.attach("label_photo", &broken).await;
    world
        .wait_for_text("#label_photo-error", "cannot read this as a picture")
        .await;
    world
        .wait_for_text(
            "#label_photo-error",
            "The file chosen before is kept: label.jpg",
        )
        .await;
    world.finish().await;
}
