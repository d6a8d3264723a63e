//! The formatter: it keeps the meaning and every comment, settles after one pass, lays out messy
//! files canonically (snapshots), and `clausecheck fmt` rewrites and checks files end to end.
//!
//! The two properties (same tree and comments after formatting; formatting twice changes nothing)
//! are checked over generated rule files and over every rule file of the repository.

mod common;
use common::bin::{clausecheck, stdout};

use std::path::{Path, PathBuf};
use std::process::Output;

use clausecheck::format::{self, MAX_WIDTH};
use clausecheck::source::FileId;
use clausecheck::syntax::{self, ast::RuleFile};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The two properties

/// Checks that `print` keeps items and comments and settles, and that `format` agrees with it.
/// Returns the formatted text.
fn check_properties(name: &str, text: &str) -> Result<String, String> {
    let before = syntax::parse(FileId(0), text).map_err(|e| format!("{name}: does not parse: {e}"))?;
    // The raw printer, so that the safety net of `format` cannot hide a fault.
    let once = format::print(&before, text);
    let after = syntax::parse(FileId(0), &once)
        .map_err(|e| format!("{name}: the formatted text does not parse: {e}\n{once}"))?;
    if after.items != before.items {
        return Err(format!("{name}: formatting changed the rules:\n{text}\n---- became:\n{once}"));
    }
    if comment_texts(&after) != comment_texts(&before) {
        return Err(format!(
            "{name}: formatting changed the comments {:?} into {:?}:\n{once}",
            comment_texts(&before),
            comment_texts(&after)
        ));
    }
    let twice = format::print(&after, &once);
    if twice != once {
        return Err(format!("{name}: formatting again changed the text:\n{once}\n---- became:\n{twice}"));
    }
    let checked = format::format(text).map_err(|e| format!("{name}: format failed: {e}"))?;
    if checked != once {
        return Err(format!("{name}: `format` and `print` disagree"));
    }
    Ok(once)
}

fn comment_texts(file: &RuleFile) -> Vec<&str> {
    file.comments.iter().map(|c| c.text.as_str()).collect()
}

/// The same text with every line's indentation removed and `\r\n` line ends: layout only.
fn flattened(text: &str) -> String {
    text.lines().map(str::trim_start).collect::<Vec<_>>().join("\r\n")
}

// ---------------------------------------------------------------------------------------------
// A generator of rule files, built from the grammar: a list of tokens, then random layout between
// them (spaces, tabs, line breaks, blank lines, comments, `\r\n`), within what the grammar allows.

#[derive(Debug, Clone)]
enum Tok {
    /// A word, number, date or quoted text: needs a space before a following word.
    W(String),
    /// Punctuation: may touch its neighbours.
    P(&'static str),
    /// Spaces or tabs, at least one (inside a vocabulary declaration, inside an amount of money).
    Inline,
    /// Nothing or a space (before a comma in a vocabulary list).
    InlineOpt,
    /// The end of a vocabulary declaration's line, perhaps with a comment.
    LineEnd,
}

fn w(s: impl Into<String>) -> Tok {
    Tok::W(s.into())
}

const NAMES: &[&str] = &[
    "alpha",
    "beta",
    "x",
    "Azure",
    "aws_2",
    "order",
    "notice",
    "index",
    "product",
    "stateful_runtime",
    "a_rather_long_name_for_breaking_lines",
    "another_quite_long_value_name",
];

const COMMENTS: &[&str] = &[
    " note",
    "",
    " # a hash, \"quotes\", {braces} (parens), commas",
    "\tafter a tab",
    " trailing spaces  ",
    " ünïcode ’–",
    "#",
];

const STRING_PIECES: &[&str] =
    &["a", "word", " ", "#", "\\\"", "\\\\", "’", "–", "{", "}", "27%", "x # y", "and", "\t"];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(String::from)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(STRING_PIECES), 0..6)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn day() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-04-27".to_string()),
        Just("2030-2-3".to_string()),
        Just("2032-12-31".to_string()),
        Just("2019-07".to_string()),
    ]
}

