//! The Cosmos package API served by `mesos marathon` next to `/v2`
//! (docs/packages.md, "The Cosmos API on the dev cluster"): the package
//! service ([`crate::packages::service`]) over this scheduler's backends.
//! The HTTP handlers are in [`crate::marathon::http::cosmos`].
//!
//! * [`negotiate`]: the media-type rules of the API (`Content-Type`,
//!   `Accept`, body decoding) and their finch-style errors.
//! * [`apps`]: Marathon in process ([`crate::marathon::core::api::Api`]).
//! * [`repos`]: the repository list in the state store, repositories
//!   fetched and cached for a minute.
//! * [`frameworks`]: the leading Mesos master, for uninstall's teardown.

pub mod apps;
pub mod frameworks;
pub mod negotiate;
pub mod repos;

use std::sync::Arc;

use crate::marathon::core::api::{Api, Caller};
use crate::packages::service::PackageService;

pub use apps::ApiApps;
pub use frameworks::MasterFrameworks;
pub use repos::StoreRepos;

/// The package service as the server runs it.
pub type Service = PackageService<StoreRepos, ApiApps, MasterFrameworks>;

/// The long-lived backends; [`Cosmos::service`] makes a service per call.
#[derive(Clone)]
pub struct Cosmos {
    pub repos: StoreRepos,
    pub frameworks: MasterFrameworks,
}

impl Cosmos {
    /// The service for one call, changes recorded for `caller`.
    pub fn service(&self, api: Arc<Api>, caller: Caller) -> Service {
        PackageService::new(
            self.repos.clone(),
            ApiApps { api, caller },
            self.frameworks.clone(),
        )
    }
}
