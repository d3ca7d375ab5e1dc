//! The generated crate's `operations` module: one enum variant per spec
//! operation, the catalog the layers above the client (facade, CLI,
//! emulator) map to what they offer. It is `#[non_exhaustive]` and `ALL` is a
//! slice, so a new operation compiles everywhere (a wildcard arm answers "not
//! curated yet") and `cargo xtask check` reports what is left to write.

use openapiv3::OpenAPI;
use quote::{format_ident, quote};

/// What the catalog says of one operation.
struct Entry {
    variant: proc_macro2::Ident,
    /// The variant's explicit discriminant: see [`discriminants`].
    discriminant: u32,
    id: String,
    /// progenitor names each method after the operationId in snake case.
    function_name: String,
    method: String,
    path: String,
    summary: String,
    path_parameters: Vec<String>,
}

/// The `{name}`s of a path template, in order.
fn template_parameters(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// `get-all_tokens` → `GetAllTokens`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn entries(spec: &OpenAPI) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            entries.push(Entry {
                variant: format_ident!("{}", pascal_case(id)),
                discriminant: 0,
                id: id.to_owned(),
                function_name: heck::ToSnakeCase::to_snake_case(id),
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                summary: operation.summary.as_deref().unwrap_or(id).to_owned(),
                path_parameters: template_parameters(path),
            });
        }
    }
    discriminants(&mut entries);
    entries
}

/// cargo-semver-checks treats an enum's discriminants and variant order as
/// public, and the spec's order puts a new operation anywhere. So each
/// variant's discriminant is a hash of its operationId (FNV-1a, 31 bits, which
/// fits every target's `isize`), and a new operation never renumbers the
/// others. A collision, which two ids are most unlikely to meet, takes the
/// next free value in spec order.
fn discriminants(entries: &mut [Entry]) {
    let mut taken = std::collections::BTreeSet::new();
    for entry in entries {
        let mut value = entry.id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        }) & 0x7fff_ffff;
        while !taken.insert(value) {
            value = (value + 1) & 0x7fff_ffff;
        }
        entry.discriminant = value;
    }
}

