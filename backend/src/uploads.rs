//! Reading multipart forms within limits, and judging files by their content.

use crate::db::cases::NewFile;
use crate::db::{now_ms, quota};
use crate::digest::sha256_hex;
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::{
    size_text, ErrorCode, FieldError, MAX_FILES_PER_MESSAGE, MAX_FILE_BYTES, MAX_IMAGE_MEGAPIXELS,
    MAX_IMAGE_PIXELS, MAX_TEXT_CHARS,
};
use axum::extract::Multipart;
use std::collections::HashMap;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// One file as the form carried it: not yet judged, so nothing about it is trusted.
pub struct ReceivedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form: text fields by name, files in order, and the complaints about fields that
/// could not be taken (kept, so the answer names every invalid field at once).
#[derive(Default)]
pub struct Form {
    pub fields: HashMap<String, String>,
    pub files: Vec<ReceivedFile>,
    pub errors: Vec<FieldError>,
}

impl Form {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(|s| s.trim()).unwrap_or("")
    }

    pub fn take_files(&mut self, field: &str) -> Vec<ReceivedFile> {
        let (taken, kept) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| f.field == field);
        self.files = kept;
        taken
    }
}

/// Reads every part. A file over the size limit, or one file more than a message may carry,
/// stops the read at once, whatever comes after; a text field that is too long or not UTF-8 is
/// left out and named in `errors`.
/// Writes the files' bytes to the object store, before the transaction that stores their rows
/// (see `objects`). The hour's upload quota is checked first, so an account over it cannot fill
/// the store with objects no row will take; the transaction checks it again.
pub async fn keep(state: &AppState, user_id: i64, files: &mut [NewFile]) -> AppResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    let bytes = files.iter().map(|f| f.data.len() as u64).sum();
    let per_hour = state.config.upload_bytes_per_hour;
    state
        .db
        .read(move |conn| quota::check_bytes_per_hour(conn, user_id, bytes, per_hour, now_ms()))
        .await?;
    for file in files.iter_mut() {
        file.object_key = Some(state.files.put(&file.data).await?);
    }
    Ok(())
}

pub async fn read_form(mut multipart: Multipart) -> AppResult<Form> {
    let mut form = Form::default();
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        if file_name.is_some() && form.files.len() == MAX_FILES_PER_MESSAGE {
            return Err(AppError::fields(vec![FieldError::new(
                &name,
                ErrorCode::TooManyFiles,
                format!("Send at most {MAX_FILES_PER_MESSAGE} files at once"),
            )
            .with_value("limit", MAX_FILES_PER_MESSAGE.to_string())]));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_FILE_BYTES {
                return Err(AppError::field(
                    &name,
                    ErrorCode::FileTooLarge,
                    &format!("Files may be at most {}", size_text(MAX_FILE_BYTES)),
                ));
            }
        }
        match file_name {
            Some(file_name) => form.files.push(ReceivedFile {
                field: name,
                file_name,
                bytes,
            }),
            None => match String::from_utf8(bytes) {
                Err(_) => form.errors.push(FieldError::new(
                    name,
                    ErrorCode::ValidationFailed,
                    "Text must be UTF-8",
                )),
                Ok(text) if text.chars().count() > MAX_TEXT_CHARS => form.errors.push(
                    FieldError::new(
                        name,
                        ErrorCode::TooLong,
                        format!("At most {MAX_TEXT_CHARS} characters"),
                    )
                    .with_value("limit", MAX_TEXT_CHARS.to_string()),
                ),
                Ok(text) => {
                    form.fields.insert(name, text);
                }
            },
        }
    }
    Ok(form)
}

/// Kinds of content a purpose may accept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    Xml,
    Image,
    /// Replies: pictures, PDFs (invoices) and XML.
    Document,
}

/// The media type of `bytes` by their content, if it is one we store at all.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match infer::get(bytes).map(|k| k.mime_type()) {
        Some("image/jpeg") => Some("image/jpeg"),
        Some("image/png") => Some("image/png"),
        Some("image/webp") => Some("image/webp"),
        Some("application/pdf") => Some("application/pdf"),
        Some("text/xml" | "application/xml") | None if is_plain_xml(bytes) => {
            Some("application/xml")
        }
        _ => None,
    }
}

/// Well-formed XML without a DTD that is not a web document (SVG or XHTML could run script if a
/// browser ever rendered them).
fn is_plain_xml(bytes: &[u8]) -> bool {
    if !api_types::sadp::looks_like_xml(bytes) {
        return false;
    }
    let Some(text) = api_types::sadp::decode_text(bytes) else {
        return false;
    };
    api_types::sadp::parse_document(&text).is_ok_and(|doc| {
        let root = doc.root_element().tag_name().name().to_ascii_lowercase();
        root != "svg" && root != "html"
    })
}

