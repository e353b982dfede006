//! Finding and reading a QR code in an RGBA picture.
//!
//! Lives in its own WebAssembly module, run in a web worker: the app loads it only when a user
//! adds a QR picture, so it adds nothing to the first load, and decoding a large photo never
//! blocks the page.

/// The text of the first readable QR code in an RGBA image, if any.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return None;
    }
    let luma = |x: usize, y: usize| {
        let i = (y * width + x) * 4;
        let (r, g, b) = (rgba[i] as u32, rgba[i + 1] as u32, rgba[i + 2] as u32);
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
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
    fn render(text: &str, scale: usize) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 8) * scale;
        let mut rgba = vec![255u8; side * side * 4];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let inside =
                    (0..modules as isize).contains(&mx) && (0..modules as isize).contains(&my);
                if inside && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark {
                    let i = (y * side + x) * 4;
                    rgba[i..i + 3].copy_from_slice(&[0, 0, 0]);
                }
            }
        }
        (side, rgba)
    }

    #[test]
    fn reads_back_a_rendered_sadp_code() {
        let payload = "SADP|E61958062|2026-11-21T10:00:00Z|a8f3c1d2e4";
        let (side, rgba) = render(payload, 6);
        assert_eq!(decode_rgba(side, side, &rgba).as_deref(), Some(payload));
    }
}
