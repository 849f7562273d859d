//! Tidy checks that keep the project's conventions true (after rust-analyzer's tidy test): every source
//! file opens with a `//!` doc, the pure core imports no browser crate, tests are never ignored, and the
//! README's code map names every source file.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("readable dir").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .expect("inside the crate")
        .to_string_lossy()
        .replace('\\', "/")
}

/// The shell modules: the only ones allowed to touch the browser.
fn is_shell(relative: &str) -> bool {
    relative == "src/main.rs"
        || relative.starts_with("src/net/")
        || relative == "src/storage.rs"
        || relative.starts_with("src/ui/")
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|path| {
            !fs::read_to_string(path)
                .expect("readable")
                .starts_with("//!")
        })
        .map(|path| relative(path))
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! doc: {missing:?}"
    );
}

#[test]
fn the_pure_core_imports_no_browser_crate() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let forbidden = [
        "yew",
        "web_sys",
        "js_sys",
        "wasm_bindgen",
        "gloo",
        "plotters_canvas",
    ];
    let mut offences = Vec::new();
    for path in files {
        let name = relative(&path);
        if is_shell(&name) {
            continue;
        }
        for (number, line) in fs::read_to_string(&path)
            .expect("readable")
            .lines()
            .enumerate()
        {
            let code = line.split("//").next().unwrap_or_default();
            for crate_name in forbidden {
                let used = code.contains(&format!("{crate_name}::"))
                    || code.contains(&format!("use {crate_name}"));
                if used {
                    offences.push(format!("{name}:{}: {crate_name}", number + 1));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "core modules must not use browser crates: {offences:?}"
    );
}

#[test]
fn no_test_is_ignored_or_expected_to_panic() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let this_file = root().join("tests").join("tidy.rs");
    let offences: Vec<String> = files
        .iter()
        .filter(|path| **path != this_file)
        .filter(|path| {
            let text = fs::read_to_string(path).expect("readable");
            text.contains("#[ignore") || text.contains("should_panic")
        })
        .map(|path| relative(path))
        .collect();
    assert!(
        offences.is_empty(),
        "ignored or should_panic tests in {offences:?}"
    );
}

#[test]
fn the_readme_code_map_names_every_source_file() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .map(|path| relative(path))
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "README code map lacks: {missing:?}");
}
