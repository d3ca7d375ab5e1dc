//! Makes the generated crate's public types open to additive spec changes, as
//! aws-sdk-rust does for its generated types: a new optional field, a new
//! operation, a new enum value or a new response status is then a semver-minor
//! change of `logzio-shared-tokens-api` (cargo-semver-checks is the judge).
//!
//! - Every `pub struct` with named fields and every `pub enum` of `types` is
//!   `#[non_exhaustive]`: code outside the crate makes a value through the
//!   type's builder (`types::SharedToken::builder()…try_into()`), reads fields
//!   as before, and matches an enum with a wildcard arm. The builders of
//!   `types::builder` keep their fields private already.
//! - httpmock's `MockServerExt` is sealed: only `httpmock::MockServer`
//!   implements it, so a new operation's method is not a new required method
//!   of a trait users could implement.
//!
//! It must never change what a type serializes to or reads from the wire.

use syn::{Fields, Item, ItemMod, parse_quote};

/// Marks the structs and enums of the client's `types` module.
pub(crate) fn mark_types_non_exhaustive(file: &mut syn::File) {
    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "types"
        {
            mark_module(module);
        }
    }
}

fn mark_module(module: &mut ItemMod) {
    let Some((_, items)) = &mut module.content else {
        return;
    };
    for item in items {
        match item {
            Item::Struct(definition)
                if is_public(&definition.vis) && matches!(definition.fields, Fields::Named(_)) =>
            {
                mark(&mut definition.attrs);
            }
            Item::Enum(definition) if is_public(&definition.vis) => mark(&mut definition.attrs),
            _ => {}
        }
    }
}

fn mark(attrs: &mut Vec<syn::Attribute>) {
    if !attrs
        .iter()
        .any(|attr| attr.path().is_ident("non_exhaustive"))
    {
        attrs.push(parse_quote!(#[non_exhaustive]));
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// Seals every public trait of the httpmock helpers with a supertrait no one
/// outside the crate can name; `httpmock::MockServer`, the one implementor,
/// gets the sealing impl.
pub(crate) fn seal_mock_traits(file: &mut syn::File) {
    let mut sealed_any = false;
    for item in &mut file.items {
        if let Item::Trait(definition) = item
            && is_public(&definition.vis)
        {
            definition.supertraits.push(parse_quote!(sealed::Sealed));
            sealed_any = true;
        }
    }
    if sealed_any {
        file.items.push(parse_quote! {
            mod sealed {
                /// Only the crate's own implementors: a new operation adds a method
                /// to the traits above without breaking anyone.
                pub trait Sealed {}
                impl Sealed for ::httpmock::MockServer {}
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        mark_types_non_exhaustive(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn structs_with_named_fields_and_enums_of_types_are_marked_once() {
        let out = marked(
            "pub mod types {
                pub struct Token { pub id: i32 }
                pub struct Name(String);
                pub enum Operator { Or, And }
                #[non_exhaustive] pub enum Already { A }
                pub mod builder { pub struct Token { id: i32 } }
            }
            pub struct Client { inner: i32 }",
        );
        assert_eq!(out.matches("#[non_exhaustive]").count(), 3, "{out}");
        assert!(
            out.contains("#[non_exhaustive]\n    pub struct Token"),
            "{out}"
        );
        assert!(
            out.contains("#[non_exhaustive]\n    pub enum Operator"),
            "{out}"
        );
        assert!(
            !out.contains("#[non_exhaustive]\n    pub struct Name"),
            "{out}"
        );
        assert!(
            !out.contains("#[non_exhaustive]\npub struct Client"),
            "{out}"
        );
        assert!(
            !out.contains("#[non_exhaustive]\n        pub struct Token"),
            "{out}"
        );
    }

    #[test]
    fn public_traits_are_sealed_for_the_mock_server() {
        let mut file: syn::File = syn::parse_str(
            "pub trait MockServerExt { fn get(&self); }
             impl MockServerExt for ::httpmock::MockServer { fn get(&self) {} }",
        )
        .unwrap();
        seal_mock_traits(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(
            out.contains("pub trait MockServerExt: sealed::Sealed"),
            "{out}"
        );
        assert!(
            out.contains("impl Sealed for ::httpmock::MockServer"),
            "{out}"
        );
    }
}
