//! Pictures in the browser: decoding (with the photo's orientation applied), downscaling to
//! JPEG before upload, and the pixels the QR decoder reads.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

/// [`MAX_PHOTO_SIDE`] as a literal, for the texts that name it (built with `concat!`).
#[macro_export]
macro_rules! max_photo_side {
    () => {
        2048
    };
}

/// Longest side of an uploaded photo, in pixels.
pub const MAX_PHOTO_SIDE: u32 = crate::max_photo_side!();
/// JPEG quality of downscaled photos: labels stay readable at a fraction of the bytes.
pub const JPEG_QUALITY: f64 = 0.85;
/// Longest side the QR decoder looks at: more only costs time.
pub const MAX_DECODE_SIDE: u32 = 4096;

/// Decodes a picture; `Err` when the browser cannot read it as an image.
pub async fn decode(blob: &Blob) -> Result<ImageBitmap, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    // `createImageBitmap` applies the EXIF orientation ("from-image" is the default).
    let bitmap = JsFuture::from(window.create_image_bitmap_with_blob(blob)?).await?;
    bitmap.dyn_into::<ImageBitmap>()
}

/// The size that fits `max_side`, keeping the aspect ratio (never enlarging).
pub fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = f64::from(max_side) / f64::from(long);
    (
        ((f64::from(width) * scale).round() as u32).max(1),
        ((f64::from(height) * scale).round() as u32).max(1),
    )
}

fn canvas_with(
    bitmap: &ImageBitmap,
    width: u32,
    height: u32,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )?;
    Ok((canvas, context))
}

/// The picture as a JPEG whose long side is at most `MAX_PHOTO_SIDE` (which also drops the
/// photo's metadata, location included).
pub async fn to_jpeg(bitmap: &ImageBitmap) -> Result<Blob, JsValue> {
    let (width, height) = fit(bitmap.width(), bitmap.height(), MAX_PHOTO_SIDE);
    let (canvas, _) = canvas_with(bitmap, width, height)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let reject_on_error = reject.clone();
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            if blob.is_null() {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("encoding failed"));
            } else {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            }
        });
        // A canvas that cannot encode at all must settle the promise too, or the caller waits forever.
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            callback.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(JPEG_QUALITY),
        ) {
            let _ = reject_on_error.call1(&JsValue::NULL, &e);
        }
    });
    JsFuture::from(promise).await?.dyn_into::<Blob>()
}

/// RGBA pixels for the QR decoder, from the picture as it came (only huge pictures are
/// reduced, to `MAX_DECODE_SIDE`). Returns `(width, height, Uint8ClampedArray)`.
pub fn pixels(bitmap: &ImageBitmap) -> Result<(u32, u32, JsValue), JsValue> {
    let (width, height) = fit(bitmap.width(), bitmap.height(), MAX_DECODE_SIDE);
    let (_, context) = canvas_with(bitmap, width, height)?;
    let data = context.get_image_data(0.0, 0.0, f64::from(width), f64::from(height))?;
    // The pixels stay a JS array, so they move to the worker without a copy through Rust.
    let array = js_sys::Reflect::get(&data, &JsValue::from_str("data"))?;
    Ok((width, height, array))
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fits_the_long_side_and_keeps_the_ratio() {
        assert_eq!(fit(4000, 3000, 2048), (2048, 1536));
        assert_eq!(fit(3000, 4000, 2048), (1536, 2048));
        assert_eq!(fit(800, 600, 2048), (800, 600));
        assert_eq!(fit(10000, 1, 2048), (2048, 1));
    }
}
