//! Filing a case: the wizard's state and the browser work behind it (pictures, QR codes,
//! the saved draft).

pub mod draft;
pub mod images;
pub mod intake;
pub mod qr;
pub mod store;
