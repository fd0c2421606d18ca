//! Universe packages: the package and repository model, local source-layout
//! repositories, option defaults and validation, template rendering with
//! Cosmos semantics, and search. Pure: no HTTP, no CLI (see docs/packages.md).

pub mod model;
pub mod mustache;
pub mod options;
pub mod render;
pub mod search;
pub mod source;
