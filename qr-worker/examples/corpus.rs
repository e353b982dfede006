//! Reads a generated QR corpus natively (`scripts/corpus/qr_photos.py DIR` writes it) and prints,
//! per decoder and for the worker's whole pipeline: pictures read, rate, p50 and p95 time, and
//! the misses by distortion. The benchmark measures the same pictures in the browser; this is
//! the quick way to compare decoders while changing the pipeline.
//!
//! `cargo run --release -p qr-worker --example corpus -- DIR`

use qr_worker::{decode, read_rqrr, read_rxing, Luma};
use std::collections::BTreeMap;
use std::time::Instant;

type Reader = fn(&Luma) -> Option<String>;

fn rxing_at_one_scale(full: &Luma) -> Option<String> {
    read_rxing(full.reduced(4096).as_ref().unwrap_or(full))
}

fn rqrr_at_one_scale(full: &Luma) -> Option<String> {
    read_rqrr(full.reduced(4096).as_ref().unwrap_or(full))
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: corpus DIR");
    let manifest: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(format!("{dir}/manifest.json")).expect("DIR/manifest.json"),
    )
    .expect("a JSON list");
    let readers: [(&str, Reader); 3] = [
        ("pipeline", decode),
        ("rxing at one scale", rxing_at_one_scale),
        ("rqrr at one scale", rqrr_at_one_scale),
    ];
    let pictures: Vec<(serde_json::Value, Luma)> = manifest
        .into_iter()
        .map(|entry| {
            let path = format!("{dir}/{}", entry["file"].as_str().unwrap_or_default());
            let rgba = image::open(&path).expect("a picture").to_rgba8();
            let (w, h) = (rgba.width() as usize, rgba.height() as usize);
            let luma = Luma::from_rgba(w, h, rgba.as_raw()).expect("pixels");
            (entry, luma)
        })
        .collect();
    for (name, reader) in readers {
        let mut times = Vec::new();
        let mut misses: BTreeMap<String, usize> = BTreeMap::new();
        let mut read = 0;
        for (entry, luma) in &pictures {
            let started = Instant::now();
            let text = reader(luma);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            if text.as_deref() == entry["payload"].as_str() {
                read += 1;
            } else {
                for d in entry["distortions"].as_array().into_iter().flatten() {
                    *misses
                        .entry(d.as_str().unwrap_or("?").to_owned())
                        .or_default() += 1;
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "{name:<20} read {read}/{}  rate {:.1} %  p50 {:.0} ms  p95 {:.0} ms  misses by distortion {misses:?}",
            pictures.len(),
            100.0 * read as f64 / pictures.len() as f64,
            at(0.5),
            at(0.95)
        );
    }
}
