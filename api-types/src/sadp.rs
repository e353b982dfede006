//! The device file SADP's Forgot Password exports (the SDK names it `DeviceKey.xml`).
//!
//! Parsed the same way in the browser (to check the file, show what it names and prefill the
//! serial before upload) and in the backend (to refuse what the browser let through).
//!
//! SADP versions and SDKs lay the file out differently: the serial is an element or an attribute,
//! spelt `serialNumber`, `SerialNo`, `DeviceSN`, `sn`…, at any depth, with or without namespaces,
//! in UTF-8 or UTF-16. So fields are found by their normalised local name anywhere in the
//! document, and when no named field carries a serial, by a serial-shaped value anywhere in the
//! text. `roxmltree` refuses DTDs, so no external entity or entity expansion can be smuggled in.

use crate::serial::{normalise_name, Serial, SerialError};
use std::fmt;

/// What an export tells about its device; everything but the serial is optional.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceExport {
    pub serial: Serial,
    pub model: Option<String>,
    /// As `aa:bb:cc:dd:ee:ff` when it is a MAC address at all.
    pub mac: Option<String>,
    pub firmware: Option<String>,
    /// When the file was exported (or the device started), as written in the file.
    pub exported_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    TooLarge,
    /// Not well-formed XML (or it declares a DTD, or is in no encoding we read); the 1-based
    /// line of the first fault.
    NotXml {
        line: u32,
    },
    /// It declares a DTD (the way entity expansion and external entities come in): exports
    /// never do.
    HasDtd,
    /// Well-formed, but no element, attribute or text carries a serial number.
    NoSerial,
    BadSerial(SerialError),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(
                f,
                "the file is larger than {}",
                crate::size_text(crate::MAX_XML_BYTES)
            ),
            Self::NotXml { line } => write!(f, "the file is not well-formed XML (line {line})"),
            Self::HasDtd => f.write_str("the file declares a DTD, which SADP exports never do"),
            Self::NoSerial => f.write_str("the file names no device serial number"),
            Self::BadSerial(e) => write!(f, "the file's serial number is not valid: {e}"),
        }
    }
}

/// Normalised names (see [`normalise_name`]) of the fields an export may carry, best first.
const SERIAL_NAMES: &[&str] = &[
    "serialnumber",
    "serialno",
    "deviceserialnumber",
    "deviceserialno",
    "deviceserial",
    "devserial",
    "devserialno",
    "serial",
    "devicesn",
    "devsn",
    "sn",
    "fullserial",
    "subserialnumber",
];
// ISAPI says `deviceType` for the kind of device (`IPCamera`) beside `model`, so `model` comes first.
const MODEL_NAMES: &[&str] = &["model", "devicemodel", "modelname", "devicetype", "devtype"];
const MAC_NAMES: &[&str] = &["mac", "macaddress", "macaddr", "devicemac"];
const FIRMWARE_NAMES: &[&str] = &[
    "firmwareversion",
    "firmware",
    "softwareversion",
    "fwversion",
    "devicesoftwareversion",
];
const TIME_NAMES: &[&str] = &[
    "exporttime",
    "exportdate",
    "starttime",
    "devicestarttime",
    "bootstarttime",
    "createtime",
    "time",
];
/// Longest value read as a field: longer ones are blobs (the device's key), not names.
const MAX_FIELD_CHARS: usize = 256;
/// Longest model, firmware or time shown; the rest is cut.
const MAX_SHOWN_CHARS: usize = 64;

/// The document's text: UTF-8 with or without BOM, or UTF-16 (little or big endian) with a BOM
/// or starting with `<`. `None` when the bytes are in neither.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |body: &[u8], big_endian: bool| -> Option<String> {
        if !body.len().is_multiple_of(2) {
            return None;
        }
        let units = body.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        [b'<', 0, ..] => utf16(bytes, false),
        [0, b'<', ..] => utf16(bytes, true),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

/// Whether bytes look like an XML document at all (the backend's content sniffing).
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    decode_text(bytes).is_some_and(|text| text.trim_start().starts_with('<'))
}

/// Parses `text` as XML without DTDs.
pub fn parse_document(text: &str) -> Result<roxmltree::Document<'_>, ExportError> {
    roxmltree::Document::parse(text.trim_start()).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ExportError::HasDtd,
        e => ExportError::NotXml { line: e.pos().row },
    })
}

