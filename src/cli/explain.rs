//! `clausecheck explain`: one deployment, every step of its verdict, and when it would change.

use std::path::PathBuf;

use clausecheck::eval::{Evaluator, Launches, PlanIndex};
use clausecheck::plan::{self, Deployment, PlanFormat, Record};
use clausecheck::report;
use clausecheck::suggest;

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

    /// The dates of the rules' events (`name: YYYY-MM-DD` or `name: unknown`), as for `check`.
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,

    /// How to write the explanation.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// When to use colour in error messages.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub fn run(args: ExplainArgs) -> Status {
    let fail = |message: &str| {
        eprintln!("error: {}", report::safe(message));
        Status::Error
    };
    if args.facts.is_empty() && args.id.is_none() {
        return fail("name a deployment: FIELD=VALUE pairs, or `--plan FILE --id ID`");
    }
    let events = io::Events {
        file: args.events.clone(),
        plans: args
            .plan
            .iter()
            .filter(|p| matches!(PlanFormat::from_path(p), Some(PlanFormat::Yaml | PlanFormat::Json)))
            .map(PathBuf::from)
            .collect(),
    };
    let color = io::use_color(args.color, io::stderr_is_terminal());
    let Ok(loaded) = io::load_rule_set_with(args.rules.clone(), &events, color) else {
        return Status::Error;
    };
    let (sources, rules) = (&loaded.sources, &loaded.rules);
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
    let deployment = if let (Some(id), Some(plan)) = (&args.id, &context) {
        let id_of = |r: &Record| match r {
            Record::Valid(d) => d.id.clone(),
            Record::Invalid(bad) => bad.id.clone(),
        };
        match plan.records.iter().find(|r| &id_of(r) == id) {
            Some(Record::Valid(d)) => d.clone(),
            Some(Record::Invalid(bad)) => {
                return fail(&format!("deployment `{id}` is not valid: {}", problems(bad)))
            }
            None => {
                let ids: Vec<String> = plan.records.iter().map(id_of).collect();
                let help = suggest::help(id, ids.iter().map(String::as_str))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                return fail(&format!("the plan has no deployment `{id}`{help}"));
            }
        }
    } else {
        match from_facts(&args.facts, &rules.vocabulary) {
            Ok(d) => d,
            Err(e) => return fail(&e),
        }
    };
    let explain_under = |rules: &clausecheck::model::RuleSet| {
        let index = match &context {
            // A deployment given as FIELD=VALUE joins the plan it is explained in (as it would if
            // it were a record of it); one taken from the plan with --id is in it already.
            Some(plan) if args.id.is_none() => {
                PlanIndex::build(rules, plan.deployments().chain(std::iter::once(&deployment)))
            }
            Some(plan) => PlanIndex::build(rules, plan.deployments()),
            None => PlanIndex::build(rules, std::iter::once(&deployment)),
        };
        let evaluator = Evaluator::new(rules);
        clausecheck::analysis::explain::explain(&evaluator, sources, &deployment, Launches::Plan(&index))
    };
    let mut explanation = explain_under(rules);
    // What the verdict would be had each pending event happened on the deployment's day: the
    // rules are loaded again with that date (dates are bound when the rules are resolved).
    let mut alternatives = Vec::new();
    for event in clausecheck::analysis::explain::pending_events(rules, &deployment) {
        let dated = clausecheck::events::GivenEvent {
            name: event.name.clone(),
            date: Some(deployment.date),
            span: clausecheck::source::Span::default(),
        };
        if let Ok(other) = clausecheck::load_rules_dated(sources, &loaded.events, &[dated]) {
            alternatives.push((event.name.clone(), explain_under(&other)));
        }
    }
    clausecheck::analysis::explain::add_event_changes(&mut explanation, alternatives);
    let text = match args.format {
        Format::Json => report::explain_to_json(&explanation),
        Format::Text => report::explain_to_text(&explanation),
    };
    print!("{}", report::safe_lines(&text));
    match explanation.verdict {
        "violated" => Status::Findings,
        _ => Status::Success,
    }
}

/// `party=openai date=2026-06-01 ...`, checked like a plan record.
fn from_facts(facts: &[String], vocab: &clausecheck::model::Vocabulary) -> Result<Deployment, String> {
    let mut pairs = Vec::with_capacity(facts.len());
    for fact in facts {
        let Some(pair) = fact.split_once('=') else {
            return Err(bare_word(fact, vocab));
        };
        pairs.push(pair);
    }
    match plan::read_pairs(&pairs, vocab) {
        Record::Valid(d) => Ok(d),
        Record::Invalid(bad) => Err(problems(&bad)),
    }
}

/// What a word with no `=` was probably meant to be: a flag set (`azure_declined=true`), a field
/// given its value (`cloud=VALUE`), or a pair.
fn bare_word(word: &str, vocab: &clausecheck::model::Vocabulary) -> String {
    if vocab.flags.iter().any(|f| f.name == word) {
        return format!("`{word}` is not FIELD=VALUE; to set the flag, write `{word}=true`");
    }
    if let Some(field) = vocab.fields.iter().find(|f| f.name == word) {
        let example = field.values.first().map_or("VALUE", String::as_str);
        return format!("`{word}` is not FIELD=VALUE; give the field its value, like `{word}={example}`");
    }
    if word == "date" {
        return "`date` is not FIELD=VALUE; give the day, like `date=2026-06-01`".to_owned();
    }
    let pair = vocab
        .fields
        .iter()
        .find_map(|f| f.values.first().map(|v| format!("`{}={v}`", f.name)))
        .unwrap_or_else(|| "`date=2026-06-01`".to_owned());
    let flag = vocab.flags.first().map(|f| format!(", or `{}=true` for a flag", f.name)).unwrap_or_default();
    format!("`{word}` is not FIELD=VALUE, like {pair}{flag}")
}

fn problems(bad: &clausecheck::plan::InvalidRecord) -> String {
    bad.problems
        .iter()
        .map(|p| {
            let field = p.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
            let help = p.help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            format!("{field}{}{help}", p.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}
