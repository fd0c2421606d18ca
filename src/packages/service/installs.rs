//! install, list and uninstall (docs/packages.md, "Install, list,
//! uninstall"): an installation is a Marathon app carrying the Cosmos
//! labels; uninstall deletes it and tears down the framework it names.

use serde_json::{Map, Value};

use super::errors::{lookup_error, render_error};
use super::installed::InstalledApp;
use super::{
    Apps, FrameworkRef, Frameworks, Installed, LoadedRepo, PackageService, Repos, Uninstalled,
};
use crate::packages::cosmos::{
    CosmosError, InstallRequest, InstallResponse, Installation, ListRequest, ListResponse,
    UninstallRequest, UninstallResult,
};
use crate::packages::model::Package;
use crate::packages::render::{self, RenderError};
use crate::packages::search::{self, LookupError};
use crate::wire::marathon::{AppView, PathId};

/// The package to use across the loaded repositories, in priority order
/// (as [`search::select`] over all of them) and the repository it is in.
#[allow(clippy::result_large_err)] // CosmosError is every operation's error
pub fn select_package<'a>(
    repos: &'a [LoadedRepo],
    name: &str,
    version: Option<&str>,
) -> Result<(&'a LoadedRepo, &'a Package), CosmosError> {
    let mut named = false;
    for r in repos {
        match search::select(std::slice::from_ref(&*r.repo), name, version) {
            Ok(p) => return Ok((r, p)),
            Err(LookupError::VersionNotFound { .. }) => named = true,
            Err(LookupError::PackageNotFound(_)) => {}
        }
    }
    Err(lookup_error(match (named, version) {
        (true, Some(v)) => LookupError::VersionNotFound {
            name: name.to_string(),
            version: v.to_string(),
        },
        _ => LookupError::PackageNotFound(name.to_string()),
    }))
}

impl<R: Repos, A: Apps, F: Frameworks> PackageService<R, A, F> {
    pub async fn install(&self, req: &InstallRequest) -> Result<Installed, CosmosError> {
        let repos = self.repos.load().await?;
        let (repo, pkg) =
            select_package(&repos, &req.package_name, req.package_version.as_deref())?;
        let options = options_value(req.options.as_ref());
        if pkg.packaging_version.starts_with('5') {
            if let Some(m) = &pkg.manager {
                return Err(CosmosError::manager_not_supported(pkg, &m.package_name));
            }
        }
        let rendered = render::render(render::RenderRequest {
            package: pkg,
            source: &repo.spec.uri,
            options: &options,
            app_id: req.app_id.as_deref(),
        });
        let response = |app_id: Option<String>| InstallResponse {
            package_name: pkg.name.clone(),
            package_version: pkg.version.clone(),
            app_id,
            post_install_notes: pkg.post_install_notes.clone(),
            cli: pkg.resource.as_ref().and_then(|r| r.cli.clone()),
        };
        let rendered = match rendered {
            Ok(r) => r,
            // No Marathon template: "installed" with no app (Cosmos v2), so
            // a CLI-only package can be installed.
            // (The options were resolved and validated before the template
            // was looked at.)
            Err(RenderError::NoTemplate(_)) => {
                return Ok(Installed {
                    response: response(None),
                    created: None,
                });
            }
            Err(e) => return Err(render_error(pkg, &options, e)),
        };
        super::requirements::check(&self.frameworks, pkg, &rendered.app).await?;
        let created = self.apps.create(&rendered.app).await?;
        Ok(Installed {
            response: response(Some(created.app_id.to_string())),
            created: Some(created),
        })
    }

    pub async fn list(&self, req: &ListRequest) -> Result<ListResponse, CosmosError> {
        let apps = self.apps.apps().await?;
        let wanted_id = req.app_id.as_deref().map(PathId::parse);
        let mut packages: Vec<Installation> = apps
            .iter()
            .filter_map(InstalledApp::of)
            .filter(|a| req.package_name.as_deref().is_none_or(|n| a.name == n))
            .filter(|a| wanted_id.as_ref().is_none_or(|id| &a.app.app.id == id))
            .filter_map(|a| {
                // Labels that cannot be decoded: not an installation we can
                // describe; skipped, as Cosmos does.
                Some(Installation {
                    app_id: a.id(),
                    package_information: a.information()?,
                })
            })
            .collect();
        packages.sort_by(|a, b| {
            let name = |i: &Installation| i.package_information.package_definition.name.clone();
            name(a).cmp(&name(b)).then_with(|| a.app_id.cmp(&b.app_id))
        });
        Ok(ListResponse { packages })
    }

