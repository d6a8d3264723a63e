use clausecheck::source::FileId;
#[test]
fn smoke() {
    for f in ["rules/vocabulary.terms", "rules/msft_openai_2019.terms", "rules/msft_openai_2026.terms"] {
        let text = std::fs::read_to_string(f).unwrap();
        match clausecheck::syntax::parse(FileId(0), &text) {
            Ok(ast) => println!("{f}: {} items, {} comments", ast.items.len(), ast.comments.len()),
            Err(e) => panic!("{f}: {e:?}"),
        }
    }
}
