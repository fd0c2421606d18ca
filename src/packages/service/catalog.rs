//! search, describe, list-versions, render and the repository list.

// CosmosError (the contract's error type, with its data map) is the error
// of every package operation; boxing it here alone would buy nothing.
#![allow(clippy::result_large_err)]

use serde_json::{Map, Value};

use super::errors::{lookup_error, render_error};
use super::{Apps, Frameworks, LoadedRepo, PackageService, Repos};
use crate::packages::cosmos::{
    CosmosError, DescribeRequest, DescribeResponse, ListVersionsRequest, ListVersionsResponse,
    PackageRepository, RenderRequest, RenderResponse, RepositoryAddRequest,
    RepositoryDeleteRequest, RepositoryListResponse, SearchRequest, SearchResponse, SearchResult,
};
use crate::packages::model::{Package, Repository};
use crate::packages::{render, search};

/// The loaded repositories' documents, in priority order (what
/// [`crate::packages::search`] works on).
fn documents(loaded: &[LoadedRepo]) -> Vec<Repository> {
    loaded.iter().map(|l| (*l.repo).clone()).collect()
}

/// The repository a selected package came from (for `DCOS_PACKAGE_SOURCE`).
fn source_of<'a>(docs: &[Repository], loaded: &'a [LoadedRepo], pkg: &Package) -> &'a str {
    docs.iter()
        .position(|r| r.packages.iter().any(|p| std::ptr::eq(p, pkg)))
        .and_then(|i| loaded.get(i))
        .map(|l| l.spec.uri.as_str())
        .unwrap_or_default()
}

/// The package named (and versioned) by a request, with its source URI.
pub(super) fn resolve(
    loaded: &[LoadedRepo],
    name: &str,
    version: Option<&str>,
) -> Result<(Package, String), CosmosError> {
    let docs = documents(loaded);
    let pkg = search::select(&docs, name, version).map_err(lookup_error)?;
    Ok((pkg.clone(), source_of(&docs, loaded, pkg).to_string()))
}

impl<R: Repos, A: Apps, F: Frameworks> PackageService<R, A, F> {
    pub async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, CosmosError> {
        let loaded = self.repos.load().await?;
        let docs = documents(&loaded);
        let packages = search::search(&docs, req.query.as_deref().unwrap_or(""))
            .into_iter()
            .map(|hit| SearchResult {
                name: hit.package.name.clone(),
                current_version: hit.package.version.clone(),
                versions: hit
                    .versions
                    .iter()
                    .map(|(v, r)| (v.to_string(), *r))
                    .collect(),
                description: hit.package.description.clone(),
                framework: hit.package.framework,
                selected: hit.package.selected,
                tags: hit.package.tags.clone(),
                images: hit.package.resource.as_ref().and_then(|r| r.images.clone()),
            })
            .collect();
        Ok(SearchResponse { packages })
    }

    pub async fn describe(&self, req: &DescribeRequest) -> Result<DescribeResponse, CosmosError> {
        let loaded = self.repos.load().await?;
        let (package, _) = resolve(&loaded, &req.package_name, req.package_version.as_deref())?;
        Ok(DescribeResponse { package })
    }

    pub async fn list_versions(
        &self,
        req: &ListVersionsRequest,
    ) -> Result<ListVersionsResponse, CosmosError> {
        let loaded = self.repos.load().await?;
        let docs = documents(&loaded);
        let versions = search::versions(&docs, &req.package_name).map_err(lookup_error)?;
        Ok(ListVersionsResponse {
            results: versions
                .into_iter()
                .map(|(v, r)| (v.to_string(), r.to_string()))
                .collect(),
        })
    }

    pub async fn render(&self, req: &RenderRequest) -> Result<RenderResponse, CosmosError> {
        let loaded = self.repos.load().await?;
        let (pkg, source) = resolve(&loaded, &req.package_name, req.package_version.as_deref())?;
        let options = req
            .options
            .clone()
            .map(Value::Object)
            .unwrap_or(Value::Object(Map::new()));
        let rendered = render::render(render::RenderRequest {
            package: &pkg,
            source: &source,
            options: &options,
            app_id: req.app_id.as_deref(),
        })
        .map_err(|e| render_error(&pkg, &options, e))?;
        Ok(RenderResponse {
            marathon_json: rendered.json,
        })
    }

    pub async fn repository_list(&self) -> Result<RepositoryListResponse, CosmosError> {
        Ok(RepositoryListResponse {
            repositories: self.repos.list().await?,
        })
    }

    pub async fn repository_add(
        &self,
        req: &RepositoryAddRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        let repo = PackageRepository {
            name: req.name.clone(),
            uri: req.uri.clone(),
        };
        Ok(RepositoryListResponse {
            repositories: self.repos.add(repo, req.index).await?,
        })
    }

    pub async fn repository_delete(
        &self,
        req: &RepositoryDeleteRequest,
    ) -> Result<RepositoryListResponse, CosmosError> {
        if req.name.is_none() && req.uri.is_none() {
            return Err(CosmosError::new(
                "RepoNameOrUriMissing",
                400,
                "Must specify either the name or URI of the repository",
            ));
        }
        Ok(RepositoryListResponse {
            repositories: self
                .repos
                .delete(req.name.as_deref(), req.uri.as_deref())
                .await?,
        })
    }
}
