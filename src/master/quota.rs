//! Quota and weights (docs/wire-notes.md#quota-and-weights), with real
//! Mesos' shapes, validation and messages. v0: `/master/quota` (GET, POST
//! sets a legacy quota, DELETE `/master/quota/<role>` removes it) and
//! `/master/weights` (GET, PUT); v1: GET_QUOTA, UPDATE_QUOTA (quota v2),
//! SET_QUOTA, REMOVE_QUOTA, GET_WEIGHTS, UPDATE_WEIGHTS. The allocator
//! (master/allocator.rs) reads the result from `MasterState::policy`.

use std::collections::BTreeMap;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{call_response, text, Json};
use super::maintenance::sub_message;

use super::state::{is_terminal, MasterState, Shared};
use crate::daemon::auth::Principal;
use crate::wire::quota::{QuotaConfig, QuotaInfo, QuotaRequest, QuotaStatus, WeightInfo};
use crate::wire::resources::{Resource, Scalar};

/// Largest mem/disk quota (1 exabyte in MB) and other quota (1 trillion).
const MAX_MB: f64 = 1024.0 * 1024.0 * 1024.0 * 1024.0;
const MAX_OTHER: f64 = 1e12;

/// Quantities as a plain `{name: value}` map (v0 `/roles` quota fields).
pub fn quantities(m: Option<&BTreeMap<String, Scalar>>) -> BTreeMap<String, f64> {
    m.map(|m| m.iter().map(|(k, v)| (k.clone(), v.value)).collect())
        .unwrap_or_default()
}

/// `cpus:1; mem:32`, as real Mesos prints quantities.
fn show(m: &BTreeMap<String, f64>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}:{}", crate::wire::resources::format_number(*v)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every quantity of `want` is at most the one in `have` (absent = 0).
fn contains(have: &BTreeMap<String, f64>, want: &BTreeMap<String, f64>) -> bool {
    want.iter()
        .all(|(k, v)| *v <= have.get(k).copied().unwrap_or(0.0) + 1e-9)
}

/// A role name as real Mesos validates it.
pub fn validate_role(role: &str) -> Result<(), String> {
    if role == "*" {
        return Ok(());
    }
    if role.is_empty() {
        return Err("Empty role name is invalid".into());
    }
    if role.starts_with('/') {
        return Err(format!("Role '{role}' cannot start with a slash"));
    }
    if role.ends_with('/') {
        return Err(format!("Role '{role}' cannot end with a slash"));
    }
    for c in role.split('/') {
        if c.is_empty() {
            return Err(format!("Role '{role}' cannot contain two adjacent slashes"));
        }
        if c == "." || c == ".." || c == "*" {
            return Err(format!("Role '{role}' cannot contain '{c}' as a component"));
        }
        if c.starts_with('-') {
            return Err(format!("Role '{role}' cannot start with '-'"));
        }
        if c.chars()
            .any(|ch| ch.is_whitespace() || ch == '\u{8}' || ch == '\u{7f}')
        {
            return Err(format!(
                "Role '{role}' cannot include whitespace, backspace or delete characters"
            ));
        }
    }
    Ok(())
}

fn whitelisted(m: &Shared, role: &str) -> bool {
    let list = m.flags.string("roles").unwrap_or_default();
    let roles: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    roles.is_empty() || role == "*" || roles.contains(&role)
}