/// The names of the component schemas' properties declared `format: password`
/// (the shared token value), sorted and once each.
fn secret_properties(spec: &OpenAPI) -> Vec<String> {
    use openapiv3::{ReferenceOr, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let mut names = std::collections::BTreeSet::new();
    let schemas = spec.components.iter().flat_map(|c| c.schemas.values());
    for schema in schemas.filter_map(ReferenceOr::as_item) {
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        for (name, property) in &object.properties {
            if let Some(property) = property.as_item()
                && let SchemaKind::Type(Type::String(string)) = &property.schema_kind
                && string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
            {
                names.insert(name.clone());
            }
        }
    }
    names.into_iter().collect()
}

/// The `pub mod operations` of `spec`.
pub(crate) fn tokens(spec: &OpenAPI) -> proc_macro2::TokenStream {
    let secret_properties = secret_properties(spec);
    let entries = entries(spec);
    let variants = entries.iter().map(|e| &e.variant);
    let discriminants = entries
        .iter()
        .map(|e| proc_macro2::Literal::u32_unsuffixed(e.discriminant));
    let docs = entries
        .iter()
        .map(|e| format!("`{} {}`: {}", e.method, e.path, e.summary));
    let accessors = accessors(&entries);
    quote! {
        /// The spec's operations as data, for coverage checks and calls by name.
        pub mod operations {
            /// Object properties the spec declares secret (`format: password`):
            /// mask them wherever a body is shown as untyped JSON.
            pub const SECRET_PROPERTIES: &[&str] = &[ #( #secret_properties ),* ];

            /// One variant per operation in the spec. New operations are added
            /// in minor releases: match it with a wildcard arm. It has no order
            /// (the spec's is [`Operation::ALL`]), and its discriminants are
            /// hashes of the operationIds, so a new operation renumbers nothing.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Operation {
                #( #[doc = #docs] #variants = #discriminants, )*
            }

            #accessors
        }
    }
}

/// `impl Operation`: the catalog's data, one `match` per column.
fn accessors(entries: &[Entry]) -> proc_macro2::TokenStream {
    let column = |field: fn(&Entry) -> &String| entries.iter().map(field).collect::<Vec<_>>();
    let (ids, function_names) = (column(|e| &e.id), column(|e| &e.function_name));
    let (methods, paths) = (column(|e| &e.method), column(|e| &e.path));
    let summaries = column(|e| &e.summary);
    let variants: Vec<_> = entries.iter().map(|e| &e.variant).collect();
    let path_parameters: Vec<_> = entries.iter().map(|e| &e.path_parameters).collect();
    quote! {
        impl Operation {
            /// Every operation, in spec order.
            pub const ALL: &'static [Operation] = &[ #( Operation::#variants ),* ];

            /// The operation whose `operationId` is `id` (`getAllTokens`).
            pub fn from_operation_id(id: &str) -> Option<Operation> {
                match id { #( #ids => Some(Operation::#variants), )* _ => None }
            }

            /// The spec's `operationId`.
            pub fn operation_id(self) -> &'static str {
                match self { #( Operation::#variants => #ids, )* }
            }

            /// The operation whose generated method is `name` (`get_all_tokens`),
            /// as progenitor reports it to client hooks.
            pub fn from_function_name(name: &str) -> Option<Operation> {
                match name { #( #function_names => Some(Operation::#variants), )* _ => None }
            }

            /// The generated method's name (`get_all_tokens`), as client hooks see it.
            pub fn function_name(self) -> &'static str {
                match self { #( Operation::#variants => #function_names, )* }
            }

            /// The HTTP method, upper-case.
            pub fn method(self) -> &'static str {
                match self { #( Operation::#variants => #methods, )* }
            }

            /// The path template, e.g. `/v1/shared-tokens/{id}`.
            pub fn path(self) -> &'static str {
                match self { #( Operation::#variants => #paths, )* }
            }

            /// The path template's parameters, in order (`["id"]`).
            pub fn path_parameters(self) -> &'static [&'static str] {
                match self { #( Operation::#variants => &[ #( #path_parameters ),* ], )* }
            }

            /// The operation's one-line summary from the spec (its id when it has none).
            pub fn summary(self) -> &'static str {
                match self { #( Operation::#variants => #summaries, )* }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_template_parameters_are_found_in_order() {
        assert_eq!(
            template_parameters("/v1/shared-tokens"),
            Vec::<String>::new()
        );
        assert_eq!(template_parameters("/a/{x}/b/{y}"), ["x", "y"]);
    }

    #[test]
    fn discriminants_depend_on_the_id_alone_and_never_collide() {
        let entry = |id: &str| Entry {
            variant: format_ident!("{}", pascal_case(id)),
            discriminant: 0,
            id: id.to_owned(),
            function_name: String::new(),
            method: String::new(),
            path: String::new(),
            summary: String::new(),
            path_parameters: Vec::new(),
        };
        let mut before = vec![entry("getToken"), entry("deleteFilter")];
        let mut after = vec![
            entry("getToken"),
            entry("updateFilter"),
            entry("deleteFilter"),
        ];
        discriminants(&mut before);
        discriminants(&mut after);
        assert_eq!(before[0].discriminant, after[0].discriminant);
        assert_eq!(before[1].discriminant, after[2].discriminant);
        assert!(after.iter().all(|e| e.discriminant <= 0x7fff_ffff));
        let mut same = vec![entry("getToken"), entry("getToken")];
        discriminants(&mut same);
        assert_ne!(same[0].discriminant, same[1].discriminant);
    }

    #[test]
    fn operation_ids_become_pascal_case_variants() {
        assert_eq!(pascal_case("getAllTokens"), "GetAllTokens");
        assert_eq!(pascal_case("get-all_tokens"), "GetAllTokens");
    }
}
