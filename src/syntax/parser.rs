//! Step two of parsing: pest's parse tree to the typed syntax tree, one function per construct.
//!
//! The grammar guarantees each pair's shape, so a mismatch here is a bug in this file or in
//! `grammar/clauses.pest`, never in the user's input: the `expect` calls state the grammar rule
//! they rely on. This is the only module besides `syntax::expected` that names pest's `Rule`.

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use pest_derive::Parser;

use super::ast::{Rule as RuleStatement, *};
use crate::source::{FileId, Span};

#[derive(Parser)]
#[grammar = "grammar/clauses.pest"]
pub(crate) struct ClauseParser;

/// Parses a whole file, or returns pest's error for the first place it could not read.
pub(crate) fn parse_file(file: FileId, text: &str) -> Result<Vec<Item>, Box<pest::error::Error<Rule>>> {
    parse_file_at(file, text, 0)
}

/// [`parse_file`] of a piece of a file that starts at byte `base` of it: spans are placed in the
/// whole file.
pub(crate) fn parse_file_at(
    file: FileId,
    text: &str,
    base: usize,
) -> Result<Vec<Item>, Box<pest::error::Error<Rule>>> {
    let mut pairs = ClauseParser::parse(Rule::file, text).map_err(Box::new)?;
    let cx = Cx { base, ..Cx::new(file) };
    let file_pair = pairs.next().expect("grammar: `file` is the only top-level pair");
    Ok(file_pair.into_inner().filter(|p| p.as_rule() != Rule::EOI).map(|p| cx.item(p)).collect())
}

/// Parses a condition standing alone (a waiver's `when`), or returns pest's error.
pub(crate) fn parse_condition(file: FileId, text: &str) -> Result<Condition, Box<pest::error::Error<Rule>>> {
    let mut pairs = ClauseParser::parse(Rule::condition_only, text).map_err(Box::new)?;
    let cx = Cx::new(file);
    let whole = pairs.next().expect("grammar: `condition_only` is the only top-level pair");
    let condition = whole.into_inner().next().expect("grammar: condition_only holds a condition");
    Ok(cx.condition(condition))
}

struct Cx {
    file: FileId,
    /// Where the text parsed starts in its file (a piece re-read on its own).
    base: usize,
    pratt: PrattParser<Rule>,
}

/// Children of a pair without the keyword tokens, which carry no meaning once matched.
fn meaningful(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

/// Keyword tokens whose presence is implied by the pair they sit in. (`allow`/`deny`, `oblige`/`forbid`
/// and `optional` do carry meaning and are read where they occur.)
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_vocabulary
            | Rule::kw_flag
            | Rule::kw_agreement
            | Rule::kw_parties
            | Rule::kw_effective
            | Rule::kw_ends
            | Rule::kw_supersedes
            | Rule::kw_default
            | Rule::kw_param
            | Rule::kw_assumed
            | Rule::kw_clause
            | Rule::kw_quote
            | Rule::kw_exception
            | Rule::kw_to
            | Rule::kw_permit
            | Rule::kw_require
            | Rule::kw_information
            | Rule::kw_pays
            | Rule::kw_of
            | Rule::kw_revenue
            | Rule::kw_capped
            | Rule::kw_at
            | Rule::kw_when
            | Rule::kw_unless
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
            | Rule::kw_date
            | Rule::kw_between
            | Rule::kw_before
            | Rule::kw_after
            | Rule::kw_from
            | Rule::kw_through
            | Rule::kw_launched
            | Rule::kw_on
            | Rule::kw_severity
            | Rule::kw_event
            | Rule::kw_class
            | Rule::kw_extend
            | Rule::kw_until
            | Rule::kw_within
            | Rule::kw_whichever
            | Rule::kw_is
    )
}