fn bound() -> impl Strategy<Value = Vec<Tok>> {
    prop_oneof![day().prop_map(|d| vec![w(d)]), Just(vec![w("2032")]), name().prop_map(|n| vec![w(n)])]
}

fn quantity() -> impl Strategy<Value = Vec<Tok>> {
    prop_oneof![
        (
            prop::sample::select(&["0", "1_000_000", "2.5", "250_000.50"][..]),
            prop::sample::select(&["USD", "EUR"][..])
        )
            .prop_map(|(n, c)| vec![w(n), Tok::Inline, w(c)]),
        prop::sample::select(&["20%", "12.5%", "100%"][..]).prop_map(|p| vec![w(p)]),
        day().prop_map(|d| vec![w(d)]),
        prop::sample::select(&["2", "1_000"][..]).prop_map(|n| vec![w(n)]),
    ]
}

fn value() -> impl Strategy<Value = Vec<Tok>> {
    prop_oneof![quantity(), name().prop_map(|n| vec![w(n)])]
}

/// `a, b, c` with free layout around the commas.
fn list(names: Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    for (i, n) in names.into_iter().enumerate() {
        if i > 0 {
            toks.push(Tok::P(","));
        }
        toks.push(w(n));
    }
    toks
}

fn names(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(name(), 1..=max)
}

/// `90 days`, `1 year`.
fn duration() -> impl Strategy<Value = Vec<Tok>> {
    (1..400u32, prop::sample::select(&["day", "days", "month", "months", "year", "years"][..]))
        .prop_map(|(n, unit)| vec![w(n.to_string()), w(unit)])
}

/// Names of agreements or clauses, some qualified (`other.clause`).
fn refs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((name(), prop::option::of(name())), 1..4)
        .prop_map(|ns| ns.into_iter().map(|(a, c)| c.map_or(a.clone(), |c| format!("{a}.{c}"))).collect())
}

/// `effective DAY|EVENT [assumed]`.
fn start_decl() -> impl Strategy<Value = Vec<Tok>> {
    (prop_oneof![day(), name()], assumed()).prop_map(|(d, a)| [vec![w("effective"), w(d)], a].concat())
}

/// `ends DAY`, `ends N unit after effective|EVENT`, `until EVENT`, with an optional
/// `or ..., whichever is first|last`, and `assumed`.
fn end_decl() -> impl Strategy<Value = Vec<Tok>> {
    let after = || {
        (duration(), prop_oneof![Just("effective".to_string()), name()])
            .prop_map(|(d, base)| [d, vec![w("after"), w(base)]].concat())
    };
    let first = prop_oneof![
        day().prop_map(|d| vec![w("ends"), w(d)]),
        after().prop_map(|a| [vec![w("ends")], a].concat()),
        name().prop_map(|e| vec![w("until"), w(e)]),
    ];
    let second = prop_oneof![
        name().prop_map(|e| vec![w("until"), w(e)]),
        after(),
        // (`or 2030-12-31` without `through` reads too, but after a payment the `until` would be
        // read as the payment's window, which takes `through` or `until` only.)
        day().prop_map(|d| vec![w("through"), w(d)]),
    ];
    (
        first,
        prop::option::of((second, prop::sample::select(&["first", "last"][..]), any::<bool>())),
        assumed(),
    )
        .prop_map(|(first, either, a)| {
            let mut t = first;
            if let Some((second, which, comma)) = either {
                t.push(w("or"));
                t.extend(second);
                if comma {
                    t.push(Tok::P(","));
                }
                t.extend([w("whichever"), w("is"), w(which)]);
            }
            t.extend(a);
            t
        })
}

fn assumed() -> impl Strategy<Value = Vec<Tok>> {
    prop::option::of(text()).prop_map(|t| t.map_or_else(Vec::new, |t| vec![w("assumed"), w(t)]))
}

