//! Building blocks shared by the bundled `mesos master` and `mesos agent`
//! daemons: flags, logging, HTTP conventions, the files API.

pub mod files;
pub mod flags;
pub mod httputil;
pub mod log;
pub mod proto;
