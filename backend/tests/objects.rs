//! Files' bytes in the object store: written before their rows, read back checked against the
//! size and SHA-256 their rows hold, moved out of the database for rows from before, orphans
//! swept, and no object written for an upload the quota refuses. Every test runs on both kinds
//! of store: the folder (the default) and S3 (moto's server, started by the test).

mod common;

use axum::http::StatusCode;
use common::s3::S3Server;
use common::*;
use hpp_backend::objects::SWEEP_GRACE;
use object_store::path::Path as ObjectPath;
use std::time::Duration;

/// Every object's key in the app's store.
async fn objects(app: &TestApp) -> Vec<String> {
    app.state.files.keys().await.unwrap()
}

/// A test app on each kind of store: its name, the app, and the S3 server it needs.
fn on_each_store(
    adjust: impl Fn(&mut hpp_backend::Config),
) -> Vec<(&'static str, TestApp, Option<S3Server>)> {
    let s3 = S3Server::start();
    let (url, options) = (s3.url(), s3.options());
    vec![
        ("folder", TestApp::with_config(&adjust), None),
        (
            "s3",
            TestApp::with_config(|config| {
                adjust(config);
                config.object_store_url = Some(url.clone());
                config.object_store_options = options.clone();
            }),
            Some(s3),
        ),
    ]
}