fn test() -> impl Strategy<Value = Vec<Tok>> {
    let field = (name(), 0..4usize, names(4)).prop_map(|(f, form, vs)| {
        let mut t = vec![w(f)];
        match form {
            0 => t.extend([Tok::P("="), w(vs[0].clone())]),
            1 => t.extend([Tok::P("!="), w(vs[0].clone())]),
            2 => t.extend([w("in"), Tok::P("{")]),
            _ => t.extend([w("not"), w("in"), Tok::P("{")]),
        }
        if form >= 2 {
            t.extend(list(vs));
            t.push(Tok::P("}"));
        }
        t
    });
    let date = (0..5usize, bound(), bound()).prop_map(|(form, a, b)| {
        let kw = ["before", "after", "from", "through", "between"][form];
        let mut t = vec![w("date"), w(kw)];
        t.extend(a);
        if form == 4 {
            t.push(w("and"));
            t.extend(b);
        }
        t
    });
    // The second edition's windows: `within N unit after B`, `from B until C`, `until C`, and
    // `through B or until C, whichever is first|last`.
    let window_end = || (prop::sample::select(&["through", "until"][..]), bound());
    let date2 = (
        0..3usize,
        duration(),
        bound(),
        window_end(),
        prop::option::of((window_end(), prop::sample::select(&["first", "last"][..]), any::<bool>())),
    )
        .prop_map(|(form, d, from, (kw, end), either)| {
            let mut t = vec![w("date")];
            match form {
                0 => {
                    t.push(w("within"));
                    t.extend(d);
                    t.push(w("after"));
                    t.extend(from);
                    return t;
                }
                1 => {
                    t.push(w("from"));
                    t.extend(from);
                }
                _ => {}
            }
            t.push(w(kw));
            t.extend(end);
            if let Some(((kw2, end2), which, comma)) = either {
                t.extend([w("or"), w(kw2)]);
                t.extend(end2);
                if comma {
                    t.push(Tok::P(","));
                }
                t.extend([w("whichever"), w("is"), w(which)]);
            }
            t
        });
    let launched = (prop::collection::vec((name(), prop::option::of(name())), 1..4), 0..3usize).prop_map(
        |(args, when)| {
            let mut t = vec![w("launched"), Tok::P("(")];
            for (i, (n, v)) in args.into_iter().enumerate() {
                if i > 0 {
                    t.push(Tok::P(","));
                }
                t.push(w(n));
                if let Some(v) = v {
                    t.extend([Tok::P("="), w(v)]);
                }
            }
            t.push(Tok::P(")"));
            match when {
                1 => t.extend([w("on"), w("or"), w("before"), w("date")]),
                2 => t.extend([w("before"), w("date")]),
                _ => {}
            }
            t
        },
    );
    prop_oneof![3 => field, 1 => name().prop_map(|n| vec![w(n)]), 1 => date, 1 => date2, 1 => launched]
}

fn condition() -> impl Strategy<Value = Vec<Tok>> {
    test().prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            // A chain of one operator (with precedence, `or` over `and` parts gives mixed trees).
            (prop::collection::vec(inner.clone(), 2..6), prop::sample::select(&["and", "or"][..])).prop_map(
                |(parts, op)| {
                    let mut t = Vec::new();
                    for (i, part) in parts.into_iter().enumerate() {
                        if i > 0 {
                            t.push(w(op));
                        }
                        t.extend(part);
                    }
                    t
                }
            ),
            inner.clone().prop_map(|c| {
                let mut t = vec![w("not")];
                t.extend(c);
                t
            }),
            inner.prop_map(|c| {
                let mut t = vec![Tok::P("(")];
                t.extend(c);
                t.push(Tok::P(")"));
                t
            }),
        ]
    })
}

