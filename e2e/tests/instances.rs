//! Two backend instances on one database and one file store, as behind a load balancer: a
//! partner signs in through one and carries on through the other, and what support does
//! through one shows at once on the pages the other serves. On the default file store (a
//! folder) and on S3 (moto's server), on SQLite and on PostgreSQL (whose `LISTEN/NOTIFY`
//! carries the change from one instance to the other's streams).

use hpp_e2e::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn two_instances_on_one_folder_serve_one_partner_as_one() {
    let world = World::start().await;
    serve_one_partner(&world).await;
    world.finish().await;
}

#[tokio::test]
async fn two_instances_on_one_s3_bucket_serve_one_partner_as_one() {
    let s3 = hpp_e2e::s3::S3Server::start();
    let world = World::start_on_s3(&s3).await;
    serve_one_partner(&world).await;
    let in_data_dir =
        std::fs::read_dir(world.state.config.default_objects_dir()).map_or(0, |dir| dir.count());
    assert_eq!(in_data_dir, 0, "the bytes are in S3, not the data dir");
    assert!(world.state.files.keys().await.unwrap().len() >= 2);
    world.finish().await;
}

#[tokio::test]
async fn two_instances_on_one_postgresql_and_one_s3_bucket_serve_one_partner_as_one() {
    let s3 = hpp_e2e::s3::S3Server::start();
    let world = World::start_on_postgres_and_s3(&s3).await;
    assert!(matches!(
        world.state.db.location(),
        hpp_backend::db::Location::Postgres(_)
    ));
    serve_one_partner(&world).await;
    let data_dir: Vec<_> = std::fs::read_dir(&world.state.config.data_dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(
        data_dir.is_empty(),
        "neither rows nor bytes in the data dir: {data_dir:?}"
    );
    assert!(world.state.files.keys().await.unwrap().len() >= 2);
    // `scripts/test.sh` names the server with `sslmode=verify-full`: then every connection of
    // both instances (writer, readers, listener) is encrypted.
    if std::env::var("HPP_E2E_POSTGRES_URL").is_ok_and(|url| url.contains("sslmode=verify-full")) {
        let (clear, encrypted): (i64, i64) = world
            .state
            .db
            .blocking(|conn| {
                conn.query_row(
                    "SELECT COUNT(*) FILTER (WHERE NOT s.ssl), COUNT(*) FILTER (WHERE s.ssl)
                     FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                     WHERE a.datname = current_database()",
                    hpp_backend::params![],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
            })
            .unwrap();
        assert_eq!(clear, 0, "connections in the clear");
        assert!(encrypted >= 12, "two instances' connections: {encrypted}");
    }
    world.finish().await;
}

async fn serve_one_partner(world: &World) {
    let other = world.second_instance().await;
    // Signed in through the first…
    world.sign_in(ACME_INSTALLER).await;
    // …a case filed through the first (its export into the shared file store)…
    let id = world.file_sadp_case("e2e-two-instances").await;

    // …and carried on through the second: the session holds, the case is there.
    let page = world.case_page();
    world
        .browser
        .goto(&other.url(&format!("/support/cases/{id}")))
        .await
        .unwrap();
    page.wait_for_status("Submitted").await;
    assert_eq!(
        world.browser.current_url().await.unwrap().as_str(),
        other.url(&format!("/support/cases/{id}"))
    );

    // Support takes the case through the first: the page the second serves shows it within
    // a second.
    let support = world.api_as(SUPPORT).await;
    let (status, _) = support
        .post_json(&format!("/cases/{id}/take"), json!({}))
        .await;
    assert_eq!(status, 200);
    let taken = Instant::now();
    page.wait_for_status("In progress").await;
    let took = taken.elapsed();
    assert!(took < Duration::from_secs(1), "shown after {took:?}");

    // Support answers with a reset file through the first; the partner downloads it through
    // the second, byte for byte.
    let reset = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Encrypt><data>dHdvLWluc3RhbmNlcw==</data></Encrypt>\n";
    let (status, _) = support
        .post_multipart(
            &format!("/cases/{id}/answer"),
            None,
            &[Part::File("file", "Encrypt.xml", reset)],
        )
        .await;
    assert_eq!(status, 200);
    world.click(CasePage::RESET_FILE).await;
    assert_eq!(world.wait_for_download("Encrypt.xml").await, reset);
}
