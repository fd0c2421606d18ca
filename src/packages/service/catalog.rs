//! search, describe, list-versions, render and the repository list.

use super::{Apps, Frameworks, PackageService, Repos};
use crate::packages::cosmos::{
    CosmosError, DescribeRequest, DescribeResponse, ListVersionsRequest, ListVersionsResponse,
    RenderRequest, RenderResponse, RepositoryAddRequest, RepositoryDeleteRequest,
    RepositoryListResponse, SearchRequest, SearchResponse,
};

impl<R: Repos, A: Apps, F: Frameworks> PackageService<R, A, F> {
    pub async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, CosmosError> {
        let _ = req;
        todo!("package service: search")
    }

    pub async fn describe(&self, req: &DescribeRequest) -> Result<DescribeResponse, CosmosError> {
        let _ = req;
        todo!("package service: describe")
    }

    pub async fn list_versions(
        &self,
        req: &ListVersionsRequest,
    ) -> Result<ListVersionsResponse, CosmosError> {
        let _ = req;
        todo!("package service: list-versions")
    }

    pub async fn render(&self, req: &RenderRequest) -> Result<RenderResponse, CosmosError> {
        let _ = req;
        todo!("package service: render")
    }

    pub async fn repository_list(&self) -> Result<RepositoryListResponse, CosmosError> {
        todo!("package service: repository/list")
    }

    pub async fn repository_add(
        &self,
        req: &RepositoryAddRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        let _ = req;
        todo!("package service: repository/add")
    }

    pub async fn repository_delete(
        &self,
        req: &RepositoryDeleteRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        let _ = req;
        todo!("package service: repository/delete")
    }
}
