//! The parts of the page that do not come from records: the head (with its stylesheet, script
//! policy and title), the summary, the filter form, and the report of a run that checked nothing.

use std::fmt::Write as _;

use super::escape::{escaped, prose, text};
use super::render::VERDICTS;
use super::{csp, SCRIPT, STYLE};
use crate::check::{Policy, RunVerdict, Summary};
use crate::report::texts::RuleTexts;

/// Past this many choices a filter is a text box rather than a list.
const MAX_CHOICES: usize = 500;

/// `<!DOCTYPE html>` through `<body>`.
pub fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"clausecheck\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        csp::policy(STYLE, SCRIPT),
        escaped(title)
    )
}

/// `</main>` through `</html>`, with the filter script.
pub fn foot() -> String {
    format!(
        "</main>\n<footer><p class=\"muted\">Written by <code>clausecheck check --format html</code>: one self-contained file, nothing fetched; the filters are a small inline script, and without it every row is shown.</p></footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The page's title, and its verdict line.
pub fn title(summary: &Summary, verdict: RunVerdict, policy: &Policy) -> String {
    match verdict {
        RunVerdict::Allowed if summary.deployments == summary.allowed => {
            "clausecheck: every deployment is allowed".to_owned()
        }
        RunVerdict::Allowed => "clausecheck: nothing fails the run".to_owned(),
        RunVerdict::Violated => {
            let failing = summary.violated + if policy.fail_on_advisory { summary.advisory } else { 0 };
            format!(
                "clausecheck: {failing} of {} violated",
                plural(summary.deployments, "deployment", "deployments")
            )
        }
        RunVerdict::Error => "clausecheck: some input is wrong".to_owned(),
    }
}

/// What each verdict means, as the summary says it.
fn meaning(verdict: &str) -> &'static str {
    match verdict {
        "allowed" => "no term is violated",
        "violated" => "a mandatory clause is violated, not waived and not in the baseline: fails the run",
        "advisory" => "only advisory clauses are violated: fails the run only with --fail-on advisory",
        "waived" => "every violation is covered by an active waiver",
        "known" => "every violation is in the baseline (or waived, or advisory)",
        _ => "the record could not be checked: exit status 2",
    }
}

/// The header and the summary section.
pub fn summary(s: &Summary, verdict: RunVerdict, policy: &Policy, failed_plans: usize) -> String {
    let title = title(s, verdict, policy);
    let mut out = String::new();
    let _ = write!(
        out,
        "<header>\n<h1>clausecheck report</h1>\n<p class=\"verdict {}\">{}</p>\n</header>\n<main>\n",
        verdict.as_str(),
        escaped(title.trim_start_matches("clausecheck: "))
    );
    out.push_str("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n");
    out.push_str("<table class=\"totals\" id=\"totals\">\n<caption>Deployments by verdict</caption>\n<thead><tr><th scope=\"col\">verdict</th><th scope=\"col\" class=\"n\">deployments</th><th scope=\"col\">meaning</th></tr></thead>\n<tbody>\n");
    let counts = [s.allowed, s.violated, s.advisory, s.waived, s.known, s.errors];
    for (v, n) in VERDICTS.iter().zip(counts) {
        let _ = writeln!(
            out,
            "<tr data-count=\"{v}\"><th scope=\"row\"><span class=\"b {v}\">{v}</span></th><td class=\"n\">{n}</td><td>{}</td></tr>",
            meaning(v)
        );
    }
    let _ = write!(
        out,
        "</tbody>\n<tfoot><tr data-count=\"deployments\"><th scope=\"row\">every record</th><td class=\"n\">{}</td><td>each counted once</td></tr></tfoot>\n</table>\n",
        s.deployments
    );
    let (code, why) = match verdict {
        RunVerdict::Allowed => (0, "nothing fails the run"),
        RunVerdict::Violated => (1, "at least one violation fails the run"),
        RunVerdict::Error => (2, "a plan or a record is wrong; every record that could be read was checked"),
    };
    let _ = writeln!(
        out,
        "<p id=\"run-verdict\">Run verdict: <strong>{}</strong>. Exit status <strong>{code}</strong>: {why}. (0: nothing fails the run; 1: a violation fails it; 2: an input is wrong.)</p>",
        verdict.as_str()
    );
    if s.warnings > 0 {
        let _ = writeln!(
            out,
            "<p>{} allowed now but violated soon (<code>--warn-within</code>; see <a href=\"#warnings\">Warnings</a>); with <code>--deny warnings</code> the exit status is 1.</p>",
            plural(s.warnings, "deployment is", "deployments are")
        );
    }
    if failed_plans > 0 {
        let _ = writeln!(
            out,
            "<p>{} could not be read (see <a href=\"#errors\">Errors in the plans</a>).</p>",
            plural(failed_plans, "plan", "plans")
        );
    }
    let mut judged: Vec<String> = Vec::new();
    if !policy.waivers.list.is_empty() {
        judged.push(format!(
            "{} from <code>{}</code>, their expiry judged on {} (see <a href=\"#waivers\">Waivers</a>)",
            plural(policy.waivers.list.len(), "waiver", "waivers"),
            escaped(&policy.waivers.file),
            policy.today
        ));
    }
    if let Some(b) = &policy.baseline {
        judged.push(format!(
            "the baseline <code>{}</code> ({}): its violations are known and do not fail the run",
            escaped(&b.file),
            plural(b.entries.len(), "entry", "entries")
        ));
    }
    if policy.fail_on_advisory {
        judged.push("<code>--fail-on advisory</code>: advisory clauses fail the run too".to_owned());
    }
    if !judged.is_empty() {
        let _ = writeln!(out, "<p>Judged by {}.</p>", judged.join("; "));
    }
    out.push_str("</section>\n");
    out
}

fn choice(out: &mut String, label: &str, name: &str, field: bool, options: &[String]) {
    let data = if field { format!(" data-field=\"{}\"", escaped(name)) } else { String::new() };
    let name = if field { format!("f-{}", escaped(name)) } else { name.to_owned() };
    if options.len() > MAX_CHOICES {
        let _ = writeln!(
            out,
            "<label>{label}<input type=\"text\" name=\"{name}\"{data} placeholder=\"any\"></label>"
        );
        return;
    }
    let _ = write!(out, "<label>{label}<select name=\"{name}\"{data}><option value=\"\">any</option>");
    for o in options {
        let o = escaped(o);
        let _ = write!(out, "<option value=\"{o}\">{o}</option>");
    }
    out.push_str("</select></label>\n");
}

/// The filter form: hidden until the script shows it.
pub fn filters(texts: &RuleTexts<'_>) -> String {
    let rules = texts.rules;
    let mut out = String::from(
        "<section aria-labelledby=\"find\">\n<h2 id=\"find\">Find deployments</h2>\n<noscript><p>Filtering needs JavaScript; without it every row below is shown.</p></noscript>\n<form id=\"filters\" role=\"search\" aria-label=\"Filter the report\" hidden>\n<label>Search: id, value or words<input type=\"search\" name=\"q\"></label>\n",
    );
    let verdicts: Vec<String> = VERDICTS.iter().map(|v| (*v).to_owned()).collect();
    choice(&mut out, "Verdict", "verdict", false, &verdicts);
    let agreements: Vec<String> = rules.agreements.iter().map(|a| a.id.clone()).collect();
    choice(&mut out, "Agreement (in force; of a violation)", "agreement", false, &agreements);
    let clauses: Vec<String> = rules
        .agreements
        .iter()
        .flat_map(|a| {
            a.clauses.iter().map(|c| format!("{}.{}", a.id, c.id)).chain(std::iter::once(format!(
                "{}.{}",
                a.id,
                crate::waivers::DEFAULT_CLAUSE
            )))
        })
        .collect();
    choice(&mut out, "Violated clause", "clause", false, &clauses);
    for f in &rules.vocabulary.fields {
        choice(&mut out, &escaped(&f.name), &f.name, true, &f.values);
    }
    out.push_str("<button type=\"reset\">Clear</button>\n</form>\n<p id=\"matching\" role=\"status\" aria-live=\"polite\"></p>\n</section>\n");
    out
}

/// The page of a run that checked nothing: the inputs are wrong.
pub fn failed(diagnostics: &[crate::diagnostic::Diagnostic], sources: &crate::source::Sources) -> Vec<u8> {
    let errors = diagnostics.iter().filter(|d| d.severity == crate::diagnostic::Severity::Error).count();
    let mut s = head("clausecheck: nothing was checked");
    let _ = write!(
        s,
        "<header>\n<h1>clausecheck report</h1>\n<p class=\"verdict error\">nothing was checked: the inputs have {}</p>\n</header>\n<main>\n<section aria-labelledby=\"errors\">\n<h2 id=\"errors\">Errors in the inputs</h2>\n<p>Exit status <strong>2</strong>: the rules, the waivers, the baseline or the command line are wrong.</p>\n<table>\n<caption>Errors that stopped the run</caption>\n<thead><tr><th scope=\"col\">place</th><th scope=\"col\">code</th><th scope=\"col\">problem</th></tr></thead>\n<tbody>\n",
        plural(errors, "error", "errors")
    );
    for d in diagnostics.iter().take(crate::diagnostic::MAX_JSON_ERRORS) {
        let (file, line, column) = d.file_line_column(sources);
        let place = match (file, line, column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
            (Some(f), Some(l), None) => format!("{f}:{l}"),
            (Some(f), _, _) => f,
            _ => String::new(),
        };
        s.push_str("<tr><th scope=\"row\">");
        text(&mut s, &place);
        let _ = write!(s, "</th><td><code>{}</code></td><td>", d.code);
        prose(&mut s, &d.message);
        if let Some(help) = &d.help {
            s.push_str(" (");
            prose(&mut s, help);
            s.push(')');
        }
        s.push_str("</td></tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
    s.push_str(&foot());
    s.into_bytes()
}
