//! Rule sets of any size, always valid, as `.terms` text.
//!
//! Two shapes. `realistic` clauses read like contracts: a `when` that names a few products and
//! clouds, a date window now and then, a `require launched(...)` in a few; this is what the
//! benchmarks load and check. `adversarial` clauses use every construct — nested `and`/`or`/`not`,
//! `unless`, exceptions, `default deny`, supersession, every `launched` qualifier, optional fields
//! left out — for the differential test of the compiled program against the interpreter.
//!
//! Either shape may also declare events and use them (agreements and clauses that start or end
//! at one, windows from one), give fields a varying number of values, and plant a deadlock
//! between two agreements (for `lint`'s benchmark): "debut on `c0` first" in one, "exclusively
//! on `c1`" in another, both in force from 2024 for every party.

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
    /// When above `values`, each field has between `values` and `max_values` values.
    pub max_values: usize,
    /// Events declared (`e0`, `e1`, ...) and used by agreements, clauses and windows.
    pub events: usize,
    /// The last two agreements are a planted deadlock (needs two agreements and two fields).
    pub plant_deadlock: bool,
}

impl Default for RulesSpec {
    fn default() -> RulesSpec {
        RulesSpec {
            agreements: 4,
            clauses: 40,
            fields: 4,
            values: 6,
            flags: 2,
            seed: 1,
            adversarial: false,
            max_values: 0,
            events: 0,
            plant_deadlock: false,
        }
    }
}

struct Vocab {
    /// (name, values, optional); `party` first.
    fields: Vec<(String, Vec<String>, bool)>,
    flags: Vec<String>,
    events: Vec<String>,
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
    for (i, e) in vocab.events.iter().enumerate() {
        let _ = writeln!(out, "event {e} \"generated event {i}\"");
    }
    let agreements = spec.agreements.max(1);
    let planted = spec.plant_deadlock && agreements >= 2 && vocab.fields.len() >= 3;
    let counts: Vec<usize> = (0..agreements)
        .map(|a| spec.clauses / agreements + usize::from(a < spec.clauses % agreements))
        .collect();
    for a in 0..agreements {
        if planted && a + 2 >= agreements {
            planted_agreement(&mut out, &mut rng, &vocab, spec, &counts[..=a], a + 2 == agreements);
        } else {
            agreement(&mut out, &mut rng, &vocab, spec, a, &counts[..=a]);
        }
    }
    out
}

/// One side of the planted deadlock: agreement `a`, in force from 2024 for everyone, its first
/// clause the planted one, the rest generated as usual.
fn planted_agreement(
    out: &mut String,
    rng: &mut Rng,
    vocab: &Vocab,
    spec: RulesSpec,
    counts: &[usize],
    debut: bool,
) {
    let (a, clauses) = (counts.len() - 1, counts[counts.len() - 1]);
    let product = &vocab.fields[1].0;
    let (cloud, values, _) = &vocab.fields[2];
    let _ = writeln!(
        out,
        "agreement a{a} \"Agreement {a} (planted {})\" {{",
        if debut { "debut" } else { "exclusive" }
    );
    let _ = writeln!(out, "  effective 2024-01-01\n  default allow");
    let _ = writeln!(out, "  param cutoff = 2027-06-30 assumed \"generated\"");
    let _ = writeln!(out, "  clause k0 \"Planted {}\" {{", if debut { "debut" } else { "exclusivity" });
    if debut {
        let _ = writeln!(out, "    quote \"every product debuts on {} first\"", values[0]);
        let _ = writeln!(
            out,
            "    require launched({product}, {cloud} = {}) on or before date when {cloud} != {}",
            values[0], values[0]
        );
    } else {
        let _ = writeln!(out, "    quote \"everything runs exclusively on {}\"", values[1]);
        let _ = writeln!(out, "    forbid when {cloud} != {}", values[1]);
    }
    out.push_str("  }\n");
    for c in 1..clauses {
        clause(out, rng, vocab, spec, counts, c);
    }
    out.push_str("}\n");
}

