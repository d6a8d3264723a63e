//! The README can never drift from the binary: every ```sh block in it is run here, top to bottom,
//! against the built `clausecheck` in a scratch copy of the repository's rules and examples, and
//! each ```text block that follows a run block must be made of lines the block printed.
//!
//! Blocks are marked by their info string:
//! - ```sh       run here, one shell session per block, each starting in the scratch copy (as a
//!   reader at the top of a clone); a command line ending in `# exit N` must exit N, every other
//!   line must exit 0;
//! - ```sh ci    build and install commands (`cargo install`, `cargo test`): each line must appear
//!   in `.ci/run`, which runs it;
//! - ```sh bench the benchmark commands of "Speed": not run by any test (they take minutes); the
//!   scripts they name must exist.
//!
//!
//! A line ending in `\` goes on on the next, as in the shell: the lines joined are one command.
//! Any other ```sh... info string fails the test, so a new block cannot escape being run.

use std::path::{Path, PathBuf};
use std::process::Command;

const README: &str = include_str!("../README.md");

#[derive(Debug)]
struct Block {
    kind: String,
    /// 1-based line of the opening fence.
    line: usize,
    body: String,
}

/// Every fenced block of the README, with its info string.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        if let Some(info) = line.strip_prefix("```") {
            match open.take() {
                Some(block) => out.push(block),
                None => open = Some(Block { kind: info.trim().to_owned(), line: i + 1, body: String::new() }),
            }
        } else if let Some(block) = &mut open {
            block.body.push_str(line);
            block.body.push('\n');
        }
    }
    out
}

/// `cmd  # exit 1` → (`cmd`, 1); a plain line expects 0.
fn expected_exit(line: &str) -> (&str, i32) {
    if let Some((cmd, n)) = line.rsplit_once("# exit ") {
        if let Ok(n) = n.trim().parse() {
            return (cmd.trim_end(), n);
        }
    }
    (line, 0)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A block's commands: its lines, those ending in `\` joined to the next, blank lines and
/// comment lines left out.
fn commands(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for line in body.lines() {
        let mut cmd = open.take().unwrap_or_default();
        match line.strip_suffix('\\') {
            Some(head) => {
                cmd.push_str(head);
                open = Some(cmd);
            }
            None => {
                cmd.push_str(line);
                out.push(cmd);
            }
        }
    }
    out.extend(open);
    out.retain(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    out
}

/// The script a run block becomes: each command checked for its exit status.
fn script(block: &Block, start: &Path) -> String {
    let mut s = format!("cd '{}' || exit 98\n", start.display());
    for line in commands(&block.body) {
        let (cmd, want) = expected_exit(&line);
        let quoted = cmd.replace('\'', "'\\''");
        s.push_str(&format!(
            "{cmd}\nstatus=$?\nif [ $status -ne {want} ]; then echo 'README line: {quoted}' >&2; \
             echo \"expected exit {want}, got $status\" >&2; exit 99; fi\n"
        ));
    }
    s
}

#[test]
fn a_line_ending_in_a_backslash_goes_on_on_the_next() {
    assert_eq!(commands("# a comment\na \\\n  b  # exit 1\n\nc\n"), ["a   b  # exit 1", "c"],);
    assert_eq!(expected_exit("a   b  # exit 1"), ("a   b", 1));
}

#[test]
fn issue_12_every_sh_block_of_the_readme_runs_as_written() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_clausecheck"));
    let bin_dir = bin.parent().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let work = scratch.path().join("clausecheck");
    for dir in ["rules", "examples"] {
        copy_dir(&root.join(dir), &work.join(dir));
    }
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();

    let all = blocks(README);
    let mut ran = 0;
    for (i, block) in all.iter().enumerate() {
        match block.kind.as_str() {
            "sh" => {}
            "sh ci" => {
                for line in block.body.lines().filter(|l| !l.trim().is_empty()) {
                    assert!(
                        ci.lines().any(|c| c.contains(line.trim())),
                        "README.md:{}: `{line}` is not run by .ci/run",
                        block.line
                    );
                }
                continue;
            }
            "sh bench" => {
                for script in block.body.split_whitespace().filter(|w| w.starts_with("scripts/")) {
                    assert!(root.join(script).is_file(), "README.md:{}: no `{script}`", block.line);
                }
                continue;
            }
            kind if kind.starts_with("sh") || kind == "bash" || kind == "console" => {
                panic!(
                    "README.md:{}: a ```{kind} block is neither run nor marked `sh ci`/`sh bench`",
                    block.line
                )
            }
            _ => continue,
        }
        ran += 1;
        let out = Command::new("sh")
            .arg("-c")
            .arg(script(block, &work))
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("CLAUSECHECK_RULES")
            .output()
            .unwrap();
        let printed =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            out.status.success(),
            "README.md:{}: the block failed\n--- block\n{}--- output\n{printed}",
            block.line,
            block.body
        );

        // A text block right after a run block (a line of prose between them at most) shows what
        // it prints: each line of it (`...` stands for lines left out) is a line of the output,
        // in order.
        let closing = block.line + block.body.lines().count() + 1;
        if let Some(shown) = all.get(i + 1).filter(|b| b.kind == "text" && b.line <= closing + 4) {
            let mut rest = printed.lines().map(str::trim_end);
            for want in shown.body.lines().map(str::trim_end).filter(|l| l.trim() != "...") {
                assert!(
                    rest.any(|got| got == want),
                    "README.md:{}: the output of the block at line {} has no line `{want}` (in this \
                     order)\n--- output\n{printed}",
                    shown.line,
                    block.line
                );
            }
        }
    }
    assert!(ran >= 5, "only {ran} runnable blocks found in the README");
}
