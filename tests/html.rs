//! `check --format html` end to end: snapshots of the page on every example plan, the amendment
//! example, waivers with an advisory clause, and a baseline (with the stylesheet, the script, their
//! CSP hashes and the timeline image left out of the snapshot: they are files of their own and
//! are checked here apart); then escaping, determinism over threads, the limits at large plans,
//! and the page of a run that checked nothing. The browser test (`scripts/browser-test.sh`)
//! opens these pages in Chromium.

mod common;
use common::bin::{clausecheck, code, relative, stdout, transcript};

use std::process::Output;

/// The page with the parts that are not its own text replaced by markers: the stylesheet and the
/// script (src/report/html/style.css, filter.js), their hashes, and the timeline image.
fn redacted(page: &str) -> String {
    let mut out = cut(page, "<style>", "</style>", "/* style.css */");
    out = cut(&out, "<script>", "</script>", "/* filter.js */");
    out = cut(&out, "'sha256-", "'", "…");
    cut(&out, "base64,", "\"", "…")
}

/// Every `start…end` with its middle replaced by `with`.
fn cut(text: &str, start: &str, end: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let Some(j) = after.find(end) else { break };
        out.push_str(&rest[..i + start.len()]);
        out.push_str(with);
        rest = &after[j..];
    }
    out.push_str(rest);
    out
}

fn html(args: &[&str]) -> Output {
    clausecheck(&[&["check", "--color", "never", "--format", "html"][..], args].concat())
}

fn snapshot(out: &Output) -> String {
    assert_page(&stdout(out));
    redacted(&transcript(out))
}

/// What every page must be: one document, headings in order, tables with captions and header
/// scopes, no tag or attribute an input could have added.
fn assert_page(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
    assert!(page.ends_with("</html>\n"));
    let mut level = 1;
    for (i, _) in page.match_indices("<h") {
        let Some(n) = page[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else { continue };
        assert!(n <= level + 1, "heading h{n} after h{level}");
        level = n;
    }
    assert_eq!(page.matches("<table").count(), page.matches("<caption>").count(), "a caption per table");
    assert_eq!(page.matches("<th>").count(), 0, "every header cell has a scope");
    assert_tags_are_ours(page);
}

/// Every tag in the page is one the report writes, with attributes it writes: text from the
/// inputs can only ever be text.
fn assert_tags_are_ours(page: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "main",
        "section",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "span",
        "strong",
        "code",
        "br",
        "a",
        "details",
        "summary",
        "blockquote",
        "form",
        "label",
        "input",
        "select",
        "option",
        "button",
        "noscript",
        "div",
        "img",
        "footer",
        "script",
    ];
    const ATTRIBUTES: &[&str] = &[
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "id",
        "scope",
        "colspan",
        "href",
        "data-v",
        "data-a",
        "data-c",
        "data-f",
        "data-count",
        "data-group",
        "data-field",
        "role",
        "aria-label",
        "aria-labelledby",
        "aria-live",
        "hidden",
        "type",
        "value",
        "placeholder",
        "open",
        "alt",
        "src",
    ];
    let body = &page[page.find("</style>").unwrap_or(0)..page.rfind("<script>").unwrap_or(page.len())];
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |j| i + j);
        let tag = &rest[i + 1..tag_end];
        rest = &rest[tag_end..];
        let tag = tag.trim_start_matches('/');
        let mut parts = tag.splitn(2, ' ');
        let name = parts.next().unwrap_or("");
        assert!(TAGS.contains(&name), "a tag the report does not write: <{tag}>");
        let mut attrs = parts.next().unwrap_or("");
        // Attribute values are double-quoted and hold no `"` (escaped as &quot;).
        while !attrs.trim().is_empty() {
            attrs = attrs.trim_start();
            let key_end = attrs.find(['=', ' ']).unwrap_or(attrs.len());
            let key = &attrs[..key_end];
            assert!(ATTRIBUTES.contains(&key), "an attribute the report does not write: {key} in <{tag}>");
            attrs = &attrs[key_end..];
            if let Some(value) = attrs.strip_prefix("=\"") {
                let close = value.find('"').expect("a closed attribute value");
                attrs = &value[close + 1..];
            }
        }
    }
}

