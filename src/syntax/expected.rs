//! Words for what the parser expected, so that no user ever sees a grammar rule's name.
//!
//! `describe` must cover every rule that can appear in an error's list of expected things; rules
//! that only ever appear inside others return `None` and are left out of the sentence.

use super::parser::Rule;

/// How an analyst would name what could have come next, or `None` to leave it unsaid.
pub(crate) fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the file",
        file => "`vocabulary` or `agreement`",
        vocabulary | kw_vocabulary => "`vocabulary`",
        agreement | kw_agreement => "`agreement`",
        field_decl => "a field and its values, like `cloud azure, aws`",
        flag_decl | kw_flag => "`flag`",
        kw_optional => "`optional`",
        value_list | name_list => "a name",
        line_end => "a comma or the end of the line",
        parties | kw_parties => "`parties`",
        effective | kw_effective => "`effective`",
        ends | kw_ends => "`ends`",
        supersedes | kw_supersedes => "`supersedes`",
        default | kw_default => "`default`",
        kw_allow => "`allow`",
        kw_deny => "`deny`",
        param | kw_param => "`param`",
        assumed | kw_assumed => "`assumed \"why\"`",
        clause | kw_clause => "`clause`",
        quote | kw_quote => "`quote`",
        exception | kw_exception => "`exception to`",
        kw_to => "`to`",
        permit | kw_permit => "`permit`",
        forbid | kw_forbid => "`forbid`",
        require | kw_require => "`require`",
        payment | kw_oblige | duty => "`oblige`",
        kw_pays => "`pays`",
        information | kw_information => "`information`",
        severity | kw_severity => "`severity`",
        kw_mandatory => "`mandatory`",
        kw_advisory => "`advisory`",
        share => "a share like `20% of revenue`",
        kw_of => "`of`",
        kw_revenue => "`revenue`",
        cap | kw_capped => "`capped at`",
        kw_at => "`at`",
        window | from_through | through_only => "a date window like `through 2030`",
        scope | when | kw_when => "`when`",
        unless | kw_unless => "`unless`",
        condition | group | field_test | flag_test | date_test | launched | not | kw_not => "a condition",
        eq => "`=`",
        ne => "`!=`",
        in_set | kw_in => "`in`",
        not_in_set => "`not in`",
        name_set => "a set like `{aws, gcp}`",
        and | kw_and => "`and`",
        or | kw_or => "`or`",
        kw_date => "`date`",
        between | kw_between => "`between`",
        before | kw_before => "`before`",
        after | kw_after => "`after`",
        from | kw_from => "`from`",
        through | kw_through => "`through`",
        bound => "a date like 2032-12-31, a year like 2032 or a date parameter",
        date => "a date like 2032-12-31",
        year => "a year like 2032",
        kw_launched => "`launched`",
        relation_arg => "a field or value, like `product` or `azure`",
        launched_when | on_or_before | kw_on => "`on or before date`",
        strictly_before => "`before date`",
        quantity | value => "an amount like `20%` or `0 USD`, or a date",
        money => "an amount of money like `0 USD`",
        percent => "a percentage like `20%`",
        number => "a number",
        currency => "a currency code like `USD`",
        name => "a name",
        string | string_body | string_run => "a text in double quotes",
        keyword | condition_only => return None,
        agreement_item | clause_item | infix | prefix | primary | name_char | inline_space => return None,
        WHITESPACE | COMMENT => return None,
    })
}

/// Words for a literal token pest tried (braces, commas, operators), or `None` for the words that
/// [`describe`] already covers through their rule.
pub(crate) fn describe_token(token: &str) -> Option<String> {
    match token {
        "{" | "}" | "(" | ")" | "," | "=" | "!=" | "%" | "\"" => Some(format!("`{token}`")),
        _ => None,
    }
}
