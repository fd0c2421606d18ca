//! A client of the Cosmos package API (DC/OS, or `mesos marathon`'s own):
//! `POST <base>/package/<op>` with the op's request media type and the
//! response types we read in `Accept`; error bodies read back into
//! [`CosmosError`] with the HTTP status.

use reqwest::Url;

use crate::http::HttpClient;
use crate::packages::cosmos::{
    CosmosError, DescribeRequest, DescribeResponse, InstallRequest, ListRequest, ListResponse,
    ListVersionsRequest, ListVersionsResponse, RenderRequest, RenderResponse, RepositoryAddRequest,
    RepositoryDeleteRequest, RepositoryListResponse, SearchRequest, SearchResponse,
    UninstallRequest,
};
use crate::packages::service::{Installed, Uninstalled};

pub struct CosmosClient {
    pub http: HttpClient,
    /// The cluster URL the API is under (`https://dcos.example`, or
    /// `http://127.0.0.1:8080` for `mesos marathon`).
    pub base: Url,
}

impl CosmosClient {
    pub async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn describe(&self, req: &DescribeRequest) -> Result<DescribeResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn list_versions(
        &self,
        req: &ListVersionsRequest,
    ) -> Result<ListVersionsResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn render(&self, req: &RenderRequest) -> Result<RenderResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn install(&self, req: &InstallRequest) -> Result<Installed, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn list(&self, req: &ListRequest) -> Result<ListResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn uninstall(&self, req: &UninstallRequest) -> Result<Vec<Uninstalled>, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn repository_list(&self) -> Result<RepositoryListResponse, CosmosError> {
        todo!("cosmos client")
    }
    pub async fn repository_add(
        &self,
        req: &RepositoryAddRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
    pub async fn repository_delete(
        &self,
        req: &RepositoryDeleteRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        let _ = req;
        todo!("cosmos client")
    }
}
