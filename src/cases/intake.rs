//! Taking a chosen file into a case: checking it, reading what it names (a SADP export's
//! device, a QR code's text), and reducing photos before upload. Nothing here touches the page;
//! the wizard decides what to do with the result.

use super::store::StoredFile;
use super::{images, qr};
use crate::i18n::{fill, I18n};
use api_types::sadp::{parse_export, DeviceExport, ExportError};
use api_types::{
    size_text, ErrorCode, MAX_FILE_BYTES, MAX_IMAGE_PIXELS, MAX_XML_BYTES, PICTURE_HEADER_BYTES,
};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File};

/// Largest original picture accepted before it is reduced in the browser.
const MAX_ORIGINAL_PICTURE_BYTES: usize = 40 * 1024 * 1024;

/// Why a chosen file was refused, in a form the current language can render.
#[derive(Clone, Debug, PartialEq)]
pub enum FileProblem {
    /// Larger than this many bytes.
    TooLarge(usize),
    /// More pixels than `MAX_IMAGE_PIXELS`: judged from the header, before decoding.
    TooManyPixels,
    NotPicture,
    /// Not a picture, a PDF or an XML file (a reply's attachment).
    NotDocument,
    NoQrCode,
    QrReaderFailed,
    NotExport(ExportError),
}

impl FileProblem {
    pub fn text(&self, i18n: &I18n) -> String {
        let t = i18n.t();
        let w = &t.wizard;
        match self {
            Self::TooLarge(limit) => fill(w.file_too_large_limit, &[("limit", &size_text(*limit))]),
            Self::TooManyPixels => t.errors.describe(ErrorCode::TooManyPixels, &[]),
            Self::NotPicture => w.not_a_picture.to_owned(),
            Self::NotDocument => t.case.unsupported_attachment.to_owned(),
            Self::NoQrCode => w.no_qr_found.to_owned(),
            Self::QrReaderFailed => w.qr_failed.to_owned(),
            Self::NotExport(ExportError::TooLarge) => fill(
                w.file_too_large_limit,
                &[("limit", &size_text(MAX_XML_BYTES))],
            ),
            Self::NotExport(e) => {
                let reason = match e {
                    ExportError::NotXml { .. } => w.xml_not_well_formed,
                    ExportError::HasDtd => w.xml_has_dtd,
                    ExportError::NoSerial => w.xml_no_serial,
                    _ => w.xml_bad_serial,
                };
                fill(w.xml_rejected, &[("reason", reason)])
            }
        }
    }
}

async fn bytes_of(blob: &Blob) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Reads a SADP export as its bytes (UTF-8 or UTF-16 alike) and what it names.
pub async fn export_in(blob: &Blob) -> Result<DeviceExport, FileProblem> {
    if blob.size() > MAX_XML_BYTES as f64 {
        return Err(FileProblem::NotExport(ExportError::TooLarge));
    }
    let bytes = bytes_of(blob).await.unwrap_or_default();
    parse_export(&bytes).map_err(FileProblem::NotExport)
}

/// Checks a SADP export; the file is kept as it is.
pub async fn device_file(file: File) -> Result<(StoredFile, DeviceExport), FileProblem> {
    let export = export_in(&file).await?;
    let stored = StoredFile {
        name: file.name(),
        media_type: "application/xml".into(),
        blob: file.into(),
    };
    Ok((stored, export))
}

/// Refuses a picture with more pixels than any photo needs, from its header alone: the
/// browser would otherwise try to decode it whole (a 30 000 × 30 000 PNG is 3.6 GB of pixels).
async fn check_pixels(file: &File) -> Result<(), FileProblem> {
    let header = file
        .slice_with_i32_and_i32(0, PICTURE_HEADER_BYTES as i32)
        .map_err(|_| FileProblem::NotPicture)?;
    let bytes = bytes_of(&header).await.unwrap_or_default();
    match api_types::picture_pixels(&bytes) {
        Some(pixels) if pixels > MAX_IMAGE_PIXELS => Err(FileProblem::TooManyPixels),
        // An unknown header is the browser's to judge when it decodes.
        _ => Ok(()),
    }
}

/// Checks a picture, reads its QR code when `read_qr`, and reduces it for upload. Returns the
/// file to keep and the QR code's text.
pub async fn picture(
    file: File,
    read_qr: bool,
) -> Result<(StoredFile, Option<String>), FileProblem> {
    if file.size() > MAX_ORIGINAL_PICTURE_BYTES as f64 {
        return Err(FileProblem::TooLarge(MAX_ORIGINAL_PICTURE_BYTES));
    }
    check_pixels(&file).await?;
    let bitmap = images::decode(&file)
        .await
        .map_err(|_| FileProblem::NotPicture)?;
    let mut qr_text = None;
    if read_qr {
        // Read the code from the picture as it came, before any reduction.
        let text = qr::decode(&bitmap)
            .await
            .map_err(|_| FileProblem::QrReaderFailed)?;
        qr_text = Some(text.ok_or(FileProblem::NoQrCode)?);
    }
    let small_enough = bitmap.width().max(bitmap.height()) <= images::MAX_PHOTO_SIDE;
    // A QR screenshot that is already small goes as it is; photos are always re-encoded, which
    // also strips their metadata.
    let (blob, media_type, name) =
        if read_qr && small_enough && file.size() <= MAX_FILE_BYTES as f64 {
            (Blob::from(file.clone()), file.type_(), file.name())
        } else {
            let jpeg = images::to_jpeg(&bitmap)
                .await
                .map_err(|_| FileProblem::NotPicture)?;
            let stem = file
                .name()
                .rsplit_once('.')
                .map(|(stem, _)| stem.to_owned())
                .unwrap_or_else(|| file.name());
            (jpeg, "image/jpeg".to_owned(), format!("{stem}.jpg"))
        };
    bitmap.close();
    if blob.size() > MAX_FILE_BYTES as f64 {
        return Err(FileProblem::TooLarge(MAX_FILE_BYTES));
    }
    let stored = StoredFile {
        name,
        media_type,
        blob,
    };
    Ok((stored, qr_text))
}

/// Takes a reply's attachment: PDFs and XML files are kept as they are; anything else is tried
/// as a picture (checked and reduced like the wizard's), whatever its name says, so a photo
/// saved as `x.html` is still a photo.
pub async fn attachment(file: File) -> Result<StoredFile, FileProblem> {
    let name = file.name().to_ascii_lowercase();
    let media_type = match file.type_().as_str() {
        "application/pdf" => Some("application/pdf"),
        "application/xml" | "text/xml" => Some("application/xml"),
        _ if name.ends_with(".pdf") => Some("application/pdf"),
        _ if name.ends_with(".xml") => Some("application/xml"),
        _ => None,
    };
    let Some(media_type) = media_type else {
        return match picture(file, false).await {
            Ok((stored, _)) => Ok(stored),
            Err(FileProblem::NotPicture) => Err(FileProblem::NotDocument),
            Err(other) => Err(other),
        };
    };
    if file.size() > MAX_FILE_BYTES as f64 {
        return Err(FileProblem::TooLarge(MAX_FILE_BYTES));
    }
    Ok(StoredFile {
        name: file.name(),
        media_type: media_type.into(),
        blob: file.into(),
    })
}
