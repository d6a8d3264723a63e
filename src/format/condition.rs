//! Conditions: written on one line when they fit, otherwise broken before `and`/`or`, level by level.
//!
//! A condition is first turned into a small layout tree: tests are atoms, `a and b and c` is one
//! chain of three parts (the parser nests to the left; the chain follows that left spine only, so
//! printing it back gives the same tree), `not` and parentheses wrap what they hold. A chain breaks
//! when it does not fit in what is left of the line, or when a comment stands between two of its
//! parts (the comment then keeps its place at the end of a line or on a line of its own), or when a
//! part inside it has to break.

use super::printer::Printer;
use super::MAX_WIDTH;
use crate::syntax::ast::{
    Bound, Condition, Duration, EndBound, FieldTest, LaunchedWhen, Name, Set, Unit, Which, Window, WindowEnd,
};

pub(super) struct Node {
    kind: Kind,
    /// The whole condition on one line.
    pub(super) flat: String,
    /// Where its first and last tokens start and end in the source.
    pub(super) start: usize,
    pub(super) end: usize,
    /// A comment inside forces a break.
    pub(super) forced: bool,
}

enum Kind {
    Atom,
    /// `field in {a, b, ...}`: a test that may wrap inside its braces. `head` is `field in {`; each
    /// value comes with where it ends in the source.
    Set {
        head: String,
        values: Vec<(String, usize, usize)>,
    },
    Not(Box<Node>),
    Group(Box<Node>),
    Chain(&'static str, Vec<Node>),
}

impl Node {
    pub(super) fn new(c: &Condition, p: &Printer<'_>) -> Node {
        match c {
            Condition::And(..) | Condition::Or(..) => {
                let op = if matches!(c, Condition::And(..)) { "and" } else { "or" };
                let mut parts = Vec::new();
                spine(c, op, p, &mut parts);
                let forced = parts.iter().any(|n| n.forced)
                    || parts.windows(2).any(|w| p.comment_between(w[0].end, w[1].start));
                let flat = parts.iter().map(|n| n.flat.as_str()).collect::<Vec<_>>().join(&format!(" {op} "));
                let (start, end) = (parts[0].start, parts[parts.len() - 1].end);
                Node { kind: Kind::Chain(op, parts), flat, start, end, forced }
            }
            Condition::Not(inner, span) => {
                let inner = Node::new(inner, p);
                Node {
                    flat: format!("not {}", inner.flat),
                    start: span.start as usize,
                    end: inner.end,
                    forced: inner.forced,
                    kind: Kind::Not(Box::new(inner)),
                }
            }
            Condition::Group(inner, _) => {
                let inner = Node::new(inner, p);
                Node {
                    flat: format!("({})", inner.flat),
                    // The group's span assumes `(` right before what it holds; find the real one.
                    start: p.keyword_before(inner.start, "("),
                    // The last token with a place; the `)` after it is punctuation to the printer.
                    end: inner.end,
                    forced: inner.forced,
                    kind: Kind::Group(Box::new(inner)),
                }
            }
            Condition::Field { field, test: FieldTest::In(set) | FieldTest::NotIn(set), span }
                if set.braces =>
            {
                let not =
                    if matches!(c, Condition::Field { test: FieldTest::NotIn(_), .. }) { "not " } else { "" };
                Node {
                    kind: Kind::Set {
                        head: format!("{} {not}in {{", field.text),
                        values: set
                            .names
                            .iter()
                            .map(|n| (n.text.clone(), n.span.start as usize, n.span.end as usize))
                            .collect(),
                    },
                    flat: atom(c),
                    start: span.start as usize,
                    end: span.end as usize,
                    forced: false,
                }
            }
            _ => {
                let span = c.span();
                Node {
                    kind: Kind::Atom,
                    flat: atom(c),
                    start: span.start as usize,
                    end: span.end as usize,
                    forced: false,
                }
            }
        }
    }

