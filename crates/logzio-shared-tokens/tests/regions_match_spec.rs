//! The regions exist twice: `x-servers` in swagger.json (what the generated
//! client's docs and the OpenAPI snapshot list) and `Region` (what users pick).
//! This test ties them: the same regions, codes, hosts and order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use logzio_shared_tokens::Region;
use serde_json::Value;

#[test]
fn every_region_is_an_x_server_of_the_spec_and_back() {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../swagger.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let servers: Vec<(&str, &str)> = spec["x-servers"]
        .as_array()
        .expect("swagger.json lists the regional hosts in `x-servers`")
        .iter()
        .map(|server| {
            (
                server["x-region"]
                    .as_str()
                    .expect("each server has `x-region`"),
                server["url"].as_str().expect("each server has `url`"),
            )
        })
        .collect();
    let regions: Vec<(&str, &str)> = Region::ALL
        .iter()
        .map(|region| (region.code(), region.base_url()))
        .collect();
    assert_eq!(
        regions, servers,
        "Region (crates/logzio-shared-tokens/src/region.rs) and swagger.json's x-servers disagree"
    );
}
