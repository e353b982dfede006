//! Moving up (`hpp-backend copy-to`): a SQLite deployment with its folder of files, used for a
//! while, is copied into another database (PostgreSQL in the test command's PostgreSQL pass,
//! another SQLite file otherwise) and an S3 bucket. Nothing is lost: every table's row count
//! and every file's SHA-256 are compared here, independently of the copy's own check, and the
//! copy serves the same partner the same cases, files and session.

mod common;

use axum::http::StatusCode;
use common::s3::S3Server;
use common::*;
use hpp_backend::copy::{copy, CopyError};
use hpp_backend::db::{Db, DbError, Location};
use hpp_backend::objects::FileStore;
use hpp_backend::params;
use object_store::path::Path as ObjectPath;
use serde_json::json;
use sha2::{Digest, Sha256};

const TABLES: &[&str] = &[
    "companies",
    "users",
    "sessions",
    "cases",
    "records",
    "notes",
    "files",
    "idempotency_keys",
    "device_bindings",
    "case_views",
    "canned_replies",
    "outbox",
    "events",
    "throttle_backoffs",
    "throttle_addresses",
    "throttle_known",
    "throttle_global",
];

async fn count(db: &Db, table: &'static str) -> i64 {
    db.read(move |c| -> Result<i64, DbError> {
        c.query_row(&format!("SELECT COUNT(*) FROM {table}"), params![], |r| {
            r.get(0)
        })
    })
    .await
    .unwrap()
}

/// Every file row: (id, size, SHA-256, object key).
async fn file_rows(db: &Db) -> Vec<(i64, i64, String, Option<String>)> {
    db.read(|c| -> Result<_, DbError> {
        c.query_map(
            "SELECT id, size, sha256, object_key FROM files ORDER BY id",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
    })
    .await
    .unwrap()
}

/// Where the copy goes: a new PostgreSQL database when the test command runs the PostgreSQL
/// pass, another SQLite file otherwise.
fn target(dir: &tempfile::TempDir) -> Location {
    match std::env::var("HPP_TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            Location::Postgres(hpp_backend::db::fresh_postgres_database(&server).unwrap())
        }
        _ => Location::Sqlite(dir.path().join("copy.sqlite3")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_deployment_moves_up_with_every_row_and_every_file() {
    // The deployment: SQLite and its folder, whatever engine the other tests run on.
    let source = TestApp::with_config(|config| config.database_url = None);
    assert!(matches!(source.state.db.location(), Location::Sqlite(_)));
    let installer = source.sign_in(ACME_INSTALLER).await;
    let mut parts = case_fields("password_reset", "sadp", SADP_SERIAL);
    let export = sadp_export(SADP_SERIAL);
    parts.push(Part::File("device_file", "export.xml", &export));
    let filed = installer
        .post_multipart("/api/v1/cases", Some("copy-1"), &parts)
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.json());
    let case_id = filed.json()["id"].as_i64().unwrap();
    let support = source.sign_in(SUPPORT).await;
    let take = support
        .post_json(&format!("/api/v1/cases/{case_id}/take"), json!({}))
        .await;
    assert_eq!(take.status, StatusCode::OK);
    let note = support
        .post_json(
            &format!("/api/v1/cases/{case_id}/notes"),
            json!({ "message": "Checked the export" }),
        )
        .await;
    assert!(note.status.is_success(), "{:?}", note.json());
    let reset = b"<?xml version=\"1.0\"?><Encrypt><data>Y29weQ==</data></Encrypt>".to_vec();
    let answered = support
        .post_multipart(
            &format!("/api/v1/cases/{case_id}/answer"),
            None,
            &[Part::File("file", "Encrypt.xml", &reset)],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.json());
    let answer_file = answered.json()["answer"]["file"]["id"].as_i64().unwrap();
    // A failed sign-in leaves throttle rows.
    source.try_sign_in(ACME_RESELLER, "not the password").await;
    let source_list = installer.get("/api/v1/cases?per_page=100").await.json();
    let source_files = file_rows(&source.state.db).await;
    assert!(
        source_files.iter().any(|(_, _, _, key)| key.is_none()),
        "the seed's files are in their rows, as files from before the store are"
    );
    assert!(source_files.iter().any(|(_, _, _, key)| key.is_some()));

    // Into the other database and S3.
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let location = target(&dir);
    let to = Db::connect(&location).unwrap();
    let to_files = FileStore::open(Some(&s3.url()), &s3.options(), dir.path()).unwrap();
    let copied = copy(&source.state.db, &source.state.files, &to, &to_files)
        .await
        .unwrap();
    assert_eq!(copied.files_checked, source_files.len());

    // Every table holds as many rows in the copy, counted here.
    for &table in TABLES {
        let (before, after) = (
            count(&source.state.db, table).await,
            count(&to, table).await,
        );
        assert_eq!(before, after, "{table}");
    }
    assert!(count(&to, "events").await > 0 && count(&to, "throttle_backoffs").await > 0);
    // Every file: the same row, and in the bucket bytes whose SHA-256 is the source's.
    let copied_files = file_rows(&to).await;
    assert_eq!(copied_files.len(), source_files.len());
    for ((id, size, sha, _), (copy_id, copy_size, copy_sha, key)) in
        source_files.iter().zip(&copied_files)
    {
        assert_eq!((id, size, sha), (copy_id, copy_size, copy_sha));
        let key = key.as_deref().expect("every copied file is in the store");
        let object = to_files.store().get(&ObjectPath::from(key)).await.unwrap();
        let bytes = object.bytes().await.unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), *sha, "file {id}");
        assert_eq!(bytes.len() as i64, *size);
    }

    // The copy serves the same partner: the session they had, their cases, the answer's file.
    let (url, options) = (s3.url(), s3.options());
    let database = match &location {
        Location::Postgres(url) => url.clone(),
        Location::Sqlite(path) => format!("sqlite://{}", path.display()),
    };
    let moved = TestApp::with_config(move |config| {
        config.database_url = Some(database);
        config.object_store_url = Some(url);
        config.object_store_options = options;
    });
    let same_session = Client {
        app: &moved,
        cookie: installer.cookie.clone(),
        csrf: installer.csrf.clone(),
    };
    let list = same_session.get("/api/v1/cases?per_page=100").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["total"], source_list["total"]);
    assert_eq!(list.json()["items"], source_list["items"]);
    let download = same_session
        .get(&format!("/api/v1/cases/{case_id}/files/{answer_file}"))
        .await;
    assert_eq!(download.bytes, reset);
    // New rows follow the copied ids.
    let again = same_session
        .post_multipart("/api/v1/cases", Some("copy-2"), &parts)
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.json());
    let last = count(&source.state.db, "cases").await;
    assert!(again.json()["id"].as_i64().unwrap() > last);

    // A second copy into a database that holds data is refused, and changes nothing.
    let cases = count(&to, "cases").await;
    let refused = copy(&source.state.db, &source.state.files, &to, &to_files).await;
    assert!(matches!(refused, Err(CopyError::TargetNotEmpty(_))));
    assert_eq!(count(&to, "cases").await, cases);
}
