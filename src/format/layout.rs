//! The canonical layout of each construct (see the module documentation of [`super`]).

use super::condition::{self, Node};
use super::printer::Printer;
use super::MAX_WIDTH;
use crate::source::Span;
use crate::syntax::ast::*;

const INDENT: usize = 2;

/// Prints a parsed file; `src` is the text it was parsed from (for quoted texts and comments).
pub(super) fn print(file: &RuleFile, src: &str) -> String {
    let mut p = Printer::new(src, &file.comments);
    for item in &file.items {
        match item {
            Item::Vocabulary(v) => vocabulary(&mut p, v),
            Item::Event(e) => event(&mut p, e),
            Item::Agreement(a) => agreement(&mut p, a),
        }
    }
    p.into_string()
}

/// `kw` followed by spaces up to `width` characters (at least one space).
fn padded(kw: &str, width: usize) -> String {
    format!("{kw:<width$}", width = width.max(kw.len() + 1))
}

/// A quoted text exactly as written, escapes and all.
fn quoted<'a>(p: &Printer<'a>, text: &Text) -> &'a str {
    p.src().get(text.span.range()).unwrap_or("")
}

fn start(span: Span) -> usize {
    span.start as usize
}

fn end(span: Span) -> usize {
    span.end as usize
}

/// Writes the `}` that closes a block: the comments before it stay inside, at `inner` indentation.
fn close(p: &mut Printer<'_>, block: Span, inner: usize, outer: usize) {
    let brace = end(block).saturating_sub(1);
    p.comments_before(brace, inner, true);
    p.begin(outer, brace, false);
    p.push_at("}", end(block));
    p.finish();
}

/// Writes `names` separated by `, ` from the current column, continuing under the first name after
/// a comma when the next would pass the width or a comment stands between two names.
fn list(p: &mut Printer<'_>, names: &[Name]) {
    let column = p.col();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            let prev = &names[i - 1];
            let last = i + 1 == names.len();
            let need = 2 + name.text.chars().count() + usize::from(!last);
            if p.comment_between(end(prev.span), start(name.span)) || p.col() + need > MAX_WIDTH {
                p.push(",");
                p.finish();
                p.begin(column, start(name.span), false);
            } else {
                p.push(", ");
            }
        }
        p.push_at(&name.text, end(name.span));
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

fn vocabulary(p: &mut Printer<'_>, v: &Vocabulary) {
    p.begin(0, start(v.span), true);
    p.push_at("vocabulary", start(v.span) + "vocabulary".len());
    p.push(" {");
    p.finish();
    let first_word = |e: &VocabEntry| match e {
        VocabEntry::Field { optional: true, .. } => "optional".len(),
        VocabEntry::Field { name, .. } => name.text.chars().count(),
        VocabEntry::Flags { .. } => "flag".len(),
        VocabEntry::Class { .. } => "class".len(),
        VocabEntry::Extend { .. } => "extend".len(),
    };
    // At least as wide as `optional`, so that adding an optional field moves no other line.
    let width = v.entries.iter().map(first_word).max().unwrap_or(0).max("optional".len()) + 1;
    for entry in &v.entries {
        match entry {
            VocabEntry::Field { name, values, optional, span } => {
                p.begin(INDENT, start(*span), true);
                if *optional {
                    p.push(&padded("optional", width));
                    p.push_at(&name.text, end(name.span));
                    p.push(" ");
                } else {
                    p.push_at(&padded(&name.text, width), end(name.span));
                }
                list(p, values);
            }
            VocabEntry::Flags { names, span } => {
                p.begin(INDENT, start(*span), true);
                p.push(&padded("flag", width));
                list(p, names);
            }
            VocabEntry::Class { name, field, values, span } => {
                p.begin(INDENT, start(*span), true);
                p.push(&padded("class", width));
                p.push(&format!("{} of {} = ", name.text, field.text));
                list(p, values);
            }
            VocabEntry::Extend { field, values, span } => {
                p.begin(INDENT, start(*span), true);
                p.push(&padded("extend", width));
                p.push_at(&field.text, end(field.span));
                p.push(" ");
                list(p, values);
            }
        }
        p.finish();
    }
    close(p, v.span, INDENT, 0);
}

// ---------------------------------------------------------------------------------------------
// Events

