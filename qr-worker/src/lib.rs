//! Finding and reading a QR code in an RGBA picture: a screenshot, or a phone photo of SADP's
//! QR code on a monitor (rotated, keystoned, blurred, moiré, glare, small in a big picture,
//! light on dark).
//!
//! Lives in its own WebAssembly module, run in a web worker: the app loads it only when a user
//! adds a QR picture, so it adds nothing to the first load, and decoding a large photo never
//! blocks the page.
//!
//! Two decoders, tried coarse to fine: `rxing` (a port of ZXing, whose hybrid binariser and
//! finder-pattern search cope with blur, glare and perspective) and `rqrr` (a port of quirc,
//! which reads some small or moiré'd codes rxing misses). Most photos are read at the smallest
//! scale, so the common case stays fast; the full resolution is for codes that are small in
//! the picture. The measured rates behind this order are in the benchmark (`scripts/bench.sh`).

use rxing::{BarcodeFormat, DecodeHints};

/// Long sides, in pixels, at which the picture is tried, smallest first.
const SCALES: [usize; 3] = [1024, 2048, 4096];

/// A greyscale picture, one byte a pixel.
pub struct Luma {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Luma {
    /// The picture's luminance (ITU-R BT.601 weights); `None` when `rgba` is too short.
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<Self> {
        if width == 0 || height == 0 || rgba.len() < width * height * 4 {
            return None;
        }
        let pixels = rgba
            .chunks_exact(4)
            .take(width * height)
            .map(|p| ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8)
            .collect();
        Some(Self {
            width,
            height,
            pixels,
        })
    }

    /// The picture reduced so its long side is at most `long_side`, averaging the pixels each
    /// new one covers (an average, not a pick, so moiré and scanlines blur away).
    pub fn reduced(&self, long_side: usize) -> Option<Self> {
        let long = self.width.max(self.height);
        if long <= long_side {
            return None;
        }
        let factor = long.div_ceil(long_side);
        let (width, height) = (self.width / factor, self.height / factor);
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let mut sum = 0u32;
                for dy in 0..factor {
                    let row = (y * factor + dy) * self.width;
                    for dx in 0..factor {
                        sum += self.pixels[row + x * factor + dx] as u32;
                    }
                }
                pixels.push((sum / (factor * factor) as u32) as u8);
            }
        }
        Some(Self {
            width,
            height,
            pixels,
        })
    }
}

/// ZXing's reader, trying harder and also the inverted picture (light on dark).
pub fn read_rxing(luma: &Luma) -> Option<String> {
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    rxing::helpers::detect_in_luma_slice_with_hints(
        &luma.pixels,
        luma.width as u32,
        luma.height as u32,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|result| result.getText().to_owned())
}

/// quirc's reader, on the picture and on its inverse.
pub fn read_rqrr(luma: &Luma) -> Option<String> {
    let read = |invert: bool| {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(luma.width, luma.height, |x, y| {
                let value = luma.pixels[y * luma.width + x];
                if invert {
                    255 - value
                } else {
                    value
                }
            });
        image
            .detect_grids()
            .into_iter()
            .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
    };
    read(false).or_else(|| read(true))
}

/// The text of the first readable QR code in an RGBA image, if any.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    decode(&Luma::from_rgba(width, height, rgba)?)
}

/// Tries each scale from the smallest, each decoder at each scale.
pub fn decode(full: &Luma) -> Option<String> {
    let mut tried_full = false;
    for long_side in SCALES {
        let reduced = full.reduced(long_side);
        let luma = match &reduced {
            Some(reduced) => reduced,
            None if tried_full => break,
            None => {
                tried_full = true;
                full
            }
        };
        if let Some(text) = read_rxing(luma).or_else(|| read_rqrr(luma)) {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::decode_rgba;

    #[test]
    fn a_blank_picture_has_no_code() {
        let white = vec![255u8; 64 * 64 * 4];
        assert_eq!(decode_rgba(64, 64, &white), None);
        assert_eq!(decode_rgba(64, 64, &[]), None);
    }

    /// Renders `text` as a QR code: `scale` pixels a module, with a quiet zone, in RGBA.
    fn render(text: &str, scale: usize, invert: bool) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 8) * scale;
        let (light, dark) = if invert { (0, 255) } else { (255, 0) };
        let mut rgba = vec![light; side * side * 4];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let inside =
                    (0..modules as isize).contains(&mx) && (0..modules as isize).contains(&my);
                if inside && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark {
                    let i = (y * side + x) * 4;
                    rgba[i..i + 3].copy_from_slice(&[dark, dark, dark]);
                }
            }
        }
        (side, rgba)
    }

    #[test]
    fn reads_back_a_rendered_sadp_code_dark_on_light_and_light_on_dark() {
        let payload = "SADP|E61958062|2026-11-21T10:00:00Z|a8f3c1d2e4";
        for invert in [false, true] {
            let (side, rgba) = render(payload, 6, invert);
            assert_eq!(
                decode_rgba(side, side, &rgba).as_deref(),
                Some(payload),
                "inverted: {invert}"
            );
        }
    }
}
