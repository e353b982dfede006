//! With the backend down, pages say the service cannot be reached and offer a retry; nothing is
//! blank, and a retry after the backend is back shows the data.

use hpp_e2e::*;

#[tokio::test]
async fn an_unreachable_backend_is_said_so_and_a_retry_recovers() {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    world.wait_for_count("table.records tbody tr", 4).await;

    world.stop_backend().await;
    // The app is loaded; moving inside it now needs the API.
    world
        .find("nav.topnav a[href='/support']")
        .await
        .click()
        .await
        .unwrap();
    world.wait_for_path("/support").await;
    world
        .find("a.tile[href='/support/cases']")
        .await
        .click()
        .await
        .unwrap();
    world
        .wait_for_text("[role=alert]", "cannot be reached")
        .await;
    world
        .wait_for_text("[role=alert] button", "Try again")
        .await;
    assert_eq!(
        world.heading().await,
        "Online Support Case",
        "the page itself still stands"
    );

    world.restart_backend().await;
    world
        .find("[role=alert] button")
        .await
        .click()
        .await
        .unwrap();
    world.wait_for_count("table.records tbody tr", 4).await;
    assert!(
        world.find_all("[role=alert] button").await.is_empty(),
        "the error is gone"
    );

    // Case details the same way.
    world.stop_backend().await;
    world.find("a.records__number").await.click().await.unwrap();
    world
        .wait_for_text("[role=alert]", "cannot be reached")
        .await;
    world.restart_backend().await;
    world
        .find("[role=alert] button")
        .await
        .click()
        .await
        .unwrap();
    world.wait_for_text("main h1", "Case HPP-").await;
    let _ = world.browser.close().await;
}