fn scope() -> impl Strategy<Value = Vec<Tok>> {
    (prop::option::of(condition()), prop::option::of(condition())).prop_map(|(when, unless)| {
        let mut t = Vec::new();
        if let Some(c) = when {
            t.push(w("when"));
            t.extend(c);
        }
        if let Some(c) = unless {
            t.push(w("unless"));
            t.extend(c);
        }
        t
    })
}

fn clause_item() -> impl Strategy<Value = Vec<Tok>> {
    let quote = text().prop_map(|t| vec![w("quote"), w(t)]);
    let exception = refs().prop_map(|ns| {
        let mut t = vec![w("exception"), w("to")];
        t.extend(list(ns));
        t
    });
    let rule = (prop::sample::select(&["permit", "forbid"][..]), scope()).prop_map(|(kw, s)| {
        let mut t = vec![w(kw)];
        t.extend(s);
        t
    });
    let require = (condition(), scope()).prop_map(|(c, s)| {
        let mut t = vec![w("require")];
        t.extend(c);
        t.extend(s);
        t
    });
    let window = prop_oneof![
        bound().prop_map(|b| [vec![w("through")], b].concat()),
        bound().prop_map(|b| [vec![w("from")], b].concat()),
        (bound(), bound()).prop_map(|(a, b)| [vec![w("from")], a, vec![w("through")], b].concat()),
        (bound(), bound()).prop_map(|(a, b)| [vec![w("between")], a, vec![w("and")], b].concat()),
    ];
    let payment = (
        prop::sample::select(&["oblige", "forbid"][..]),
        name(),
        name(),
        prop::option::of((value(), any::<bool>())),
        prop::option::of(window),
        prop::option::of(value()),
    )
        .prop_map(|(kw, payer, payee, amount, window, cap)| {
            let mut t = vec![w(kw), w(payer), w("pays"), w(payee)];
            // A share of revenue, or a total (a commitment to spend).
            if let Some((v, of_revenue)) = amount {
                t.extend(v);
                if of_revenue {
                    t.extend([w("of"), w("revenue")]);
                }
            }
            t.extend(window.unwrap_or_default());
            if let Some(v) = cap {
                t.extend([w("capped"), w("at")]);
                t.extend(v);
            }
            t
        });
    let duty = (name(), text()).prop_map(|(n, s)| vec![w("oblige"), w(n), w("to"), w(s)]);
    let information = text().prop_map(|s| vec![w("information"), w(s)]);
    prop_oneof![
        2 => quote,
        1 => exception,
        3 => rule,
        2 => require,
        1 => payment,
        1 => duty,
        1 => information,
    ]
}

fn agreement_item() -> impl Strategy<Value = Vec<Tok>> {
    let setting = prop_oneof![
        names(3).prop_map(|ns| [vec![w("parties")], list(ns)].concat()),
        start_decl(),
        end_decl(),
        refs().prop_map(|ns| [vec![w("supersedes")], list(ns)].concat()),
        prop::sample::select(&["allow", "deny"][..]).prop_map(|d| vec![w("default"), w(d)]),
    ];
    let param = (name(), quantity(), assumed())
        .prop_map(|(n, q, a)| [vec![w("param"), w(n), Tok::P("=")], q, a].concat());
    // A clause's own period comes before its statements, as docs/language.md asks: after a date
    // test or a payment, `until E` would read as part of that statement's window.
    let clause = (
        name(),
        text(),
        prop::option::of(start_decl()),
        prop::option::of(end_decl()),
        prop::collection::vec(clause_item(), 0..5),
    )
        .prop_map(|(id, title, start, end, items)| {
            [
                vec![w("clause"), w(id), w(title), Tok::P("{")],
                start.unwrap_or_default(),
                end.unwrap_or_default(),
                items.concat(),
                vec![Tok::P("}")],
            ]
            .concat()
        });
    prop_oneof![2 => setting, 1 => param, 2 => clause]
}

