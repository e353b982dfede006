//! A `.br` and a `.gz` beside every compressible file of the build, at the highest ratio, so
//! the server sends them as they are (`ServeDir::precompressed_*`) and no request pays for
//! compressing. Done once per release build, not at every server start.

use crate::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

const COMPRESSIBLE: [&str; 8] = ["html", "js", "wasm", "css", "svg", "json", "txt", "xml"];

pub fn tree(dir: &Path) -> Result<()> {
    for path in files_under(dir)? {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path)?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params)?;
        std::fs::write(with_suffix(&path, "br"), br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&data)?;
        std::fs::write(with_suffix(&path, "gz"), gz.finish()?)?;
    }
    Ok(())
}

fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
