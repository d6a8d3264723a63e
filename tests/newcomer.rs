//! Issue 12, "a newcomer's first ten minutes": `clausecheck init`, and one regression test for
//! each papercut the issue lists, named after it.

mod common;
use common::bin::{clausecheck, code, stdout, transcript};

use std::path::Path;
use std::process::{Command, Output};

/// The binary in `dir`, with no rules from the environment and no colour.
fn clausecheck_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLAUSECHECK_RULES")
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// ---- init

#[test]
fn issue_12_init_demo_then_check_the_plan_exits_0() {
    // Exactly what the README and the issue say: `clausecheck init demo && cd demo && clausecheck
    // check plan.yaml`. The example plan is all allowed: exit 0.
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_clausecheck");
    let bin_dir = Path::new(bin).parent().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("clausecheck init demo && cd demo && clausecheck check plan.yaml")
        .current_dir(dir.path())
        .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
        .env("NO_COLOR", "1")
        .env_remove("CLAUSECHECK_RULES")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.contains("summary: 4 deployments: 4 allowed, 0 violated, 0 errors"), "{text}");
    assert_eq!(
        files_under(&dir.path().join("demo")),
        ["plan.yaml", "rules/acme_globex.terms", "rules/tests/cases.yaml", "rules/vocabulary.terms"]
    );
}

#[test]
fn issue_12_the_scaffold_passes_test_fmt_check_and_lint() {
    let dir = tempfile::tempdir().unwrap();
    let out = clausecheck_in(dir.path(), &["init"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));

    let test = clausecheck_in(dir.path(), &["test", "--color", "never"]);
    assert_eq!(code(&test), 0, "{}", transcript(&test));
    assert!(stdout(&test).contains("6 passed, 0 failed"), "{}", transcript(&test));

    let fmt = clausecheck_in(dir.path(), &["fmt", "--check"]);
    assert_eq!(code(&fmt), 0, "the templates are in the canonical layout\n{}", transcript(&fmt));

    // Lint may report findings (exit 1) but the rules must not be broken (exit 2).
    let lint = clausecheck_in(dir.path(), &["lint", "--color", "never"]);
    assert_ne!(code(&lint), 2, "{}", transcript(&lint));
}

#[test]
fn issue_12_the_scaffold_has_each_kind_of_clause_and_extend() {
    let agreement = include_str!("../templates/init/rules/acme_globex.terms");
    let agreement = agreement.split_whitespace().collect::<Vec<_>>().join(" ");
    let vocabulary = include_str!("../templates/init/rules/vocabulary.terms");
    for kind in [
        "permit when",
        "forbid when",
        "exception to",
        "require launched(",
        "until regulator_approval",
        " pays ",
        "oblige acme to",
        "information \"",
        "extend product",
    ] {
        assert!(agreement.contains(kind), "the example agreement shows `{kind}`");
    }
    for kind in ["class ", "flag ", "optional ", "event "] {
        assert!(vocabulary.contains(kind), "the vocabulary shows `{kind}`");
    }
}

#[test]
fn issue_12_init_with_ci_writes_a_workflow_that_runs_check() {
    for (ci, file) in [("github", ".github/workflows/clausecheck.yml"), ("gitlab", ".gitlab-ci.yml")] {
        let dir = tempfile::tempdir().unwrap();
        let out = clausecheck_in(dir.path(), &["init", "--ci", ci, "x"]);
        assert_eq!(code(&out), 0, "{}", transcript(&out));
        let workflow = std::fs::read_to_string(dir.path().join("x").join(file)).unwrap();
        for step in
            ["cargo install --locked", "clausecheck fmt --check", "clausecheck test", "clausecheck check"]
        {
            assert!(workflow.contains(step), "{ci}: `{step}` in\n{workflow}");
        }
        // Only formats that exist today.
        assert!(workflow.contains("--format json"), "{workflow}");
        for missing in ["--format sarif", "--format junit", "--format github"] {
            assert!(!workflow.contains(missing), "{ci}: {missing}");
        }
    }
}

#[test]
fn issue_12_init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.yaml"), "mine\n").unwrap();
    let out = clausecheck_in(dir.path(), &["init", "--ci", "gitlab"]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    assert!(stderr(&out).contains("not overwriting `./plan.yaml`"), "{}", transcript(&out));
    assert!(stderr(&out).contains("nothing was written"), "{}", transcript(&out));
    assert_eq!(files_under(dir.path()), ["plan.yaml"], "nothing else written");
    assert_eq!(std::fs::read_to_string(dir.path().join("plan.yaml")).unwrap(), "mine\n");
}

// ---- the papercuts

#[test]
fn issue_12_fmt_without_rules_does_not_advise_a_rules_flag_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let out = clausecheck_in(dir.path(), &["fmt"]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    let err = stderr(&out);
    assert!(!err.contains("--rules"), "fmt has no --rules: {err}");
    assert!(err.contains("clausecheck fmt PATH"), "{err}");
    // The commands that do have --rules still advise it.
    let check = clausecheck_in(dir.path(), &["check", "plan.yaml"]);
    assert!(stderr(&check).contains("--rules PATH"), "{}", transcript(&check));
}

