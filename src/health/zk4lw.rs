//! ZooKeeper four-letter words (`ruok`, `mntr`) over plain TCP: write the
//! word, read until the server closes the connection.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Answers larger than this are cut (an `mntr` is about 1 KiB).
const MAX_ANSWER: u64 = 64 * 1024;

/// Send `word` to `member` (`host:port`); the answer text, or why not.
pub async fn ask(member: &str, word: &str, timeout: Duration) -> Result<String, String> {
    let exchange = async {
        let mut s = TcpStream::connect(member)
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        s.write_all(word.as_bytes())
            .await
            .map_err(|e| format!("cannot send `{word}`: {e}"))?;
        let mut buf = Vec::new();
        (&mut s)
            .take(MAX_ANSWER)
            .read_to_end(&mut buf)
            .await
            .map_err(|e| format!("`{word}` answer cut: {e}"))?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(r) => r,
        Err(_) => Err(format!(
            "no answer to `{word}` within {}",
            crate::duration::format_duration(timeout)
        )),
    }
}

/// Did the server refuse the word because of `4lw.commands.whitelist`
/// (ZooKeeper 3.5+: "ruok is not executed because it is not in the whitelist.")?
pub fn not_whitelisted(answer: &str) -> bool {
    answer.contains("not in the whitelist") || answer.contains("not executed")
}

/// `mntr` lines (`key<TAB>value`) as pairs.
pub fn parse_mntr(answer: &str) -> Vec<(String, String)> {
    answer
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once('\t')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mntr_lines_split_on_tabs_and_refusals_are_recognised() {
        let m = parse_mntr("zk_version\t3.8.0-1\nzk_server_state\tleader\nnoise\n");
        assert_eq!(m.len(), 2);
        assert_eq!(m[1], ("zk_server_state".into(), "leader".into()));
        assert!(not_whitelisted(
            "mntr is not executed because it is not in the whitelist.\n"
        ));
        assert!(!not_whitelisted("imok"));
    }

    #[test]
    fn ask_reads_the_whole_answer_and_reports_a_silent_member() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = l.local_addr().unwrap().to_string();
            tokio::spawn(async move {
                // A ZooKeeper 3.5+ without the whitelist, then one that never answers.
                let (mut s, _) = l.accept().await.unwrap();
                let mut word = [0u8; 4];
                s.read_exact(&mut word).await.unwrap();
                let w = String::from_utf8_lossy(&word).into_owned();
                let reply = format!("{w} is not executed because it is not in the whitelist.\n");
                s.write_all(reply.as_bytes()).await.unwrap();
                drop(s);
                let (_silent, _) = l.accept().await.unwrap();
                tokio::time::sleep(Duration::from_secs(5)).await;
            });
            let a = ask(&addr, "ruok", Duration::from_secs(5)).await.unwrap();
            assert!(not_whitelisted(&a), "{a}");
            let e = ask(&addr, "mntr", Duration::from_millis(200))
                .await
                .unwrap_err();
            assert!(e.starts_with("no answer to `mntr` within"), "{e}");
        });
    }
}
