//! The README's commands, run as written (with the address of a test server) against the demo
//! data, and its other claims a reader would act on.

use crate::common;

use common::process::Server;
const CTO: &str = "cto@northstar.demo";
use std::process::Command;

/// The `curl` commands of the README's shell blocks, continuation lines joined, each with the
/// `# -> STATUS BODY` line that follows it, if any.
fn curl_examples(readme: &str) -> Vec<(String, Option<(u16, String)>)> {
    let mut out: Vec<(String, Option<(u16, String)>)> = Vec::new();
    let mut in_shell = false;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            in_shell = line == "```sh";
            continue;
        }
        if !in_shell {
            continue;
        }
        if line.starts_with("curl ") {
            let mut command = line.trim_end_matches('\\').to_string();
            let mut continued = line.ends_with('\\');
            // A quoted argument may run over several lines, as the JSON bodies do.
            while continued || command.matches('\'').count() % 2 == 1 {
                let Some(next) = lines.next() else { break };
                command.push(if continued { ' ' } else { '\n' });
                command.push_str(next.trim_end_matches('\\'));
                continued = next.ends_with('\\');
            }
            out.push((command, None));
        } else if let Some(expect) = line.strip_prefix("# -> ") {
            let (status, body) = expect.split_once(' ').unwrap_or((expect, ""));
            if let Some(last) = out.last_mut() {
                last.1 = Some((status.parse().expect("a status after # ->"), body.to_string()));
            }
        }
    }
    out
}

/// The top-level keys of a JSON object as written in the README, where `[...]` may stand for a
/// value that changes from run to run.
fn keys(body: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(&body.replace("[...]", "null")).expect("the README's answer is JSON");
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_api_examples_work_as_written_against_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(dir.path());
    let cto = server.sign_in(CTO).await;
    let res = cto.post(server.url("/api/admin/tokens/create")).header("accept", "application/json").form(&[("name", "readme")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let token = res.json::<serde_json::Value>().await.unwrap()["secret"].as_str().unwrap().to_string();

    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let examples = curl_examples(&readme);
    assert!(examples.len() >= 4, "{examples:?}");
    for (command, expected) in examples {
        assert!(command.contains("http://127.0.0.1:3000/"), "{command}");
        let local = command.replace("http://127.0.0.1:3000", &server.url(""));
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("{local} -s -w '\\n%{{http_code}}'"))
            .env("TOKEN", &token)
            .output()
            .expect("run curl");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
        let status: u16 = status.trim().parse().unwrap_or_else(|_| panic!("no status from {command}: {text}"));
        match expected {
            Some((want, want_body)) => {
                assert_eq!(status, want, "{command}\n{body}");
                if !want_body.is_empty() {
                    match serde_json::from_str::<serde_json::Value>(&want_body) {
                        Ok(exact) => assert_eq!(serde_json::from_str::<serde_json::Value>(body).unwrap(), exact, "{command}"),
                        Err(_) => assert_eq!(keys(body), keys(&want_body), "{command}\n{body}"),
                    }
                }
            }
            None => assert!((200..300).contains(&status), "{command}\n{status} {body}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_says_what_the_server_does() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(!readme.contains("not built yet"), "every area the README names is built");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_demo(dir.path());
    // "another department's KPI answers 403": the operations head opens an engineering KPI.
    let ops = server.sign_in("ops.head@northstar.demo").await;
    let res = ops.get(server.url("/kpis/p95-latency")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(readme.contains("department's KPI answers 403"));
    // "their `/` leads to Reports".
    let investor = server.sign_in("investor@northstar.demo").await;
    let res = investor.get(server.url("/")).send().await.unwrap();
    assert_eq!(res.url().path(), "/reports");
    assert_eq!(res.status(), 200);
}
