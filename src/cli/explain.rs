//! `clausecheck explain`: one deployment, every step of its verdict, and when it would change.

use std::path::PathBuf;

use clausecheck::eval::{Evaluator, Launches, PlanIndex};
use clausecheck::plan::{self, PlanFormat, Record};
use clausecheck::report;

use super::{io, ColorChoice, Format, Status};

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The deployment as FIELD=VALUE pairs, e.g. `party=openai product=frontier cloud=aws
    /// channel=bedrock date=2026-06-01` (flags: `azure_declined=true`).
    #[arg(value_name = "FIELD=VALUE", conflicts_with = "id")]
    facts: Vec<String>,

    /// A plan to take the deployment from (with `--id`), or to give `launched(...)` its context.
    #[arg(long, value_name = "FILE")]
    plan: Option<String>,

    /// The id of the deployment in `--plan` to explain (`#N` for the N-th record without an id).
    #[arg(long, requires = "plan")]
    id: Option<String>,

    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// How to write the explanation.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// When to use colour in error messages.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub fn run(args: ExplainArgs) -> Status {
    let fail = |message: &str| {
        eprintln!("error: {message}");
        Status::Error
    };
    if args.facts.is_empty() && args.id.is_none() {
        return fail("name a deployment: FIELD=VALUE pairs, or `--plan FILE --id ID`");
    }
    let Ok((sources, rules)) =
        io::load_rule_set(args.rules.clone(), io::use_color(args.color, io::stderr_is_terminal()))
    else {
        return Status::Error;
    };
    let context = match &args.plan {
        None => None,
        Some(name) => {
            let Some(format) = PlanFormat::from_path(name) else {
                return fail(&format!("cannot tell the format of plan `{name}` from its name"));
            };
            let text = match io::read_plan_text(name) {
                Ok(t) => t,
                Err(e) => return fail(&e),
            };
            match plan::read_plan(&text, format, &rules.vocabulary) {
                Ok(p) => Some(p),
                Err(e) => return fail(&format!("plan `{name}`: {}", e.message)),
            }
        }
    };
    let deployment = if let Some(id) = &args.id {
        let plan = context.as_ref().expect("clap: --id requires --plan");
        let found = plan.records.iter().find(|r| match r {
            Record::Valid(d) => &d.id == id,
            Record::Invalid(bad) => &bad.id == id,
        });
        match found {
            Some(Record::Valid(d)) => d.clone(),
            Some(Record::Invalid(bad)) => {
                let problems: Vec<&str> = bad.problems.iter().map(|p| p.message.as_str()).collect();
                return fail(&format!("deployment `{id}` is not valid: {}", problems.join("; ")));
            }
            None => return fail(&format!("the plan has no deployment `{id}`")),
        }
    } else {
        match from_facts(&args.facts, &rules.vocabulary) {
            Ok(d) => d,
            Err(e) => return fail(&e),
        }
    };
    let index = match &context {
        Some(plan) => PlanIndex::build(&rules, plan.deployments()),
        None => PlanIndex::build(&rules, std::iter::once(&deployment)),
    };
    let evaluator = Evaluator::new(&rules);
    let explanation =
        clausecheck::analysis::explain::explain(&evaluator, &sources, &deployment, Launches::Plan(&index));
    let text = match args.format {
        Format::Json => report::explain_to_json(&explanation),
        Format::Text => report::explain_to_text(&explanation),
    };
    print!("{text}");
    match explanation.verdict {
        "violated" => Status::Violated,
        _ => Status::Allowed,
    }
}

/// `party=openai date=2026-06-01 ...` read through the plan reader, so it is checked like a record.
fn from_facts(
    facts: &[String],
    vocab: &clausecheck::model::Vocabulary,
) -> Result<clausecheck::plan::Deployment, String> {
    let mut record = serde_json::Map::new();
    record.insert("id".into(), "explain".into());
    for fact in facts {
        let Some((field, value)) = fact.split_once('=') else {
            return Err(format!("`{fact}` is not FIELD=VALUE, like `cloud=aws`"));
        };
        let value = match value {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            v => serde_json::Value::String(v.to_string()),
        };
        record.insert(field.to_string(), value);
    }
    let text = serde_json::json!({ "deployments": [record] }).to_string();
    let plan = plan::read_plan(&text, PlanFormat::Json, vocab).map_err(|e| e.message)?;
    match plan.records.into_iter().next() {
        Some(Record::Valid(d)) => Ok(d),
        Some(Record::Invalid(bad)) => Err(bad
            .problems
            .iter()
            .map(|p| {
                let field = p.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
                let help = p.help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
                format!("{field}{}{help}", p.message)
            })
            .collect::<Vec<_>>()
            .join("; ")),
        None => Err("no deployment given".into()),
    }
}