/// The stored rows of a case's files: (id, object key, bytes left in the row).
async fn file_rows(app: &TestApp, case_id: i64) -> Vec<(i64, Option<String>, usize)> {
    app.state
        .db
        .read(move |conn| -> Result<_, hpp_backend::db::DbError> {
            conn.query_map(
                "SELECT id, object_key, length(data) FROM files WHERE case_id = ?1 ORDER BY id",
                hpp_backend::params![case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .await
        .unwrap()
}

async fn file_case(client: &Client<'_>, key: &str, export: &[u8]) -> serde_json::Value {
    let mut parts = case_fields("password_reset", "sadp", SADP_SERIAL);
    parts.push(Part::File("device_file", "export.xml", export));
    let reply = client
        .post_multipart("/api/v1/cases", Some(key), &parts)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.json());
    reply.json()
}

#[tokio::test]
async fn an_upload_goes_to_the_store_and_comes_back_byte_for_byte() {
    for (store, app, _s3) in on_each_store(|_| {}) {
        upload_and_download(store, app).await;
    }
}

async fn upload_and_download(store: &str, app: TestApp) {
    let before = objects(&app).await;
    let installer = app.sign_in(ACME_INSTALLER).await;
    let export = sadp_export(SADP_SERIAL);
    let case = file_case(&installer, "objects-1", &export).await;
    let case_id = case["id"].as_i64().unwrap();

    let rows = file_rows(&app, case_id).await;
    assert_eq!(rows.len(), 1);
    let (file_id, key, inline) = rows[0].clone();
    let key = key.expect("the row names its object");
    assert_eq!(inline, 0, "no bytes left in the database");
    let added: Vec<String> = objects(&app)
        .await
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert_eq!(added, std::slice::from_ref(&key), "{store}");
    let local =
        std::fs::read_dir(app.state.config.default_objects_dir()).map_or(0, |dir| dir.count());
    assert_eq!(
        local > 0,
        store == "folder",
        "{store}: bytes in the data dir"
    );
    let path = ObjectPath::from(key.as_str());
    let object = app.state.files.store().get(&path).await.unwrap();
    assert_eq!(object.bytes().await.unwrap(), export, "{store}");

    let download = installer
        .get(&format!("/api/v1/cases/{case_id}/files/{file_id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK, "{store}");
    assert_eq!(download.bytes, export, "{store}");

    // An object changed behind the database's back is refused, not served.
    let tampered: &[u8] = b"<DeviceKey>tampered</DeviceKey>";
    app.state
        .files
        .store()
        .put(&path, tampered.to_vec().into())
        .await
        .unwrap();
    let served = installer
        .get(&format!("/api/v1/cases/{case_id}/files/{file_id}"))
        .await;
    assert_eq!(served.status, StatusCode::INTERNAL_SERVER_ERROR, "{store}");
    assert!(!String::from_utf8_lossy(&served.bytes).contains("tampered"));
}

#[tokio::test]
async fn files_from_before_the_store_are_read_from_their_rows_and_moved_out() {
    for (_, app, _s3) in on_each_store(|_| {}) {
        move_out(app).await;
    }
}

async fn move_out(app: TestApp) {
    let support = app.sign_in(SUPPORT).await;
    // The seed writes its files into their rows, as every file was stored before.
    let inline_before: Vec<i64> = app
        .state
        .db
        .read(|conn| -> Result<_, hpp_backend::db::DbError> {
            conn.query_map(
                "SELECT case_id FROM files WHERE object_key IS NULL",
                hpp_backend::params![],
                |r| r.get(0),
            )
        })
        .await
        .unwrap();
    assert!(!inline_before.is_empty());
    let case_id = inline_before[0];
    let (file_id, _, inline) = file_rows(&app, case_id).await[0].clone();
    assert!(inline > 0);
    let url = format!("/api/v1/cases/{case_id}/files/{file_id}");
    let before = support.get(&url).await;
    assert_eq!(before.status, StatusCode::OK);

    let moved = app.state.files.move_inline(&app.state.db).await.unwrap();
    assert_eq!(moved, inline_before.len());
    let (_, key, inline) = file_rows(&app, case_id).await[0].clone();
    assert!(key.is_some());
    assert_eq!(inline, 0);
    let after = support.get(&url).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.bytes, before.bytes);
    assert_eq!(
        app.state.files.move_inline(&app.state.db).await.unwrap(),
        0,
        "nothing moved twice"
    );
}

#[tokio::test]
async fn objects_no_row_refers_to_are_swept_once_old_enough() {
    for (_, app, _s3) in on_each_store(|_| {}) {
        sweep(app).await;
    }
}

async fn sweep(app: TestApp) {
    let installer = app.sign_in(ACME_INSTALLER).await;
    let case = file_case(&installer, "objects-2", &sadp_export(SADP_SERIAL)).await;
    let case_id = case["id"].as_i64().unwrap();
    // What a request that failed after writing its file leaves behind.
    let orphan = app.state.files.put(b"left behind").await.unwrap();
    assert_eq!(objects(&app).await.len(), 2);

    let young = app
        .state
        .files
        .sweep(&app.state.db, SWEEP_GRACE)
        .await
        .unwrap();
    assert_eq!(
        young, 0,
        "a young orphan may belong to a request still running"
    );
    let swept = app
        .state
        .files
        .sweep(&app.state.db, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(swept, 1);
    let left = objects(&app).await;
    assert_eq!(left.len(), 1);
    assert_ne!(left[0], orphan);
    let (file_id, _, _) = file_rows(&app, case_id).await[0].clone();
    let download = installer
        .get(&format!("/api/v1/cases/{case_id}/files/{file_id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK, "the case's file is kept");
}

#[tokio::test]
async fn an_upload_over_the_quota_writes_no_object() {
    let export = sadp_export(SADP_SERIAL);
    let limit = export.len() as u64 + 10;
    for (store, app, _s3) in on_each_store(|config| config.upload_bytes_per_hour = limit) {
        over_quota(store, app, &export).await;
    }
}

async fn over_quota(store: &str, app: TestApp, export: &[u8]) {
    let installer = app.sign_in(ACME_INSTALLER).await;
    file_case(&installer, "objects-3", export).await;
    let stored = objects(&app).await.len();

    let mut parts = case_fields("password_reset", "sadp", SADP_SERIAL);
    parts.push(Part::File("device_file", "export.xml", export));
    let refused = installer
        .post_multipart("/api/v1/cases", Some("objects-4"), &parts)
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "UPLOAD_QUOTA_EXCEEDED");
    assert_eq!(
        objects(&app).await.len(),
        stored,
        "{store}: nothing written for it"
    );
}

/// A folder store keeps each object at its key in the folder, where it syncs it to disk before
/// the row commits (the sync opens that very file: a wrong path would refuse every upload),
/// also in a folder whose name needs escaping in a URL.
#[tokio::test]
async fn a_folder_store_keeps_and_syncs_each_object_at_its_key() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("Dateien für HPP");
    let url = url::Url::from_directory_path(&folder).unwrap();
    assert!(url.as_str().contains("%20"), "{url}");
    let store =
        hpp_backend::objects::FileStore::open(Some(url.as_str()), &[], root.path()).unwrap();
    let bytes = b"<DeviceKey>kept</DeviceKey>";
    let key = store.put(bytes).await.unwrap();
    assert_eq!(std::fs::read(folder.join(&key)).unwrap(), bytes);
    let stored = hpp_backend::db::cases::StoredBytes {
        object_key: Some(key),
        inline: Vec::new(),
        size: bytes.len() as i64,
        sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
    };
    assert_eq!(store.read(stored).await.unwrap(), bytes);
}
