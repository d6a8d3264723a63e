//! The registry of codes and the docs agree: the table of every code in `docs/language.md` is the
//! registry's own (`codes::markdown_table`), every code the docs name elsewhere exists, and every
//! code of the registry is produced somewhere in the source.
//!
//! After changing the registry, `CLAUSECHECK_UPDATE_DOCS=1 cargo test --test codes` rewrites the
//! table in place; review the diff like a snapshot.

use clausecheck::diagnostic::codes;

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md");
const BEGIN: &str = "<!-- codes:begin -->\n";
const END: &str = "<!-- codes:end -->";

#[test]
fn the_docs_table_of_codes_is_the_registry() {
    let docs = std::fs::read_to_string(DOCS).unwrap();
    let start = docs.find(BEGIN).expect("docs/language.md marks where the table of codes goes") + BEGIN.len();
    let end = start + docs[start..].find(END).expect("and where it ends");
    let table = codes::markdown_table();
    if std::env::var_os("CLAUSECHECK_UPDATE_DOCS").is_some() {
        std::fs::write(DOCS, format!("{}{table}{}", &docs[..start], &docs[end..])).unwrap();
        return;
    }
    assert_eq!(
        docs[start..end],
        table,
        "docs/language.md's table of codes differs from the registry: run `CLAUSECHECK_UPDATE_DOCS=1 cargo test --test codes`"
    );
    // Every row is one code, in registry order.
    let rows: Vec<&str> = docs[start..end].lines().skip(2).collect();
    assert_eq!(rows.len(), codes::ALL.len());
    for (row, code) in rows.iter().zip(codes::ALL) {
        assert!(row.starts_with(&format!("| `{}` |", code.name)), "{row}");
    }
}

#[test]
fn every_code_the_docs_name_in_a_table_exists() {
    let mut texts = vec![("docs/language.md", std::fs::read_to_string(DOCS).unwrap())];
    for file in ["README.md", "docs/ledger.md"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        texts.push((file, std::fs::read_to_string(path).unwrap()));
    }
    let mut named = 0;
    for (file, text) in &texts {
        // Inside a table whose first column is headed `code`.
        let mut in_table = false;
        for line in text.lines() {
            if !line.starts_with('|') {
                in_table = false;
                continue;
            }
            if line.starts_with("| code |") {
                in_table = true;
                continue;
            }
            // The first cell of a row: | `unknown-name` | ...
            let cell = line.strip_prefix("| `").and_then(|r| r.split_once('`')).map(|(c, _)| c);
            if let Some(cell) = cell.filter(|_| in_table) {
                named += 1;
                assert!(
                    codes::find(cell).is_some(),
                    "{file} names the code `{cell}`, which the registry lacks: {line}"
                );
            }
        }
    }
    assert!(named > codes::ALL.len(), "the tables were read ({named} codes named)");
}

/// Every `*.rs` file under `dir`.
fn sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn every_code_of_the_registry_is_produced_somewhere() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let registry = std::fs::read_to_string(root.join("diagnostic/codes.rs")).unwrap();
    for code in codes::ALL {
        // The constant's name, as the registry spells it: `UNKNOWN_NAME = "unknown-name"`.
        let constant = registry
            .lines()
            .find_map(|l| {
                l.trim().strip_suffix(&format!(" = \"{}\", {:?}, {:?},", code.name, code.area, code.severity))
            })
            .unwrap_or_else(|| panic!("`{}` is declared in the registry", code.name));
        let used = files.iter().any(|(path, text)| {
            !path.ends_with("diagnostic/codes.rs")
                && text.match_indices(constant).any(|(i, _)| {
                    let after = text[i + constant.len()..].chars().next();
                    let before = text[..i].chars().next_back();
                    !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                })
        });
        assert!(used, "no finding has the code `{}` ({constant}): remove it or produce it", code.name);
        // Codes are named by their constant, never spelt as a string elsewhere.
        for (path, text) in &files {
            if !path.ends_with("diagnostic/codes.rs") {
                assert!(
                    !text.contains(&format!("code: \"{}\"", code.name)),
                    "{} spells the code `{}` as a string",
                    path.display(),
                    code.name
                );
            }
        }
    }
}
