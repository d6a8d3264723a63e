//! The drop-in CI files and the README's copy-paste blocks: `action.yml` and
//! `.pre-commit-hooks.yaml` are read as their tools read them and their commands run here; the
//! README's YAML blocks parse, use only the action's inputs, and pass only flags that exist.

mod common;
use common::bin::{clausecheck, code};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn yaml<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> T {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what} is not what it should be: {e}\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// action.yml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    name: String,
    description: String,
    branding: Option<BTreeMap<String, String>>,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    description: String,
    required: bool,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Output {
    description: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    name: String,
    id: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    shell: Option<String>,
    run: Option<String>,
    uses: Option<String>,
    with: Option<BTreeMap<String, String>>,
    env: Option<BTreeMap<String, String>>,
}

fn action() -> Action {
    yaml("action.yml", &read("action.yml"))
}

/// The `inputs.NAME` an expression names.
fn inputs_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("inputs.") {
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        out.push(name);
    }
    out
}

#[test]
fn the_action_is_a_composite_that_installs_checks_and_uploads() {
    let a = action();
    assert_eq!(a.runs.using, "composite");
    assert!(!a.name.is_empty() && !a.description.is_empty() && a.branding.is_some());
    assert!(a.inputs["plans"].required && !a.inputs["plans"].description.is_empty());
    for (name, input) in &a.inputs {
        assert!(input.required || input.default.is_some(), "optional input `{name}` has a default");
    }
    let steps = &a.runs.steps;
    for s in steps {
        assert!(!s.name.is_empty());
        assert_eq!(
            s.run.is_some(),
            s.shell.is_some(),
            "a `run` step needs its `shell` in a composite: {}",
            s.name
        );
        assert_ne!(s.run.is_some(), s.uses.is_some(), "{}", s.name);
        // Inputs go through the environment, never into a script (where they could inject code).
        if let Some(run) = &s.run {
            assert!(!run.contains("${{"), "`{}` pastes an expression into its script", s.name);
        }
    }
    assert!(steps[0].run.as_deref().unwrap().contains("cargo install --locked"), "installs with cargo");
    let check = steps.iter().find(|s| s.id.as_deref() == Some("check")).unwrap();
    let script = check.run.as_deref().unwrap();
    for part in ["--format github", "\"sarif=$CLAUSECHECK_SARIF\"", "\"markdown=$GITHUB_STEP_SUMMARY\""] {
        assert!(script.contains(part), "the check step writes {part}");
    }
    let upload = steps.iter().find(|s| s.uses.is_some()).unwrap();
    assert!(upload.uses.as_deref().unwrap().starts_with("github/codeql-action/upload-sarif@"));
    assert!(upload.condition.as_deref().unwrap().contains("always()"), "uploaded even when the check fails");
    assert_eq!(upload.with.as_ref().unwrap()["sarif_file"], "${{ inputs.sarif }}");
    // Every input is used, and every input used is declared.
    let mut used: Vec<String> = steps
        .iter()
        .flat_map(|s| {
            let values = s.env.iter().chain(&s.with).flat_map(|m| m.values().cloned());
            values.chain(s.condition.clone()).flat_map(|v| inputs_named(&v)).collect::<Vec<_>>()
        })
        .chain(a.outputs.values().flat_map(|o| inputs_named(&o.value)))
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(used, a.inputs.keys().cloned().collect::<Vec<_>>());
    assert!(a.outputs["exit-code"].value.contains("steps.check.outputs.exit-code"));
    assert!(!a.outputs["exit-code"].description.is_empty());
}

/// Runs the action's check step as the runner would: its `env` with the inputs filled in, the
/// runner's files, and the clausecheck just built on the path.
fn run_check_step(dir: &Path, with: &[(&str, &str)]) -> (i32, String, String, String) {
    let a = action();
    let step = a.runs.steps.iter().find(|s| s.id.as_deref() == Some("check")).unwrap();
    let input = |name: &str| -> String {
        with.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| a.inputs[name].default.clone())
            .unwrap_or_default()
    };
    let summary = dir.join("summary.md");
    let output = dir.join("output.txt");
    // The runner gives each step fresh files.
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_file(&output);
    let bin = Path::new(env!("CARGO_BIN_EXE_clausecheck")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.arg("-e").arg("-c").arg(step.run.as_deref().unwrap()).current_dir(dir);
    cmd.env("PATH", path).env("GITHUB_STEP_SUMMARY", &summary).env("GITHUB_OUTPUT", &output);
    for (key, value) in step.env.as_ref().unwrap() {
        let names = inputs_named(value);
        assert_eq!(names.len(), 1, "{key}: one input");
        assert_eq!(*value, format!("${{{{ inputs.{} }}}}", names[0]));
        cmd.env(key, input(&names[0]));
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "the step itself ends well; its status goes to the output");
    let exit = std::fs::read_to_string(&output).unwrap();
    let status: i32 = exit.trim().strip_prefix("exit-code=").unwrap().parse().unwrap();
    (
        status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(&summary).unwrap_or_default(),
        std::fs::read_to_string(dir.join(input("sarif"))).unwrap_or_default(),
    )
}

