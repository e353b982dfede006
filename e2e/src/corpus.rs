//! Test material made by another hand than the app's: the generators in `scripts/corpus/`
//! (segno and pillow for photos of SADP's QR code on a screen, Python's own XML writers for SADP
//! exports, zlib for a PNG bomb), run at test time with fixed seeds. Each file comes with what
//! a correct reader must find in it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python with the generators' pinned packages (`scripts/setup.sh --browser` makes it).
pub fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/corpus-venv/bin/python");
    assert!(
        venv.exists(),
        "{} is missing: run scripts/setup.sh --browser",
        venv.display()
    );
    venv
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts/corpus")
        .join(name)
}

fn run(name: &str, args: &[&str]) {
    let status = Command::new(python())
        .arg(script(name))
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    assert!(status.success(), "{name} {args:?} failed: {status}");
}

/// The folder a generator filled for `key`, under the temporary directory (a test run's own,
/// in `scripts/test.sh`) and named by the generator's text too, so that a changed generator
/// makes its files again. Tests running at once may both make it; the first to finish wins.
fn made_once(name: &str, key: &str, make: impl FnOnce(&str)) -> PathBuf {
    let source = std::fs::read(script(name)).expect("the generator");
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&source, &mut hasher);
    let version = std::hash::Hasher::finish(&hasher);
    let parent = std::env::temp_dir().join("hpp-corpus");
    let dir = parent.join(format!("{name}-{key}-{version:016x}"));
    if !dir.join("manifest.json").exists() {
        let making = parent.join(format!("making-{}-{name}-{key}", std::process::id()));
        let _ = std::fs::remove_dir_all(&making);
        std::fs::create_dir_all(&making).expect("a folder for the generator");
        make(&making.display().to_string());
        if std::fs::rename(&making, &dir).is_err() {
            assert!(
                dir.join("manifest.json").exists(),
                "cannot keep {}",
                dir.display()
            );
            let _ = std::fs::remove_dir_all(&making);
        }
    }
    dir
}

fn manifest(dir: &Path) -> Vec<Value> {
    let text = std::fs::read(dir.join("manifest.json")).expect("the generator's manifest");
    serde_json::from_slice(&text).expect("a JSON list")
}

/// A picture of a QR code, and the text it holds.
#[derive(Clone, Debug)]
pub struct QrPicture {
    pub path: PathBuf,
    pub payload: String,
    /// The serial the payload carries, as written in it.
    pub serial: Option<String>,
    pub distortions: Vec<String>,
}

/// Generates `count` photographed-screen QR pictures, or finds the ones made with the same
/// seed earlier in this run: making 24 takes the generator 12 s, and several tests read them.
/// They are read, never changed.
pub fn qr_pictures(count: usize, seed: u64) -> Vec<QrPicture> {
    let dir = made_once("qr_photos.py", &format!("{count}-{seed}"), |out| {
        run(
            "qr_photos.py",
            &[
                out,
                "--count",
                &count.to_string(),
                "--seed",
                &seed.to_string(),
            ],
        )
    });
    manifest(&dir)
        .into_iter()
        .map(|entry| QrPicture {
            path: dir.join(entry["file"].as_str().unwrap_or_default()),
            payload: entry["payload"].as_str().unwrap_or_default().to_owned(),
            serial: entry["serial"].as_str().map(str::to_owned),
            distortions: entry["distortions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect(),
        })
        .collect()
}

/// A SADP export, and what it names (or why it must be refused).
#[derive(Clone, Debug)]
pub struct Export {
    pub path: PathBuf,
    pub layout: String,
    pub encoding: String,
    /// `None` when the file must be refused.
    pub serial: Option<String>,
    pub model: Option<String>,
    pub mac: Option<String>,
    pub firmware: Option<String>,
    pub export_time: Option<String>,
    pub refuse_reason: Option<String>,
}

/// Generates SADP exports of every layout into `dir`.
pub fn exports(dir: &Path, seed: u64) -> Vec<Export> {
    let out = dir.display().to_string();
    run("sadp_exports.py", &[&out, "--seed", &seed.to_string()]);
    let text = |entry: &Value, name: &str| entry[name].as_str().map(str::to_owned);
    manifest(dir)
        .into_iter()
        .map(|entry| Export {
            path: dir.join(entry["file"].as_str().unwrap_or_default()),
            layout: text(&entry, "layout").unwrap_or_default(),
            encoding: text(&entry, "encoding").unwrap_or_default(),
            serial: (entry["expect"] == "ok")
                .then(|| text(&entry, "serial"))
                .flatten(),
            model: text(&entry, "model"),
            mac: text(&entry, "mac"),
            firmware: text(&entry, "firmware"),
            export_time: text(&entry, "export_time"),
            refuse_reason: text(&entry, "refuse_reason"),
        })
        .collect()
}

/// A real, valid PNG of `width` × `height` black-and-white pixels, small on disk.
pub fn png_bomb(path: &Path, width: u32, height: u32) {
    let (out, w, h) = (
        path.display().to_string(),
        width.to_string(),
        height.to_string(),
    );
    run("png_bomb.py", &[&out, &w, &h]);
}