#[test]
fn html_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = html(&[&relative(path)]);
        insta::assert_snapshot!(snapshot(&out));
    });
}

#[test]
fn html_of_the_amendment_example() {
    let out = html(&["--rules", "examples/amendment", "examples/amendment/plan.yaml"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!(snapshot(&out));
}

/// The CI fixture: two waived violations, an advisory one, one that fails, a waiver that matches
/// nothing; then the same with `--fail-on advisory`.
#[test]
fn html_with_waivers_and_an_advisory_clause() {
    let args = [
        "--rules",
        "tests/fixtures/ci/rules",
        "--waivers",
        "tests/fixtures/ci/waivers.yaml",
        "--today",
        "2026-09-01",
        "tests/fixtures/ci/plan.yaml",
    ];
    let out = html(&args);
    assert_eq!(code(&out), 1);
    let page = stdout(&out);
    for shown in
        ["id=\"waived\"", "id=\"advisory\"", "id=\"waivers\"", "Jane Doe", "Sam Roe", "matches nothing"]
    {
        assert!(page.contains(shown), "{shown}");
    }
    insta::assert_snapshot!(snapshot(&out));
    let strict = html(&[&["--fail-on", "advisory"][..], &args].concat());
    let page = stdout(&strict);
    assert!(page.contains("<code>--fail-on advisory</code>: advisory clauses fail the run too"));
    assert!(
        !page.contains("id=\"advisory\""),
        "advisory violations fail the run: listed with the violations"
    );
    assert!(page.contains("deal.no_market — Acme avoids the marketplace</h4>"));
}

/// A baseline of the worked examples, then one violation fixed and one added: known rows, the
/// new violation alone failing, the fixed entry listed.
#[test]
fn html_with_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    let text = std::fs::read_to_string("examples/worked-examples.yaml").unwrap();
    std::fs::write(&plan, &text).unwrap();
    // The rules copied beside the plan, so the page names them by a relative path.
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    for entry in std::fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "terms") {
            std::fs::copy(&path, dir.path().join("rules").join(path.file_name().unwrap())).unwrap();
        }
    }
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_clausecheck"))
            .args(["check", "--color", "never", "--rules", "rules"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(code(&run(&["--format", "json", "--output", "baseline.json", "plan.yaml"])), 1);
    let changed = text.replace("cloud: gcp", "cloud: azure")
        + "\n  - id: brand-new-violation\n    party: openai\n    product: api\n    cloud: aws\n    date: 2025-06-01\n";
    std::fs::write(&plan, changed).unwrap();
    let out = run(&["--format", "html", "--baseline", "baseline.json", "plan.yaml"]);
    assert_eq!(code(&out), 1, "{}", transcript(&out));
    let page = stdout(&out);
    assert!(page.contains("id=\"known\""));
    assert!(page.contains("Fixed since the baseline"));
    insta::assert_snapshot!(snapshot(&out));
}

#[test]
fn ids_and_values_cannot_inject_markup_or_script() {
    let out = html(&["tests/fixtures/html/hostile.yaml"]);
    assert_eq!(code(&out), 2, "one record has an unknown cloud");
    let page = stdout(&out);
    assert_page(&page);
    assert_eq!(page.matches("<script>").count(), 1, "only the report's own script");
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img src=x"));
    assert!(!page.contains("\"><img"));
    assert!(page.contains("<th scope=\"row\">&lt;script&gt;alert(1)&lt;/script&gt;</th>"));
    assert!(page.contains("<th scope=\"row\">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</th>"));
    assert!(page.contains("<th scope=\"row\">&#39;onmouseover=&#39;alert(3)</th>"));
    assert!(page.contains("unknown cloud <code>&lt;img src=x onerror=alert(4)&gt;</code>"));
    assert!(
        page.contains("bidi \\u{202e} and escape \\u{1b}[31m and &amp;amp; entity"),
        "hidden characters shown"
    );
    assert!(!page.contains('\u{202e}') && !page.contains('\u{1b}'));
    insta::assert_snapshot!(snapshot(&out));
}

/// A generated plan past the deployments table's limit, on 1, 2 and 5 threads.
#[test]
fn the_same_plan_gives_the_same_page_on_any_number_of_threads_and_lists_what_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.ndjson");
    let generated = clausecheck(&["generate", "plan", "--records", "12000", "--seed", "5"]);
    std::fs::write(&plan, &generated.stdout).unwrap();
    let plan = plan.to_str().unwrap();
    let pages: Vec<Vec<u8>> = ["1", "2", "5"].iter().map(|j| html(&["--jobs", j, plan]).stdout).collect();
    assert!(pages[0] == pages[1] && pages[1] == pages[2], "the page depends on --jobs");
    let page = String::from_utf8(pages[0].clone()).unwrap();
    assert_page(&page);
    let rows = &page[page.find("<tbody id=\"deployment-rows\">").unwrap()..];
    let rows = &rows[..rows.find("</tbody>").unwrap()];
    assert_eq!(rows.matches("<tr ").count(), 10_000, "the table lists the first 10,000");
    assert!(page.contains("The other 2000 are counted by field value below"));
    let json: serde_json::Value =
        serde_json::from_slice(&clausecheck(&["check", "--format", "json", plan]).stdout).unwrap();
    let failing = json["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["terms"].as_array().unwrap())
        .filter(|t| t["status"] == "violated")
        .count();
    let groups: usize = page
        .split("<details class=\"clause\"")
        .skip(1)
        .map(|g| g[..g.find("</details>").unwrap()].matches("<tr data-v").count())
        .sum();
    assert_eq!(groups, failing, "every violation is listed, past the table's limit too");
    // The counts of records not listed add up to them.
    let unlisted = &page[page.find("every record not listed</th>").unwrap()..];
    let unlisted = &unlisted[..unlisted.find("</tr>").unwrap()];
    let sum: usize = unlisted
        .split("<td class=\"n\">")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].parse::<usize>().unwrap())
        .sum();
    assert_eq!(sum, 2000);
}

