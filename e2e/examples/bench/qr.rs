//! The QR reader on photos of SADP's QR code on a screen, as partners send them: a corpus drawn by
//! another hand (segno and pillow, `scripts/corpus/qr_photos.py`, fixed seed), each picture
//! chosen in the wizard's QR field in headless Chromium, timed from the file's `change` event to
//! the field showing its answer (decode, pixels, worker, reduction: what the user waits for).
//! zbar, the peer, reads the same files in the same run.

use super::{percentile, sizes, verdict};
use hpp_e2e::corpus::{self, QrPicture};
use hpp_e2e::*;
use std::time::{Duration, Instant};

/// Pictures in the corpus (at least 200), and its seed.
const PICTURES: usize = 240;
const SEED: u64 = 11;

/// Records, per chosen file, the milliseconds from its `change` event until the QR field is no
/// longer busy.
const TIMING_HOOK: &str = r#"
window.__qrTimes = [];
window.__qrStart = null;
document.addEventListener('change', e => {
  if (e.target.id === 'qr_code') window.__qrStart = performance.now();
}, true);
new MutationObserver(() => {
  const drop = document.querySelector('#qr_code')?.closest('.drop');
  if (window.__qrStart !== null && drop && !drop.querySelector('.loading')) {
    window.__qrTimes.push(performance.now() - window.__qrStart);
    window.__qrStart = null;
  }
}).observe(document.body, { subtree: true, childList: true, characterData: true });
"#;

/// What the QR field shows after the last file: the QR code's text, or nothing.
const READ_RESULT: &str = r#"
const drop = document.querySelector('#qr_code').closest('.drop');
const text = drop.querySelector('.drop__facts dd');
return { text: text ? text.textContent : null, ms: window.__qrTimes.length ? window.__qrTimes[window.__qrTimes.length - 1] : null, count: window.__qrTimes.length };
"#;

struct Outcome {
    read: usize,
    times: Vec<f64>,
}

fn summary(name: &str, outcome: &mut Outcome, total: usize) -> f64 {
    outcome.times.sort_by(f64::total_cmp);
    let rate = 100.0 * outcome.read as f64 / total as f64;
    println!(
        "QR {name:<28} read {:>3}/{total}  rate {rate:5.1} %  p50 {:>6.0} ms  p95 {:>6.0} ms",
        outcome.read,
        percentile(&outcome.times, 0.5),
        percentile(&outcome.times, 0.95)
    );
    rate
}

/// zbar on each picture, light-on-dark included (`-Stest-inverted`), one process a picture.
fn zbar(pictures: &[QrPicture]) -> Outcome {
    let mut outcome = Outcome {
        read: 0,
        times: Vec::new(),
    };
    for picture in pictures {
        let started = Instant::now();
        let output = std::process::Command::new("zbarimg")
            .args(["--raw", "-q", "--nodbus", "-Stest-inverted"])
            .arg(&picture.path)
            .output()
            .expect("zbarimg (Debian zbar-tools; scripts/setup.sh --bench installs it)");
        outcome.times.push(started.elapsed().as_secs_f64() * 1000.0);
        let text = String::from_utf8_lossy(&output.stdout);
        if text.trim_end_matches('\n') == picture.payload {
            outcome.read += 1;
        }
    }
    outcome
}

/// The app in headless Chromium, picture after picture in the wizard's QR field.
async fn browser(pictures: &[QrPicture]) -> Outcome {
    let world = World::start().await;
    world.sign_in(ACME_INSTALLER).await;
    let wizard = world.wizard();
    wizard.to_form("password_reset", "other").await;
    world.browser.execute(TIMING_HOOK, vec![]).await.unwrap();
    let mut outcome = Outcome {
        read: 0,
        times: Vec::new(),
    };
    for (n, picture) in pictures.iter().enumerate() {
        // Start from an empty field, so a refused picture cannot show the last one's text.
        if let Ok(remove) = world
            .browser
            .find(fantoccini::Locator::Css(
                "#qr_code-label ~ .drop__chosen .button--ghost",
            ))
            .await
        {
            remove.click().await.unwrap();
        }
        wizard.attach("qr_code", &picture.path).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        let result = loop {
            let result = world.browser.execute(READ_RESULT, vec![]).await.unwrap();
            if result["count"].as_u64() == Some(n as u64 + 1) {
                break result;
            }
            assert!(
                Instant::now() < deadline,
                "{} never answered",
                picture.path.display()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        outcome
            .times
            .push(result["ms"].as_f64().unwrap_or(f64::MAX));
        if result["text"].as_str() == Some(picture.payload.as_str()) {
            outcome.read += 1;
        } else {
            eprintln!(
                "not read in the browser: {} {:?}",
                picture.path.display(),
                picture.distortions
            );
        }
    }
    world.finish().await;
    outcome
}

pub async fn qr_corpus() {
    let started = Instant::now();
    let pictures = corpus::qr_pictures(PICTURES, SEED);
    let megapixels: Vec<f64> = pictures
        .iter()
        .filter_map(|p| image::image_dimensions(&p.path).ok())
        .map(|(w, h)| f64::from(w) * f64::from(h) / 1e6)
        .collect();
    println!(
        "QR corpus: {} photographed-screen pictures (seed {SEED}), {:.1} to {:.1} MP, ready in {:.0} s (made once per temporary folder)",
        pictures.len(),
        megapixels.iter().copied().fold(f64::MAX, f64::min),
        megapixels.iter().copied().fold(0.0, f64::max),
        started.elapsed().as_secs_f64()
    );
    let mut ours = browser(&pictures).await;
    let mut peer = zbar(&pictures);
    let our_rate = summary("app in Chromium", &mut ours, pictures.len());
    let peer_rate = summary("zbar (zbarimg, per process)", &mut peer, pictures.len());
    let worker = super::dist_dir().join("qr-worker_bg.wasm");
    let (raw, _, br) = sizes(&worker);
    println!("QR worker wasm                   {raw:>9} B raw {br:>9} B brotli (fetched on first QR picture only)");
    println!(
        "QR read rate {our_rate:5.1} % vs zbar {peer_rate:5.1} %   budget >= zbar and >= 95 %   {}",
        verdict(our_rate >= peer_rate && our_rate >= 95.0)
    );
    let p95 = percentile(&ours.times, 0.95);
    println!(
        "QR p95 per picture {p95:6.0} ms   budget <= 500 ms   {}",
        verdict(p95 <= 500.0)
    );
}
