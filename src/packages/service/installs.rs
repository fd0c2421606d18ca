//! install, list and uninstall.

use super::{Apps, Frameworks, Installed, PackageService, Repos, Uninstalled};
use crate::packages::cosmos::{
    CosmosError, InstallRequest, ListRequest, ListResponse, UninstallRequest,
};

impl<R: Repos, A: Apps, F: Frameworks> PackageService<R, A, F> {
    pub async fn install(&self, req: &InstallRequest) -> Result<Installed, CosmosError> {
        let _ = req;
        todo!("package service: install")
    }

    pub async fn list(&self, req: &ListRequest) -> Result<ListResponse, CosmosError> {
        let _ = req;
        todo!("package service: list")
    }

    pub async fn uninstall(&self, req: &UninstallRequest) -> Result<Vec<Uninstalled>, CosmosError> {
        let _ = req;
        todo!("package service: uninstall")
    }
}
