//! The demo accounts by the names tests use, read from the seed that creates them
//! (`hpp_backend::db::seed`): the backend's tests and the end-to-end tests (`hpp_e2e`, which
//! includes this file) sign in with these. An account the seed no longer has fails the build.

use hpp_backend::db::seed::{DEMO_ACCOUNTS, DEMO_PASSWORD};

/// The password of every demo account.
pub const PASSWORD: &str = DEMO_PASSWORD;
pub const ACME_INSTALLER: &str = email_of("installer", "Acme Security GmbH");
pub const ACME_RESELLER: &str = email_of("reseller", "Acme Security GmbH");
pub const GLOBEX_INSTALLER: &str = email_of("installer", "Globex Sp. z o.o.");
pub const SUPPORT: &str = email_of("support", "Hikvision Support");

/// The email of the seeded account with this role at this company (compared ignoring ASCII
/// case: `==` on `str` is not `const` yet).
const fn email_of(role: &str, company: &str) -> &'static str {
    let mut i = 0;
    while i < DEMO_ACCOUNTS.len() {
        let (email, _name, _phone, its_role, its_company) = DEMO_ACCOUNTS[i];
        if its_role.eq_ignore_ascii_case(role) && its_company.eq_ignore_ascii_case(company) {
            return email;
        }
        i += 1;
    }
    panic!("the seed has no such demo account");
}
