//! Rule sets of any size, always valid, as `.terms` text.
//!
//! Two shapes. `realistic` clauses read like contracts: a `when` that names a few products and
//! clouds, a date window now and then, a `require launched(...)` in a few; this is what the
//! benchmarks load and check. `adversarial` clauses use every construct — nested `and`/`or`/`not`,
//! `unless`, exceptions, `default deny`, supersession, every `launched` qualifier, optional fields
//! left out — for the differential test of the compiled program against the interpreter.

use std::fmt::Write as _;

use super::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesSpec {
    pub agreements: usize,
    /// Clauses in all, spread evenly over the agreements.
    pub clauses: usize,
    /// Fields besides `party` (the first three are `product`, `cloud` and the optional `channel`).
    pub fields: usize,
    /// Values per field.
    pub values: usize,
    pub flags: usize,
    pub seed: u64,
    pub adversarial: bool,
}

impl Default for RulesSpec {
    fn default() -> RulesSpec {
        RulesSpec { agreements: 4, clauses: 40, fields: 4, values: 6, flags: 2, seed: 1, adversarial: false }
    }
}

struct Vocab {
    /// (name, values, optional); `party` first.
    fields: Vec<(String, Vec<String>, bool)>,
    flags: Vec<String>,
}

pub fn rules(spec: RulesSpec) -> String {
    let mut rng = Rng::new(spec.seed);
    let vocab = vocabulary(spec);
    let mut out = String::new();
    out.push_str("vocabulary {\n");
    for (name, values, optional) in &vocab.fields {
        let _ = writeln!(out, "  {}{name} {}", if *optional { "optional " } else { "" }, values.join(", "));
    }
    if !vocab.flags.is_empty() {
        let _ = writeln!(out, "  flag {}", vocab.flags.join(", "));
    }
    out.push_str("}\n");
    let agreements = spec.agreements.max(1);
    for a in 0..agreements {
        let clauses = spec.clauses / agreements + usize::from(a < spec.clauses % agreements);
        agreement(&mut out, &mut rng, &vocab, spec, a, clauses);
    }
    out
}

fn vocabulary(spec: RulesSpec) -> Vocab {
    let values = spec.values.max(2);
    let mut fields =
        vec![("party".to_string(), (0..values.min(4)).map(|i| format!("p{i}")).collect(), false)];
    for f in 0..spec.fields {
        let (name, prefix, optional) = match f {
            0 => ("product".to_string(), "x".to_string(), false),
            1 => ("cloud".to_string(), "c".to_string(), false),
            2 => ("channel".to_string(), "h".to_string(), true),
            n => (format!("field{n}"), format!("f{n}v"), n % 2 == 0),
        };
        fields.push((name, (0..values).map(|i| format!("{prefix}{i}")).collect(), optional));
    }
    Vocab { fields, flags: (0..spec.flags).map(|i| format!("flag{i}")).collect() }
}

