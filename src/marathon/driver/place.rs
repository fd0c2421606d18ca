//! The driver's view of placement: launches of one app from one offer,
//! through [`crate::marathon::placement::match_offer`] (resources of the
//! accepted roles, host ports, constraints against where the app's
//! instances already run, the TaskInfo with its environment, health check
//! and kill policy).

use std::collections::HashMap;

use crate::marathon::core::Instance;
use crate::marathon::placement::{match_offer, Launch, LaunchCtx, Placed as Where, Reject};
use crate::wire::event::Offer;
use crate::wire::marathon::AppDefinition;
use crate::wire::resources::Attribute;

pub type Placed = Launch;

/// What placement needs besides the app and the offer.
#[derive(Clone, Debug, Default)]
pub struct PlaceCtx {
    pub roles: Vec<String>,
    pub default_user: Option<String>,
    pub env_vars_prefix: Option<String>,
    /// Agent attributes seen in offers (constraints of placed instances).
    pub attributes: HashMap<String, Vec<Attribute>>,
}

/// Up to `wanted` launches of `app` from `offer` (with `placed` already
/// running or launched, for constraints), and why no more fit.
pub fn place(
    app: &AppDefinition,
    offer: &Offer,
    placed: &[&Instance],
    wanted: usize,
    ctx: &PlaceCtx,
) -> (Vec<Placed>, Option<Reject>) {
    let view: Vec<Where> = placed
        .iter()
        .map(|i| Where {
            agent_id: i.agent_id.clone(),
            hostname: i.hostname.clone(),
            attributes: ctx.attributes.get(&i.agent_id).cloned().unwrap_or_default(),
        })
        .collect();
    let lctx = LaunchCtx {
        roles: &ctx.roles,
        default_user: ctx.default_user.as_deref(),
        env_vars_prefix: ctx.env_vars_prefix.as_deref(),
        default_accepted_roles: None,
    };
    match_offer(app, offer, &view, wanted, wanted, &lctx)
}
