//! Universe packages: the package and repository model, local source-layout
//! repositories, option defaults and validation, template rendering with
//! Cosmos semantics, search, repository fetching, the built-in repository,
//! the Cosmos wire model and the package service (see docs/packages.md).

pub mod builtin;
pub mod cosmos;
pub mod fetch;
pub mod model;
pub mod mustache;
pub mod options;
pub mod render;
pub mod repolist;
pub mod search;
pub mod service;
pub mod source;