/// Real Mesos' checks of one quota v2 config.
pub fn validate_config(c: &QuotaConfig) -> Result<(), String> {
    let Some(role) = &c.role else {
        return Err("'QuotaConfig.role' must be set".into());
    };
    validate_role(role).map_err(|e| format!("Invalid 'QuotaConfig.role': {e}"))?;
    for (what, m) in [("guarantees", &c.guarantees), ("limits", &c.limits)] {
        for (name, s) in m {
            let (max, unit) = if name == "mem" || name == "disk" {
                (MAX_MB, "1 exabyte (1099511627776)")
            } else {
                (MAX_OTHER, "1 trillion (1000000000000)")
            };
            if s.value > max {
                return Err(format!(
                    "Invalid 'QuotaConfig.{what}': {{'{name}': {}}} is invalid: values greater than {unit} are not supported",
                    s.value
                ));
            }
            if !s.value.is_finite() || s.value < 0.0 {
                let kind = if what == "guarantees" {
                    "guarantee"
                } else {
                    "limit"
                };
                return Err(format!(
                    "Invalid {kind} configuration {{'{name}': {}}}: values must be finite and non-negative",
                    s.value
                ));
            }
        }
    }
    // Guarantees within limits (a resource without a limit is unlimited).
    for (name, g) in &c.guarantees {
        if c.limits.get(name).is_some_and(|l| g.value > l.value) {
            return Err(format!(
                "'QuotaConfig.guarantees' {} is not contained within the 'QuotaConfig.limits' {}",
                show(&quantities(Some(&c.guarantees))),
                show(&quantities(Some(&c.limits)))
            ));
        }
    }
    Ok(())
}

/// Add the scalar quantities of `r` to `out`.
pub fn add_scalars(out: &mut BTreeMap<String, f64>, r: &crate::resources::Resources) {
    let names: std::collections::BTreeSet<&str> = r.iter().map(|x| x.name.as_str()).collect();
    for name in names {
        let v = r.scalar(name);
        if v > 0.0 {
            *out.entry(name.to_string()).or_insert(0.0) += v;
        }
    }
}

/// Scalar totals of the registered agents (the quota capacity).
fn capacity(st: &MasterState) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for a in st.agents.values() {
        add_scalars(&mut out, &a.total);
    }
    out
}

/// Scalar resources of `role`'s running tasks (what its quota consumes).
pub fn consumed(st: &MasterState, role: &str) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for t in st
        .frameworks
        .values()
        .flat_map(|f| f.tasks.values())
        .filter(|t| t.role == role && !is_terminal(&t.state))
    {
        add_scalars(&mut out, &t.resources);
    }
    out
}

fn total_guarantees(quotas: &BTreeMap<String, QuotaConfig>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for q in quotas.values() {
        for (k, v) in &q.guarantees {
            *out.entry(k.clone()).or_insert(0.0) += v.value;
        }
    }
    out
}

/// Apply configs (a config without guarantees and limits removes the
/// role's quota) and rescind outstanding offers so the allocator can honour
/// the new guarantees at once.
fn apply(st: &mut MasterState, configs: Vec<QuotaConfig>) {
    let began = Instant::now();
    for c in configs {
        let role = c.role.clone().unwrap_or_default();
        if c.guarantees.is_empty() && c.limits.is_empty() {
            st.policy.quotas.remove(&role);
        } else {
            st.policy.quotas.insert(role, c);
        }
    }
    super::maintenance::policy_stored(st, began);
    let agents: Vec<String> = st.agents.keys().cloned().collect();
    for a in agents {
        super::core::rescind_agent_offers(st, &a);
    }
}

/// UPDATE_QUOTA (quota v2).
pub fn update(m: &Shared, configs: Vec<QuotaConfig>, force: bool) -> Result<(), String> {
    for c in &configs {
        let role = c.role.as_deref().unwrap_or("");
        if c.role.is_some() && !whitelisted(m, role) {
            return Err(format!(
                "Invalid QuotaConfig: '{role}' is not on the roles whitelist"
            ));
        }
        if role.contains('/') {
            return Err(format!(
                "Updating quota on nested role '{role}' is not supported yet"
            ));
        }
        validate_config(c).map_err(|e| format!("Invalid QuotaConfig: {e}"))?;
    }
    let mut st = m.lock();
    for c in &configs {
        let role = c.role.as_deref().unwrap_or("");
        let limits = quantities(Some(&c.limits));
        let used = consumed(&st, role);
        let within = used
            .iter()
            .all(|(k, v)| limits.get(k).is_none_or(|l| *v <= *l + 1e-9));
        if !within && !force {
            return Err(format!(
                "Invalid QuotaConfig: Role '{role}' is already consuming '{}'; this is more than the requested limits '{}' (use 'force' flag to bypass this check)",
                show(&used),
                show(&limits)
            ));
        }
    }
    let mut after = st.policy.quotas.clone();
    for c in &configs {
        after.insert(c.role.clone().unwrap_or_default(), c.clone());
    }
    let (total, cap) = (total_guarantees(&after), capacity(&st));
    if !contains(&cap, &total) && !force {
        return Err(format!(
            "Invalid QuotaConfig: total quota guarantees '{}' exceed cluster capacity '{}' (use 'force' flag to bypass this check)",
            show(&total),
            show(&cap)
        ));
    }
    apply(&mut st, configs);
    Ok(())
}

