//! Groups and deployments over the router.

use serde_json::json;

use super::setup;

#[tokio::test]
async fn group_create_with_relative_ids_conflict_and_non_children() {
    let t = setup().await;
    let body = json!({"id": "/prod", "apps": [
        {"id": "db", "cmd": "sleep 600"},
        {"id": "web", "cmd": "sleep 600", "dependencies": ["db"]}]});
    let r = t.call("POST", "/v2/groups", Some(body.clone())).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.header("marathon-deployment-id").is_some());
    assert!(r.json()["deploymentId"].is_string());
    // Dependencies order the steps: db before web.
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    let steps = &deps[0]["steps"];
    assert_eq!(
        steps[0]["actions"].as_array().unwrap().len(),
        2,
        "both start: {steps}"
    );
    assert_eq!(
        steps[1]["actions"],
        json!([{"action": "ScaleApplication", "app": "/prod/db"}])
    );
    assert_eq!(
        steps[2]["actions"],
        json!([{"action": "ScaleApplication", "app": "/prod/web"}])
    );
    let g = t.call("GET", "/v2/groups/prod", None).await.json();
    assert_eq!(g["id"], json!("/prod"));
    assert_eq!(g["apps"].as_array().unwrap().len(), 2);
    assert_eq!(g["apps"][1]["dependencies"], json!(["/prod/db"]));
    assert_eq!(g["pods"], json!([]));
    let root = t.call("GET", "/v2/groups", None).await.json();
    assert_eq!(root["id"], json!("/"));
    assert_eq!(root["groups"][0]["id"], json!("/prod"));
    // Again: 409.
    let r = t.call("POST", "/v2/groups", Some(body)).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json()["message"],
        json!("Group /prod is already created. Use PUT to change this group.")
    );
    // An app outside the group: 422 with the app's path.
    let r = t
        .call(
            "POST",
            "/v2/groups",
            Some(json!({"id": "/other", "apps": [{"id": "/elsewhere", "cmd": "x"}]})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["details"][0]["path"], json!("/apps(0)/id"));
    // `group/*` of /v2/apps.
    let r = t.call("GET", "/v2/apps/prod/*", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["*"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn group_put_scale_by_removal_version_and_delete() {
    let t = setup().await;
    let r = t
        .call(
            "PUT",
            "/v2/groups/g",
            Some(
                json!({"apps": [{"id": "a", "cmd": "sleep 1", "instances": 2},
                                  {"id": "b", "cmd": "sleep 1"}]}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v1 = r.json()["version"].as_str().unwrap().to_string();
    t.finish_deployments();
    // scaleBy multiplies every app's instances (rounded up).
    let r = t
        .call("PUT", "/v2/groups/g", Some(json!({"scaleBy": 1.5})))
        .await;
    assert_eq!(r.status, 200);
    let apps = t.call("GET", "/v2/apps", None).await.json();
    assert_eq!(apps["apps"][0]["instances"], json!(3));
    assert_eq!(apps["apps"][1]["instances"], json!(2));
    t.finish_deployments();
    // A PUT without b stops it.
    let r = t
        .call(
            "PUT",
            "/v2/groups/g",
            Some(json!({"apps": [{"id": "a", "cmd": "sleep 1", "instances": 3}]})),
        )
        .await;
    assert_eq!(r.status, 200);
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(
        deps[0]["steps"][0]["actions"],
        json!([{"action": "StopApplication", "app": "/g/b"}])
    );
    assert_eq!(t.call("GET", "/v2/apps/g/b", None).await.status, 404);
    // b is locked by its stop: bringing it back needs force.
    let both = json!({"apps": [{"id": "a", "cmd": "sleep 1", "instances": 3},
                               {"id": "b", "cmd": "sleep 1"}]});
    let r = t.call("PUT", "/v2/groups/g", Some(both)).await;
    assert_eq!(r.status, 409);
    t.finish_deployments();
    // Roll the group back to v1: b is back with 1 instance, a has 2.
    let r = t
        .call("PUT", "/v2/groups/g", Some(json!({"version": v1})))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let apps = t.call("GET", "/v2/apps", None).await.json();
    assert_eq!(apps["apps"].as_array().unwrap().len(), 1, "{apps}");
    assert_eq!(apps["apps"][0]["instances"], json!(2));
    t.finish_deployments();
    // dryRun plans without deploying.
    let r = t
        .call(
            "PUT",
            "/v2/groups/g?dryRun=true",
            Some(json!({"apps": [{"id": "c", "cmd": "sleep 1"}]})),
        )
        .await;
    assert_eq!(r.status, 200);
    let steps = r.json()["steps"].clone();
    assert_eq!(steps[0]["actions"][0]["action"], json!("StopApplication"));
    assert!(t.call("GET", "/v2/deployments", None).await.json() == json!([]));
    // Versions of the group.
    let r = t.call("GET", "/v2/groups/g/versions", None).await;
    assert_eq!(r.status, 200);
    assert!(r.json().as_array().unwrap().contains(&json!(v1)));
    // Delete the group and its apps.
    let r = t.call("DELETE", "/v2/groups/g", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        t.call("GET", "/v2/apps", None).await.json(),
        json!({"apps": []})
    );
    assert_eq!(t.call("DELETE", "/v2/groups/g/x", None).await.status, 404);
}

#[tokio::test]
async fn deployment_delete_rolls_back_by_default_and_force_only_cancels() {
    let t = setup().await;
    t.call(
        "POST",
        "/v2/apps",
        Some(json!({"id": "/a", "cmd": "sleep 1"})),
    )
    .await;
    t.finish_deployments();
    let r = t
        .call("PUT", "/v2/apps/a", Some(json!({"cmd": "sleep 2"})))
        .await;
    let dep = r.json()["deploymentId"].as_str().unwrap().to_string();
    // Default: cancel and revert in a new deployment (200, its body).
    let r = t
        .call("DELETE", &format!("/v2/deployments/{dep}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let new = r.json()["deploymentId"].as_str().unwrap().to_string();
    assert_ne!(new, dep);
    assert_eq!(r.header("marathon-deployment-id"), Some(new.as_str()));
    let deps = t.call("GET", "/v2/deployments", None).await.json();
    assert_eq!(deps.as_array().unwrap().len(), 1);
    assert_eq!(deps[0]["id"], json!(new));
    let app = t.call("GET", "/v2/apps/a", None).await.json();
    assert_eq!(app["app"]["cmd"], json!("sleep 1"));
    // force=true: cancel only, 202 without a body; the app stays as is.
    let r = t
        .call("DELETE", &format!("/v2/deployments/{new}?force=true"), None)
        .await;
    assert_eq!(r.status, 202);
    assert!(r.body.is_empty());
    assert_eq!(
        t.call("GET", "/v2/deployments", None).await.json(),
        json!([])
    );
    assert_eq!(
        t.call("GET", "/v2/apps/a", None).await.json()["app"]["cmd"],
        json!("sleep 1")
    );
    // Rolling back a create removes the app.
    let r = t
        .call(
            "POST",
            "/v2/apps",
            Some(json!({"id": "/b", "cmd": "sleep 1"})),
        )
        .await;
    let dep = r.header("marathon-deployment-id").unwrap().to_string();
    let r = t
        .call("DELETE", &format!("/v2/deployments/{dep}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(t.call("GET", "/v2/apps/b", None).await.status, 404);
}
