//! The backend side of a world: serving the built app, stopping and restarting, a deploy while
//! a tab is open, and what the database holds.

use crate::World;
use api_types::CaseDetail;
use hpp_backend::{app, AppState};
use std::path::{Path, PathBuf};

/// The running backend: how to stop it.
pub(crate) struct Server {
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<()>,
}

pub(crate) fn spawn_server(listener: tokio::net::TcpListener, state: &AppState) -> Server {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let service = app(state.clone());
    let limits = state.config.server.clone();
    let events = state.events.clone();
    let done = tokio::spawn(async move {
        let _ = hpp_backend::serve_until(listener, service, limits, async move {
            let _ = stopped.await;
            // As the backend's own main does: open event streams would hold the stop up.
            events.close();
        })
        .await;
    });
    Server { stop, done }
}

pub(crate) fn dist_dir() -> PathBuf {
    let dist = std::env::var("HPP_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dist.join("index.html").is_file(),
        "no built app at {}: run `trunk build --release` (scripts/test.sh does) first",
        dist.display()
    );
    dist
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl World {
    /// Stops the backend: open connections end and new ones are refused.
    pub async fn stop_backend(&self) {
        let server = self.server.lock().unwrap().take();
        if let Some(server) = server {
            let _ = server.stop.send(());
            let _ = server.done.await;
        }
    }

    /// Starts the backend again at the same address, on the same database.
    pub async fn restart_backend(&self) {
        let addr = self.base.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
        *self.server.lock().unwrap() = Some(spawn_server(listener, &self.state));
    }

    /// A deploy while the tab is open (worlds from `start_deployable` only): the backend
    /// restarts with the same app under another build name, so the modules of the build the
    /// tab runs are gone from the server, as after a real deploy. Returns the new build's name.
    pub async fn deploy_another_build(&self) -> String {
        assert!(
            self.own_dist.is_some(),
            "start the world with start_deployable"
        );
        self.stop_backend().await;
        let old = std::fs::read_dir(&self.dist)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .find(|name| name.starts_with("pkg-"))
            .expect("the built app has a pkg-<hash> directory");
        let new = if old == "pkg-feedfacecafebeef" {
            "pkg-0123456789abcdef"
        } else {
            "pkg-feedfacecafebeef"
        };
        std::fs::rename(self.dist.join(&old), self.dist.join(new)).unwrap();
        let index = self.dist.join("index.html");
        let html = std::fs::read_to_string(&index).unwrap().replace(&old, new);
        std::fs::write(&index, html).unwrap();
        for stale in ["index.html.br", "index.html.gz"] {
            let _ = std::fs::remove_file(self.dist.join(stale));
        }
        self.restart_backend().await;
        new.to_owned()
    }

    /// Ends every session on the server, as when they expire; the browser finds out on its
    /// next request.
    pub fn expire_sessions(&self) {
        self.state
            .db
            .blocking(|conn| conn.execute("DELETE FROM sessions", hpp_backend::params![]))
            .unwrap();
    }

    /// How many cases the database holds.
    pub fn stored_case_count(&self) -> i64 {
        self.state
            .db
            .blocking(|conn| {
                conn.query_row("SELECT COUNT(*) FROM cases", hpp_backend::params![], |r| {
                    r.get(0)
                })
            })
            .unwrap()
    }

    /// What the backend stored for case `id`: its details and the bytes of each of its files
    /// (read from the object store, checked against their rows).
    pub async fn stored_case(&self, id: i64) -> (CaseDetail, Vec<Vec<u8>>) {
        let (detail, stored) = self
            .state
            .db
            .blocking(move |conn| {
                let detail =
                    hpp_backend::db::cases::detail(conn, 0, id)?.expect("the case is stored");
                let mut stored = Vec::new();
                for file in &detail.files {
                    let (_, bytes) =
                        hpp_backend::db::cases::file(conn, id, file.id)?.expect("stored");
                    stored.push(bytes);
                }
                Ok((detail, stored))
            })
            .unwrap();
        let mut bytes = Vec::new();
        for file in stored {
            bytes.push(self.state.files.read(file).await.expect("readable"));
        }
        (detail, bytes)
    }
}
