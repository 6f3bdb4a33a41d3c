//! The layers the README draws, checked against the source: which top-level module may use
//! which. A change that makes the platform reach into an area, an area reach into another's
//! SQL, or two modules need each other fails here with the line that does it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lower layers first; a module may use its own layer's modules only where said below.
const LAYERS: &[&[&str]] = &[
    &["platform"],
    &["access", "ui", "charts"],
    &["auth"],
    &["admin", "tokens", "kpi", "budget", "infra", "report", "alert", "strategy", "radar", "feedback", "pulse", "assurance"],
    // The Overview: a few figures of every area.
    &["cockpit"],
    &["app"],
    &["server"],
];

/// The areas: each may use another only through what it shows, never its SQL, routes, demo
/// data or machinery.
const AREAS: &[&str] = &["admin", "tokens", "kpi", "budget", "infra", "report", "alert", "strategy", "radar", "feedback", "pulse", "assurance"];
const PRIVATE: &[&str] = &["repo", "routes", "demo", "cache", "import", "monitor", "probe", "record"];

/// Test-only modules that may reach anything.
const EXEMPT: &[&str] = &["property_tests", "lib", "main"];

/// One use of another top-level module: `crate::kpi::figures` in src/report/build.rs:12.
#[derive(Debug)]
struct Use {
    from: String,
    to: String,
    door: Option<String>,
    at: String,
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its unit tests, which may use whatever they test against.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

fn uses() -> Vec<Use> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let from = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if EXEMPT.contains(&from.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in without_tests(&text).lines().enumerate() {
            let at = format!("src/{rel}:{}", n + 1);
            for path in crate_paths(line) {
                let mut parts = path.split("::");
                let to = parts.next().unwrap_or_default().to_string();
                if to != from && !to.is_empty() {
                    found.push(Use { from: from.clone(), to, door: parts.next().map(str::to_string), at: at.clone() });
                }
            }
        }
    }
    found
}

/// `crate::a::b` paths in a line, with `crate::{a::b, c}` groups spread out.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                paths.push(ident_path(item.trim()));
            }
        } else {
            paths.push(ident_path(rest));
        }
    }
    paths
}

fn ident_path(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect::<String>().trim_end_matches(':').to_string()
}

fn layer(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap_or_else(|| panic!("src/{module} is in no layer of tests/it/architecture.rs; add it where it belongs"))
}

#[test]
fn every_module_uses_only_lower_layers_and_areas_only_each_others_public_side() {
    let mut wrong = Vec::new();
    for u in uses() {
        let (from, to) = (layer(&u.from), layer(&u.to));
        let areas = AREAS.contains(&u.from.as_str()) && AREAS.contains(&u.to.as_str());
        if to > from || (to == from && !areas) {
            wrong.push(format!("{}: {} uses {} (a layer above or beside it)", u.at, u.from, u.to));
        } else if areas && u.door.as_deref().is_some_and(|d| PRIVATE.contains(&d)) {
            wrong.push(format!("{}: {} reaches into {}::{}", u.at, u.from, u.to, u.door.unwrap()));
        }
    }
    assert!(wrong.is_empty(), "{} uses break the layers:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn no_two_top_level_modules_need_each_other() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for u in uses() {
        graph.entry(u.from).or_default().insert(u.to);
    }
    // A cycle is a module that reaches itself again.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_check_sees_uses_in_every_form() {
    assert_eq!(crate_paths("use crate::kpi::repo::{self, Row};"), ["kpi::repo"]);
    assert_eq!(crate_paths("let x = crate::infra::sla::report(db); // crate::server"), ["infra::sla::report"]);
    assert_eq!(crate_paths("use crate::{auth::User, platform};"), ["auth::User", "platform"]);
    let all = uses();
    assert!(all.iter().any(|u| u.from == "report" && u.to == "kpi"), "the report's use of KPIs must be seen");
    assert!(all.iter().all(|u| u.from != "platform"), "the platform uses no other module");
}
