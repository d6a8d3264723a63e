//! End-to-end tests of the analysts' commands, on the real binary run from the crate root:
//! `clausecheck test` on the bundled cases, on wrong expectations and on broken case files (output
//! snapshot tested), and `completions` and `man`.

mod common;
use common::bin::{clausecheck, code, relative, stdout, transcript};

use std::path::Path;
use std::process::Output;

/// The closing line, `N passed, M failed`, as numbers.
fn tally(out: &Output) -> (usize, usize) {
    let text = stdout(out);
    let last = text.lines().last().unwrap_or_default();
    let numbers: Vec<usize> = last
        .strip_suffix(" failed")
        .and_then(|rest| rest.split_once(" passed, "))
        .and_then(|(p, f)| Some(vec![p.parse().ok()?, f.parse().ok()?]))
        .unwrap_or_else(|| panic!("the last line is not `N passed, M failed`: {last:?}\n{text}"));
    (numbers[0], numbers[1])
}

fn count_cases(file: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("readable");
    text.lines().filter(|l| l.starts_with("  - name:")).count()
}

#[test]
fn the_bundled_cases_all_pass() {
    let out = clausecheck(&["test", "--color", "never"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    let cases =
        count_cases("rules/tests/worked-examples.yaml") + count_cases("rules/tests/bundled-agreement.yaml");
    assert!(cases >= 15, "the bundled case files hold {cases} cases");
    assert_eq!(tally(&out), (cases, 0));
    assert_eq!(stdout(&out).lines().filter(|l| l.ends_with(" ... ok")).count(), cases);
    assert!(out.stderr.is_empty(), "{}", transcript(&out));
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn every_worked_example_of_the_agreement_is_one_case() {
    // The worked examples: seven, as docs/language.md section 8 lists them.
    let out = clausecheck(&["test", "--color", "never", "rules/tests/worked-examples.yaml"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    assert_eq!(tally(&out), (7, 0));
}

#[test]
fn a_wrong_expectation_fails_with_a_diff_and_exit_1() {
    let out = clausecheck(&["test", "--color", "never", "tests/fixtures/cases/wrong-expectation.yaml"]);
    assert_eq!(code(&out), 1, "{}", transcript(&out));
    assert_eq!(tally(&out), (1, 2));
    let text = stdout(&out);
    assert!(text.contains("  - verdict: allowed\n  + verdict: violated\n"), "{text}");
    assert!(
        text.contains("  - violated: [azure_exclusive, azure_first]\n  + violated: [azure_exclusive]\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour with --color never");
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn one_flipped_verdict_in_the_bundled_cases_makes_the_run_fail() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    for name in ["worked-examples.yaml", "bundled-agreement.yaml"] {
        let text = std::fs::read_to_string(root.join(name)).expect("readable");
        let flipped = text.replacen(
            "models-azure-2031:\n        verdict: allowed",
            "models-azure-2031:\n        verdict: violated",
            1,
        );
        if name == "worked-examples.yaml" {
            assert_ne!(flipped, text, "the verdict to flip is in the file");
        }
        std::fs::write(dir.path().join(name), flipped).expect("writable");
    }
    let cases_dir = dir.path().to_string_lossy().into_owned();
    let out = clausecheck(&["test", "--color", "never", "--rules", "rules", &cases_dir]);
    assert_eq!(code(&out), 1, "{}", transcript(&out));
    let (passed, failed) = tally(&out);
    assert_eq!(failed, 1);
    assert!(passed >= 14);
    let text = stdout(&out);
    assert!(text.contains("Microsoft's non-exclusive licence holds in 2031 ... FAILED"), "{text}");
    assert!(text.contains("  - verdict: violated\n  + verdict: allowed\n"), "{text}");
}

#[test]
fn every_broken_case_file_is_reported_with_its_lines_and_exit_2() {
    insta::glob!("fixtures/cases", "broken-*.yaml", |path| {
        let out = clausecheck(&["test", "--color", "never", &relative(path)]);
        assert_eq!(code(&out), 2, "{}", transcript(&out));
        let all = transcript(&out);
        assert!(all.contains("error: "), "{all}");
        assert!(!all.contains("panicked"), "{all}");
        // A file that cannot be read runs nothing: no "running 0 cases" and no tally (issue 12);
        // a file that can be read, with cases that cannot run, still ends with its tally.
        if stdout(&out).is_empty() {
            assert!(all.contains("could not be read; its cases were not run"), "{all}");
        } else {
            tally(&out);
        }
        insta::assert_snapshot!(all);
    });
}

#[test]
fn cases_that_cannot_run_do_not_stop_the_others() {
    let out = clausecheck(&["test", "--color", "never", "tests/fixtures/cases/broken-cases.yaml"]);
    assert_eq!(code(&out), 2);
    assert_eq!(tally(&out), (1, 7));
    let text = stdout(&out);
    assert!(text.contains("a good case runs all the same ... ok"), "{text}");
    assert_eq!(text.lines().filter(|l| l.ends_with(" ... ERROR")).count(), 7, "{text}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let path = "tests/fixtures/cases/wrong-expectation.yaml";
    let always = clausecheck(&["test", "--color", "always", path]);
    assert!(stdout(&always).contains("\u{1b}["), "{}", transcript(&always));
    // Standard output is a pipe here, so `auto` means no colour.
    let auto = clausecheck(&["test", path]);
    assert!(!stdout(&auto).contains('\u{1b}'), "{}", transcript(&auto));
    assert_eq!(code(&always), 1);
    assert_eq!(code(&auto), 1);
}

#[test]
fn broken_rules_are_reported_and_no_case_runs() {
    let out = clausecheck(&[
        "test",
        "--color",
        "never",
        "--rules",
        "tests/fixtures/rules/err/unknown-value.terms",
        "rules/tests",
    ]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    assert!(out.stdout.is_empty(), "{}", transcript(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was checked"));
}

#[test]
fn missing_case_files_are_an_error() {
    // Without PATH the cases are the `tests` folder beside the rules; this one has none.
    let out = clausecheck(&["test", "--rules", "tests/fixtures/rules/ok/dates.terms"]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    let missing = clausecheck(&["test", "--rules", "rules", "tests/fixtures/cases/no-such-file.yaml"]);
    assert_eq!(code(&missing), 2, "{}", transcript(&missing));
    insta::assert_snapshot!(format!("{}\n{}", transcript(&out), transcript(&missing)));
}

#[test]
fn test_help_is_written_for_analysts() {
    let out = clausecheck(&["test", "--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("Examples:"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = clausecheck(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", transcript(&out));
        let script = stdout(&out);
        assert!(script.contains("clausecheck"), "{shell}");
        assert!(script.contains("check") && script.contains("completions"), "{shell}");
        assert!((1_000..1_000_000).contains(&script.len()), "{shell}: {} bytes", script.len());
    }
    let bash = stdout(&clausecheck(&["completions", "bash"]));
    assert!(bash.contains("complete -F"), "a bash completion script registers a function");
    for flag in ["--rules", "--format", "--color"] {
        assert!(bash.contains(flag), "bash completes {flag}");
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let out = clausecheck(&["completions", "tcsh"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"), "{}", transcript(&out));
}

#[test]
fn the_man_page_lists_the_subcommands_and_details_each() {
    let out = clausecheck(&["man"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    let page = stdout(&out);
    assert!(page.starts_with(".TH") || page.starts_with(".ie"), "{}", &page[..page.len().min(200)]);
    assert_eq!(page.matches(".ds Aq").count(), 2, "the apostrophe preamble once (.ie and .el)");
    let sections: Vec<&str> = page.split("\n.SH ").collect();
    let heading = |s: &&str| s.lines().next().unwrap_or_default().trim_matches('"').to_string();
    let headings: Vec<String> = sections.iter().map(heading).collect();
    for expected in
        ["NAME", "SYNOPSIS", "DESCRIPTION", "SUBCOMMANDS", "CLAUSECHECK CHECK", "CLAUSECHECK TEST"]
    {
        assert!(headings.iter().any(|h| h == expected), "a section {expected}: {headings:?}");
    }
    // Every subcommand listed has a section of its own, with its usage and its examples.
    // Listed as `\fBclausecheck NAME\fR` (no `clausecheck-NAME(1)`: those pages do not exist).
    let listed: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("\\fBclausecheck ")?.strip_suffix("\\fR"))
        .filter(|name| !name.contains(' ') && *name != "help")
        .collect();
    assert!(listed.len() >= 5, "{listed:?}");
    for name in listed {
        let title = format!("CLAUSECHECK {}", name.replace("\\-", "-").to_uppercase());
        let section =
            sections.iter().find(|s| heading(s) == title).unwrap_or_else(|| panic!("no section {title}"));
        assert!(section.contains(&format!("\\fBclausecheck {name}")), "{title} has its usage:\n{section}");
        assert!(section.contains("Example"), "{title} has an example:\n{section}");
    }
    // The sections of the commands written here, snapshot tested; the others belong to theirs.
    let own: Vec<&str> = sections
        .iter()
        .copied()
        .filter(|s| {
            ["CLAUSECHECK TEST", "CLAUSECHECK COMPLETIONS", "CLAUSECHECK MAN"].contains(&heading(s).as_str())
        })
        .collect();
    assert_eq!(own.len(), 3);
    insta::assert_snapshot!(own.join("\n.SH "));
}

#[test]
fn test_results_as_junit_count_what_the_text_counts() {
    // The bundled cases pass; the broken and wrong ones fail, cannot run or cannot be read.
    for (path, exit) in [("rules/tests", 0), ("tests/fixtures/cases", 2)] {
        let text = clausecheck(&["test", "--color", "never", path]);
        let xml = clausecheck(&["test", "--format", "junit", path]);
        assert_eq!(code(&xml), exit);
        assert_eq!(code(&text), exit);
        let xml = stdout(&xml);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
        let root = doc.root_element();
        let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
        let attr = |a: &str| root.attribute(a).unwrap().parse::<usize>().unwrap();
        assert_eq!(attr("tests"), count("testcase"));
        assert_eq!(attr("failures"), count("failure"));
        assert_eq!(attr("errors"), count("error"));
        // `N passed, M failed` of the text counts the cases that ran.
        let unreadable = String::from_utf8_lossy(&text.stderr).matches("cannot read").count();
        let (passed, failed) = tally(&text);
        assert_eq!(passed + failed + unreadable, attr("tests"), "{path}");
        assert_eq!(failed, attr("failures") + attr("errors") - unreadable, "{path}");
        if exit == 2 {
            insta::assert_snapshot!(xml);
        }
    }
}