fn vocabulary(spec: RulesSpec) -> Vocab {
    let values = spec.values.max(2);
    let mut fields =
        vec![("party".to_string(), (0..values.min(4)).map(|i| format!("p{i}")).collect(), false)];
    // Its own stream, so that rule sets with the same number of values everywhere stay as they were.
    let mut sizes = Rng::new(spec.seed ^ 0x5eed);
    for f in 0..spec.fields {
        let values = if spec.max_values > values {
            values + sizes.below(spec.max_values - values + 1)
        } else {
            values
        };
        let (name, prefix, optional) = match f {
            0 => ("product".to_string(), "x".to_string(), false),
            1 => ("cloud".to_string(), "c".to_string(), false),
            2 => ("channel".to_string(), "h".to_string(), true),
            n => (format!("field{n}"), format!("f{n}v"), n % 2 == 0),
        };
        fields.push((name, (0..values).map(|i| format!("{prefix}{i}")).collect(), optional));
    }
    Vocab {
        fields,
        flags: (0..spec.flags).map(|i| format!("flag{i}")).collect(),
        events: (0..spec.events).map(|i| format!("e{i}")).collect(),
    }
}

/// Agreement `a`; `counts` are the clause counts of the agreements up to it, this one last.
fn agreement(out: &mut String, rng: &mut Rng, vocab: &Vocab, spec: RulesSpec, a: usize, counts: &[usize]) {
    let clauses = counts[a];
    let _ = writeln!(out, "agreement a{a} \"Agreement {a}\" {{");
    let parties = &vocab.fields[0].1;
    if rng.chance(60) {
        let n = 1 + rng.below(parties.len());
        let chosen: Vec<&str> = parties.iter().take(n).map(String::as_str).collect();
        let _ = writeln!(out, "  parties {}", chosen.join(", "));
    }
    let start = 2019 + rng.below(8);
    let _ = writeln!(out, "  effective {start}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
    if !vocab.events.is_empty() && rng.chance(30) {
        let event = rng.pick(&vocab.events);
        let _ = writeln!(
            out,
            "  until {event} or through {}-12-31, whichever is first",
            start + 2 + rng.below(10)
        );
    } else if rng.chance(30) {
        let _ = writeln!(out, "  ends {}-12-31", start + 2 + rng.below(10));
    }
    if a > 0 && rng.chance(if spec.adversarial { 40 } else { 15 }) {
        let _ = writeln!(out, "  supersedes a{}", rng.below(a));
    }
    // A single clause of an earlier agreement, the rest of it staying in force.
    if spec.adversarial && a > 0 && rng.chance(15) {
        let j = rng.below(a);
        if counts[j] > 0 {
            let _ = writeln!(out, "  supersedes a{j}.k{}", rng.below(counts[j]));
        }
    }
    let deny = spec.adversarial && rng.chance(30);
    let _ = writeln!(out, "  default {}", if deny { "deny" } else { "allow" });
    let _ = writeln!(out, "  param cutoff = {}-06-30 assumed \"generated\"", 2024 + rng.below(8));
    for c in 0..clauses {
        clause(out, rng, vocab, spec, counts, c);
    }
    out.push_str("}\n");
}

/// Clause `c` of the last agreement of `counts` (the clause counts of the agreements up to it).
fn clause(out: &mut String, rng: &mut Rng, vocab: &Vocab, spec: RulesSpec, counts: &[usize], c: usize) {
    let a = counts.len() - 1;
    let parties = &vocab.fields[0].1;
    let _ = writeln!(out, "  clause k{c} \"Clause {c} of agreement {a}\" {{");
    let _ = writeln!(out, "    quote \"generated clause {c}\"");
    if spec.adversarial && c > 0 && rng.chance(20) {
        let _ = writeln!(out, "    exception to k{}", rng.below(c));
    } else if spec.adversarial && a > 0 && rng.chance(10) {
        // Across agreements, to an earlier one only: no cycle.
        let j = rng.below(a);
        if counts[j] > 0 {
            let _ = writeln!(out, "    exception to a{j}.k{}", rng.below(counts[j]));
        }
    }
    if !vocab.events.is_empty() && rng.chance(10) {
        let event = rng.pick(&vocab.events);
        let _ = writeln!(out, "    {} {event}", if rng.chance(50) { "effective" } else { "until" });
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
        parts.push(if !vocab.events.is_empty() && rng.chance(30) {
            event_test(rng, vocab)
        } else {
            date_test(rng)
        });
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

/// A window that starts or ends at an event.
fn event_test(rng: &mut Rng, vocab: &Vocab) -> String {
    let event = rng.pick(&vocab.events);
    match rng.below(3) {
        0 => format!("date from {event}"),
        1 => format!("date within {} days after {event}", 30 + rng.below(365)),
        _ => format!("date through {}-12-31 or until {event}, whichever is first", 2025 + rng.below(6)),
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