#[test]
fn quiet_gives_the_summary_alone_and_only_violated_thins_the_table() {
    let quiet = html(&["--quiet", "examples/worked-examples.yaml"]);
    assert_eq!(code(&quiet), 1);
    let page = stdout(&quiet);
    assert_page(&page);
    assert!(
        page.contains("id=\"totals\"")
            && !page.contains("id=\"violations\"")
            && !page.contains("id=\"filters\"")
    );
    let only = stdout(&html(&["--only", "violated", "examples/worked-examples.yaml"]));
    let rows = &only[only.find("<tbody id=\"deployment-rows\">").unwrap()..];
    assert_eq!(rows[..rows.find("</tbody>").unwrap()].matches("<tr ").count(), 3);
}

#[test]
fn a_run_that_checked_nothing_is_a_page_of_its_errors() {
    let out =
        html(&["--rules", "tests/fixtures/rules/err/unknown-value.terms", "examples/worked-examples.yaml"]);
    assert_eq!(code(&out), 2);
    let page = stdout(&out);
    assert_page(&page);
    assert!(page.contains("nothing was checked"));
    assert!(page.contains("<code>unknown-name</code>"), "{page}");
}

#[test]
fn output_format_html_writes_the_same_page_from_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    let out = clausecheck(&[
        "check",
        "--format",
        "json",
        "--output-format",
        &format!("html={}", file.display()),
        "examples/worked-examples.yaml",
    ]);
    assert_eq!(code(&out), 1);
    let written = std::fs::read(&file).unwrap();
    assert_eq!(written, html(&["examples/worked-examples.yaml"]).stdout);
}

/// The picture of the agreements is `clausecheck timeline --format svg`, as a `data:` image.
#[test]
fn the_timeline_picture_is_the_timeline_commands_svg() {
    let page = stdout(&html(&["examples/worked-examples.yaml"]));
    let start = page.find("data:image/svg+xml;base64,").unwrap() + "data:image/svg+xml;base64,".len();
    let encoded = &page[start..start + page[start..].find('"').unwrap()];
    let svg = stdout(&clausecheck(&["timeline", "--format", "svg"]));
    assert_eq!(String::from_utf8(unbase64(encoded)).unwrap(), svg);
}

fn unbase64(text: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut n) = (0u32, 0);
    for b in text.bytes().filter(|&b| b != b'=') {
        bits = (bits << 6) | ABC.iter().position(|&c| c == b).expect("base64") as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}
