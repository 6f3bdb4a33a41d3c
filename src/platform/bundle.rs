//! The names of the browser bundle's files. A release build (`hash-files` in Cargo.toml) puts
//! each file's content hash in its name and lists the hashes in `hash.txt`; without that file
//! the plain names are served.

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
    use super::{hash_file, is_hashed};

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
}