fn agreement(out: &mut String, rng: &mut Rng, vocab: &Vocab, spec: RulesSpec, a: usize, clauses: usize) {
    let _ = writeln!(out, "agreement a{a} \"Agreement {a}\" {{");
    let parties = &vocab.fields[0].1;
    if rng.chance(60) {
        let n = 1 + rng.below(parties.len());
        let chosen: Vec<&str> = parties.iter().take(n).map(String::as_str).collect();
        let _ = writeln!(out, "  parties {}", chosen.join(", "));
    }
    let start = 2019 + rng.below(8);
    let _ = writeln!(out, "  effective {start}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
    if rng.chance(30) {
        let _ = writeln!(out, "  ends {}-12-31", start + 2 + rng.below(10));
    }
    if a > 0 && rng.chance(if spec.adversarial { 40 } else { 15 }) {
        let _ = writeln!(out, "  supersedes a{}", rng.below(a));
    }
    let deny = spec.adversarial && rng.chance(30);
    let _ = writeln!(out, "  default {}", if deny { "deny" } else { "allow" });
    let _ = writeln!(out, "  param cutoff = {}-06-30 assumed \"generated\"", 2024 + rng.below(8));
    for c in 0..clauses {
        let _ = writeln!(out, "  clause k{c} \"Clause {c} of agreement {a}\" {{");
        let _ = writeln!(out, "    quote \"generated clause {c}\"");
        if spec.adversarial && c > 0 && rng.chance(20) {
            let _ = writeln!(out, "    exception to k{}", rng.below(c));
        }
        if rng.chance(5) {
            let payee = rng.pick(parties).clone();
            let payer = parties.iter().find(|p| **p != payee).cloned().unwrap_or_default();
            if !payer.is_empty() {
                let _ = writeln!(out, "    oblige {payer} pays {payee} 20% of revenue through 2030");
            }
        }
        let rules = 1 + rng.below(if spec.adversarial { 3 } else { 2 });
        for _ in 0..rules {
            rule(out, rng, vocab, spec);
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
}

fn rule(out: &mut String, rng: &mut Rng, vocab: &Vocab, spec: RulesSpec) {
    let when = if spec.adversarial { condition(rng, vocab, 2) } else { realistic_when(rng, vocab) };
    let unless = (!vocab.flags.is_empty() && rng.chance(if spec.adversarial { 30 } else { 10 })).then(|| {
        if spec.adversarial {
            condition(rng, vocab, 1)
        } else {
            rng.pick(&vocab.flags).clone()
        }
    });
    let unless = unless.map(|u| format!(" unless {u}")).unwrap_or_default();
    let pick = rng.below(10);
    if pick < 2 {
        let requirement = if vocab.fields.len() > 2 && rng.chance(60) {
            launched(rng, vocab)
        } else {
            field_test(rng, vocab)
        };
        let _ = writeln!(out, "    require {requirement} when {when}{unless}");
    } else if pick < 6 {
        let _ = writeln!(out, "    permit when {when}{unless}");
    } else {
        let _ = writeln!(out, "    forbid when {when}{unless}");
    }
}

/// A few positive field tests, the way contracts name products and clouds, and sometimes a date.
fn realistic_when(rng: &mut Rng, vocab: &Vocab) -> String {
    let mut parts = Vec::new();
    if vocab.fields.len() > 1 {
        let (name, values, _) = &vocab.fields[1];
        let n = 1 + rng.below(2);
        let set: Vec<&str> = (0..n).map(|_| rng.pick(values).as_str()).collect();
        parts.push(format!("{name} in {{{}}}", set.join(", ")));
    }
    if rng.chance(50) {
        parts.push(field_test(rng, vocab));
    }
    if rng.chance(30) {
        parts.push(date_test(rng));
    }
    parts.join(" and ")
}

fn condition(rng: &mut Rng, vocab: &Vocab, depth: usize) -> String {
    let leaf = depth == 0 || rng.chance(40);
    if leaf {
        return match rng.below(10) {
            0..=4 => field_test(rng, vocab),
            5 if !vocab.flags.is_empty() => rng.pick(&vocab.flags).clone(),
            6 | 7 => date_test(rng),
            8 if vocab.fields.len() > 2 => launched(rng, vocab),
            _ => field_test(rng, vocab),
        };
    }
    match rng.below(4) {
        0 => format!("not ({})", condition(rng, vocab, depth - 1)),
        1 => format!("({} or {})", condition(rng, vocab, depth - 1), condition(rng, vocab, depth - 1)),
        _ => format!("{} and {}", condition(rng, vocab, depth - 1), condition(rng, vocab, depth - 1)),
    }
}

fn field_test(rng: &mut Rng, vocab: &Vocab) -> String {
    let (name, values, _) = rng.pick(&vocab.fields);
    match rng.below(4) {
        0 => format!("{name} = {}", rng.pick(values)),
        1 => format!("{name} != {}", rng.pick(values)),
        2 => format!("{name} in {{{}, {}}}", rng.pick(values), rng.pick(values)),
        _ => format!("{name} not in {{{}}}", rng.pick(values)),
    }
}

fn date_test(rng: &mut Rng) -> String {
    let year = 2020 + rng.below(12);
    match rng.below(6) {
        0 => format!("date before {year}"),
        1 => format!("date after {year}-{:02}", 1 + rng.below(12)),
        2 => format!("date from {year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        3 => format!("date through {year}"),
        4 => "date after cutoff".to_string(),
        _ => format!("date between {year} and {}", year + rng.below(4)),
    }
}

fn launched(rng: &mut Rng, vocab: &Vocab) -> String {
    let cloud = rng.pick(&vocab.fields[2].1).clone();
    let same = &vocab.fields[1].0;
    let when = match rng.below(3) {
        0 => " on or before date",
        1 => " before date",
        _ => "",
    };
    format!("launched({same}, cloud = {cloud}){when}")
}