fn event(p: &mut Printer<'_>, e: &EventDecl) {
    p.begin(0, start(e.span), true);
    p.push(&format!("event {} ", e.name.text));
    p.push_at(quoted(p, &e.description), end(e.description.span));
    p.finish();
}

// ---------------------------------------------------------------------------------------------
// Agreements

/// The keyword a setting's line starts with: `until` for an end that is an event.
fn end_keyword(d: &EndDecl) -> &'static str {
    match d.first {
        End::Until(_) => "until",
        End::Day(_) | End::After(..) => "ends",
    }
}

fn setting_keyword(item: &AgreementItem) -> Option<&'static str> {
    match item {
        AgreementItem::Parties(..) => Some("parties"),
        AgreementItem::Effective(_) => Some("effective"),
        AgreementItem::Ends(d) => Some(end_keyword(d)),
        AgreementItem::Supersedes(..) => Some("supersedes"),
        AgreementItem::Default(..) => Some("default"),
        AgreementItem::Param(_) | AgreementItem::Clause(_) => None,
    }
}

fn agreement(p: &mut Printer<'_>, a: &Agreement) {
    p.begin(0, start(a.span), true);
    p.push(&format!("agreement {} ", a.id.text));
    p.push_at(quoted(p, &a.title), end(a.title.span));
    p.push(" {");
    p.finish();
    let width = a.items.iter().filter_map(setting_keyword).map(str::len).max().unwrap_or(0) + 1;
    for item in &a.items {
        let kw = setting_keyword(item).map(|kw| padded(kw, width));
        match item {
            AgreementItem::Parties(names, span) => {
                p.begin(INDENT, start(*span), true);
                p.push(kw.as_deref().unwrap_or_default());
                list(p, names);
                p.finish();
            }
            AgreementItem::Supersedes(refs, span) => {
                p.begin(INDENT, start(*span), true);
                p.push(kw.as_deref().unwrap_or_default());
                ref_list(p, refs);
                p.finish();
            }
            AgreementItem::Effective(d) => start_decl(p, d, kw.as_deref().unwrap_or_default(), INDENT),
            AgreementItem::Ends(d) => end_decl(p, d, kw.as_deref().unwrap_or_default(), INDENT),
            AgreementItem::Default(decision, span) => {
                p.begin(INDENT, start(*span), true);
                p.push(kw.as_deref().unwrap_or_default());
                let word = match decision {
                    DefaultDecision::Allow => "allow",
                    DefaultDecision::Deny => "deny",
                };
                p.push_at(word, end(*span));
                p.finish();
            }
            AgreementItem::Param(param) => {
                p.begin(INDENT, start(param.span), true);
                p.push(&format!("param {} = ", param.name.text));
                p.push_at(&quantity(&param.value), end(param.value.span()));
                assumed(p, param.assumed.as_ref());
                p.finish();
            }
            AgreementItem::Clause(c) => clause(p, c, INDENT),
        }
    }
    close(p, a.span, INDENT, 0);
}

/// `effective 2026-04-27` or `effective merger_approved`, after `kw` (the keyword, padded).
fn start_decl(p: &mut Printer<'_>, d: &StartDecl, kw: &str, indent: usize) {
    p.begin(indent, start(d.span), true);
    p.push(kw);
    match &d.at {
        Start::Day(day) => p.push_at(&day.text, end(day.span)),
        Start::Event(e) => p.push_at(&e.text, end(e.span)),
    }
    assumed(p, d.assumed.as_ref());
    p.finish();
}

/// `ends 2032-12-31`, `ends 7 years after effective`, `until e`, and `or ..., whichever is first`.
fn end_decl(p: &mut Printer<'_>, d: &EndDecl, kw: &str, indent: usize) {
    p.begin(indent, start(d.span), true);
    p.push(kw);
    let (text, place) = end_words(&d.first, true);
    p.push_at(&text, place);
    if let Some((second, which)) = &d.either {
        let (text, place) = end_words(second, false);
        p.push(" or ");
        // `whichever is first` ends the declaration when no `assumed` follows: a comment after it
        // belongs after it.
        let place = if d.assumed.is_none() { end(d.span) } else { place };
        p.push_at(&format!("{text}, {}", condition::whichever(*which)), place);
    }
    assumed(p, d.assumed.as_ref());
    p.finish();
}