impl Cx {
    fn new(file: FileId) -> Cx {
        let pratt = PrattParser::new()
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::prefix(Rule::not));
        Cx { file, base: 0, pratt }
    }

    /// The pair's span without any spaces or comments pest let it run on over.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let start = self.base + pair.as_span().start();
        Span::new(self.file, start, start + super::comments::trimmed_len(pair.as_str()))
    }

    fn join(&self, a: Span, b: Span) -> Span {
        Span::new(self.file, a.start as usize, b.end as usize)
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Item {
        match pair.as_rule() {
            Rule::vocabulary => Item::Vocabulary(self.vocabulary(pair)),
            Rule::event_decl => {
                let span = self.span(&pair);
                let mut inner = meaningful(pair);
                let name = self.name(inner.next().expect("grammar: event name"));
                let description = self.text(inner.next().expect("grammar: event description"));
                Item::Event(EventDecl { name, description, span })
            }
            Rule::agreement => Item::Agreement(self.agreement(pair)),
            r => unreachable!("grammar: a file holds vocabularies, events and agreements, not {r:?}"),
        }
    }

    fn name(&self, pair: Pair<'_, Rule>) -> Name {
        debug_assert_eq!(pair.as_rule(), Rule::name);
        Name { text: pair.as_str().to_string(), span: self.span(&pair) }
    }

    fn names(&self, pair: Pair<'_, Rule>) -> Vec<Name> {
        pair.into_inner().map(|p| self.name(p)).collect()
    }

    fn text(&self, pair: Pair<'_, Rule>) -> Text {
        let span = self.span(&pair);
        let body = pair.into_inner().next().expect("grammar: string holds string_body");
        let raw = body.as_str();
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                value.extend(chars.next());
            } else {
                value.push(c);
            }
        }
        Text { value, span }
    }

    fn vocabulary(&self, pair: Pair<'_, Rule>) -> Vocabulary {
        let span = self.span(&pair);
        let entries = meaningful(pair)
            .map(|p| {
                let span = self.span(&p);
                match p.as_rule() {
                    Rule::flag_decl => VocabEntry::Flags { names: self.first_names(p), span },
                    Rule::class_decl => {
                        let mut inner = meaningful(p);
                        let name = self.name(inner.next().expect("grammar: class name"));
                        let field = self.name(inner.next().expect("grammar: class field"));
                        let values = self.names(inner.next().expect("grammar: class values"));
                        VocabEntry::Class { name, field, values, span }
                    }
                    Rule::extend_decl => {
                        let mut inner = meaningful(p);
                        let field = self.name(inner.next().expect("grammar: extended field"));
                        let values = self.names(inner.next().expect("grammar: extended values"));
                        VocabEntry::Extend { field, values, span }
                    }
                    Rule::field_decl => {
                        let mut optional = false;
                        let mut name = None;
                        let mut values = Vec::new();
                        for q in p.into_inner() {
                            match q.as_rule() {
                                Rule::kw_optional => optional = true,
                                Rule::name => name = Some(self.name(q)),
                                Rule::value_list => values = self.names(q),
                                r => unreachable!("grammar: field_decl holds no {r:?}"),
                            }
                        }
                        VocabEntry::Field {
                            name: name.expect("grammar: field_decl has a name"),
                            values,
                            optional,
                            span,
                        }
                    }
                    r => unreachable!("grammar: vocabulary holds no {r:?}"),
                }
            })
            .collect();
        Vocabulary { entries, span }
    }

    fn agreement(&self, pair: Pair<'_, Rule>) -> Agreement {
        let span = self.span(&pair);
        let mut inner = meaningful(pair);
        let id = self.name(inner.next().expect("grammar: agreement id"));
        let title = self.text(inner.next().expect("grammar: agreement title"));
        let items = inner.map(|p| self.agreement_item(p)).collect();
        Agreement { id, title, items, span }
    }

    fn agreement_item(&self, pair: Pair<'_, Rule>) -> AgreementItem {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::parties => AgreementItem::Parties(self.first_names(pair), span),
            Rule::supersedes => AgreementItem::Supersedes(self.first_refs(pair), span),
            Rule::effective => AgreementItem::Effective(self.start_decl(pair)),
            Rule::ends => AgreementItem::Ends(self.end_decl(pair)),
            Rule::default => {
                let word = meaningful(pair).next().expect("grammar: default allow|deny");
                let decision = match word.as_rule() {
                    Rule::kw_deny => DefaultDecision::Deny,
                    _ => DefaultDecision::Allow,
                };
                AgreementItem::Default(decision, span)
            }
            Rule::param => {
                let mut inner = meaningful(pair);
                let name = self.name(inner.next().expect("grammar: param name"));
                let value = self.quantity(inner.next().expect("grammar: param value"));
                let assumed = inner.next().map(|a| self.assumed(a));
                AgreementItem::Param(Param { name, value, assumed, span })
            }
            Rule::clause => AgreementItem::Clause(self.clause(pair)),
            r => unreachable!("grammar: agreement holds no {r:?}"),
        }
    }

    fn first_names(&self, pair: Pair<'_, Rule>) -> Vec<Name> {
        self.names(meaningful(pair).next().expect("grammar: a name_list"))
    }

    fn assumed(&self, pair: Pair<'_, Rule>) -> Text {
        self.text(meaningful(pair).next().expect("grammar: assumed \"why\""))
    }

    /// The `qualified` names of the `ref_list` inside `pair`.
    fn first_refs(&self, pair: Pair<'_, Rule>) -> Vec<QualifiedName> {
        let list = meaningful(pair).next().expect("grammar: a ref_list");
        list.into_inner()
            .map(|q| {
                let span = self.span(&q);
                let mut names: Vec<Name> = q.into_inner().map(|n| self.name(n)).collect();
                let name = names.pop().expect("grammar: qualified has a name");
                QualifiedName { agreement: names.pop(), name, span }
            })
            .collect()
    }

    fn start_decl(&self, pair: Pair<'_, Rule>) -> StartDecl {
        let span = self.span(&pair);
        let mut inner = meaningful(pair);
        let at = inner.next().expect("grammar: a start");
        let at = match at.as_rule() {
            Rule::date => Start::Day(self.date_lit(at)),
            _ => Start::Event(self.name(at)),
        };
        let assumed = inner.next().map(|a| self.assumed(a));
        StartDecl { at, assumed, span }
    }

    fn end_decl(&self, pair: Pair<'_, Rule>) -> EndDecl {
        let span = self.span(&pair);
        let mut first = None;
        let mut either = None;
        let mut assumed = None;
        for p in meaningful(pair) {
            match p.as_rule() {
                Rule::kw_ends => {}
                Rule::assumed => assumed = Some(self.assumed(p)),
                Rule::either_end => {
                    let mut inner =
                        meaningful(p).filter(|q| !matches!(q.as_rule(), Rule::kw_or | Rule::kw_through));
                    let end = self.end(inner.next().expect("grammar: either's end"));
                    let which = self.which(inner.next().expect("grammar: whichever"));
                    either = Some((end, which));
                }
                _ => first = Some(self.end(p)),
            }
        }
        EndDecl { first: first.expect("grammar: ends has an end"), either, assumed, span }
    }

    /// `until_point`, `duration_after` or a `date`.
    fn end(&self, pair: Pair<'_, Rule>) -> End {
        match pair.as_rule() {
            Rule::date => End::Day(self.date_lit(pair)),
            Rule::until_point => {
                End::Until(self.name(meaningful(pair).next().expect("grammar: until event")))
            }
            Rule::duration_after => {
                // `kw_effective` is the base itself here, so the keywords are not filtered out.
                let mut inner = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_after);
                let duration = self.duration(inner.next().expect("grammar: a duration"));
                let base = inner.next().expect("grammar: what a duration counts from");
                let base = match base.as_rule() {
                    Rule::kw_effective => Base::Effective(self.span(&base)),
                    _ => Base::Event(self.name(base)),
                };
                End::After(duration, base)
            }
            r => unreachable!("grammar: {r:?} is not an end"),
        }
    }

    fn duration(&self, pair: Pair<'_, Rule>) -> Duration {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let count = inner.next().expect("grammar: duration count").as_str().to_string();
        let unit = inner.next().and_then(|u| u.into_inner().next()).expect("grammar: duration unit");
        let unit = match unit.as_rule() {
            Rule::kw_day | Rule::kw_days => Unit::Days,
            Rule::kw_month | Rule::kw_months => Unit::Months,
            _ => Unit::Years,
        };
        Duration { count, unit, span }
    }

    fn which(&self, pair: Pair<'_, Rule>) -> Which {
        match meaningful(pair).next().map(|w| w.as_rule()) {
            Some(Rule::kw_last) => Which::Last,
            _ => Which::First,
        }
    }

    fn date_lit(&self, pair: Pair<'_, Rule>) -> DateLit {
        DateLit { text: pair.as_str().to_string(), span: self.span(&pair) }
    }

    fn quantity(&self, pair: Pair<'_, Rule>) -> Quantity {
        let inner = pair.into_inner().next().expect("grammar: quantity has one form");
        let span = self.span(&inner);
        match inner.as_rule() {
            Rule::money => {
                let mut parts = inner.into_inner();
                let amount = parts.next().expect("grammar: money amount").as_str().to_string();
                let currency = parts.next().expect("grammar: money currency").as_str().to_string();
                Quantity::Money { amount, currency, span }
            }
            Rule::percent => Quantity::Percent { amount: inner.into_inner().as_str().to_string(), span },
            Rule::date => Quantity::Date(self.date_lit(inner)),
            Rule::number => Quantity::Number { amount: inner.as_str().to_string(), span },
            r => unreachable!("grammar: quantity holds no {r:?}"),
        }
    }

    fn clause(&self, pair: Pair<'_, Rule>) -> Clause {
        let span = self.span(&pair);
        let mut inner = meaningful(pair);
        let id = self.name(inner.next().expect("grammar: clause id"));
        let title = self.text(inner.next().expect("grammar: clause title"));
        let items = inner.map(|p| self.clause_item(p)).collect();
        Clause { id, title, items, span }
    }

    fn clause_item(&self, pair: Pair<'_, Rule>) -> ClauseItem {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::quote => {
                ClauseItem::Quote(self.text(meaningful(pair).next().expect("grammar: quote text")))
            }
            Rule::exception => ClauseItem::ExceptionTo(self.first_refs(pair), span),
            Rule::effective => ClauseItem::Effective(self.start_decl(pair)),
            Rule::ends => ClauseItem::Ends(self.end_decl(pair)),
            Rule::information => ClauseItem::Information(
                self.text(meaningful(pair).next().expect("grammar: information text")),
            ),
            Rule::duty => {
                let mut inner = meaningful(pair).filter(|p| p.as_rule() != Rule::kw_oblige);
                let party = self.name(inner.next().expect("grammar: duty party"));
                let text = self.text(inner.next().expect("grammar: duty text"));
                ClauseItem::Duty { party, text, span }
            }
            Rule::payment => ClauseItem::Payment(self.payment(pair)),
            Rule::severity => {
                let word = meaningful(pair).next().expect("grammar: severity mandatory|advisory");
                let severity = match word.as_rule() {
                    Rule::kw_advisory => ClauseSeverity::Advisory,
                    _ => ClauseSeverity::Mandatory,
                };
                ClauseItem::Severity(severity, span)
            }
            Rule::permit | Rule::forbid => {
                let kind = if pair.as_rule() == Rule::permit { RuleKind::Permit } else { RuleKind::Forbid };
                let scope = meaningful(pair)
                    .find(|p| p.as_rule() == Rule::scope)
                    .expect("grammar: permit/forbid has a scope");
                self.rule(kind, scope, span)
            }
            Rule::require => {
                let mut inner = meaningful(pair);
                let required = self.condition(inner.next().expect("grammar: required condition"));
                let scope = inner.next().expect("grammar: require has a scope");
                self.rule(RuleKind::Require(required), scope, span)
            }
            r => unreachable!("grammar: clause holds no {r:?}"),
        }
    }

    fn rule(&self, kind: RuleKind, scope: Pair<'_, Rule>, span: Span) -> ClauseItem {
        let mut when = None;
        let mut unless = None;
        for part in scope.into_inner() {
            let cond =
                self.condition(meaningful(part.clone()).next().expect("grammar: when/unless condition"));
            match part.as_rule() {
                Rule::when => when = Some(cond),
                _ => unless = Some(cond),
            }
        }
        ClauseItem::Rule(RuleStatement { kind, when, unless, span })
    }

    fn payment(&self, pair: Pair<'_, Rule>) -> Payment {
        let span = self.span(&pair);
        let mut forbidden = false;
        let mut names = Vec::new();
        let mut share = None;
        let mut total = None;
        let mut window = None;
        let mut cap = None;
        for p in meaningful(pair) {
            match p.as_rule() {
                Rule::kw_forbid => forbidden = true,
                Rule::kw_oblige => {}
                Rule::name => names.push(self.name(p)),
                Rule::share => share = Some(self.value(meaningful(p).next().expect("grammar: share value"))),
                Rule::total => total = Some(self.value(meaningful(p).next().expect("grammar: total value"))),
                Rule::cap => cap = Some(self.value(meaningful(p).next().expect("grammar: cap value"))),
                Rule::window => {
                    window = Some(self.window(p.into_inner().next().expect("grammar: window form")))
                }
                r => unreachable!("grammar: payment holds no {r:?}"),
            }
        }
        let mut names = names.into_iter();
        Payment {
            forbidden,
            payer: names.next().expect("grammar: payer"),
            payee: names.next().expect("grammar: payee"),
            share,
            total,
            window,
            cap,
            span,
        }
    }

    fn value(&self, pair: Pair<'_, Rule>) -> Value {
        let inner = pair.into_inner().next().expect("grammar: value form");
        match inner.as_rule() {
            Rule::quantity => Value::Quantity(self.quantity(inner)),
            _ => Value::Param(self.name(inner)),
        }
    }

    fn bound(&self, pair: Pair<'_, Rule>) -> Bound {
        let inner = pair.into_inner().next().expect("grammar: bound form");
        match inner.as_rule() {
            Rule::date | Rule::year => Bound::Date(self.date_lit(inner)),
            _ => Bound::Name(self.name(inner)),
        }
    }

    /// `between`, `before`, `after`, `within`, `from_through`, `through_only`.
    fn window(&self, pair: Pair<'_, Rule>) -> Window {
        let rule = pair.as_rule();
        let mut inner = meaningful(pair);
        match rule {
            Rule::within => {
                let duration = self.duration(inner.next().expect("grammar: within's duration"));
                Window::Within(duration, self.bound(inner.next().expect("grammar: within's bound")))
            }
            Rule::through_only => Window::To(self.window_end(inner.next().expect("grammar: an end"))),
            Rule::from_through => {
                let from = self.bound(inner.next().expect("grammar: from's bound"));
                match inner.next() {
                    Some(end) => Window::FromTo(from, self.window_end(end)),
                    None => Window::From(from),
                }
            }
            _ => {
                let first = self.bound(inner.next().expect("grammar: a window has a bound"));
                match (rule, inner.next()) {
                    (Rule::between, Some(second)) => Window::Between(first, self.bound(second)),
                    (Rule::before, None) => Window::Before(first),
                    (Rule::after, None) => Window::After(first),
                    (r, _) => unreachable!("grammar: {r:?} is not a window"),
                }
            }
        }
    }

    fn window_end(&self, pair: Pair<'_, Rule>) -> WindowEnd {
        let mut inner = meaningful(pair);
        let first = self.end_bound(inner.next().expect("grammar: an end bound"));
        let either = inner.next().map(|second| {
            let second = self.end_bound(second);
            (second, self.which(inner.next().expect("grammar: whichever")))
        });
        WindowEnd { first, either }
    }

    fn end_bound(&self, pair: Pair<'_, Rule>) -> EndBound {
        let mut inner = pair.into_inner();
        let word = inner.next().expect("grammar: through or until");
        let bound = self.bound(inner.next().expect("grammar: an end bound's bound"));
        match word.as_rule() {
            Rule::kw_until => EndBound::Until(bound),
            _ => EndBound::Through(bound),
        }
    }

    fn condition(&self, pair: Pair<'_, Rule>) -> Condition {
        debug_assert_eq!(pair.as_rule(), Rule::condition);
        self.pratt
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let span = self.join(self.span(&op), rhs.span());
                Condition::Not(Box::new(rhs), span)
            })
            .map_infix(|lhs, op, rhs| {
                let span = self.join(lhs.span(), rhs.span());
                match op.as_rule() {
                    Rule::and => Condition::And(Box::new(lhs), Box::new(rhs), span),
                    _ => Condition::Or(Box::new(lhs), Box::new(rhs), span),
                }
            })
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Condition {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::group => {
                let inner = pair.into_inner().next().expect("grammar: group holds a condition");
                Condition::Group(Box::new(self.condition(inner)), span)
            }
            Rule::flag_test => {
                Condition::Flag(self.name(pair.into_inner().next().expect("grammar: flag name")))
            }
            Rule::field_test => {
                let mut inner = pair.into_inner();
                let field = self.name(inner.next().expect("grammar: field name"));
                let test_pair = inner.next().expect("grammar: field test");
                let test = match test_pair.as_rule() {
                    Rule::eq => {
                        FieldTest::Eq(self.name(meaningful(test_pair).next().expect("grammar: = value")))
                    }
                    Rule::ne => {
                        FieldTest::Ne(self.name(meaningful(test_pair).next().expect("grammar: != value")))
                    }
                    Rule::in_set => FieldTest::In(self.set(test_pair)),
                    _ => FieldTest::NotIn(self.set(test_pair)),
                };
                Condition::Field { field, test, span }
            }
            Rule::date_test => {
                let window = meaningful(pair).next().expect("grammar: date test form");
                Condition::Date(self.window(window), span)
            }
            Rule::launched => {
                let mut args = Vec::new();
                let mut when = LaunchedWhen::Anytime;
                for p in meaningful(pair) {
                    match p.as_rule() {
                        Rule::relation_arg => {
                            let arg_span = self.span(&p);
                            let mut names = p.into_inner().map(|n| self.name(n));
                            args.push(RelationArg {
                                name: names.next().expect("grammar: relation arg name"),
                                value: names.next(),
                                span: arg_span,
                            });
                        }
                        Rule::launched_when => {
                            when = match p.into_inner().next().map(|w| w.as_rule()) {
                                Some(Rule::on_or_before) => LaunchedWhen::OnOrBefore,
                                _ => LaunchedWhen::Before,
                            }
                        }
                        r => unreachable!("grammar: launched holds no {r:?}"),
                    }
                }
                Condition::Launched { args, when, span }
            }
            r => unreachable!("grammar: {r:?} is not a condition"),
        }
    }

    fn set(&self, pair: Pair<'_, Rule>) -> Set {
        let set = meaningful(pair).next().expect("grammar: a name_set or a class");
        match set.as_rule() {
            Rule::name => Set { names: vec![self.name(set)], braces: false },
            _ => Set { names: self.first_names(set), braces: true },
        }
    }
}
