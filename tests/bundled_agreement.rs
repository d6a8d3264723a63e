//! The bundled Microsoft–OpenAI rules: the worked examples of the brief, the contract clause ids,
//! and quotes that really are in the source.

mod common;

use common::bundled;

/// Checks one worked example as its own plan and returns (verdict, violated clauses) of `target`.
fn example(deployments: &[&str], target: &str) -> (String, Vec<String>) {
    let report = common::check_sources(&bundled(), deployments);
    let d = common::deployment(&report, target);
    let violated = d.terms.iter().filter(|t| t.status == "violated").map(|t| t.clause.to_string()).collect();
    (d.verdict.to_string(), violated)
}

#[test]
fn openai_api_on_azure_in_2024_is_allowed() {
    let r = example(&["{id: x, party: openai, product: api, cloud: azure, date: 2024-03-01}"], "x");
    assert_eq!(r, ("allowed".into(), vec![]));
}

#[test]
fn openai_api_on_aws_in_2025_violates_azure_exclusive() {
    let r = example(&["{id: x, party: openai, product: api, cloud: aws, date: 2025-06-01}"], "x");
    assert_eq!(r, ("violated".into(), vec!["azure_exclusive".to_string()]));
}

#[test]
fn frontier_on_bedrock_after_its_azure_debut_is_allowed() {
    let report = common::check_sources(
        &bundled(),
        &[
            "{id: debut, party: openai, product: frontier, cloud: azure, date: 2026-05-01}",
            "{id: x, party: openai, product: frontier, cloud: aws, channel: bedrock, date: 2026-06-01}",
        ],
    );
    assert_eq!(common::verdict(&report, "x"), "allowed");
    assert_eq!(common::status(&report, "x", "any_cloud"), "allowed");
    assert_eq!(common::status(&report, "x", "bedrock_integration"), "allowed");
    assert_eq!(common::status(&report, "x", "azure_first"), "satisfied");
}

#[test]
fn chatgpt_on_gcp_without_an_azure_debut_violates_azure_first() {
    let r = example(&["{id: x, party: openai, product: chatgpt, cloud: gcp, date: 2026-06-01}"], "x");
    assert_eq!(r, ("violated".into(), vec!["azure_first".to_string()]));
}

#[test]
fn frontier_on_bedrock_with_azure_declined_is_allowed() {
    let report = common::check_sources(
        &bundled(),
        &["{id: x, party: openai, product: frontier, cloud: aws, channel: bedrock, date: 2026-06-01, azure_declined: true}"],
    );
    assert_eq!(common::verdict(&report, "x"), "allowed");
    assert_eq!(common::status(&report, "x", "azure_first"), "not_applicable");
}

#[test]
fn microsoft_models_in_2031_are_licensed() {
    let report = common::check_sources(
        &bundled(),
        &["{id: x, party: microsoft, product: models, cloud: azure, date: 2031-01-01}"],
    );
    assert_eq!(common::verdict(&report, "x"), "allowed");
    assert_eq!(common::status(&report, "x", "nonexclusive_licence"), "allowed");
}

#[test]
fn microsoft_models_in_2033_violate_the_expired_licence() {
    let r = example(&["{id: x, party: microsoft, product: models, cloud: azure, date: 2033-03-01}"], "x");
    assert_eq!(r, ("violated".into(), vec!["nonexclusive_licence".to_string()]));
}

#[test]
fn the_agreements_have_exactly_the_contract_clause_ids() {
    let rules = clausecheck::load_rules(&bundled()).expect("bundled rules load");
    let ids = |agreement: &str| -> Vec<String> {
        let a = rules.agreements.iter().find(|a| a.id == agreement).expect("agreement exists");
        a.clauses.iter().map(|c| c.id.clone()).collect()
    };
    assert_eq!(
        ids("msft_openai_2019"),
        ["azure_exclusive", "exclusive_licence", "msft_revshare", "openai_revshare"]
    );
    assert_eq!(
        ids("msft_openai_2026"),
        [
            "nonexclusive_licence",
            "any_cloud",
            "azure_first",
            "bedrock_integration",
            "primary_cloud",
            "msft_revshare_ended",
            "openai_revshare",
            "equity_stake"
        ]
    );
    let new = rules.agreements.iter().find(|a| a.id == "msft_openai_2026").unwrap();
    assert_eq!(new.effective.date.to_string(), "2026-04-27");
    assert_eq!(new.supersedes.len(), 1);
}

#[test]
fn every_quote_is_a_sentence_of_the_source() {
    let source = std::fs::read_to_string("rules/sources/partnership-article.txt").unwrap();
    let normalize = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let source = normalize(&source);
    let rules = clausecheck::load_rules(&bundled()).unwrap();
    for a in &rules.agreements {
        for c in &a.clauses {
            assert!(!c.quote.is_empty(), "{}.{} has no quote", a.id, c.id);
            assert!(
                source.contains(&normalize(&c.quote)),
                "{}.{} quotes text not in the source: {}",
                a.id,
                c.id,
                c.quote
            );
        }
    }
}

#[test]
fn unstated_values_are_marked_assumed() {
    let rules = clausecheck::load_rules(&bundled()).unwrap();
    let old = rules.agreements.iter().find(|a| a.id == "msft_openai_2019").unwrap();
    assert!(old.effective.assumed.is_some(), "the 2019 start date is reported, not in the source");
    let new = rules.agreements.iter().find(|a| a.id == "msft_openai_2026").unwrap();
    let cap = new.params.iter().find(|p| p.name == "revshare_cap").expect("revshare_cap parameter");
    assert!(cap.assumed.is_some(), "the cap is not disclosed");
}
