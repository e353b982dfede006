//! The SADP export reader on every file of a corpus written by another hand: Python's standard
//! library XML writers (`scripts/corpus/sadp_exports.py`), generated now from fixed seeds, in
//! every layout, spelling, namespace and encoding it knows, and the files a reader must refuse.

use api_types::sadp::{parse_export, ExportError};
use api_types::serial::Serial;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn generate(dir: &Path, seed: u32) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/corpus/sadp_exports.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .args(["--seed", &seed.to_string()])
        .status()
        .expect("python3 runs the generator (standard library only)");
    assert!(status.success(), "{} failed", script.display());
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn mac(text: &str) -> String {
    text.to_ascii_lowercase().replace('-', ":")
}

#[test]
fn every_generated_export_is_read_or_refused_as_its_manifest_says() {
    let (mut read, mut refused) = (0, 0);
    for seed in [11, 5, 2026] {
        let dir = tempfile::tempdir().unwrap();
        for entry in generate(dir.path(), seed) {
            let file = entry["file"].as_str().unwrap();
            let context = format!("seed {seed}, {file}: {}", entry["layout"]);
            let bytes = std::fs::read(dir.path().join(file)).unwrap();
            let outcome = parse_export(&bytes);
            if entry["expect"] == "ok" {
                let export = outcome.unwrap_or_else(|e| panic!("{context}: {e}"));
                let serial = Serial::parse(entry["serial"].as_str().unwrap()).unwrap();
                assert_eq!(export.serial, serial, "{context}");
                if let Some(model) = entry["model"].as_str() {
                    assert_eq!(export.model.as_deref(), Some(model), "{context}");
                }
                if let Some(expected) = entry["mac"].as_str() {
                    assert_eq!(export.mac, Some(mac(expected)), "{context}");
                }
                if let Some(firmware) = entry["firmware"].as_str() {
                    assert_eq!(export.firmware.as_deref(), Some(firmware), "{context}");
                }
                if let Some(time) = entry["export_time"].as_str() {
                    assert_eq!(export.exported_at.as_deref(), Some(time), "{context}");
                }
                read += 1;
            } else {
                let reason = entry["refuse_reason"].as_str().unwrap();
                let fits = matches!(
                    (reason, &outcome),
                    ("dtd", Err(ExportError::HasDtd))
                        | ("malformed" | "not_xml", Err(ExportError::NotXml { .. }))
                        | ("no_serial", Err(ExportError::NoSerial))
                        | ("too_large", Err(ExportError::TooLarge))
                );
                assert!(fits, "{context}: expected {reason}, got {outcome:?}");
                refused += 1;
            }
        }
    }
    println!("exports read: {read}, refused as expected: {refused}");
    assert!(
        read >= 3 * 25 && refused >= 3 * 10,
        "{read} read, {refused} refused"
    );
}
