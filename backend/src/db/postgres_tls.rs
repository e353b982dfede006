//! Connecting to PostgreSQL, in the clear or over TLS (rustls), as the URL's `sslmode` asks, in
//! libpq's words, so that a deployment's usual URL works:
//!
//! - none, or `disable`: in the clear (a private network, a tunnel, the tests' own cluster);
//! - `prefer`: TLS when the server offers it, else in the clear;
//! - `require`, `verify-ca`, `verify-full`: TLS or no connection.
//!
//! Whenever TLS is used, the server's certificate is verified, chain and name, against
//! `sslrootcert=PATH` (PEM) or else the system's roots. libpq's `require` and `verify-ca` check
//! less; this checks as `verify-full` does, because a connection that anyone on the path can
//! answer protects nothing. The client (`postgres`, over `tokio-postgres`) knows `require` but
//! neither the `verify-*` modes nor `sslrootcert`: they are read here and taken off the URL.

use std::sync::Arc;

use rustls::pki_types::{pem::PemObject, CertificateDer};

use super::{DbError, DbResult};

/// A client connected to the server at `url`.
pub fn connect(url: &str) -> DbResult<postgres::Client> {
    let settings = TlsSettings::from_url(url)?;
    if settings.mode == Mode::Clear {
        return Ok(postgres::Client::connect(
            &settings.client_url,
            postgres::NoTls,
        )?);
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| DbError::Tls(e.to_string()))?
    .with_root_certificates(settings.roots()?)
    .with_no_client_auth();
    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(config);
    Ok(postgres::Client::connect(&settings.client_url, tls)?)
}

#[derive(Debug, PartialEq)]
enum Mode {
    Clear,
    /// TLS when offered (`prefer`) or always (`require` and stricter).
    Tls,
}

#[derive(Debug)]
struct TlsSettings {
    mode: Mode,
    /// `sslrootcert`: a PEM file of the certificates to trust instead of the system's.
    root_certificates: Option<String>,
    /// The URL as the client takes it.
    client_url: String,
}

