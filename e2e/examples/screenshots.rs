//! Screenshots of the app's pages at desktop and phone width, light and dark, for people to look
//! at: `cargo run -p hpp-e2e --example screenshots -- OUT_DIR` (after `trunk build --release`).

use hpp_e2e::*;
use std::path::PathBuf;
use std::time::Duration;

const PAGES: &[(&str, &str, &str)] = &[
    ("login", "/login", "main h1"),
    ("support", "/support", "a.tile"),
    ("records", "/support/cases", "table.records tbody tr"),
    (
        "records-empty",
        "/support/cases?q=NOTHING",
        "[data-testid=records-empty]",
    ),
    ("case-key", "/support/cases/2", "[data-testid=answer-key]"),
    ("case-need-info", "/support/cases/3", ".timeline"),
    ("not-found", "/nowhere", "main h1"),
];

#[tokio::main]
async fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "e2e-artifacts".into()),
    );
    std::fs::create_dir_all(&out).unwrap();
    for (width, height, size) in [(1280, 900, "desktop"), (360, 800, "phone")] {
        for scheme in ["light", "dark"] {
            let world = World::start_sized(width, height).await;
            world.color_scheme(scheme).await;
            for (name, path, ready) in PAGES {
                if *name == "login" {
                    world.open("/login").await;
                } else if world.find_all(".account").await.is_empty() {
                    world.sign_in(ACME_RESELLER).await;
                }
                world.open(path).await;
                world.find(ready).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
                let file = out.join(format!("{name}-{size}-{scheme}.png"));
                world.screenshot(&file).await;
                println!("{}", file.display());
            }
            let _ = world.browser.close().await;
        }
    }
}
