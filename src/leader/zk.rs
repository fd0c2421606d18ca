//! Leader detection through ZooKeeper (docs/mesos-wire.md §1).
//! (Being implemented; see the function docs for the contract.)

use std::time::Duration;

use crate::error::{Error, Result};
use crate::leader::spec::ZkUrl;
use crate::wire::MasterInfo;

/// The leading master as found in ZooKeeper.
#[derive(Clone, Debug)]
pub struct ZkLeader {
    /// Decoded MasterInfo of the lowest-sequence contender.
    pub info: MasterInfo,
    /// Full znode path it was read from, e.g. `/mesos/json.info_0000000003`.
    pub znode: String,
}

/// Find the leader under `zk.path`: list the children, keep names whose last
/// `_` token is a sequence number, take the lowest, decode its data.
/// Bounded by `timeout` overall; errors name every member tried.
pub async fn resolve_zk(zk: &ZkUrl, timeout: Duration) -> Result<ZkLeader> {
    let _ = timeout;
    Err(Error::failed(format!("ZooKeeper resolution of {zk} is not implemented yet")))
}