impl TlsSettings {
    fn from_url(url: &str) -> DbResult<Self> {
        let mut parsed =
            url::Url::parse(url).map_err(|e| DbError::Tls(format!("not a URL: {e}")))?;
        let mut mode = Mode::Clear;
        let mut root_certificates = None;
        let mut kept = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("sslrootcert", "system") => {}
                ("sslrootcert", path) => root_certificates = Some(path.to_owned()),
                ("sslmode", "disable") => kept.push(("sslmode", "disable")),
                ("sslmode", "prefer") => {
                    mode = Mode::Tls;
                    kept.push(("sslmode", "prefer"));
                }
                ("sslmode", "require" | "verify-ca" | "verify-full") => {
                    mode = Mode::Tls;
                    kept.push(("sslmode", "require"));
                }
                ("sslmode", other) => {
                    return Err(DbError::Tls(format!(
                        "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                    )))
                }
                _ => {}
            }
        }
        let others: Vec<(String, String)> = parsed
            .query_pairs()
            .filter(|(key, _)| key != "sslmode" && key != "sslrootcert")
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        parsed.set_query(None);
        if !others.is_empty() || !kept.is_empty() {
            let mut query = parsed.query_pairs_mut();
            query.extend_pairs(others);
            query.extend_pairs(kept);
        }
        Ok(Self {
            mode,
            root_certificates,
            client_url: parsed.to_string(),
        })
    }

    fn roots(&self) -> DbResult<rustls::RootCertStore> {
        let mut roots = rustls::RootCertStore::empty();
        match &self.root_certificates {
            Some(path) => {
                for certificate in CertificateDer::pem_file_iter(path)
                    .map_err(|e| DbError::Tls(format!("sslrootcert {path}: {e}")))?
                {
                    let certificate = certificate
                        .map_err(|e| DbError::Tls(format!("sslrootcert {path}: {e}")))?;
                    roots
                        .add(certificate)
                        .map_err(|e| DbError::Tls(format!("sslrootcert {path}: {e}")))?;
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
            }
        }
        if roots.is_empty() {
            return Err(DbError::Tls(match &self.root_certificates {
                Some(path) => format!("sslrootcert {path} holds no certificate"),
                None => "no trusted certificates on this system: name one with sslrootcert=PATH"
                    .to_owned(),
            }));
        }
        Ok(roots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_gets_the_mode_it_knows_and_never_the_root_certificates() {
        let settings = TlsSettings::from_url(
            "postgres://hpp:pw@db.internal:5433/hpp?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=hpp",
        )
        .unwrap();
        assert_eq!(settings.mode, Mode::Tls);
        assert_eq!(settings.root_certificates.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(
            settings.client_url,
            "postgres://hpp:pw@db.internal:5433/hpp?application_name=hpp&sslmode=require"
        );

        let plain = TlsSettings::from_url("postgres://hpp@127.0.0.1:5432/hpp").unwrap();
        assert_eq!(plain.mode, Mode::Clear);
        assert_eq!(plain.client_url, "postgres://hpp@127.0.0.1:5432/hpp");

        let system = TlsSettings::from_url("postgres://h/d?sslmode=require&sslrootcert=system");
        assert_eq!(system.unwrap().root_certificates, None);
    }

    #[test]
    fn an_unknown_mode_or_an_empty_root_file_is_refused_with_its_name() {
        let error = TlsSettings::from_url("postgres://h/d?sslmode=verify").unwrap_err();
        assert!(error.to_string().contains("sslmode=verify"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("ca.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let url = format!(
            "postgres://h/d?sslmode=require&sslrootcert={}",
            empty.display()
        );
        let error = TlsSettings::from_url(&url).unwrap().roots().unwrap_err();
        assert!(
            error.to_string().contains("holds no certificate"),
            "{error}"
        );
    }

    /// Against the tests' own cluster (`scripts/postgres.sh` makes its certificates with
    /// openssl, for `localhost`): TLS with the CA that signed it, and a refusal for another CA,
    /// for a name the certificate does not hold, and for a self-made CA the system does not
    /// trust. Runs in the PostgreSQL pass of `scripts/test.sh`.
    #[test]
    fn over_tls_only_the_server_the_roots_vouch_for_is_answered() {
        let Ok(server) = std::env::var("HPP_TEST_POSTGRES_URL") else {
            return;
        };
        let ca = std::env::var("HPP_TEST_POSTGRES_CA")
            .expect("HPP_TEST_POSTGRES_CA: the CA of the cluster (scripts/test.sh sets it)");
        let other_ca = std::path::Path::new(&ca).with_file_name("other-ca.crt");
        let at = |host: &str, query: &str| {
            let mut url = url::Url::parse(&server).unwrap();
            url.set_host(Some(host)).unwrap();
            url.set_query(Some(query));
            url.to_string()
        };
        let encrypted = |url: &str| -> DbResult<bool> {
            crate::db::off_runtime(|| {
                let mut client = connect(url)?;
                let row = client.query_one(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                    &[],
                )?;
                Ok(row.get::<_, bool>(0))
            })
        };

        let verified = at(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        );
        assert!(encrypted(&verified).unwrap(), "TLS with the right CA");
        assert!(!encrypted(&at("localhost", "")).unwrap(), "in the clear");
        let preferred = at("localhost", &format!("sslmode=prefer&sslrootcert={ca}"));
        assert!(
            encrypted(&preferred).unwrap(),
            "prefer takes TLS when offered"
        );

        for (url, why, reason) in [
            (
                at(
                    "localhost",
                    &format!("sslmode=require&sslrootcert={}", other_ca.display()),
                ),
                "another CA",
                "UnknownIssuer",
            ),
            (
                at("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
                "a name the certificate does not hold",
                "not valid for name",
            ),
            (
                at("localhost", "sslmode=require"),
                "the system's roots",
                "UnknownIssuer",
            ),
        ] {
            let error = encrypted(&url).expect_err(why).to_string();
            assert!(error.contains(reason), "{why}: {error}");
        }

        // The whole backend over TLS: migrations, the writer and readers, a seed and a read.
        let database = crate::db::fresh_postgres_database(&verified).unwrap();
        let db = crate::db::Db::connect(&crate::db::Location::parse(&database)).unwrap();
        crate::db::seed::seed_demo(&db).unwrap();
        let accounts: i64 = db
            .blocking(|conn| {
                conn.query_row("SELECT COUNT(*) FROM users", crate::params![], |r| r.get(0))
            })
            .unwrap();
        assert!(accounts >= 5, "{accounts}");
    }
}
