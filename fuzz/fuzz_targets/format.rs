//! Arbitrary text that parses formats to text that parses to the same tree, keeps every comment,
//! and formats to itself; the printer alone (which `format` falls back from) keeps meaning too.
#![no_main]

use clausecheck::source::FileId;
use clausecheck::syntax::{self, ast::RuleFile};
use libfuzzer_sys::fuzz_target;

fn same(a: &RuleFile, b: &RuleFile) -> bool {
    a.items == b.items
        && a.comments.len() == b.comments.len()
        && a.comments.iter().zip(&b.comments).all(|(x, y)| x.text == y.text)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(tree) = syntax::parse(FileId(0), text) else { return };
    let printed = clausecheck::format::print(&tree, text);
    let again = syntax::parse(FileId(0), &printed)
        .unwrap_or_else(|e| panic!("the printed text does not parse: {e}\n{printed}"));
    assert!(same(&tree, &again), "printing changed the tree or its comments:\n{printed}");
    let formatted = clausecheck::format::format(text).expect("a text that parses formats");
    let tree2 = syntax::parse(FileId(0), &formatted).expect("the formatted text parses");
    assert_eq!(tree.items, tree2.items, "formatting changed the tree");
    let twice = clausecheck::format::format(&formatted).expect("the formatted text formats");
    assert_eq!(twice, formatted, "formatting is not idempotent");
});