#[test]
fn the_actions_check_step_writes_annotations_summary_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ci = root.join("tests/fixtures/ci");
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    std::fs::copy(ci.join("plan.yaml"), dir.path().join("plans/a.yaml")).unwrap();
    std::fs::copy(root.join("examples/allowed.json"), dir.path().join("plans/b.json")).unwrap();
    let rules = ci.join("rules");
    let waivers = ci.join("waivers.yaml");
    let with = [
        ("plans", "plans/a.yaml"),
        ("rules", rules.to_str().unwrap()),
        ("waivers", waivers.to_str().unwrap()),
    ];
    let (status, annotations, summary, sarif) = run_check_step(dir.path(), &with);
    assert_eq!(status, 1, "db-aws is violated");
    assert!(
        annotations.lines().any(|l| l.starts_with("::error file=plans/a.yaml,line=31,")),
        "{annotations}"
    );
    assert!(summary.starts_with("## ❌ clausecheck: 1 of 5 deployments violated"), "{summary}");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // A pattern and fail-on advisory.
    let with = [("plans", "plans/*.yaml"), ("rules", rules.to_str().unwrap()), ("fail-on", "advisory")];
    let (status, _, summary, _) = run_check_step(dir.path(), &with);
    assert_eq!(status, 1);
    assert!(summary.contains("| 5 | 1 | 3 | 1 | 0 | 0 | 0 |"), "{summary}");
    // A clean plan, with the bundled rules.
    let bundled = root.join("rules");
    let with = [("plans", "plans/b.json"), ("rules", bundled.to_str().unwrap()), ("sarif", "out.sarif")];
    let (status, _, summary, sarif) = run_check_step(dir.path(), &with);
    assert_eq!(status, 0);
    assert!(summary.starts_with("## ✅"), "{summary}");
    assert!(sarif.contains("\"results\": []"), "{sarif}");
}

// ---------------------------------------------------------------------------------------------
// .pre-commit-hooks.yaml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hook {
    id: String,
    name: String,
    description: String,
    entry: String,
    language: String,
    files: String,
    pass_filenames: bool,
}

#[test]
fn the_pre_commit_hooks_run_on_the_bundled_rules() {
    let hooks: Vec<Hook> = yaml(".pre-commit-hooks.yaml", &read(".pre-commit-hooks.yaml"));
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["clausecheck-fmt", "clausecheck-lint"]);
    let mut rule_files: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "terms"))
        .map(|p| format!("rules/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    rule_files.sort();
    assert!(!rule_files.is_empty());
    for hook in &hooks {
        assert_eq!(hook.language, "rust", "pre-commit builds it with cargo");
        assert!(!hook.name.is_empty() && !hook.description.is_empty());
        assert_eq!(hook.files, r"\.terms$");
        let mut words: Vec<&str> = hook.entry.split_whitespace().collect();
        assert_eq!(words.remove(0), "clausecheck");
        if hook.pass_filenames {
            words.extend(rule_files.iter().map(String::as_str));
        }
        let out = clausecheck(&words);
        assert_eq!(code(&out), 0, "{}: {}", hook.id, String::from_utf8_lossy(&out.stderr));
    }
    // The fmt hook fails on a file out of layout.
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.terms");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format/messy-layout.terms"),
        &messy,
    )
    .unwrap();
    let mut words: Vec<&str> = hooks[0].entry.split_whitespace().skip(1).collect();
    words.push(messy.to_str().unwrap());
    assert_eq!(code(&clausecheck(&words)), 1);
}

// ---------------------------------------------------------------------------------------------
// The README's blocks