pub fn parse_export(bytes: &[u8]) -> Result<DeviceExport, ExportError> {
    if bytes.len() > crate::MAX_XML_BYTES {
        return Err(ExportError::TooLarge);
    }
    let text = decode_text(bytes).ok_or(ExportError::NotXml { line: 1 })?;
    let doc = parse_document(&text)?;
    let fields = named_fields(&doc);
    // Best-ranked name first; the document's order among equals.
    let named = |names: &[&str]| -> Vec<&str> {
        names
            .iter()
            .flat_map(|wanted| {
                fields
                    .iter()
                    .filter(move |(name, _)| name == wanted)
                    .map(|(_, value)| *value)
            })
            .collect()
    };
    let serial_values = named(SERIAL_NAMES);
    let serial = serial_values
        .iter()
        .find_map(|value| Serial::parse(value).ok())
        .or_else(|| {
            let all_text: Vec<&str> = fields.iter().map(|(_, value)| *value).collect();
            Serial::find_in_text(&all_text.join("\n"))
        });
    let serial = match (serial, serial_values.first()) {
        (Some(serial), _) => serial,
        (None, Some(value)) => {
            return Err(ExportError::BadSerial(
                Serial::parse(value).expect_err("no named value parsed"),
            ))
        }
        (None, None) => return Err(ExportError::NoSerial),
    };
    let first = |names: &[&str]| {
        named(names)
            .first()
            .map(|v| v.chars().take(MAX_SHOWN_CHARS).collect::<String>())
    };
    Ok(DeviceExport {
        model: first(MODEL_NAMES).or_else(|| serial.model().map(str::to_owned)),
        mac: named(MAC_NAMES).into_iter().find_map(normalise_mac),
        firmware: first(FIRMWARE_NAMES),
        exported_at: first(TIME_NAMES),
        serial,
    })
}

/// Every element with text and every attribute, as (normalised name, trimmed value), in
/// document order; empty and overlong values are left out.
fn named_fields<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<(String, &'a str)> {
    let keep = |value: &'a str| {
        let value = value.trim();
        (!value.is_empty()).then_some(value)
    };
    let mut fields = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attribute in node.attributes() {
            if let Some(value) = keep(attribute.value()) {
                fields.push((normalise_name(attribute.name()), value));
            }
        }
        let own_text = node
            .children()
            .filter(|c| c.is_text())
            .find_map(|c| c.text().and_then(keep));
        if let Some(value) = own_text {
            fields.push((normalise_name(node.tag_name().name()), value));
        }
    }
    fields.retain(|(_, value)| value.chars().count() <= MAX_FIELD_CHARS);
    fields
}

/// `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff` and the like as `aa:bb:cc:dd:ee:ff`.
fn normalise_mac(value: &str) -> Option<String> {
    let hex: String = value
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.' | ' '))
        .collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    Some(
        hex.as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect::<Vec<_>>()
            .join(":"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DeviceKey version="1.0">
  <deviceType>DS-7608NI-E2/8P</deviceType>
  <serialNumber>DS-7608NI-E2/8P0820160211AAWR123456789WCVU</serialNumber>
  <exportTime>2026-11-21T10:00:00Z</exportTime>
  <key>3q2+7w==</key>
</DeviceKey>"#;

    #[test]
    fn reads_what_an_export_names() {
        let export = parse_export(EXPORT.as_bytes()).unwrap();
        assert_eq!(export.serial.short(), "123456789");
        assert_eq!(export.model.as_deref(), Some("DS-7608NI-E2/8P"));
        assert_eq!(export.exported_at.as_deref(), Some("2026-11-21T10:00:00Z"));
        assert_eq!(export.mac, None);
    }

    #[test]
    fn reads_other_spellings_depths_namespaces_and_encodings() {
        let attribute = parse_export(br#"<Device SerialNo="E61958062"/>"#).unwrap();
        assert_eq!(attribute.serial.as_str(), "E61958062");
        let nested = br#"<a xmlns="http://www.hikvision.com/ver20/XMLSchema"><b><c><DeviceSN>594199052</DeviceSN><MAC>44-19-B6-0A-0B-0C</MAC></c></b></a>"#;
        let nested = parse_export(nested).unwrap();
        assert_eq!(nested.serial.as_str(), "594199052");
        assert_eq!(nested.mac.as_deref(), Some("44:19:b6:0a:0b:0c"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<x><sn>E61958062</sn></x>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(parse_export(&utf16).unwrap().serial.as_str(), "E61958062");
        let unnamed = b"<x><info>Device DS-2CD2143G2-I20210101AAWR123456789 at desk</info></x>";
        assert_eq!(parse_export(unnamed).unwrap().serial.short(), "123456789");
    }

    #[test]
    fn refuses_broken_or_empty_files() {
        assert_eq!(
            parse_export(b"<a><b></a>"),
            Err(ExportError::NotXml { line: 1 })
        );
        assert_eq!(
            parse_export(b"<DeviceKey><key>1</key></DeviceKey>"),
            Err(ExportError::NoSerial)
        );
        assert!(matches!(
            parse_export(b"<x><serialNumber>nope</serialNumber></x>"),
            Err(ExportError::BadSerial(_))
        ));
        assert_eq!(
            parse_export(&vec![b' '; crate::MAX_XML_BYTES + 1]),
            Err(ExportError::TooLarge)
        );
        assert_eq!(
            parse_export(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(ExportError::NotXml { line: 1 })
        );
    }

    #[test]
    fn refuses_entity_tricks() {
        let billion_laughs = br#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><serialNumber>&b;</serialNumber>"#;
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><serialNumber>&e;</serialNumber>"#;
        assert_eq!(parse_export(billion_laughs), Err(ExportError::HasDtd));
        assert_eq!(parse_export(xxe), Err(ExportError::HasDtd));
    }
}
