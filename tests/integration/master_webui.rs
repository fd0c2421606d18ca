//! The web UI's server side with real processes (docs/webui.md): the UI at
//! `/`, `/webui/api/masters` with three masters in ZooKeeper, and the agent
//! proxy reading a task's stdout. The pages themselves are driven in a real
//! browser by the browser tests.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::cluster::{get_json, http_get, start_agent, start_master, start_master_zk};
use crate::common::sched::{command_task, next_of, res, subscribe_json, JsonCalls};
use crate::common::{wait_for, zk};
use mesos::http::{HttpClient, HttpOptions};

/// Generous: a JVM and several daemons on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn masters_endpoint_lists_three_zookeeper_masters_and_one_leader() {
    let server = zk::shared();
    let path = zk::unique_path("webui-masters");
    let url = server.url(&path);
    let masters = [
        start_master_zk(&url, &[]),
        start_master_zk(&url, &[]),
        start_master_zk(&url, &[]),
    ];
    for (i, m) in masters.iter().enumerate() {
        let list = wait_for(
            DEADLINE,
            &format!("master {i} to list 3 masters, one leading"),
            || {
                let (code, body) = http_get(&format!("{}/webui/api/masters", m.url()))
                    .ok_or_else(|| "unreachable".to_string())?;
                let v: Value =
                    serde_json::from_str(&body).map_err(|e| format!("{code} {body}: {e}"))?;
                let list = v["masters"].as_array().cloned().unwrap_or_default();
                let leaders = list.iter().filter(|e| e["leader"] == true).count();
                if code == 200 && list.len() == 3 && leaders == 1 {
                    Ok(list)
                } else {
                    Err(format!("{code} {body}"))
                }
            },
        );
        let mut ports: Vec<u64> = list.iter().map(|e| e["port"].as_u64().unwrap()).collect();
        ports.sort();
        let mut want: Vec<u64> = masters.iter().map(|d| d.port as u64).collect();
        want.sort();
        assert_eq!(ports, want, "{list:?}");
        // exactly one entry is the master that answered
        let me: Vec<&Value> = list.iter().filter(|e| e["self"] == true).collect();
        assert_eq!(me.len(), 1, "{list:?}");
        assert_eq!(me[0]["url"], m.url().as_str(), "{list:?}");
        // the leader is the one /master/redirect names
        let leader = list.iter().find(|e| e["leader"] == true).unwrap();
        let state = get_json(&format!("{}/master/state", leader["url"].as_str().unwrap()));
        assert_eq!(state["id"], leader["id"], "{list:?}");
    }
}

#[test]
fn agent_proxy_reads_a_task_stdout_and_refuses_other_paths() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    let marker = format!("webui-proxy-{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (agent_id, _keep) = rt.block_on(async {
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let url = reqwest::Url::parse(&master.url()).unwrap();
        let info = json!({"user": "tester", "name": "webui-proxy"});
        let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
        let offers = next_of(&mut ev, &["OFFERS"]).await;
        let offer = &offers["offers"]["offers"][0];
        let task = command_task(
            "printer",
            "printer",
            &offer["agent_id"],
            &format!("echo {marker}; sleep 600"),
            res(0.1, 32.0),
        );
        s.launch_json(&[offer["id"].clone()], vec![task], 0.0)
            .await
            .unwrap();
        let aid = offer["agent_id"]["value"].as_str().unwrap().to_string();
        (aid, (s, ev))
    });
    let base = format!("{}/agent/{agent_id}", master.url());
    // The agent's state through the proxy names the sandbox.
    let dir = wait_for(
        DEADLINE,
        "the task's sandbox in the agent's state via the proxy",
        || {
            let (code, body) = http_get(&format!("{base}/state")).ok_or("unreachable")?;
            let v: Value =
                serde_json::from_str(&body).map_err(|e| format!("{code} {body}: {e}"))?;
            v["frameworks"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|f| f["executors"].as_array().cloned().unwrap_or_default())
                .find(|e| e["id"] == "printer")
                .and_then(|e| e["directory"].as_str().map(str::to_string))
                .ok_or(format!("{code} {body}"))
        },
    );
    let read = format!("{base}/files/read?path={dir}/stdout&offset=0");
    wait_for(
        DEADLINE,
        "the marker in stdout read through the master",
        || {
            let (code, body) = http_get(&read).ok_or("unreachable")?;
            let v: Value =
                serde_json::from_str(&body).map_err(|e| format!("{code} {body}: {e}"))?;
            if code == 200 && v["data"].as_str().unwrap_or("").contains(&marker) {
                Ok(())
            } else {
                Err(format!("{code} {body}"))
            }
        },
    );
    // The sandbox listing too.
    let (code, body) = http_get(&format!("{base}/files/browse?path={dir}")).unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("stdout"), "{body}");
    // Not the agent's other endpoints.
    for other in ["flags", "api/v1", "containers", "files/../flags"] {
        let (code, body) = http_get(&format!("{base}/{other}")).unwrap();
        assert_eq!(code, 403, "{other}: {body}");
        assert!(body.contains("does not forward"), "{other}: {body}");
    }
    let (code, body) = http_get(&format!("{}/agent/no-such-agent/state", master.url())).unwrap();
    assert_eq!(code, 404, "{body}");
    // A dead agent: one line, 502.
    drop(agent);
    wait_for(DEADLINE, "a 502 naming the agent once it is gone", || {
        let (code, body) = http_get(&format!("{base}/state")).ok_or("unreachable")?;
        if code == 502 && body.contains(&agent_id) && !body.contains('\n') {
            Ok(())
        } else {
            Err(format!("{code} {body}"))
        }
    });
}