fn vocab_decl() -> impl Strategy<Value = Vec<Tok>> {
    (0..5usize, name(), name(), prop::collection::vec(name(), 1..12)).prop_map(
        |(form, field, class, values)| {
            let mut t = match form {
                0 => vec![w("flag"), Tok::Inline],
                1 => vec![w("optional"), Tok::Inline, w(field), Tok::Inline],
                2 => vec![w("extend"), Tok::Inline, w(field), Tok::Inline],
                3 => vec![
                    w("class"),
                    Tok::Inline,
                    w(class),
                    Tok::Inline,
                    w("of"),
                    Tok::Inline,
                    w(field),
                    Tok::InlineOpt,
                    Tok::P("="),
                    Tok::InlineOpt,
                ],
                _ => vec![w(field), Tok::Inline],
            };
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    t.extend([Tok::InlineOpt, Tok::P(",")]);
                }
                t.push(w(v));
            }
            t.push(Tok::LineEnd);
            t
        },
    )
}

fn item() -> impl Strategy<Value = Vec<Tok>> {
    let vocabulary = prop::collection::vec(vocab_decl(), 0..5)
        .prop_map(|decls| [vec![w("vocabulary"), Tok::P("{")], decls.concat(), vec![Tok::P("}")]].concat());
    let agreement =
        (name(), text(), prop::collection::vec(agreement_item(), 0..6)).prop_map(|(id, title, items)| {
            [vec![w("agreement"), w(id), w(title), Tok::P("{")], items.concat(), vec![Tok::P("}")]].concat()
        });
    let event = (name(), text()).prop_map(|(n, t)| vec![w("event"), w(n), w(t)]);
    prop_oneof![1 => vocabulary, 2 => agreement, 1 => event]
}

/// A rule file: its tokens and the layout choices to put between them.
fn rule_file() -> impl Strategy<Value = (Vec<Tok>, Vec<u8>)> {
    (
        prop::collection::vec(item(), 0..4).prop_map(|items| items.concat()),
        prop::collection::vec(any::<u8>(), 0..400),
    )
}

/// Lays tokens out, taking each choice of layout from `choices` in turn (a plain space once they run out).
fn render(toks: &[Tok], choices: &[u8]) -> String {
    let mut next = choices.iter().copied().chain(std::iter::repeat(0));
    let mut pick = |n: usize| next.next().unwrap_or(0) as usize % n;
    let mut out = String::new();
    // Whether the previous token wants a free separator after it, and whether it was a word.
    let mut pending = true;
    let mut prev_word = false;
    for tok in toks {
        match tok {
            Tok::W(_) | Tok::P(_) => {
                let is_word = matches!(tok, Tok::W(_));
                if pending {
                    let sep = free(&mut pick);
                    out.push_str(if sep.is_empty() && prev_word && is_word { " " } else { &sep });
                }
                out.push_str(match tok {
                    Tok::W(s) => s,
                    Tok::P(p) => p,
                    _ => unreachable!(),
                });
                pending = true;
                prev_word = is_word;
            }
            Tok::Inline => {
                out.push_str([" ", "\t", "   "][pick(3)]);
                pending = false;
            }
            Tok::InlineOpt => {
                out.push_str(["", " "][pick(2)]);
                pending = false;
            }
            Tok::LineEnd => {
                let comment = COMMENTS[pick(COMMENTS.len())];
                let end = match pick(5) {
                    0 => "\n".to_string(),
                    1 => " \n".to_string(),
                    2 => format!("  #{comment}\n"),
                    3 => format!("\t#{comment}\r\n"),
                    _ => "\n\n".to_string(),
                };
                out.push_str(&end);
                pending = false;
            }
        }
    }
    out.push_str(&free(&mut pick));
    out
}

