//! `cargo run -p xtask -- split-app`: Trunk's post-build hook (see `Trunk.toml`), because Trunk
//! 0.21 cannot split an app at its lazy routes (trunk-rs/trunk#1022).
//!
//! 1. `cargo rustc` builds the app, linking with `--emit-relocs` (the splitter follows them);
//! 2. the splitter cuts it into the main module, one module per split function (each
//!    `lazy_page!`, each language but English, the password dialog) and the chunks they share,
//!    plus `__wasm_split.js`, which fetches them on first use;
//! 3. `wasm-bindgen` on the main module, `wasm-opt` on every module (release);
//! 4. all of it into `pkg-<hash of the files>/` beside `index.html`, so that every name stays
//!    valid for as long as its content (the backend caches such paths for a year), with
//!    `start.js`, the loader (`loader.rs`), and a `<script src>` for it in `index.html`: no
//!    inline script, so the page's Content-Security-Policy needs no hashes;
//! 5. in release, a `.br` and a `.gz` beside every compressible file (`precompress.rs`), so
//!    the server sends them as they are.

mod loader;
mod precompress;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() {
    let task = std::env::args().nth(1);
    let outcome = match task.as_deref() {
        Some("split-app") => split_app(),
        _ => {
            Err("usage: cargo run -p xtask -- split-app (run by trunk as a post_build hook)".into())
        }
    };
    if let Err(e) = outcome {
        eprintln!("xtask: {e}");
        std::process::exit(1);
    }
}

fn split_app() -> Result<()> {
    let staging = PathBuf::from(
        std::env::var_os("TRUNK_STAGING_DIR").ok_or("run by trunk as a post_build hook")?,
    );
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    // The project Trunk builds (not where this binary was compiled: a build of another
    // checkout may share the target directory).
    let root = PathBuf::from(std::env::var_os("TRUNK_SOURCE_DIR").ok_or("no TRUNK_SOURCE_DIR")?);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let profile = if release { "wasm-release" } else { "debug" };

    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.current_dir(&root).args(["rustc", "--quiet"]);
    if release {
        cargo.args(["--profile", "wasm-release"]);
    }
    cargo.args([
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "hpp-web",
        "--bin",
        "hpp-web",
    ]);
    cargo.args(["--", "-Clink-args=--emit-relocs"]);
    run(&mut cargo)?;
    let input =
        std::fs::read(target.join(format!("wasm32-unknown-unknown/{profile}/hpp-web.wasm")))?;

    let work = staging.join(".xtask-split");
    let _ = std::fs::remove_dir_all(&work);
    let (split_dir, bindgen_dir, out) =
        (work.join("split"), work.join("bindgen"), work.join("out"));
    for dir in [&split_dir, &bindgen_dir, &out] {
        std::fs::create_dir_all(dir)?;
    }
    let main_wasm = split_dir.join("hpp-web.wasm");
    let split = {
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &split_dir;
        options.main_out_path = &main_wasm;
        options.main_module = "./hpp-web.js";
        wasm_split_cli_support::transform(options).map_err(|e| format!("splitting: {e:#}"))?
    };
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--out-name",
            "hpp-web",
        ])
        .arg("--out-dir")
        .arg(&bindgen_dir)
        .arg(&main_wasm))?;

    std::fs::copy(bindgen_dir.join("hpp-web.js"), out.join("hpp-web.js"))?;
    std::fs::copy(
        split_dir.join("__wasm_split.js"),
        out.join("__wasm_split.js"),
    )?;
    let mut modules = vec![bindgen_dir.join("hpp-web_bg.wasm")];
    modules.extend(split.split_modules.iter().cloned());
    for module in &modules {
        let name = module.file_name().ok_or("a module without a name")?;
        if release {
            optimise(module, &out.join(name))?;
        } else {
            std::fs::copy(module, out.join(name))?;
        }
    }

    // What each split needs: its own module and the chunks it shares with others.
    let needs: BTreeMap<String, Vec<String>> = split
        .prefetch_map
        .iter()
        .map(|(split, stems)| {
            let mut files: Vec<String> = stems.iter().map(|s| format!("{s}.wasm")).collect();
            files.sort();
            (split.clone(), files)
        })
        .collect();
    std::fs::write(out.join("start.js"), loader::start_js(&needs)?)?;
    // Written down for the benchmark, which lists every lazy part: `split module module…`.
    let manifest: String = needs
        .iter()
        .map(|(split, files)| format!("{split} {}\n", files.join(" ")))
        .collect();
    std::fs::write(out.join("modules.txt"), manifest)?;

    let app = format!("pkg-{}", loader::content_hash(&out)?);
    let pkg = staging.join(&app);
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::rename(&out, &pkg)?;
    std::fs::remove_dir_all(&work)?;
    let html = staging.join("index.html");
    std::fs::write(
        &html,
        loader::into_page(&std::fs::read_to_string(&html)?, &app)?,
    )?;
    if release {
        precompress::tree(&staging)?;
    }
    eprintln!("xtask: {app}: {} modules", modules.len());
    Ok(())
}

/// `wasm-opt -Oz`, with the features the app's modules use.
fn optimise(module: &Path, to: &Path) -> Result<()> {
    let mut opt = Command::new("wasm-opt");
    opt.arg("-Oz");
    for feature in [
        "bulk-memory",
        "nontrapping-float-to-int",
        "sign-ext",
        "mutable-globals",
        "reference-types",
        "multivalue",
    ] {
        opt.arg(format!("--enable-{feature}"));
    }
    let output = opt.arg(module).arg("-o").arg(to).output()?;
    // wasm-opt warns about every module's name section that rustc wrote: noise, not news.
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        if !line.contains("unknown name subsection") {
            eprintln!("{line}");
        }
    }
    if !output.status.success() {
        return Err(format!("wasm-opt {}: {}", module.display(), output.status).into());
    }
    Ok(())
}

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if !status.success() {
        return Err(format!("{command:?}: {status}").into());
    }
    Ok(())
}