/// An end in words (after its `ends` or `until`, which `first` says is already written) and
/// where its last token ends.
fn end_words(e: &End, first: bool) -> (String, usize) {
    match e {
        End::Day(day) if first => (day.text.clone(), end(day.span)),
        // `or through 2030-12-31`: after `or`, a day reads as the last one, as in a window.
        End::Day(day) => (format!("through {}", day.text), end(day.span)),
        End::Until(name) if first => (name.text.clone(), end(name.span)),
        End::Until(name) => (format!("until {}", name.text), end(name.span)),
        End::After(duration, base) => {
            let (base, place) = match base {
                Base::Effective(span) => ("effective".to_string(), end(*span)),
                Base::Event(name) => (name.text.clone(), end(name.span)),
            };
            (format!("{} after {base}", condition::duration(duration)), place)
        }
    }
}

/// `a, b.c`: the names of a `supersedes` or an `exception to`, as [`list`] writes them.
fn ref_list(p: &mut Printer<'_>, refs: &[QualifiedName]) {
    let names: Vec<Name> = refs
        .iter()
        .map(|r| Name {
            text: match &r.agreement {
                Some(a) => format!("{}.{}", a.text, r.name.text),
                None => r.name.text.clone(),
            },
            span: r.span,
        })
        .collect();
    list(p, &names);
}

fn assumed(p: &mut Printer<'_>, why: Option<&Text>) {
    if let Some(why) = why {
        p.push(" assumed ");
        p.push_at(quoted(p, why), end(why.span));
    }
}