/// Layout where the grammar allows any: spaces, line breaks, blank lines, comments.
fn free(pick: &mut impl FnMut(usize) -> usize) -> String {
    match pick(20) {
        0 | 12..=15 => " ".into(),
        1 | 16 => "".into(),
        2 | 17 => "\n".into(),
        3 => "\n    ".into(),
        4 => "\t".into(),
        5 => "\n\n".into(),
        9 => "\r\n".into(),
        6..=8 | 10 => {
            let comment = COMMENTS[pick(COMMENTS.len())];
            match pick(4) {
                0 => format!(" #{comment}\n"),
                1 => format!("\n#{comment}\n"),
                2 => format!("\n\n\n  #{comment}\n\n  "),
                _ => format!("  #{comment}\r\n  "),
            }
        }
        _ => "   ".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_keep_their_meaning_and_comments_and_settle((toks, choices) in rule_file()) {
        let text = render(&toks, &choices);
        let formatted = check_properties("generated", &text).map_err(TestCaseError::fail)?;
        // Layout only: the same file laid out otherwise formats the same.
        prop_assert_eq!(format::format(&flattened(&text)).unwrap(), formatted.clone());
        prop_assert!(formatted.is_empty() || formatted.ends_with('\n') && !formatted.ends_with("\n\n"));
        prop_assert!(!formatted.contains("\n\n\n"), "two blank lines in a row:\n{}", formatted);
    }
}

// ---------------------------------------------------------------------------------------------
// Every rule file of the repository

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn terms_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            terms_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "terms") {
            out.push(path);
        }
    }
    out.sort();
}