    pub async fn uninstall(&self, req: &UninstallRequest) -> Result<Vec<Uninstalled>, CosmosError> {
        let name = req.package_name.as_str();
        let apps = self.apps.apps().await?;
        let targets = uninstall_targets(&apps, req)?;
        // Notes come from the current repositories; a repository that
        // cannot be read does not block the uninstall.
        let repos = self.repos.load().await.unwrap_or_default();
        let mut out = Vec::new();
        for app in targets {
            let app_id = app.id();
            let deployment_id = self.apps.delete(&app.app.app.id).await?;
            let mut torn_down = Vec::new();
            let mut leftovers = Vec::new();
            if let Some(fw) = app.framework {
                let found = self
                    .frameworks
                    .named(fw)
                    .await
                    .map_err(|e| incomplete(name, e))?;
                match found.as_slice() {
                    [] => {}
                    [one] => {
                        self.frameworks
                            .teardown(&one.id)
                            .await
                            .map_err(|e| incomplete(name, e))?;
                        leftovers.extend(self.leftovers_of(one).await);
                        torn_down.push(one.clone());
                    }
                    many => {
                        let ids: Vec<String> = many.iter().map(|f| f.id.clone()).collect();
                        return Err(CosmosError::multiple_framework_ids(
                            name,
                            app.version,
                            fw,
                            &ids,
                        ));
                    }
                }
            }
            out.push(Uninstalled {
                result: UninstallResult {
                    package_name: name.to_string(),
                    app_id,
                    package_version: app.version.map(str::to_string),
                    post_uninstall_notes: post_uninstall_notes(&repos, &app),
                },
                deployment_id: Some(deployment_id),
                torn_down,
                leftovers,
            });
        }
        Ok(out)
    }

    /// What a torn-down framework left; a failure to tell is said as a line.
    async fn leftovers_of(&self, f: &FrameworkRef) -> Vec<String> {
        match self.frameworks.leftovers(f).await {
            Ok(lines) => lines,
            Err(e) => vec![format!(
                "could not list what framework {} ({}) left behind: {}",
                f.name, f.id, e.message
            )],
        }
    }
}

/// A master failure while finding the framework: `IncompleteUninstall`
/// (the app is already gone) unless the backend said more precisely.
fn incomplete(package: &str, e: CosmosError) -> CosmosError {
    if e.kind == "ServiceUnavailable" {
        CosmosError::incomplete_uninstall(package, &e.message)
    } else {
        e
    }
}

/// The apps an uninstall removes: the one named by `appId` (it must carry
/// the package's name), else every app of the package (more than one needs
/// `all`).
#[allow(clippy::result_large_err)] // CosmosError is every operation's error
fn uninstall_targets<'a>(
    apps: &'a [AppView],
    req: &UninstallRequest,
) -> Result<Vec<InstalledApp<'a>>, CosmosError> {
    let name = req.package_name.as_str();
    let mut of_package: Vec<InstalledApp> = apps
        .iter()
        .filter_map(InstalledApp::of)
        .filter(|a| a.name == name)
        .collect();
    of_package.sort_by_key(InstalledApp::id);
    if let Some(id) = req.app_id.as_deref() {
        let wanted = PathId::parse(id);
        return match of_package.into_iter().find(|a| a.app.app.id == wanted) {
            Some(a) => Ok(vec![a]),
            None => Err(CosmosError::uninstall_non_existent_app(
                name,
                &wanted.to_string(),
            )),
        };
    }
    match of_package.len() {
        0 => Err(CosmosError::package_not_installed(name)),
        1 => Ok(of_package),
        _ if req.all == Some(true) => Ok(of_package),
        _ => {
            let ids: Vec<String> = of_package.iter().map(InstalledApp::id).collect();
            Err(CosmosError::ambiguous_app_id(name, &ids))
        }
    }
}

/// `postUninstallNotes` of the installed version in the current
/// repositories, else what the app's labels recorded.
fn post_uninstall_notes(repos: &[LoadedRepo], app: &InstalledApp) -> Option<String> {
    if let Some(v) = app.version {
        if let Ok((_, p)) = select_package(repos, app.name, Some(v)) {
            return p.post_uninstall_notes.clone();
        }
    }
    app.information()
        .and_then(|i| i.package_definition.post_uninstall_notes)
}

/// The options map of a request, for callers that have a `Value`.
pub fn options_value(options: Option<&Map<String, Value>>) -> Value {
    options.map_or(Value::Null, |m| Value::Object(m.clone()))
}

#[cfg(test)]
#[path = "installs_tests.rs"]
mod tests;