/// SET_QUOTA / `POST /quota` (legacy): the guarantee is also the limit.
/// `Err` carries the status (400, or 409 when the cluster is overcommitted).
pub fn set(
    m: &Shared,
    req: QuotaRequest,
    principal: Option<String>,
) -> Result<(), (StatusCode, String)> {
    let bad = |e: String| (StatusCode::BAD_REQUEST, e);
    let Some(role) = req.role.clone() else {
        return Err(bad(
            "Failed to validate set quota request: QuotaInfo must specify a role".into(),
        ));
    };
    let invalid = |e: String| bad(format!("Failed to validate set quota request: {e}"));
    validate_role(&role).map_err(|e| invalid(format!("QuotaInfo with invalid role: {e}")))?;
    if req.guarantee.is_empty() {
        return Err(invalid("QuotaInfo with empty 'guarantee'".into()));
    }
    let mut guarantees: BTreeMap<String, Scalar> = BTreeMap::new();
    for r in &req.guarantee {
        if !r.reservations.is_empty() || r.role.as_deref().is_some_and(|x| x != "*") {
            return Err(invalid(
                "QuotaInfo must not contain any ReservationInfo".into(),
            ));
        }
        if r.disk.is_some() {
            return Err(invalid("QuotaInfo must not contain DiskInfo".into()));
        }
        if r.revocable.is_some() {
            return Err(invalid("QuotaInfo must not contain RevocableInfo".into()));
        }
        let Some(s) = r
            .scalar
            .clone()
            .filter(|_| r.kind.as_deref().is_none_or(|k| k == "SCALAR"))
        else {
            return Err(invalid(
                "QuotaInfo must not include non-scalar resources".into(),
            ));
        };
        if guarantees.insert(r.name.clone(), s).is_some() {
            return Err(invalid(format!(
                "QuotaInfo contains duplicate resource name '{}'",
                r.name
            )));
        }
    }
    if !whitelisted(m, &role) {
        return Err(invalid(format!("Unknown role '{role}'")));
    }
    if m.lock().policy.quotas.contains_key(&role) {
        return Err(invalid(format!(
            "Cannot set quota for role '{role}' which already has quota"
        )));
    }
    if role.contains('/') {
        return Err(bad(format!(
            "Setting quota on nested role '{role}' is not supported yet"
        )));
    }
    let config = QuotaConfig {
        role: Some(role.clone()),
        guarantees: guarantees.clone(),
        limits: guarantees,
    };
    validate_config(&config).map_err(invalid)?;
    let mut st = m.lock();
    if !req.force {
        let mut after = st.policy.quotas.clone();
        after.insert(role.clone(), config.clone());
        let (total, cap) = (total_guarantees(&after), capacity(&st));
        if !contains(&cap, &total) {
            return Err((
                StatusCode::CONFLICT,
                format!(
                    "Quota guarantees overcommit the cluster (use 'force' to bypass this check): Total quota guarantees '{}' exceed cluster capacity '{}'",
                    show(&total),
                    show(&cap)
                ),
            ));
        }
    }
    if let Some(p) = principal {
        crate::info!("Setting quota for role '{role}' on behalf of principal '{p}'");
    }
    apply(&mut st, vec![config]);
    Ok(())
}

