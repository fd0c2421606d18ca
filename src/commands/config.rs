//! `mesos config`: show and edit the config file and its profiles.
//! (Being implemented.)

use clap::Args;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};

/// Show and edit settings and profiles
#[derive(Clone, Debug, Args)]
pub struct ConfigArgs {}

pub fn cmd_config(_global: &GlobalArgs, _args: &ConfigArgs) -> Result<()> {
    Err(Error::failed("mesos config is not implemented yet"))
}
