//! The built-in repository, embedded in the binary: packages that run on a
//! `mesos cluster up` cluster with nothing to download (see
//! docs/packages.md, "The built-in repository").

use super::model::Repository;

/// The name and URI of the built-in repository (`--repo builtin`, the
/// default repository of `mesos cluster up` profiles).
pub const NAME: &str = "builtin";
pub const URI: &str = "builtin";

/// The built-in repository's packages.
pub fn repository() -> Repository {
    Repository {
        packages: Vec::new(),
    }
}