#[test]
fn issue_12_the_man_page_refers_to_no_page_that_is_not_generated() {
    let out = clausecheck(&["man"]);
    assert_eq!(code(&out), 0);
    let page = stdout(&out);
    // `clausecheck man` writes one page; a reference to `clausecheck-check(1)` or any other
    // page name with a section number leads nowhere.
    let refs: Vec<&str> =
        page.split_whitespace().filter(|w| w.contains("clausecheck-") && w.contains("(1)")).collect();
    assert!(refs.is_empty(), "references to pages that are not generated: {refs:?}");
    assert!(page.contains("See CLAUSECHECK CHECK below."), "each subcommand points at its section");
}

#[test]
fn issue_12_the_docs_cite_only_files_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "ARCHITECTURE.md", "docs/language.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        // Every `NAME.md` a document names is a file of the repository.
        for word in text.split(|c: char| !(c.is_alphanumeric() || "._/-".contains(c))) {
            // A citation is a path (`docs/ledger.md`) or a capitalised name (`AGREEMENT.md`);
            // a lowercase bare name is an output file in an example (`--output report.md`).
            let cited = word.contains('/') || word.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if word.ends_with(".md") && word.len() > 3 && cited {
                let found = root.join(word).is_file() || root.join("docs").join(word).is_file();
                assert!(found, "{doc} cites `{word}`, which is not in the repository");
            }
        }
    }
}

#[test]
fn issue_12_explain_bad_flag_value_is_worded_for_the_command_line() {
    let out = clausecheck(&[
        "explain",
        "party=openai",
        "product=api",
        "cloud=aws",
        "date=2026-06-01",
        "azure_declined=",
    ]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    let err = stderr(&out);
    assert!(!err.contains("cell"), "not CSV's words: {err}");
    assert!(err.contains("`azure_declined=true`"), "{err}");
    let out = clausecheck(&[
        "explain",
        "party=openai",
        "product=api",
        "cloud=aws",
        "date=2026-06-01",
        "azure_declined=yes",
    ]);
    assert!(
        !stderr(&out).contains("cell") && stderr(&out).contains("`azure_declined=true`"),
        "{}",
        transcript(&out)
    );
}

#[test]
fn issue_12_explain_a_bare_flag_gets_the_flag_true_hint() {
    let out = clausecheck(&[
        "explain",
        "party=openai",
        "product=api",
        "cloud=aws",
        "date=2026-06-01",
        "azure_declined",
    ]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    assert!(stderr(&out).contains("write `azure_declined=true`"), "{}", transcript(&out));
    let out = clausecheck(&["explain", "party=openai", "product=api", "cloud", "date=2026-06-01"]);
    assert!(stderr(&out).contains("like `cloud="), "{}", transcript(&out));
}

#[test]
fn issue_12_explain_marks_an_assumed_ends_as_assumed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deal.terms"),
        "vocabulary {\n  party    alpha\n  product  app\n  cloud    aws\n}\n\n\
         agreement deal \"Deal\" {\n  effective 2026-01-01\n  ends      2027-12-31 assumed \"the term is reported\"\n  \
         default   allow\n}\n",
    )
    .unwrap();
    let rules = dir.path().join("deal.terms");
    let rules = rules.to_str().unwrap();
    let during = clausecheck(&[
        "explain",
        "--rules",
        rules,
        "party=alpha",
        "product=app",
        "cloud=aws",
        "date=2026-06-01",
    ]);
    assert_eq!(code(&during), 0, "{}", transcript(&during));
    assert!(stdout(&during).contains("ends 2027-12-31 (assumed)"), "{}", transcript(&during));
    let after = clausecheck(&[
        "explain",
        "--rules",
        rules,
        "party=alpha",
        "product=app",
        "cloud=aws",
        "date=2028-06-01",
    ]);
    assert!(stdout(&after).contains("ended 2027-12-31 (assumed)"), "{}", transcript(&after));
}

#[test]
fn issue_12_explain_facts_line_labels_each_value() {
    let out = clausecheck(&[
        "explain",
        "party=openai",
        "product=api",
        "cloud=aws",
        "channel=bedrock",
        "date=2026-06-01",
    ]);
    let first = stdout(&out).lines().next().unwrap_or_default().to_owned();
    assert_eq!(
        first,
        "deployment #1: party=openai · product=api · cloud=aws · channel=bedrock · date=2026-06-01"
    );
}

#[test]
fn issue_12_test_with_only_unreadable_case_files_prints_no_running_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.yaml");
    std::fs::write(&cases, "cases: [ this is not\n").unwrap();
    let out = clausecheck(&["test", "--color", "never", cases.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    assert!(!stdout(&out).contains("running 0 cases"), "{}", transcript(&out));
    assert!(stderr(&out).contains("could not be read"), "{}", transcript(&out));
}

#[test]
fn issue_12_a_plan_error_appears_once_in_a_log_of_both_streams() {
    // stdout is not a terminal here (as in CI): the text report lists the unreadable plan in
    // place, and standard error only counts it.
    let out = clausecheck(&["check", "--color", "never", "examples/allowed.json", "no-such-plan.yaml"]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    let both = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(both.lines().filter(|l| l.contains("no-such-plan.yaml")).count(), 1, "{}", transcript(&out));
    assert!(stderr(&out).contains("(listed in the report)"), "{}", transcript(&out));
    // With --format json the report holds it for programs and standard error names it for people.
    let out = clausecheck(&["check", "--format", "json", "examples/allowed.json", "no-such-plan.yaml"]);
    assert!(stderr(&out).contains("no-such-plan.yaml"), "{}", transcript(&out));
    assert!(stdout(&out).contains("no-such-plan.yaml"), "{}", transcript(&out));
}
