//! The policy decides the termination examples as `examples/requests/expected.json` says, by
//! every way of running regorus that the bench measures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cloudgate::{Date, Pack};
use cloudgate_peer_regorus::{decide_cloned, template, verdict, Compiled, Reused, Vm};

fn read(name: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    std::fs::read_to_string(root.join("examples/requests").join(name))
        .or_else(|_| std::fs::read_to_string(root.join("../shared/examples").join(name)))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn termination_examples_decide_as_expected() {
    let expected: serde_json::Value = serde_json::from_str(&read("expected.json")).unwrap();
    let pack = Pack::embedded().unwrap();
    let engine = template(&pack.manifest.params, Date::parse("2026-09-02").unwrap()).unwrap();
    let mut reused = Reused::new(&engine);
    let compiled = Compiled::new(&engine).unwrap();
    let mut vm = Vm::new(&engine).unwrap();
    for name in ["termination-allow.json", "termination-deny.json"] {
        let want = &expected[name];
        let want = (
            want["decision"].as_str().unwrap().to_string(),
            want["failing"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap().to_string())
                .collect::<Vec<_>>(),
        );
        let text = read(name);
        for (way, result) in [
            ("reused", reused.decide(&text)),
            ("clone", decide_cloned(&engine, &text)),
            ("compiled", compiled.decide(&text)),
            ("rvm", vm.decide(&text)),
        ] {
            assert_eq!(verdict(&result.unwrap()).unwrap(), want, "{name}, {way}");
        }
    }
}

#[test]
fn pack_data_prepares_the_parameters() {
    let mut pack = Pack::embedded().unwrap();
    let overrides = serde_json::json!({
        "public_holidays": {"de": ["2026-10-03", "2026-10-03", "2026-12-25"]},
        "da_jurisdictions": ["de", "At"],
    });
    pack.override_params(overrides.as_object().unwrap())
        .unwrap();
    let data = cloudgate_peer_regorus::pack_data(
        &pack.manifest.params,
        Date::parse("2026-09-02").unwrap(),
    )
    .unwrap();
    assert_eq!(
        data["pack"]["da"],
        serde_json::json!({"DE": true, "AT": true})
    );
    // 2026-10-03 is day 20729 since 1970-01-01; a date listed twice is one holiday.
    assert_eq!(
        data["pack"]["holidays"],
        serde_json::json!({"DE": [20729, 20812]})
    );
    assert_eq!(
        data["pack"]["switching_charge_cutoff"],
        serde_json::json!(20830)
    );
    assert_eq!(data["pack"]["as_of"], serde_json::json!("2026-09-02"));
    assert_eq!(
        data["pack"]["da_max_transition_days"],
        serde_json::json!(30)
    );
}
