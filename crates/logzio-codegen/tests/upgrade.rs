//! The Swagger 2.0 → OpenAPI 3.0.3 upgrade, one construct per test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use logzio_codegen::{SpecProblem, upgrade};
use serde_json::{Value, json};

fn swagger(paths: Value, definitions: Value) -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com",
        "basePath": "/base",
        "schemes": ["https"],
        "paths": paths,
        "definitions": definitions,
    })
}

fn upgraded(document: Value) -> Value {
    let result = upgrade("spec.json", &document).unwrap_or_else(|problems| {
        panic!("upgrade refused: {problems:#?}");
    });
    assert!(result.warnings.is_empty(), "{:#?}", result.warnings);
    result.document
}

fn refused(document: Value) -> Vec<SpecProblem> {
    match upgrade("spec.json", &document) {
        Ok(result) => panic!("expected a refusal, got {:#}", result.document),
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in &problems {
                assert_eq!(problem.file, "spec.json");
            }
            problems
        }
    }
}

fn op(parameters: Value, responses: Value) -> Value {
    json!({"operationId": "op", "parameters": parameters, "responses": responses})
}

#[test]
fn body_parameter_becomes_request_body_per_consumed_type() {
    let doc = swagger(
        json!({"/things": {"post": {
            "operationId": "createThing",
            "consumes": ["application/json"],
            "parameters": [{"in": "body", "name": "body", "required": true, "description": "d",
                            "schema": {"$ref": "#/definitions/Thing"}}],
            "responses": {"200": {"description": "ok"}}
        }}}),
        json!({"Thing": {"type": "object"}}),
    );
    let out = upgraded(doc);
    let body = &out["paths"]["/things"]["post"]["requestBody"];
    assert_eq!(body["required"], json!(true));
    assert_eq!(body["description"], json!("d"));
    assert_eq!(
        body["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
    assert!(out["paths"]["/things"]["post"].get("parameters").is_none());
}

#[test]
fn form_data_becomes_an_object_body_multipart_when_a_file_is_sent() {
    let form = |extra: Value| {
        let mut parameters =
            vec![json!({"in": "formData", "name": "note", "type": "string", "required": true})];
        if !extra.is_null() {
            parameters.push(extra);
        }
        swagger(
            json!({"/upload": {"post": op(Value::Array(parameters), json!({"204": {"description": "done"}}))}}),
            json!({}),
        )
    };
    let plain = upgraded(form(Value::Null));
    let content = &plain["paths"]["/upload"]["post"]["requestBody"]["content"];
    let schema = &content["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(schema["properties"]["note"], json!({"type": "string"}));
    assert_eq!(schema["required"], json!(["note"]));

    let with_file = upgraded(form(
        json!({"in": "formData", "name": "file", "type": "file"}),
    ));
    let schema = &with_file["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]
        ["schema"];
    assert_eq!(
        schema["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
}

#[test]
fn plain_parameters_move_their_type_into_a_schema() {
    let doc = swagger(
        json!({"/things/{id}": {"get": op(json!([
            {"in": "path", "name": "id", "required": true, "type": "integer", "format": "int32"},
            {"in": "query", "name": "tags", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "collectionFormat": "multi"},
            {"in": "query", "name": "ids", "type": "array", "items": {"type": "integer"}, "collectionFormat": "csv"},
            {"in": "header", "name": "X-Trace", "type": "string", "x-nullable": true}
        ]), json!({"200": {"description": "ok"}}))}}),
        json!({}),
    );
    let out = upgraded(doc);
    let parameters = out["paths"]["/things/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        parameters[0],
        json!({"in": "path", "name": "id", "required": true, "schema": {"type": "integer", "format": "int32"}})
    );
    assert_eq!(parameters[1]["style"], json!("form"));
    assert_eq!(parameters[1]["explode"], json!(true));
    assert_eq!(parameters[1]["schema"]["items"]["enum"], json!(["a", "b"]));
    assert_eq!(parameters[2]["explode"], json!(false));
    assert_eq!(
        parameters[3]["schema"],
        json!({"type": "string", "nullable": true})
    );
}

#[test]
fn definitions_move_to_components_and_every_ref_follows() {
    let doc = swagger(
        json!({"/things": {"get": op(json!([]), json!({"200": {"description": "ok",
            "schema": {"type": "array", "items": {"$ref": "#/definitions/Thing"}}}}))}}),
        json!({
            "Thing": {"allOf": [{"$ref": "#/definitions/Base"}, {"type": "object",
                "properties": {"tags": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Tag"}},
                               "mode": {"type": "string", "enum": ["on", "off"], "x-nullable": true}}}]},
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "readOnly": true}},
                     "discriminator": "kind"},
            "Tag": {"type": "string"},
            "Free": {"type": "object", "additionalProperties": true}
        }),
    );
    let out = upgraded(doc);
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Thing"]["allOf"][0],
        json!({"$ref": "#/components/schemas/Base"})
    );
    let properties = &schemas["Thing"]["allOf"][1]["properties"];
    assert_eq!(
        properties["tags"]["additionalProperties"],
        json!({"$ref": "#/components/schemas/Tag"})
    );
    assert_eq!(
        properties["mode"],
        json!({"type": "string", "enum": ["on", "off"], "nullable": true})
    );
    assert_eq!(
        schemas["Base"]["discriminator"],
        json!({"propertyName": "kind"})
    );
    assert_eq!(schemas["Base"]["required"], json!(["id"]));
    assert_eq!(schemas["Free"]["additionalProperties"], json!(true));
    assert_eq!(
        out["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["items"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
}

#[test]
fn responses_get_content_per_produced_type_and_keep_default() {
    let doc = swagger(
        json!({"/things": {"get": {
            "operationId": "listThings",
            "produces": ["application/json"],
            "responses": {
                "200": {"description": "ok", "schema": {"type": "string"},
                        "headers": {"X-Rate": {"type": "integer", "description": "left"}},
                        "examples": {"application/json": "hello"}},
                "204": {"description": "nothing"},
                "default": {"description": "error", "schema": {"$ref": "#/definitions/Error"}}
            }
        }}}),
        json!({"Error": {"type": "object"}}),
    );
    let out = upgraded(doc);
    let responses = &out["paths"]["/things"]["get"]["responses"];
    assert_eq!(
        responses["200"]["content"]["application/json"],
        json!({"schema": {"type": "string"}, "example": "hello"})
    );
    assert_eq!(
        responses["200"]["headers"]["X-Rate"],
        json!({"description": "left", "schema": {"type": "integer"}})
    );
    assert_eq!(responses["204"], json!({"description": "nothing"}));
    assert_eq!(
        responses["default"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error"})
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let mut doc = swagger(json!({}), json!({}));
    doc["securityDefinitions"] = json!({
        "token": {"type": "apiKey", "in": "header", "name": "X-API-TOKEN", "description": "d"},
        "basic": {"type": "basic"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}}
    });
    doc["security"] = json!([{"token": []}]);
    let out = upgraded(doc);
    let schemes = &out["components"]["securitySchemes"];
    assert_eq!(
        schemes["token"],
        json!({"type": "apiKey", "name": "X-API-TOKEN", "in": "header", "description": "d"})
    );
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(
        schemes["oauth"]["flows"]["authorizationCode"],
        json!({"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}})
    );
    assert_eq!(out["security"], json!([{"token": []}]));
}

#[test]
fn host_base_path_schemes_and_regional_servers_become_servers() {
    let plain = upgraded(swagger(json!({}), json!({})));
    assert_eq!(
        plain["servers"],
        json!([{"url": "https://api.example.com/base"}])
    );
    assert_eq!(plain["openapi"], json!("3.0.3"));

    let mut regional = swagger(json!({}), json!({}));
    regional["basePath"] = json!("/");
    regional["x-servers"] = json!([
        {"url": "https://api.logz.io", "description": "US", "x-region": "us"},
        {"url": "https://api-eu.logz.io/", "description": "EU", "x-region": "eu"}
    ]);
    let out = upgraded(regional);
    assert_eq!(
        out["servers"],
        json!([
            {"url": "https://api.logz.io", "description": "US", "x-region": "us"},
            {"url": "https://api-eu.logz.io", "description": "EU", "x-region": "eu"}
        ])
    );
    assert!(out.get("x-servers").is_none());
}

#[test]
fn openapi_3_0_passes_through_unchanged() {
    let doc = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {},
                     "x-anything": {"kept": true}});
    assert_eq!(upgraded(doc.clone()), doc);
}

#[test]
fn other_versions_are_refused_at_the_version_field() {
    let cases = [
        (
            json!({"swaggerVersion": "1.2", "apis": []}),
            "/swaggerVersion",
        ),
        (
            json!({"openapi": "3.1.0", "info": {}, "paths": {}}),
            "/openapi",
        ),
        (json!({"swagger": "1.0"}), "/swagger"),
        (json!({"info": {}}), ""),
    ];
    for (doc, pointer) in cases {
        let problems = refused(doc);
        assert_eq!(problems[0].pointer, pointer, "{problems:?}");
    }
}

#[test]
fn response_and_parameter_refs_must_name_one_whole_entry() {
    let mut doc = swagger(
        json!({"/things": {"get": op(
            json!([{"$ref": "#/parameters/limit/in"}]),
            json!({"404": {"$ref": "#/responses/NotFound/description"}})
        )}}),
        json!({}),
    );
    doc["parameters"] = json!({"limit": {"name": "limit", "in": "query", "type": "integer"}});
    doc["responses"] = json!({"NotFound": {"description": "none"}});
    let problems = refused(doc);
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert!(
        pointers.contains(&"/paths/~1things/get/parameters/0/$ref"),
        "{problems:#?}"
    );
    assert!(
        pointers.contains(&"/paths/~1things/get/responses/404/$ref"),
        "{problems:#?}"
    );
}

#[test]
fn dangling_and_external_refs_are_refused_with_their_pointer() {
    let doc = swagger(
        json!({"/things": {"get": op(json!([]), json!({"200": {"description": "ok",
            "schema": {"$ref": "#/definitions/Missing"}}}))}}),
        json!({"Remote": {"$ref": "other.json#/definitions/Thing"}}),
    );
    let problems = refused(doc);
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert!(
        pointers.contains(&"/definitions/Remote/$ref"),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.problem.contains("external reference `other.json"))
    );

    let only_dangling = swagger(
        json!({"/things": {"get": op(json!([]), json!({"200": {"description": "ok",
            "schema": {"$ref": "#/definitions/Missing"}}}))}}),
        json!({}),
    );
    let problems = refused(only_dangling);
    assert_eq!(
        problems[0].pointer,
        "/paths/~1things/get/responses/200/schema/$ref"
    );
    assert!(problems[0].problem.contains("#/definitions/Missing"));
}

#[test]
fn unsupported_constructs_are_refused_with_their_pointer() {
    let doc = swagger(
        json!({"/things": {"get": op(json!([
            {"in": "query", "name": "q", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
            {"in": "cookie", "name": "c", "type": "string"}
        ]), json!({"200": {"description": "ok", "schema": "#/definitions/Thing"}}))}}),
        json!({"Thing": {"type": ["string", "null"], "patternProperties": {}}}),
    );
    let problems = refused(doc);
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    for expected in [
        "/paths/~1things/get/parameters/0/collectionFormat",
        "/paths/~1things/get/parameters/1/in",
        "/paths/~1things/get/responses/200/schema",
        "/definitions/Thing/type",
        "/definitions/Thing/patternProperties",
    ] {
        assert!(
            pointers.contains(&expected),
            "{expected} not in {pointers:#?}"
        );
    }
    let display = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        display.contains("spec.json: at /paths/~1things/get/responses/200/schema: a string"),
        "{display}"
    );
}

#[test]
fn tolerated_defects_are_repaired_and_reported() {
    let doc = json!({
        "swagger": "2.0",
        "info": {"title": "t"},
        "paths": {
            "/gone": null,
            "/things/{id}": {"get": {"operationId": "getThing",
                "parameters": [{"in": "path", "name": "id", "type": "string"}],
                "responses": {"200": {"schema": {"$ref": "#/definitions/Thing"}}}}}
        },
        "definitions": {"Thing": {"type": "object", "properties": {
            "name": {"type": "string", "required": true},
            "note": {"type": "string", "required": false}
        }}}
    });
    let result = upgrade("spec.json", &doc).unwrap();
    let pointers: Vec<&str> = result.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/info/version",
            "/paths/~1gone",
            "/paths/~1things~1{id}/get/parameters/0",
            "/paths/~1things~1{id}/get/responses/200",
            "/definitions/Thing/properties/name/required",
            "/definitions/Thing/properties/note/required",
        ]
    );
    let out = result.document;
    assert_eq!(out["info"]["version"], json!("0.0.0"));
    assert!(out["paths"].get("/gone").is_none());
    assert_eq!(
        out["components"]["schemas"]["Thing"]["required"],
        json!(["name"])
    );
    assert!(
        out["components"]["schemas"]["Thing"]["properties"]["name"]
            .get("required")
            .is_none()
    );
    assert_eq!(
        out["paths"]["/things/{id}"]["get"]["parameters"][0]["required"],
        json!(true)
    );
}

#[test]
fn global_parameters_and_responses_become_components() {
    let mut doc = swagger(
        json!({"/things": {"post": op(
            json!([{"$ref": "#/parameters/Limit"}, {"$ref": "#/parameters/Body"}]),
            json!({"400": {"$ref": "#/responses/Bad"}}))}}),
        json!({"Thing": {"type": "object"}}),
    );
    doc["parameters"] = json!({
        "Limit": {"in": "query", "name": "limit", "type": "integer"},
        "Body": {"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Thing"}}
    });
    doc["responses"] = json!({"Bad": {"description": "bad"}});
    let out = upgraded(doc);
    let operation = &out["paths"]["/things"]["post"];
    assert_eq!(
        operation["parameters"],
        json!([{"$ref": "#/components/parameters/Limit"}])
    );
    assert_eq!(
        operation["requestBody"],
        json!({"$ref": "#/components/requestBodies/Body"})
    );
    assert_eq!(
        operation["responses"]["400"],
        json!({"$ref": "#/components/responses/Bad"})
    );
    assert_eq!(
        out["components"]["parameters"]["Limit"]["schema"],
        json!({"type": "integer"})
    );
    assert_eq!(
        out["components"]["requestBodies"]["Body"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
}

#[test]
fn openapi_3_style_parameters_in_a_2_0_file_are_carried_over_with_warnings() {
    let doc = swagger(
        json!({"/things": {"get": op(json!([
            {"in": "query", "name": "q", "schema": {"type": "string", "x-nullable": true}, "example": "abc"}
        ]), json!({"200": {"description": "ok"}}))}}),
        json!({}),
    );
    let result = upgrade("spec.json", &doc).unwrap();
    let pointers: Vec<&str> = result.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1things/get/parameters/0/example",
            "/paths/~1things/get/parameters/0/schema"
        ]
    );
    let parameter = &result.document["paths"]["/things"]["get"]["parameters"][0];
    assert_eq!(
        parameter["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(parameter["example"], json!("abc"));
}
