//! The worker's reader on photos of SADP's QR code on a screen, drawn by another hand than the
//! app's (segno and pillow, `scripts/corpus/qr_photos.py`) and generated now from a fixed seed:
//! rotated, keystoned, blurred, JPEG'd, moiré, scanlines, low contrast, glare, small in a big
//! picture, light on dark, 0.3 to 12 MP. The benchmark reads a larger set in the browser and
//! compares with zbar; this keeps the decoder honest in every test run.

use qr_worker::{decode, Luma};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn reads_at_least_95_percent_of_generated_screen_photos() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join(".tools/corpus-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh --browser",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(&python)
        .arg(root.join("scripts/corpus/qr_photos.py"))
        .arg(dir.path())
        .args(["--count", "60", "--seed", "7"])
        .status()
        .unwrap();
    assert!(status.success());
    let manifest: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
    let mut missed = Vec::new();
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        let rgba = image::open(dir.path().join(file)).unwrap().to_rgba8();
        let (width, height) = (rgba.width() as usize, rgba.height() as usize);
        let luma = Luma::from_rgba(width, height, rgba.as_raw()).unwrap();
        if decode(&luma).as_deref() != entry["payload"].as_str() {
            missed.push(format!("{file} {}", entry["distortions"]));
        }
    }
    let read = manifest.len() - missed.len();
    println!("read {read} of {} generated screen photos", manifest.len());
    assert!(
        read * 100 >= manifest.len() * 95,
        "read {read} of {}; missed: {missed:#?}",
        manifest.len()
    );
}