#[test]
fn every_rule_file_of_the_repository_keeps_its_meaning_and_settles() {
    let mut files = Vec::new();
    for dir in [
        "rules",
        "tests/fixtures/rules/ok",
        "tests/fixtures/rules/err",
        "tests/fixtures/format",
        "tests/fixtures/ci/rules",
    ] {
        terms_files(&root().join(dir), &mut files);
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        if syntax::parse(FileId(0), &text).is_err() {
            // A broken fixture: `format` must say so, not guess.
            assert!(format::format(&text).is_err(), "{}", path.display());
            continue;
        }
        let name = path.display().to_string();
        match check_properties(&name, &text) {
            Ok(formatted) => {
                if format::format(&flattened(&text)).as_deref() != Ok(formatted.as_str()) {
                    failures.push(format!("{name}: the same file with other indentation formats otherwise"));
                }
            }
            Err(e) => failures.push(e),
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 40, "only {checked} rule files were found and checked");
}

#[test]
fn the_bundled_rules_are_formatted() {
    let mut files = Vec::new();
    terms_files(&root().join("rules"), &mut files);
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(format::format(&text).unwrap(), text, "{} is not formatted", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// The layout itself: snapshots of messy files, and the rules of the style one by one

#[test]
fn messy_files_come_out_canonical() {
    insta::glob!("fixtures/format/*.terms", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let formatted = format::format(&text).unwrap();
        assert_ne!(formatted, text, "the fixture is meant to be messy");
        insta::assert_snapshot!(formatted);
    });
}

fn fmt(text: &str) -> String {
    format::format(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn vocabulary_values_line_up_at_least_past_optional() {
    assert_eq!(
        fmt("vocabulary{party a,b\nstateful_runtime_kind x\n flag    f}"),
        "vocabulary {\n  party                 a, b\n  stateful_runtime_kind x\n  flag                  f\n}\n"
    );
    assert_eq!(fmt("vocabulary { cloud a\n}"), "vocabulary {\n  cloud    a\n}\n");
}

#[test]
fn settings_line_up_and_params_do_not() {
    let text = "agreement x \"X\" { default allow parties a, b\neffective 2026-01-01 param long_name = 20% param n = 2 }";
    assert_eq!(
        fmt(text),
        "agreement x \"X\" {\n  default   allow\n  parties   a, b\n  effective 2026-01-01\n  param long_name = 20%\n  param n = 2\n}\n"
    );
}

#[test]
fn statement_keywords_line_up_in_a_clause() {
    let text = "agreement x \"X\" { clause c \"C\" { quote \"q\" require f when g unless h permit information \"i\" } \
                clause d \"D\" { quote \"q\" exception to c forbid when f } }";
    assert_eq!(
        fmt(text),
        "agreement x \"X\" {\n  clause c \"C\" {\n    quote   \"q\"\n    require f\n      when   g\n      unless h\n    \
         permit\n    information \"i\"\n  }\n  clause d \"D\" {\n    quote  \"q\"\n    exception to c\n    \
         forbid when f\n  }\n}\n"
    );
}

#[test]
fn long_conditions_break_before_and_or_within_the_width() {
    let parts: Vec<String> = (0..12).map(|i| format!("field_{i} = value_{i}")).collect();
    let text = format!(
        "agreement x \"X\" {{ clause c \"C\" {{ permit when {} or g and (h or {}) unless {} }} }}",
        parts[..5].join(" and "),
        parts[..6].join(" or "),
        parts[..2].join(" and ")
    );
    let expected = "agreement x \"X\" {
  clause c \"C\" {
    permit when field_0 = value_0
        and field_1 = value_1
        and field_2 = value_2
        and field_3 = value_3
        and field_4 = value_4
      or g
        and (h
          or field_0 = value_0
          or field_1 = value_1
          or field_2 = value_2
          or field_3 = value_3
          or field_4 = value_4
          or field_5 = value_5)
      unless field_0 = value_0 and field_1 = value_1
  }
}
";
    let out = fmt(&text);
    assert_eq!(out, expected);
    assert!(out.lines().all(|l| l.chars().count() <= MAX_WIDTH));
    // Short enough: one line, `unless` and all.
    let short = "agreement x \"X\" { clause c \"C\" { forbid when (a or b) and not c unless d } }";
    assert!(fmt(short).contains("\n    forbid when (a or b) and not c unless d\n"));
}

#[test]
fn long_lists_continue_under_their_first_value() {
    let values: Vec<String> = (0..30).map(|i| format!("value_{i}")).collect();
    let out = fmt(&format!("vocabulary {{ product {}\n}}", values.join(", ")));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 4, "{out}");
    assert!(lines[1].starts_with("  product  value_0, value_1,"), "{out}");
    assert!(lines[2].starts_with("           value_"), "{out}");
    assert!(lines.iter().all(|l| l.chars().count() <= MAX_WIDTH), "{out}");
}

#[test]
fn long_sets_wrap_under_their_first_value() {
    let values: Vec<String> = (0..20).map(|i| format!("value_number_{i}")).collect();
    let text = format!(
        "vocabulary {{\n  zone {}\n}}\nagreement d \"D\" {{\n  clause c \"C\" {{\n    \
         forbid when zone in {{{}}}\n  }}\n}}\n",
        values.join(", "),
        values.join(", ")
    );
    let out = fmt(&text);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("forbid when zone in {value_number_0,"))
        .expect("the set starts");
    let under = lines[at].find("value_number_0").unwrap();
    assert_eq!(lines[at + 1].find("value_number_"), Some(under), "{out}");
    assert!(lines.iter().all(|l| l.chars().count() <= MAX_WIDTH), "{out}");
    assert_eq!(fmt(&out), out, "formatting again changes nothing");
}

#[test]
fn quotes_and_comments_are_kept_exactly() {
    let text = "# head  \nagreement x \"a \\\"b\\\" \\\\ # c\" { # after brace\n\n\n  clause c \"C\" {quote \"’q’\"\n\
                # own line\n permit # trailing\n}}";
    assert_eq!(
        fmt(text),
        "# head  \nagreement x \"a \\\"b\\\" \\\\ # c\" {  # after brace\n  clause c \"C\" {\n    quote  \"’q’\"\n    \
         # own line\n    permit  # trailing\n  }\n}\n"
    );
}

