//! The names of the browser bundle's files. A release build (`hash-files` in Cargo.toml) puts
//! each file's content hash in its name and lists the hashes in `hash.txt`; without that file
//! the plain names are served.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// cargo-leptos writes the hashes beside the binary; `scripts/build.sh` copies them into the
/// site folder too, so a deployment that copies the binary and the site folder has them.
/// The path is absolute: Leptos joins it to the binary's folder, and a relative site root
/// (`target/site`) would then point beside the binary instead of the working directory.
pub fn hash_file(site_root: &str) -> Option<PathBuf> {
    let beside = std::env::current_exe().ok().and_then(|exe| Some(exe.parent()?.join("hash.txt")));
    let found = beside.into_iter().chain([Path::new(site_root).join("hash.txt")]).find(|f| f.is_file())?;
    std::fs::canonicalize(found).ok()
}

/// The build's hashes, read once: a running server's bundle does not change under it.
fn hashes(site_root: &str) -> &'static Vec<(String, String)> {
    static HASHES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    HASHES.get_or_init(|| {
        let text = hash_file(site_root).and_then(|f| std::fs::read_to_string(f).ok()).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(file, hash)| (file.trim().to_string(), hash.trim().to_string()))
            .collect()
    })
}

/// Whether the bundle was built with hashed file names (so pages must link to those).
pub fn hashed(site_root: &str) -> bool {
    !hashes(site_root).is_empty()
}

/// The address of the stylesheet for `<link>`: pages and the server's own small pages share it.
pub fn stylesheet(site_root: &str, pkg_dir: &str, output_name: &str) -> String {
    match hashes(site_root).iter().find(|(file, _)| file == "css") {
        Some((_, hash)) => format!("/{pkg_dir}/{output_name}.{hash}.css"),
        None => format!("/{pkg_dir}/{output_name}.css"),
    }
}

/// The browser's entry: the module the page imports, the wasm it instantiates, and the split
/// loader the module imports in turn (absent when the build was not split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub js: String,
    pub wasm: String,
    pub split: Option<String>,
}

/// The addresses of the entry's files. Without hashes they carry cargo-leptos' plain names
/// (the wasm gets `_bg` when the crate was not built by cargo-leptos, as wasm-bindgen names it).
pub fn entry(site_root: &str, pkg_dir: &str, output_name: &str) -> &'static Entry {
    static ENTRY: OnceLock<Entry> = OnceLock::new();
    ENTRY.get_or_init(|| {
        let hash = |file: &str| hashes(site_root).iter().find(|(f, _)| f == file).map(|(_, h)| h.clone());
        let named = |file: &str, plain: String, ext: &str| match hash(file) {
            Some(h) => format!("/{pkg_dir}/{output_name}.{h}.{ext}"),
            None => format!("/{pkg_dir}/{plain}.{ext}"),
        };
        let wasm_plain = match option_env!("LEPTOS_OUTPUT_NAME") {
            Some(_) => output_name.to_string(),
            None => format!("{output_name}_bg"),
        };
        let split = format!("/{pkg_dir}/__wasm_split.{}.js", hash("split").unwrap_or_else(|| "_".repeat(22)));
        Entry {
            js: named("js", output_name.to_string(), "js"),
            wasm: named("wasm", wasm_plain, "wasm"),
            split: split_manifest(site_root, pkg_dir).is_some().then_some(split),
        }
    })
}

/// What the split tool wrote: for each lazily loaded module (`kpis_<hash>`), the wasm files it
/// needs, its own last. `None` for a build that was not split.
fn split_manifest(site_root: &str, pkg_dir: &str) -> &'static Option<HashMap<String, Vec<String>>> {
    static MANIFEST: OnceLock<Option<HashMap<String, Vec<String>>>> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let name = match hashes(site_root).iter().find(|(f, _)| f == "manifest") {
            Some((_, h)) => format!("__wasm_split_manifest.{h}.json"),
            None => "__wasm_split_manifest.json".to_string(),
        };
        let text = std::fs::read_to_string(Path::new(site_root).join(pkg_dir).join(name)).ok()?;
        match serde_json::from_str(&text) {
            Ok(manifest) => Some(manifest),
            Err(e) => {
                tracing::warn!(error = %e, "the wasm split manifest is unreadable: areas load without preloading");
                None
            }
        }
    })
}