/// `0 USD`, `20%`, `2030-12-31`, `2`: the number as written, one space before a currency.
fn quantity(q: &Quantity) -> String {
    match q {
        Quantity::Money { amount, currency, .. } => format!("{amount} {currency}"),
        Quantity::Percent { amount, .. } => format!("{amount}%"),
        Quantity::Date(d) => d.text.clone(),
        Quantity::Number { amount, .. } => amount.clone(),
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Quantity(q) => quantity(q),
        Value::Param(n) => n.text.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Clauses

/// The statement keyword that takes part in the clause's keyword column, if any.
fn statement_keyword(item: &ClauseItem) -> Option<&'static str> {
    match item {
        ClauseItem::Quote(_) => Some("quote"),
        ClauseItem::Rule(r) => Some(match r.kind {
            RuleKind::Permit => "permit",
            RuleKind::Forbid => "forbid",
            RuleKind::Require(_) => "require",
        }),
        ClauseItem::Payment(pay) => Some(if pay.forbidden { "forbid" } else { "oblige" }),
        ClauseItem::Duty { .. } => Some("oblige"),
        ClauseItem::ExceptionTo(..) | ClauseItem::Information(_) => None,
        ClauseItem::Effective(_) => Some("effective"),
        ClauseItem::Ends(d) => Some(end_keyword(d)),
        ClauseItem::Severity(..) => Some("severity"),
    }
}

fn clause(p: &mut Printer<'_>, c: &Clause, indent: usize) {
    p.begin(indent, start(c.span), true);
    p.push(&format!("clause {} ", c.id.text));
    p.push_at(quoted(p, &c.title), end(c.title.span));
    p.push(" {");
    p.finish();
    let inner = indent + INDENT;
    // At least as wide as `permit`, so quotes line up from clause to clause.
    let width = c.items.iter().filter_map(statement_keyword).map(str::len).max().unwrap_or(0).max(6) + 1;
    for item in &c.items {
        let kw = statement_keyword(item).map(|kw| padded(kw, width)).unwrap_or_default();
        match item {
            ClauseItem::Quote(text) => {
                p.begin(inner, p.keyword_before(start(text.span), "quote"), true);
                p.push(&kw);
                p.push_at(quoted(p, text), end(text.span));
                p.finish();
            }
            ClauseItem::Information(text) => {
                p.begin(inner, p.keyword_before(start(text.span), "information"), true);
                p.push("information ");
                p.push_at(quoted(p, text), end(text.span));
                p.finish();
            }
            ClauseItem::Severity(severity, span) => {
                p.begin(inner, start(*span), true);
                p.push(&kw);
                let word = match severity {
                    ClauseSeverity::Mandatory => "mandatory",
                    ClauseSeverity::Advisory => "advisory",
                };
                p.push_at(word, end(*span));
                p.finish();
            }
            ClauseItem::ExceptionTo(refs, span) => {
                p.begin(inner, start(*span), true);
                p.push("exception to ");
                ref_list(p, refs);
                p.finish();
            }
            ClauseItem::Effective(d) => start_decl(p, d, &kw, inner),
            ClauseItem::Ends(d) => end_decl(p, d, &kw, inner),
            ClauseItem::Duty { party, text, span } => {
                p.begin(inner, start(*span), true);
                p.push(&kw);
                p.push(&format!("{} to ", party.text));
                p.push_at(quoted(p, text), end(text.span));
                p.finish();
            }
            ClauseItem::Payment(pay) => {
                p.begin(inner, start(pay.span), true);
                p.push(&kw);
                p.push_at(&payment(pay), end(pay.span));
                p.finish();
            }
            ClauseItem::Rule(rule) => match &rule.kind {
                RuleKind::Require(required) => require(p, rule, required, &kw, inner),
                RuleKind::Permit | RuleKind::Forbid => permit_or_forbid(p, rule, &kw, inner),
            },
        }
    }
    close(p, c.span, inner, indent);
}

/// `openai pays microsoft 20% of revenue through 2030 capped at cap` (after the keyword).
fn payment(pay: &Payment) -> String {
    let mut s = format!("{} pays {}", pay.payer.text, pay.payee.text);
    if let Some(share) = &pay.share {
        s += &format!(" {} of revenue", value(share));
    }
    if let Some(total) = &pay.total {
        s += &format!(" {}", value(total));
    }
    if let Some(w) = &pay.window {
        s += &format!(" {}", condition::window_text(w));
    }
    if let Some(cap) = &pay.cap {
        s += &format!(" capped at {}", value(cap));
    }
    s
}

/// `permit when C unless D` on one line if it fits; else `unless D` on a line of its own and the
/// conditions broken as they need.
fn permit_or_forbid(p: &mut Printer<'_>, rule: &Rule, kw: &str, indent: usize) {
    let when = rule.when.as_ref().map(|c| Node::new(c, p));
    let unless = rule.unless.as_ref().map(|c| Node::new(c, p));
    let word = kw.trim_end();
    p.begin(indent, start(rule.span), true);
    if when.is_none() && unless.is_none() {
        p.push_at(word, end(rule.span));
        p.finish();
        return;
    }
    let mut flat = kw.to_string();
    if let Some(w) = &when {
        flat += &format!("when {}", w.flat);
    }
    if let Some(u) = &unless {
        flat += &format!("{}unless {}", if when.is_some() { " " } else { "" }, u.flat);
    }
    let comment_before_unless = match (&when, &unless) {
        (Some(w), Some(u)) => p.comment_between(w.end, u.start),
        _ => false,
    };
    let forced = when.as_ref().is_some_and(|n| n.forced)
        || unless.as_ref().is_some_and(|n| n.forced)
        || comment_before_unless;
    if !forced && p.col() + flat.chars().count() <= MAX_WIDTH {
        p.push_at(&flat, end(rule.span));
        p.finish();
        return;
    }
    p.push(kw);
    if let Some(w) = &when {
        p.push("when ");
        condition::write(p, w, indent + INDENT, 0);
    }
    if let Some(u) = &unless {
        let mut cont = indent + INDENT;
        if when.is_some() {
            p.finish();
            p.begin(indent + INDENT, u.start, false);
            cont += INDENT;
        }
        p.push("unless ");
        condition::write(p, u, cont, 0);
    }
    p.finish();
}

/// `require R`, then `when C` and `unless D` each on a line of its own, their keywords padded alike.
fn require(p: &mut Printer<'_>, rule: &Rule, required: &Condition, kw: &str, indent: usize) {
    let required = Node::new(required, p);
    p.begin(indent, start(rule.span), true);
    p.push(kw);
    condition::write(p, &required, indent + INDENT, 0);
    let parts = [("when", &rule.when), ("unless", &rule.unless)];
    let width = parts.iter().filter(|(_, c)| c.is_some()).map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (word, cond) in parts {
        if let Some(cond) = cond {
            let node = Node::new(cond, p);
            p.finish();
            p.begin(indent + INDENT, node.start, false);
            p.push(&padded(word, width));
            condition::write(p, &node, indent + 2 * INDENT, 0);
        }
    }
    p.finish();
}