#[test]
fn blank_lines_are_kept_once_but_not_after_an_opening_brace() {
    let text =
        "\n\nvocabulary {\n\n  party a\n\n\n\n  cloud b\n  flag f\n\n}\n\n\n\nagreement x \"X\" {\n}\n\n";
    assert_eq!(
        fmt(text),
        "vocabulary {\n  party    a\n\n  cloud    b\n  flag     f\n}\n\nagreement x \"X\" {\n}\n"
    );
}

#[test]
fn syntax_errors_are_the_parsers() {
    let e = format::format("agreement x \"X\" { forbd }").unwrap_err();
    assert_eq!(e.message, "unexpected `forbd`");
    assert_eq!(format::format("").unwrap(), "");
}

// ---------------------------------------------------------------------------------------------
// `clausecheck fmt`, end to end

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn fmt_check_shows_a_diff_then_fmt_rewrites_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let messy = std::fs::read_to_string(root().join("tests/fixtures/format/messy-layout.terms")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let file = dir.path().join("sub/messy.terms");
    std::fs::write(&file, &messy).unwrap();
    let tidy_file = dir.path().join("tidy.terms");
    let tidy = fmt(&messy);
    std::fs::write(&tidy_file, &tidy).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a rule file {").unwrap();
    let folder = dir.path().to_str().unwrap();
    // The diff names files `a/PATH` and `b/PATH`, an absolute path without its leading `/`.
    let name = file.to_str().unwrap().replace('\\', "/").trim_start_matches('/').to_string();

    let check = clausecheck(&["fmt", "--check", folder]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let diff = stdout(&check);
    assert!(diff.starts_with(&format!("--- a/{name}\n+++ b/{name}\n@@ ")), "{diff}");
    assert!(diff.contains("\n-agreement   msft_openai_2026\n"), "{diff}");
    assert!(diff.contains("\n+  parties    microsoft, openai\n"), "{diff}");
    assert!(!diff.contains("tidy.terms"), "an already formatted file is not in the diff:\n{diff}");
    assert!(stderr(&check).contains("1 file not formatted"), "{}", stderr(&check));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy, "--check changes nothing");

    let write = clausecheck(&["fmt", folder]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert_eq!(stderr(&write), "formatted 1 file\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), tidy);
    assert_eq!(std::fs::read_to_string(&tidy_file).unwrap(), tidy);

    let again = clausecheck(&["fmt", "--check", folder]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), "");
    let write_again = clausecheck(&["fmt", file.to_str().unwrap()]);
    assert_eq!(
        (write_again.status.code(), stderr(&write_again).as_str()),
        (Some(0), "nothing changed: 1 file already formatted\n")
    );
}

#[test]
fn fmt_check_passes_on_the_bundled_rules_by_default() {
    for args in [&["fmt", "--check", "rules/"][..], &["fmt", "--check"][..]] {
        let out = clausecheck(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}{}", stdout(&out), stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn fmt_reports_a_syntax_error_like_check_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.terms");
    let text = "agreement x \"X\" {\n  forbd when a = b\n}\n";
    std::fs::write(&broken, text).unwrap();
    let messy = dir.path().join("messy.terms");
    std::fs::write(&messy, "vocabulary{party a}").unwrap();

    let out = clausecheck(&["fmt", "--check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unexpected `forbd`"), "{err}");
    assert!(err.contains("broken.terms:2:3"), "the place, as `check` shows it:\n{err}");
    assert!(stdout(&out).contains("+++ b/"), "the other files are still checked");

    let out = clausecheck(&["fmt", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), text, "a broken file is left alone");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), "vocabulary {\n  party    a\n}\n");

    let missing = clausecheck(&["fmt", "no/such/rules"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no/such/rules"), "{}", stderr(&missing));
}

#[test]
fn fmt_check_diff_output() {
    // Run on the fixture in place (it is never rewritten with --check), so the path is stable.
    let out = clausecheck(&["fmt", "--check", "tests/fixtures/format/comments.terms"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(format!("{}--- stderr\n{}", stdout(&out), stderr(&out)));
}
