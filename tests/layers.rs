//! The crate's layers, each a folder, each using only those below it:
//!
//! 0. `attribute/` (values) and `error/` (the error types);
//! 1. `expression/`;
//! 2. `model/` (the `Model` trait, documents, keys, and the model's own
//!    policies: auto-increment keys, versions, migrations);
//! 3. `engine/`;
//! 4. `operation/` (with `Connection` and its methods);
//! 5. the concepts on top: `streams/`, `transactions/`, `backfill/`.
//!
//! This test reads `src/` and fails on any `crate::` path in a file that
//! names a higher layer. Paths to root re-exports count as the layer the item
//! lives in.

use std::path::Path;

const LAYERS: [&str; 5] = ["attribute", "expression", "model", "engine", "operation"];

/// The concept modules, one layer above the operations.
const CONCEPTS: [&str; 3] = ["streams", "transactions", "backfill"];

/// The layer of a file, from its path under `src/`; `None` for `lib.rs`.
fn layer_of_file(relative: &str) -> Option<usize> {
    if relative == "error.rs" || relative.starts_with("error/") {
        return Some(0);
    }
    let top = relative.split('/').next()?;
    let top = top.strip_suffix(".rs").unwrap_or(top);
    if CONCEPTS.contains(&top) {
        return Some(LAYERS.len());
    }
    LAYERS.iter().position(|layer| *layer == top)
}

/// A layer's name, for messages.
fn layer_name(layer: usize) -> &'static str {
    LAYERS.get(layer).copied().unwrap_or("the concepts")
}

/// The layer a `crate::NAME` path reaches.
fn layer_of_path(name: &str) -> Result<usize, String> {
    if let Some(layer) = LAYERS.iter().position(|layer| *layer == name) {
        return Ok(layer);
    }
    if CONCEPTS.contains(&name) {
        return Ok(LAYERS.len());
    }
    Ok(match name {
        "error" | "Attribute" | "AttributeValue" | "Item" | "KeyAttribute" | "Decimal"
        | "Bytes" | "Json" | "JsonValue" | "Error" | "Result" => 0,
        "Condition" | "KeyCondition" => 1,
        "Model" | "Document" => 2,
        "Connection" => 4,
        "__private" => 0,
        other => return Err(format!("crate::{other}: add it to tests/layers.rs")),
    })
}

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The first segment of each path after `crate::`: one name, or each
/// top-level name of a `{a, b::{c, d}}` group, which may span lines.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut names = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(ident(&group[start..at]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(ident(&group[start..at]));
                start = at + 1;
            }
            _ => {}
        }
    }
    names.retain(|name| !name.is_empty());
    names
}

#[test]
fn every_import_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let Some(layer) = layer_of_file(&relative) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable");
        // Comment lines blanked (kept as lines, for line numbers).
        let code: String = text
            .lines()
            .map(|line| {
                if line.trim_start().starts_with("//") {
                    ""
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        for (at, _) in code.match_indices("crate::") {
            // `dynamodb_mapper::` paths in generated or doc code are not `crate::`.
            if code[..at].ends_with("dynamodb_mapper::")
                || code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let number = code[..at].matches('\n').count() + 1;
            for name in first_segments(&code[at + 7..]) {
                match layer_of_path(&name) {
                    Ok(target) if target <= layer => {}
                    Ok(target) => upward.push(format!(
                        "src/{relative}:{number}: {} uses crate::{name} ({})",
                        layer_name(layer),
                        layer_name(target)
                    )),
                    Err(unknown) => upward.push(format!("src/{relative}:{number}: {unknown}")),
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn groups_spanning_lines_are_read() {
    assert_eq!(
        first_segments("{\n    a::b,\n    c::{d, e},\n    f,\n};"),
        ["a", "c", "f"]
    );
    assert_eq!(first_segments("model::Model;"), ["model"]);
}

/// The paths a file imports with `use crate::...;`: one per imported name,
/// `a::b::C` for `use crate::a::b::{C, D};` (one level of braces).
fn imported_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in code.split("use crate::").skip(1) {
        let Some(end) = statement.find(';') else {
            continue;
        };
        let statement: String = statement[..end].split_whitespace().collect();
        match statement.split_once("::{") {
            Some((prefix, group)) => {
                for name in group.trim_end_matches('}').split(',') {
                    if !name.is_empty() {
                        paths.push(format!("{prefix}::{name}"));
                    }
                }
            }
            None => paths.push(statement),
        }
    }
    paths
}

/// A backfill is written as an application would write it: every item its
/// files import is in the public API (`public-api.txt`), so that what it
/// does, users can do.
#[test]
fn backfill_uses_only_the_public_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listing = std::fs::read_to_string(root.join("public-api.txt")).expect("public-api.txt");
    let public = |path: &str| {
        let full = format!("dynamodb_mapper::{path} (");
        let module = format!("dynamodb_mapper::{path} (mod)");
        listing
            .lines()
            .any(|line| line.starts_with(&full) || line == module)
    };
    let mut files = Vec::new();
    rust_files(&root.join("src/backfill"), &mut files);
    let mut private = Vec::new();
    for file in files {
        let code = std::fs::read_to_string(&file).expect("readable");
        for path in imported_paths(&code) {
            // Its own module's items are its own.
            if !path.starts_with("backfill::") && !public(&path) {
                private.push(format!("{}: crate::{path}", file.display()));
            }
        }
    }
    assert!(
        private.is_empty(),
        "the backfill imports what is not public:\n{}",
        private.join("\n")
    );
}