/// The addresses of the wasm files an area's islands load (see `ui::area_islands!`), so a page
/// can name them in its `<head>` and the browser fetches them beside the entry rather than after
/// it. The split tool names an area's module `<area>_<hash of where lazy stands>`.
pub fn area_files(site_root: &str, pkg_dir: &str, area: &str) -> Vec<String> {
    let Some(manifest) = split_manifest(site_root, pkg_dir) else { return Vec::new() };
    files_of(manifest, area).map(|f| format!("/{pkg_dir}/{f}.wasm")).collect()
}

fn files_of<'a>(manifest: &'a HashMap<String, Vec<String>>, area: &'a str) -> impl Iterator<Item = &'a String> {
    manifest
        .iter()
        .filter(move |(module, _)| module.rsplit_once('_').is_some_and(|(name, hash)| name == area && hash.chars().all(|c| c.is_ascii_digit())))
        .flat_map(|(_, files)| files)
}

/// Whether a bundle file's name carries a content hash: cargo-leptos names them
/// `northstar.<hash>.wasm`, and the split chunks `<name>.<hash>.wasm`. `northstar.wasm`, or
/// a split loader named with underscores only, is not, so a rebuild is never hidden behind a
/// browser's year-long copy.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.').rev();
    let (Some(_ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() >= 10
        && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && hash.chars().any(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::{files_of, hash_file, is_hashed};

    #[test]
    fn a_hash_file_in_a_relative_site_root_is_found_by_its_absolute_path() {
        let dir = tempfile::tempdir_in(".").unwrap();
        std::fs::write(dir.path().join("hash.txt"), "css: abcdefghij0123\n").unwrap();
        let relative = dir.path().file_name().unwrap().to_str().unwrap().to_string();
        let found = hash_file(&relative).expect("found in the site root");
        assert!(found.is_absolute(), "{found:?}");
        assert_eq!(std::fs::read_to_string(found).unwrap(), "css: abcdefghij0123\n");
        assert_eq!(hash_file("no-such-site-root"), None);
    }

    #[test]
    fn only_names_with_a_hash_are_immutable() {
        assert!(is_hashed("/pkg/northstar.Xy3kP0q9LmN2aB.wasm"));
        assert!(is_hashed("/pkg/northstar.0123456789abcdef.js"));
        assert!(is_hashed("/pkg/__wasm_split.ab12cd34ef56gh.js"));
        assert!(!is_hashed("/pkg/__wasm_split.______________________.js"));
        assert!(!is_hashed("/pkg/northstar.wasm"));
        assert!(!is_hashed("/pkg/northstar.css"));
        assert!(!is_hashed("/pkg/northstar_bg.wasm"));
        assert!(!is_hashed("/pkg/a.short.js"));
    }

    #[test]
    fn an_area_needs_its_own_module_and_the_chunks_it_shares() {
        let manifest = serde_json::from_str(
            r#"{"kpis_118326":["chunk_8.aa","split_kpis_118326.bb"],"kpis_editor_118326":["chunk_9.cc"],"budgets_118326":["chunk_8.aa","split_budgets_118326.dd"]}"#,
        )
        .unwrap();
        let mut kpis: Vec<_> = files_of(&manifest, "kpis").cloned().collect();
        kpis.sort();
        assert_eq!(kpis, ["chunk_8.aa", "split_kpis_118326.bb"]);
        assert_eq!(files_of(&manifest, "kpis_editor").count(), 1);
        assert_eq!(files_of(&manifest, "admin").count(), 0);
    }
}
