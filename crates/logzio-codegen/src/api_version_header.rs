//! Removes the `api-version` request header progenitor 0.15 adds to every
//! generated call (`header_map.append(HeaderName::from_static("api-version"),
//! …)`, with the value of the spec's `info.version`).
//!
//! Why: we send what the spec declares and nothing else, and neither our
//! `swagger.json` nor Logz.io's published spec declares such a header. It
//! also costs every call about 2% of its client-side instructions
//! (`cargo xtask bench-call-cost`).

use syn::{Expr, ImplItem, Item, Pat, Stmt};

/// The header's name as progenitor writes it.
const HEADER: &str = "\"api-version\"";

/// Drops the statement that appends the header from every function of the
/// file's `impl` blocks, in nested modules too; returns how many it dropped.
pub(crate) fn remove(file: &mut syn::File) -> usize {
    remove_from_items(&mut file.items)
}

fn remove_from_items(items: &mut [Item]) -> usize {
    let mut removed = 0;
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    removed += remove_from_items(inner);
                }
            }
            Item::Impl(block) => {
                for member in &mut block.items {
                    if let ImplItem::Fn(function) = member {
                        let stmts = &mut function.block.stmts;
                        let before = stmts.len();
                        stmts.retain(|stmt| !appends_the_header(stmt));
                        if stmts.len() < before {
                            removed += before - stmts.len();
                            drop_empty_header_map(stmts);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    removed
}

fn appends_the_header(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && call.args.first().is_some_and(|name| {
            quote::ToTokens::to_token_stream(name)
                .to_string()
                .contains(HEADER)
        })
}

/// The header map existed for that one `append` when nothing else appends
/// to it: then its declaration and the `.headers(header_map)` that merges it
/// go too (an empty map still allocates, and an unused `mut` would warn).
fn drop_empty_header_map(stmts: &mut Vec<Stmt>) {
    let appended = stmts.iter().any(|stmt| {
        quote::ToTokens::to_token_stream(stmt)
            .to_string()
            .contains("header_map . append")
    });
    if appended {
        return;
    }
    let declared = stmts.iter().position(|stmt| {
        matches!(stmt, Stmt::Local(local)
            if matches!(&local.pat, Pat::Ident(binding) if binding.ident == "header_map"))
    });
    let Some(declared) = declared else { return };
    let mut merged = false;
    for stmt in stmts.iter_mut() {
        if let Stmt::Local(local) = stmt
            && let Some(init) = &mut local.init
        {
            merged |= splice_out_merge(&mut init.expr);
        }
    }
    // Only when the merge was found: otherwise the map is used some other way.
    if merged {
        stmts.remove(declared);
    }
}

/// Replaces `receiver.headers(header_map)` in a method chain by `receiver`.
fn splice_out_merge(expr: &mut Expr) -> bool {
    match expr {
        Expr::MethodCall(call)
            if call.method == "headers"
                && call.args.len() == 1
                && matches!(call.args.first(), Some(Expr::Path(path)) if path.path.is_ident("header_map")) =>
        {
            let receiver =
                std::mem::replace(&mut *call.receiver, Expr::Verbatim(Default::default()));
            *expr = receiver;
            true
        }
        Expr::MethodCall(call) => splice_out_merge(&mut call.receiver),
        Expr::Try(attempt) => splice_out_merge(&mut attempt.expr),
        _ => false,
    }
}
