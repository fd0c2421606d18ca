//! Clusters on SSH hosts: `up -f`, `down -f`, `status`, `doctor`.

use std::time::Duration;

use serde::Serialize;

use super::local::{DownOutcome, StatusReport, UpOutcome};
use super::progress::Progress;
use super::ready::Check;
use super::spec::Spec;
use super::state::{ClusterState, DaemonRecord};
use crate::error::{Error, Result};
use crate::output::TableRow;

/// Settings shared by the SSH commands.
#[derive(Clone, Debug)]
pub struct Options {
    pub accept_new_host_keys: bool,
    pub timeout: Duration,
}

/// One preflight check of one host.
#[derive(Clone, Debug, Serialize)]
pub struct DoctorRow {
    pub host: String,
    pub check: String,
    pub ok: bool,
    pub detail: String,
}

impl TableRow for DoctorRow {
    fn headers() -> Vec<&'static str> {
        vec!["HOST", "CHECK", "OK", "DETAIL"]
    }
    fn cells(&self) -> Vec<String> {
        vec![self.host.clone(), self.check.clone(), if self.ok { "ok".into() } else { "FAIL".into() }, self.detail.clone()]
    }
}

fn todo() -> Error {
    Error::failed("SSH clusters are not implemented yet")
}

pub fn up(_spec: &Spec, _o: &Options, _p: &Progress) -> Result<UpOutcome> { Err(todo()) }
pub fn down(_s: &ClusterState, _f: Option<&Spec>, _purge: bool, _grace: Duration, _o: &Options, _p: &Progress) -> Result<DownOutcome> { Err(todo()) }
pub fn down_from_spec(_s: &Spec, _purge: bool, _grace: Duration, _o: &Options, _p: &Progress) -> Result<DownOutcome> { Err(todo()) }
pub fn status(_s: &ClusterState, _o: &Options) -> Result<StatusReport> { Err(todo()) }
pub fn wait(_s: &ClusterState, _o: &Options, _p: &Progress) -> Result<Check> { Err(todo()) }
pub fn logs(_s: &ClusterState, _d: &[DaemonRecord], _f: bool, _n: Option<usize>) -> Result<()> { Err(todo()) }
pub fn doctor(_s: &Spec, _o: &Options) -> Result<Vec<DoctorRow>> { Err(todo()) }