    pub(super) fn width(&self) -> usize {
        self.flat.chars().count()
    }
}

/// The parts of a left-nested chain of one operator.
fn spine(c: &Condition, op: &'static str, p: &Printer<'_>, out: &mut Vec<Node>) {
    match (c, op) {
        (Condition::And(l, r, _), "and") | (Condition::Or(l, r, _), "or") => {
            spine(l, op, p, out);
            out.push(Node::new(r, p));
        }
        _ => out.push(Node::new(c, p)),
    }
}

/// Writes `node` into the open line. Lines it breaks into start at `cont`; `trail` is the width of
/// what will follow it on its last line.
pub(super) fn write(p: &mut Printer<'_>, node: &Node, cont: usize, trail: usize) {
    if !node.forced && p.col() + node.width() + trail <= MAX_WIDTH {
        p.push_at(&node.flat, node.end);
        return;
    }
    match &node.kind {
        Kind::Atom => p.push_at(&node.flat, node.end),
        Kind::Set { head, values } => {
            // Too wide for one line: values wrap after a comma, lined up under the first one.
            p.push(head);
            let under = p.col();
            for (i, (value, start, end)) in values.iter().enumerate() {
                let last = i + 1 == values.len();
                let text = if last { format!("{value}}}") } else { format!("{value},") };
                let room = p.col() + 1 + text.chars().count() + if last { trail } else { 0 };
                if i > 0 && room > MAX_WIDTH {
                    p.finish();
                    p.begin(under, *start, false);
                } else if i > 0 {
                    p.push(" ");
                }
                // The last value carries the closing brace, so it ends where the whole test does.
                p.push_at(&text, if last { node.end } else { *end });
            }
        }
        Kind::Not(inner) => {
            p.push("not ");
            write(p, inner, cont, trail);
        }
        Kind::Group(inner) => {
            p.push("(");
            write(p, inner, cont, trail + 1);
            p.push(")");
        }
        Kind::Chain(op, parts) => {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    p.finish();
                    p.begin(cont, part.start, false);
                    p.push(op);
                    p.push(" ");
                }
                let last = i + 1 == parts.len();
                write(p, part, cont + 2, if last { trail } else { 0 });
            }
        }
    }
}

/// A test, on one line.
fn atom(c: &Condition) -> String {
    match c {
        Condition::Field { field, test, .. } => match test {
            FieldTest::Eq(v) => format!("{} = {}", field.text, v.text),
            FieldTest::Ne(v) => format!("{} != {}", field.text, v.text),
            FieldTest::In(set) => format!("{} in {}", field.text, set_text(set)),
            FieldTest::NotIn(set) => format!("{} not in {}", field.text, set_text(set)),
        },
        Condition::Flag(name) => name.text.clone(),
        Condition::Date(window, _) => format!("date {}", window_text(window)),
        Condition::Launched { args, when, .. } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match &a.value {
                    Some(v) => format!("{} = {}", a.name.text, v.text),
                    None => a.name.text.clone(),
                })
                .collect();
            let when = match when {
                LaunchedWhen::Anytime => "",
                LaunchedWhen::OnOrBefore => " on or before date",
                LaunchedWhen::Before => " before date",
            };
            format!("launched({}){when}", args.join(", "))
        }
        // Chains, `not` and groups are nodes of their own; this is not reached for them.
        Condition::And(..) | Condition::Or(..) | Condition::Not(..) | Condition::Group(..) => String::new(),
    }
}

pub(super) fn names(list: &[Name]) -> String {
    list.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join(", ")
}

/// `{a, b}`, or a class named alone as it was written.
fn set_text(set: &Set) -> String {
    if set.braces {
        format!("{{{}}}", names(&set.names))
    } else {
        names(&set.names)
    }
}

/// `through 2030`, `from a through b`, `between a and b`: a date test's or a payment's window.
pub(super) fn window_text(w: &Window) -> String {
    match w {
        Window::Before(b) => format!("before {}", bound(b)),
        Window::After(b) => format!("after {}", bound(b)),
        Window::From(b) => format!("from {}", bound(b)),
        Window::To(e) => window_end(e),
        Window::FromTo(a, e) => format!("from {} {}", bound(a), window_end(e)),
        Window::Between(a, b) => format!("between {} and {}", bound(a), bound(b)),
        Window::Within(d, b) => format!("within {} after {}", duration(d), bound(b)),
    }
}

/// `through 2030`, `until e`, `through 2030 or until e, whichever is first`.
fn window_end(e: &WindowEnd) -> String {
    let one = |b: &EndBound| match b {
        EndBound::Through(b) => format!("through {}", bound(b)),
        EndBound::Until(b) => format!("until {}", bound(b)),
    };
    match &e.either {
        Some((second, which)) => format!("{} or {}, {}", one(&e.first), one(second), whichever(*which)),
        None => one(&e.first),
    }
}

pub(super) fn whichever(w: Which) -> &'static str {
    match w {
        Which::First => "whichever is first",
        Which::Last => "whichever is last",
    }
}

/// `7 years`, `1 day`: the count as written, the unit singular for one.
pub(super) fn duration(d: &Duration) -> String {
    let one = d.count.trim_start_matches('0') == "1";
    let unit = match (d.unit, one) {
        (Unit::Days, true) => "day",
        (Unit::Days, false) => "days",
        (Unit::Months, true) => "month",
        (Unit::Months, false) => "months",
        (Unit::Years, true) => "year",
        (Unit::Years, false) => "years",
    };
    format!("{} {unit}", d.count)
}

fn bound(b: &Bound) -> &str {
    match b {
        Bound::Date(d) => &d.text,
        Bound::Name(n) => &n.text,
    }
}
