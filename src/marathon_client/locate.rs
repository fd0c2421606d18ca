//! Which Marathon `mesos app` / `mesos deployment` talk to, in order:
//! `--marathon URL` (or `MESOS_MARATHON`), the profile's `marathon` key,
//! else the leading master: on DC/OS (a master URL ending in `/mesos`)
//! `<DC/OS URL>/service/marathon`, otherwise the `webui_url` of the active
//! framework named `marathon` (real Marathon and `mesos marathon` both set
//! it to their own base URL). `-v` says which one was used.

use reqwest::Url;

use super::Marathon;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::leader::Leader;
use crate::wire::{Framework, FrameworksResponse};

/// The name real Marathon (and `mesos marathon`) registers under.
pub const FRAMEWORK_NAME: &str = "marathon";

/// Parse a Marathon URL: `http(s)://host[:port][/prefix]`, or `host:port`
/// (then http). The error says what is wrong, for flag and profile messages.
pub fn parse_marathon_url(s: &str) -> Result<Url, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty URL".into());
    }
    let text = if s.contains("://") {
        s.to_string()
    } else {
        format!("http://{s}")
    };
    let url = Url::parse(&text).map_err(|e| format!("not a URL ({e})"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!(
            "scheme must be http or https, not '{}'",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("a base URL has no query or fragment".into());
    }
    Ok(url)
}

/// The DC/OS Marathon of a master base URL behind Admin Router
/// (`https://dcos.example/mesos` -> `https://dcos.example/service/marathon`).
pub fn dcos_marathon(master: &Url) -> Option<Url> {
    let prefix = master.path().trim_end_matches('/');
    let root = prefix.strip_suffix("/mesos")?;
    let mut u = master.clone();
    u.set_path(&format!("{root}/service/marathon"));
    u.set_query(None);
    Some(u)
}

/// The `webui_url` of the framework named `marathon`: connected and active
/// ones first. `Err` says what was found instead.
pub fn marathon_from_frameworks(frameworks: &[Framework]) -> Result<(Url, String), String> {
    let mut named: Vec<&Framework> = frameworks
        .iter()
        .filter(|f| f.name == FRAMEWORK_NAME)
        .collect();
    if named.is_empty() {
        return Err(format!(
            "no framework named '{FRAMEWORK_NAME}' is registered"
        ));
    }
    named.sort_by_key(|f| (!f.active, f.connected == Some(false)));
    let with_url: Vec<&&Framework> = named
        .iter()
        .filter(|f| !f.webui_url.trim().is_empty())
        .collect();
    let Some(f) = with_url.first() else {
        return Err(format!(
            "framework '{FRAMEWORK_NAME}' ({}) has no webui_url",
            named[0].id
        ));
    };
    let url = parse_marathon_url(&f.webui_url).map_err(|e| {
        format!(
            "framework '{FRAMEWORK_NAME}' ({}) has an unusable webui_url '{}': {e}",
            f.id, f.webui_url
        )
    })?;
    Ok((url, f.id.clone()))
}

/// Find the Marathon to use. `flag` is `--marathon` / `MESOS_MARATHON`.
pub async fn locate(ctx: &Context, flag: Option<&str>) -> Result<Marathon> {
    let http = ctx.http()?;
    let say = |base: &Url, source: &str| {
        if ctx.verbose > 0 {
            crate::output::status(format!(
                "using Marathon at {} ({source})",
                base.as_str().trim_end_matches('/')
            ));
        }
    };
    if let Some(f) = flag {
        let base = parse_marathon_url(f)
            .map_err(|e| Error::usage(format!("invalid --marathon / MESOS_MARATHON '{f}': {e}")))?;
        let source = "--marathon / MESOS_MARATHON";
        say(&base, source);
        return Ok(Marathon::new(http, base, source));
    }
    let pname = ctx.profile_name.as_deref().unwrap_or("?").to_string();
    if let Some(p) = &ctx.profile.marathon {
        let base = parse_marathon_url(p)
            .map_err(|e| Error::usage(format!("profile '{pname}': invalid marathon '{p}': {e}")))?;
        let source = format!("profile '{pname}'");
        say(&base, &source);
        return Ok(Marathon::new(http, base, source));
    }
    let tried = if ctx.profile_name.is_some() {
        format!("no --marathon, MESOS_MARATHON or `marathon` in profile '{pname}'")
    } else {
        "no --marathon, MESOS_MARATHON or profile `marathon`".to_string()
    };
    let leader = ctx.leader(&http).await.map_err(|e| {
        Error::failed(format!(
            "cannot find Marathon: {tried}, and the master could not be asked: {}",
            e.message
        ))
        .with_hint("pass --marathon URL, or `mesos config set marathon URL`")
    })?;
    if let Some(base) = dcos_marathon(&leader.url) {
        let source = format!("DC/OS at {}", leader.url.as_str().trim_end_matches('/'));
        say(&base, &source);
        return Ok(Marathon::new(http, base, source));
    }
    let frameworks = frameworks(&http, &leader).await.map_err(|e| {
        Error::failed(format!(
            "cannot find Marathon: {tried}, and the frameworks of the master at {} could not be read: {}",
            leader.leader, e.message
        ))
    })?;
    match marathon_from_frameworks(&frameworks) {
        Ok((base, id)) => {
            let source = format!(
                "webui_url of framework '{FRAMEWORK_NAME}' {id} on the master at {}",
                leader.leader
            );
            say(&base, &source);
            Ok(Marathon::new(http, base, source))
        }
        Err(why) => Err(Error::failed(format!(
            "cannot find Marathon: {tried}, and on the master at {}: {why}",
            leader.leader
        ))
        .with_hint(
            "start one (`mesos cluster up` does), pass --marathon URL, or `mesos config set marathon URL`",
        )),
    }
}

/// Registered frameworks: `/master/frameworks`, else `/master/state`.
async fn frameworks(http: &crate::http::HttpClient, leader: &Leader) -> Result<Vec<Framework>> {
    let url = leader.endpoint("/master/frameworks");
    match crate::tasks::get_optional::<FrameworksResponse>(http, &url).await? {
        Some(r) => Ok(r.frameworks),
        None => Ok(crate::tasks::master_state(http, leader).await?.frameworks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw(name: &str, id: &str, url: &str, active: bool) -> Framework {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "webui_url": url, "active": active
        }))
        .unwrap()
    }

    #[test]
    fn urls() {
        assert_eq!(
            parse_marathon_url("h:8080").unwrap().as_str(),
            "http://h:8080/"
        );
        assert!(parse_marathon_url("ftp://h").is_err());
        assert!(parse_marathon_url("").is_err());
        assert!(parse_marathon_url("http://h:8080/?x=1").is_err());
        let d = Url::parse("https://dcos.example.com/mesos").unwrap();
        assert_eq!(
            dcos_marathon(&d).unwrap().as_str(),
            "https://dcos.example.com/service/marathon"
        );
        assert!(dcos_marathon(&Url::parse("http://10.0.0.1:5050").unwrap()).is_none());
    }

    #[test]
    fn the_active_marathon_framework_wins() {
        let fws = vec![
            fw("chronos", "c", "http://c:4400", true),
            fw("marathon", "old", "http://old:8080", false),
            fw("marathon", "new", "http://new:8080", true),
        ];
        let (u, id) = marathon_from_frameworks(&fws).unwrap();
        assert_eq!((u.as_str(), id.as_str()), ("http://new:8080/", "new"));
        assert!(marathon_from_frameworks(&fws[..1])
            .unwrap_err()
            .contains("no framework named 'marathon'"));
        assert!(marathon_from_frameworks(&[fw("marathon", "m", "", true)])
            .unwrap_err()
            .contains("has no webui_url"));
    }
}
