//! The master's core operations on its state: status updates and
//! acknowledgements, offers returned and rescinded, framework teardown,
//! agent removal, and the messages they send (framework event streams,
//! calls to agents). Nothing here knows about serving HTTP: the handlers
//! (`scheduler`, `agents`, `operator`, `v0`) and the background loops
//! (`allocator`, health checks) call in.

pub mod calls;
pub mod executors;
pub mod launch;
pub mod launch_checks;
pub mod link;
pub mod offers;
pub mod status;
pub mod teardown;

pub use super::framework_info::{framework_from_info, framework_from_json};
pub use calls::{decline, kill, reconcile, revive, suppress};
pub use executors::{executor_message, exited_executor, framework_message, shutdown_executor};
pub use launch::accept;
pub use link::{
    call_agent, event_record, post_to_agent, send_event, send_record, send_to_agent, AgentTarget,
};
pub use offers::{rescind_agent_offers, rescind_offer, return_framework_offers};
pub use status::{acknowledge, apply_status, master_status, master_status_reliable};
pub use teardown::{remove_agent, teardown_framework};
