//! Every case of `tests/fixtures/malformed/` through the real binary: it finishes, it does not
//! panic, its exit status is 0, 1 or 2, and what it says is snapshot-tested. How each case is
//! run is in that folder's README.md.

mod common;
use common::bin::{relative, transcript};

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longer than any case takes in a debug build, short enough that a hang fails the test.
const DEADLINE: Duration = Duration::from_secs(60);

/// The arguments a case is run with, and the empty folder `{tmp}` stands for.
fn command_line(path: &Path, tmp: &str) -> Vec<String> {
    let case = relative(path);
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // A case in a folder named for a reader goes to that reader.
    let folder = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str());
    let worked = "examples/worked-examples.yaml";
    match folder {
        Some("waivers") => {
            return words(&["check", "--color", "never", "--today", "2026-06-01", "--waivers", &case, worked])
        }
        Some("baseline") => return words(&["check", "--color", "never", "--baseline", &case, worked]),
        Some("ledger") => return words(&["ledger", "--color", "never", "--today", "2032-01-15", &case]),
        Some("events") => {
            let (rules, plan) = ("examples/amendment", "examples/amendment/plan.yaml");
            return words(&["check", "--color", "never", "--rules", rules, "--events", &case, plan]);
        }
        Some("cases") => return words(&["test", "--color", "never", &case]),
        _ => {}
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("terms") => words(&["check", "--color", "never", "--rules", &case, "examples/allowed.json"]),
        Some("args") => std::fs::read_to_string(path)
            .expect("an .args case is text")
            .lines()
            .map(|l| l.replace("{tmp}", tmp))
            .collect(),
        _ => words(&["check", "--color", "never", &case]),
    }
}

/// Runs the binary like `common::bin::clausecheck`, but gives up at the deadline.
fn run(args: &[String], scratch: &Path) -> Output {
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLAUSECHECK_RULES")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("{args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: std::fs::read(&out_path).unwrap(), stderr: std::fs::read(&err_path).unwrap() }
}

#[test]
fn malformed_input() {
    insta::glob!("fixtures/malformed", "**/*.{terms,yaml,json,ndjson,csv,args}", |path| {
        let scratch = tempfile::tempdir().unwrap();
        let tmp = scratch.path().join("empty");
        std::fs::create_dir(&tmp).unwrap();
        let tmp = tmp.to_string_lossy().into_owned();
        let args = command_line(path, &tmp);
        let out = run(&args, scratch.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?} exited {code:?}: {stderr}");
        let shown = format!("$ clausecheck {}\n{}", args.join(" "), transcript(&out)).replace(&tmp, "{tmp}");
        insta::assert_snapshot!(shown);
    });
}
