//! SHA-256 in hex: the fingerprint of stored files and of idempotent requests, and what is kept
//! of a session token (never the token itself).

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
