//! The device file SADP's Forgot Password exports (the SDK names it `DeviceKey.xml`).
//!
//! Parsed the same way in the browser (to check the file and prefill the serial before upload)
//! and in the backend (to refuse what the browser let through). `roxmltree` refuses DTDs, so no
//! external entity or entity expansion can be smuggled in.

use crate::serial::{Serial, SerialError};
use std::fmt;

/// What the browser and backend need from an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceExport {
    pub serial: Serial,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    TooLarge,
    /// Not well-formed XML (or it declares a DTD); the 1-based line of the first fault.
    NotXml {
        line: u32,
    },
    /// Well-formed, but no element or attribute carries a serial number.
    NoSerial,
    BadSerial(SerialError),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(
                f,
                "the file is larger than {} KB",
                crate::MAX_XML_BYTES / 1024
            ),
            Self::NotXml { line } => write!(f, "the file is not well-formed XML (line {line})"),
            Self::NoSerial => f.write_str("the file names no device serial number"),
            Self::BadSerial(e) => write!(f, "the file's serial number is not valid: {e}"),
        }
    }
}

/// Element or attribute names, lower-cased, that SADP and the device SDKs use for the serial.
const SERIAL_NAMES: &[&str] = &[
    "serialnumber",
    "serialno",
    "deviceserialno",
    "deviceserial",
    "devsn",
    "sn",
];

pub fn parse_export(bytes: &[u8]) -> Result<DeviceExport, ExportError> {
    if bytes.len() > crate::MAX_XML_BYTES {
        return Err(ExportError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ExportError::NotXml { line: 1 })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    let doc =
        roxmltree::Document::parse(text).map_err(|e| ExportError::NotXml { line: e.pos().row })?;
    let is_serial_name = |name: &str| SERIAL_NAMES.contains(&name.to_ascii_lowercase().as_str());
    let found = doc
        .descendants()
        .filter(|n| n.is_element())
        .find_map(|node| {
            if is_serial_name(node.tag_name().name()) {
                node.text().map(str::to_owned)
            } else {
                node.attributes()
                    .find(|a| is_serial_name(a.name()))
                    .map(|a| a.value().to_owned())
            }
        });
    let raw = found
        .filter(|s| !s.trim().is_empty())
        .ok_or(ExportError::NoSerial)?;
    let serial = Serial::parse(&raw).map_err(ExportError::BadSerial)?;
    Ok(DeviceExport { serial })
}

/// Whether bytes look like an XML document at all (the backend's content sniffing).
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"<")
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
    fn reads_the_serial_of_an_export() {
        let export = parse_export(EXPORT.as_bytes()).unwrap();
        assert_eq!(export.serial.short(), "123456789");
    }

    #[test]
    fn reads_a_serial_attribute() {
        let export = parse_export(br#"<Device SerialNo="E61958062"/>"#).unwrap();
        assert_eq!(export.serial.as_str(), "E61958062");
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
    }

    #[test]
    fn refuses_entity_tricks() {
        let billion_laughs = br#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><serialNumber>&b;</serialNumber>"#;
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><serialNumber>&e;</serialNumber>"#;
        assert!(matches!(
            parse_export(billion_laughs),
            Err(ExportError::NotXml { .. })
        ));
        assert!(matches!(parse_export(xxe), Err(ExportError::NotXml { .. })));
    }
}