/// The fenced blocks of `lang` under the README heading `heading`, up to the next heading.
fn blocks(readme: &str, heading: &str, lang: &str) -> Vec<String> {
    let start =
        readme.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("the README has `{heading}`"));
    let section = &readme[start + heading.len() + 2..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    let mut out = Vec::new();
    let mut rest = section;
    // ```sh, or ```sh with words after it (tests/readme.rs's `ci`, `bench`): the language is
    // the fence's first word.
    let fence = format!("```{lang}");
    while let Some(i) = rest.find(&fence) {
        let after = &rest[i + fence.len()..];
        let Some(line_end) = after.find('\n') else { break };
        let info = &after[..line_end];
        let body = &after[line_end + 1..];
        let end = body.find("```").unwrap();
        if info.is_empty() || info.starts_with(' ') {
            out.push(body[..end].to_owned());
        }
        rest = &body[end..][3..];
    }
    assert!(!out.is_empty(), "`{heading}` has a {lang} block");
    out
}

#[test]
fn the_readme_github_workflow_uses_only_the_actions_inputs() {
    let readme = read("README.md");
    let workflow: serde_json::Value =
        yaml("the README's workflow", &blocks(&readme, "### GitHub Actions", "yaml")[0]);
    let steps = workflow["jobs"]["check"]["steps"].as_array().unwrap();
    let step =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/clausecheck@"))).unwrap();
    let inputs = action().inputs;
    let with = step["with"].as_object().unwrap();
    for key in with.keys() {
        assert!(inputs.contains_key(key), "the README passes `{key}`, which action.yml does not take");
    }
    for (name, input) in &inputs {
        assert!(!input.required || with.contains_key(name), "the README gives the required `{name}`");
    }
    assert_eq!(workflow["permissions"]["security-events"], "write", "SARIF upload needs it");
}

#[test]
fn the_readme_gitlab_job_reports_junit_and_its_commands_exist() {
    let readme = read("README.md");
    let job: serde_json::Value =
        yaml("the README's GitLab job", &blocks(&readme, "### GitLab CI", "yaml")[0]);
    let job = &job["clausecheck"];
    assert_eq!(job["artifacts"]["reports"]["junit"], "clausecheck.xml");
    assert_eq!(job["artifacts"]["when"], "always", "the report is kept when the job fails");
    let script: Vec<&str> = job["script"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let check = script.iter().find(|l| l.starts_with("clausecheck check")).unwrap();
    assert!(check.contains("--output-format junit=clausecheck.xml"));
    flags_exist(check);
}

#[test]
fn the_readme_pre_commit_config_names_the_hooks() {
    let readme = read("README.md");
    let config: serde_json::Value =
        yaml("the README's pre-commit config", &blocks(&readme, "### pre-commit", "yaml")[0]);
    let hooks: Vec<Hook> = yaml(".pre-commit-hooks.yaml", &read(".pre-commit-hooks.yaml"));
    for hook in config["repos"][0]["hooks"].as_array().unwrap() {
        let id = hook["id"].as_str().unwrap();
        assert!(hooks.iter().any(|h| h.id == id), "the README names the hook `{id}`");
    }
}

/// Every `--flag` of a `clausecheck SUBCOMMAND ...` line is one the subcommand takes.
fn flags_exist(line: &str) {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "clausecheck");
    let help = clausecheck(&[words[1], "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for w in &words[2..] {
        if let Some(flag) = w.strip_prefix("--") {
            let flag = flag.split('=').next().unwrap();
            assert!(
                help.contains(&format!("--{flag} ")) || help.contains(&format!("--{flag}\n")),
                "`--{flag}` of {line}"
            );
        }
    }
}

#[test]
fn the_readme_commands_of_in_ci_pass_flags_that_exist() {
    let readme = read("README.md");
    let mut lines = 0;
    for block in blocks(&readme, "### Formats", "sh") {
        let joined = block.replace("\\\n", " ");
        for line in joined.lines().filter(|l| l.trim_start().starts_with("clausecheck ")) {
            flags_exist(line.trim());
            lines += 1;
        }
    }
    assert_eq!(lines, 1);
}

#[test]
fn the_readme_waivers_are_valid_against_the_bundled_rules_and_waive_what_they_say() {
    let readme = read("README.md");
    let text = &blocks(&readme, "### Waivers", "yaml")[0];
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(&waivers, text).unwrap();
    let out = clausecheck(&[
        "check",
        "--format",
        "json",
        "--today",
        "2026-01-01",
        "--waivers",
        waivers.to_str().unwrap(),
        "examples/worked-examples.yaml",
    ]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcome = |id: &str| {
        json["deployments"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap()["outcome"].clone()
    };
    assert_eq!(outcome("chatgpt-gcp"), "waived");
    assert_eq!(outcome("api-aws-2025"), "waived");
    assert_eq!(outcome("models-azure-2033"), "violated", "not waived");
}