/// REMOVE_QUOTA / `DELETE /quota/<role>`.
pub fn remove(m: &Shared, role: &str, path: Option<&str>) -> Result<(), String> {
    let prefix = match path {
        Some(p) => format!("Failed to remove quota for path '{p}'"),
        None => "Failed to remove quota".into(),
    };
    if !whitelisted(m, role) {
        return Err(format!("{prefix}: Unknown role '{role}'"));
    }
    let mut st = m.lock();
    if !st.policy.quotas.contains_key(role) {
        return Err(format!("{prefix}: Role '{role}' has no quota set"));
    }
    apply(
        &mut st,
        vec![QuotaConfig {
            role: Some(role.to_string()),
            ..Default::default()
        }],
    );
    Ok(())
}

/// GET_QUOTA's `status` / `GET /quota`: legacy `infos` and v2 `configs`.
pub fn status(st: &MasterState) -> QuotaStatus {
    let mut out = QuotaStatus::default();
    for (role, c) in &st.policy.quotas {
        out.infos.push(QuotaInfo {
            role: role.clone(),
            principal: None,
            guarantee: c
                .guarantees
                .iter()
                .map(|(name, s)| Resource {
                    name: name.clone(),
                    kind: Some("SCALAR".into()),
                    scalar: Some(s.clone()),
                    ..Default::default()
                })
                .collect(),
        });
        let mut config = c.clone();
        config.role = Some(role.clone());
        out.configs.push(config);
    }
    out
}

/// The weights as `WeightInfo`s (roles with a set weight).
pub fn weights(st: &MasterState) -> Vec<WeightInfo> {
    st.policy
        .weights
        .iter()
        .map(|(role, w)| WeightInfo {
            weight: *w,
            role: Some(role.clone()),
        })
        .collect()
}