/// Keeps the name a file may be saved under: no directories, no control or quoting characters,
/// and no invisible format characters or line separators (U+202E would show `photo\u{202E}gnp.exe`
/// as "photoexe.png").
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .filter(|c| !matches!(c, '"' | ';' | '<' | '>' | ':' | '*' | '?' | '|'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let cut: String = cleaned.chars().take(100).collect();
    if cut.is_empty() {
        "file".into()
    } else {
        cut
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// `name` with the extension of the type its content was found to be: a JPEG named `x.html` is
/// saved and downloaded as `x.jpg`, so no program opens it as something else.
pub fn name_for_type(name: &str, media_type: &str) -> String {
    let (wanted, accepted): (&str, &[&str]) = match media_type {
        "image/jpeg" => ("jpg", &["jpg", "jpeg", "jpe"]),
        "image/png" => ("png", &["png"]),
        "image/webp" => ("webp", &["webp"]),
        "application/pdf" => ("pdf", &["pdf"]),
        _ => ("xml", &["xml"]),
    };
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, Some(extension)),
        _ => (name, None),
    };
    if extension.is_some_and(|e| accepted.iter().any(|a| e.eq_ignore_ascii_case(a))) {
        name.to_owned()
    } else {
        format!("{stem}.{wanted}")
    }
}

/// Judges one received file for `purpose`; `Err` is the field's complaint.
pub fn judge(received: ReceivedFile, purpose: &str, accept: Accept) -> Result<NewFile, FieldError> {
    let field = received.field.clone();
    let media_type = sniff(&received.bytes);
    let allowed = match (accept, media_type) {
        (Accept::Xml, Some("application/xml")) => true,
        (Accept::Image, Some(t)) => t.starts_with("image/"),
        (Accept::Document, Some(_)) => true,
        _ => false,
    };
    if media_type.is_none()
        && accept == Accept::Xml
        && api_types::sadp::looks_like_xml(&received.bytes)
    {
        return Err(FieldError::new(
            field,
            ErrorCode::InvalidXml,
            "The file is not well-formed XML",
        ));
    }
    let Some(media_type) = media_type.filter(|_| allowed) else {
        let wanted = match accept {
            Accept::Xml => "an XML file",
            Accept::Image => "a JPEG, PNG or WebP picture",
            Accept::Document => "a picture, a PDF or an XML file",
        };
        return Err(FieldError::new(
            field,
            ErrorCode::UnsupportedFileType,
            format!("This must be {wanted}; the file's content is not"),
        ));
    };
    if media_type.starts_with("image/") {
        match api_types::picture_pixels(&received.bytes) {
            Some(pixels) if pixels <= MAX_IMAGE_PIXELS => {}
            Some(_) => {
                let limit = MAX_IMAGE_MEGAPIXELS.to_string();
                return Err(FieldError::new(
                    field,
                    ErrorCode::TooManyPixels,
                    format!("Pictures may have at most {limit} megapixels"),
                )
                .with_value("limit", limit));
            }
            None => {
                return Err(FieldError::new(
                    field,
                    ErrorCode::UnsupportedFileType,
                    "The picture is damaged and cannot be read",
                ))
            }
        }
    }
    let name = name_for_type(&safe_file_name(&received.file_name), media_type);
    Ok(NewFile {
        purpose: purpose.to_owned(),
        name,
        media_type: media_type.to_owned(),
        sha256: sha256_hex(&received.bytes),
        data: received.bytes,
        object_key: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\x\\Encrypt.xml"), "Encrypt.xml");
        assert_eq!(safe_file_name("a\r\nb\"; c.xml"), "ab c.xml");
        assert_eq!(safe_file_name("..."), "file");
    }

    #[test]
    fn file_names_lose_invisible_format_characters() {
        assert_eq!(safe_file_name("photo\u{202E}gnp.exe"), "photognp.exe");
        assert_eq!(
            safe_file_name("a\u{200B}b\u{2028}c\u{2029}d\u{FEFF}.png"),
            "abcd.png"
        );
        assert_eq!(safe_file_name("Zdjęcie 🙂.jpg"), "Zdjęcie 🙂.jpg");
    }

    #[test]
    fn the_saved_name_ends_as_its_content_is() {
        assert_eq!(name_for_type("x.html", "image/jpeg"), "x.jpg");
        assert_eq!(name_for_type("IMG_1.JPEG", "image/jpeg"), "IMG_1.JPEG");
        assert_eq!(name_for_type("photognp.exe", "image/png"), "photognp.png");
        assert_eq!(name_for_type("file", "application/xml"), "file.xml");
        assert_eq!(name_for_type(".hidden", "application/pdf"), ".hidden.pdf");
    }

    #[test]
    fn content_decides_the_type_not_the_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n0000"), Some("image/png"));
        assert_eq!(
            sniff(b"  <?xml version='1.0'?><a/>"),
            Some("application/xml")
        );
        assert_eq!(sniff(b"MZ\x90\x00 an exe"), None);
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
            None
        );
        assert_eq!(sniff(b"<a><b></a>"), None);
    }
}