/// UPDATE_WEIGHTS / `PUT /weights`.
pub fn update_weights(m: &Shared, infos: Vec<WeightInfo>) -> Result<(), String> {
    let mut valid = Vec::new();
    for w in infos {
        let role = w.role.as_deref().unwrap_or("").trim().to_string();
        let pre = "Failed to validate update weights request JSON";
        validate_role(&role).map_err(|e| format!("{pre}: Invalid role '{role}': {e}"))?;
        if !whitelisted(m, &role) {
            return Err(format!("{pre}: Unknown role '{role}'"));
        }
        if w.weight.is_nan() || w.weight <= 0.0 {
            return Err(format!(
                "{pre} for role '{role}': Invalid weight '{}': Weights must be positive",
                w.weight
            ));
        }
        valid.push((role, w.weight));
    }
    let began = Instant::now();
    let mut st = m.lock();
    let active = valid
        .iter()
        .any(|(r, _)| st.frameworks.values().any(|f| f.roles.contains(r)));
    st.policy.weights.extend(valid);
    super::maintenance::policy_stored(&mut st, began);
    if active {
        let agents: Vec<String> = st.agents.keys().cloned().collect();
        for a in agents {
            super::core::rescind_agent_offers(&mut st, &a);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// HTTP

fn method_not_allowed(allowed: &[&str], got: &Method) -> Response {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    Response::builder()
        .status(StatusCode::METHOD_NOT_ALLOWED)
        .header(header::ALLOW, allowed.join(", "))
        .body(Body::from(format!(
            "Expecting one of {{ {} }}, but received '{got}'",
            quoted.join(", ")
        )))
        .unwrap_or_default()
}

fn outcome(r: Result<(), String>, m: &Shared) -> Response {
    m.allocate.notify_one();
    match r {
        Ok(()) => {
            super::registrar::persist(m);
            StatusCode::OK.into_response()
        }
        Err(e) => text(StatusCode::BAD_REQUEST, e),
    }
}

async fn body_text(req: Request) -> Result<String, Response> {
    axum::body::to_bytes(req.into_body(), super::validation::MAX_BODY_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| {
            text(
                StatusCode::BAD_REQUEST,
                format!("Failed to read the request body: {e}"),
            )
        })
}

/// `/master/quota` and `/master/quota/<role>`.
pub async fn quota_v0(State(m): State<Shared>, req: Request) -> Response {
    let r = quota_v0_now(&m, req).await;
    // A change answers once it is in the registry.
    super::registrar::flushed(&m).await;
    r
}

async fn quota_v0_now(m: &Shared, req: Request) -> Response {
    let m = m.clone();
    let path = req.uri().path().to_string();
    match *req.method() {
        Method::GET => Json(status(&m.lock())).into_response(),
        Method::POST => {
            let principal = req.extensions().get::<Principal>().map(|p| p.0.clone());
            let body = match body_text(req).await {
                Ok(b) => b,
                Err(r) => return r,
            };
            let parsed: Result<Value, _> = serde_json::from_str(&body);
            let request = match parsed {
                Ok(v) if v.is_object() => match serde_json::from_value::<QuotaRequest>(v) {
                    Ok(r) => r,
                    Err(e) => {
                        return text(
                            StatusCode::BAD_REQUEST,
                            format!("Failed to validate set quota request JSON '{body}': {e}"),
                        )
                    }
                },
                Ok(_) => {
                    return text(
                        StatusCode::BAD_REQUEST,
                        format!(
                        "Failed to parse set quota request JSON '{body}': expecting a JSON object"
                    ),
                    )
                }
                Err(e) => {
                    return text(
                        StatusCode::BAD_REQUEST,
                        format!("Failed to parse set quota request JSON '{body}': {e}"),
                    )
                }
            };
            m.allocate.notify_one();
            match set(&m, request, principal) {
                Ok(()) => {
                    super::registrar::persist(&m);
                    StatusCode::OK.into_response()
                }
                Err((code, e)) => text(code, e),
            }
        }
        Method::DELETE => {
            // `/master/quota/<role>` (the role may contain slashes).
            let parts: Vec<&str> = path.trim_start_matches('/').splitn(3, '/').collect();
            if parts.len() < 3 || parts[2].is_empty() {
                return text(
                    StatusCode::BAD_REQUEST,
                    format!("Failed to parse remove quota request for path '{path}': expected 3 tokens, found {} tokens", parts.iter().filter(|p| !p.is_empty()).count()),
                );
            }
            outcome(remove(&m, parts[2], Some(&path)), &m)
        }
        ref other => method_not_allowed(&["GET", "POST", "DELETE"], other),
    }
}

/// `/master/weights`: GET the weights, PUT a JSON array of `WeightInfo`.
pub async fn weights_v0(State(m): State<Shared>, req: Request) -> Response {
    let r = weights_v0_now(&m, req).await;
    // A change answers once it is in the registry.
    super::registrar::flushed(&m).await;
    r
}

async fn weights_v0_now(m: &Shared, req: Request) -> Response {
    let m = m.clone();
    match *req.method() {
        Method::GET => Json(weights(&m.lock())).into_response(),
        Method::PUT => {
            let body = match body_text(req).await {
                Ok(b) => b,
                Err(r) => return r,
            };
            let infos = match serde_json::from_str::<Value>(&body) {
                Ok(v) if v.is_array() => match serde_json::from_value::<Vec<WeightInfo>>(v) {
                    Ok(w) => w,
                    Err(e) => return text(StatusCode::BAD_REQUEST, format!("Failed to convert weights JSON array to protobuf '{body}': {e}")),
                },
                Ok(_) => return text(StatusCode::BAD_REQUEST, format!("Failed to parse update weights request JSON '{body}': expecting a JSON array")),
                Err(e) => return text(StatusCode::BAD_REQUEST, format!("Failed to parse update weights request JSON '{body}': {e}")),
            };
            outcome(update_weights(&m, infos), &m)
        }
        ref other => method_not_allowed(&["GET", "PUT"], other),
    }
}

#[derive(Serialize)]
struct GetQuota {
    status: QuotaStatus,
}

#[derive(Serialize)]
struct GetWeights {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    weight_infos: Vec<WeightInfo>,
}

#[derive(Deserialize)]
struct UpdateQuotaCall {
    #[serde(default, deserialize_with = "crate::wire::de::bool")]
    force: bool,
    #[serde(default)]
    quota_configs: Vec<QuotaConfig>,
}

#[derive(Deserialize)]
struct SetQuotaCall {
    quota_request: QuotaRequest,
}

#[derive(Deserialize)]
struct RemoveQuotaCall {
    role: String,
}

#[derive(Deserialize)]
struct UpdateWeightsCall {
    #[serde(default)]
    weight_infos: Vec<WeightInfo>,
}

/// The quota and weights calls of the v1 operator API; `None` for others.
pub fn operator_call(
    m: &Shared,
    ty: &'static str,
    call: &Value,
    principal: Option<String>,
) -> Option<Response> {
    Some(match ty {
        "GET_QUOTA" => call_response(
            ty,
            GetQuota {
                status: status(&m.lock()),
            },
        ),
        "GET_WEIGHTS" => call_response(
            ty,
            GetWeights {
                weight_infos: weights(&m.lock()),
            },
        ),
        "UPDATE_QUOTA" => match sub_message::<UpdateQuotaCall>(call, "update_quota") {
            Ok(c) => outcome(update(m, c.quota_configs, c.force), m),
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        "SET_QUOTA" => match sub_message::<SetQuotaCall>(call, "set_quota") {
            Ok(c) => {
                m.allocate.notify_one();
                match set(m, c.quota_request, principal) {
                    Ok(()) => {
                        super::registrar::persist(m);
                        StatusCode::OK.into_response()
                    }
                    Err((code, e)) => text(code, e),
                }
            }
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        "REMOVE_QUOTA" => match sub_message::<RemoveQuotaCall>(call, "remove_quota") {
            Ok(c) => outcome(remove(m, &c.role, None), m),
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        "UPDATE_WEIGHTS" => match sub_message::<UpdateWeightsCall>(call, "update_weights") {
            Ok(c) => outcome(update_weights(m, c.weight_infos), m),
            Err(e) => text(StatusCode::BAD_REQUEST, e),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(role: &str, g: &[(&str, f64)], l: &[(&str, f64)]) -> QuotaConfig {
        let m = |v: &[(&str, f64)]| {
            v.iter()
                .map(|(k, x)| (k.to_string(), Scalar { value: *x }))
                .collect()
        };
        QuotaConfig {
            role: Some(role.into()),
            guarantees: m(g),
            limits: m(l),
        }
    }

    #[test]
    fn config_validation() {
        assert!(validate_config(&cfg("a", &[("cpus", 1.0)], &[("cpus", 2.0)])).is_ok());
        assert!(validate_config(&cfg("a", &[("cpus", 1.0)], &[])).is_ok());
        let e = validate_config(&cfg("a", &[("cpus", 3.0)], &[("cpus", 2.0)])).unwrap_err();
        assert!(
            e.contains("is not contained within the 'QuotaConfig.limits'"),
            "{e}"
        );
        let e = validate_config(&cfg("a/", &[], &[])).unwrap_err();
        assert!(e.starts_with("Invalid 'QuotaConfig.role'"), "{e}");
        let e = validate_config(&cfg("a", &[("mem", 1e13)], &[])).unwrap_err();
        assert!(e.contains("1 exabyte"), "{e}");
        let mut c = cfg("a", &[], &[]);
        c.role = None;
        assert_eq!(
            validate_config(&c).unwrap_err(),
            "'QuotaConfig.role' must be set"
        );
    }

    #[test]
    fn roles_are_validated_like_mesos() {
        for ok in ["*", "a", "a/b", "dev-1"] {
            assert!(validate_role(ok).is_ok(), "{ok}");
        }
        for bad in ["", "/a", "a/", "a//b", ".", "..", "-a", "a b", "a/*"] {
            assert!(validate_role(bad).is_err(), "{bad}");
        }
    }
}
