//! The repository's Markdown, checked as a reader meets it: every relative link
//! names a tracked file (and, with `#anchor` into Markdown, a heading of it),
//! every code block says its language, and every file with a Rust block is
//! compiled as doctests by some crate's `include_str!`.
//!
//! It reads the clone's tracked files (`git ls-files`), so it is not part of
//! the published package (`include` in Cargo.toml leaves it out). It never
//! follows a link over the network: a target with a scheme is not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The tracked files of a clone: every path, and the text of each Markdown file.
struct Tree {
    paths: BTreeSet<PathBuf>,
    markdown: BTreeMap<PathBuf, String>,
}

impl Tree {
    fn from_git(root: &Path) -> Result<Tree, String> {
        let output = Command::new("git")
            .args(["ls-files", "-z"])
            .current_dir(root)
            .output()
            .map_err(|error| format!("cannot run `git ls-files` in {}: {error}", root.display()))?;
        if !output.status.success() {
            return Err(format!(
                "`git ls-files` failed in {}: {}",
                root.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let mut tree = Tree {
            paths: BTreeSet::new(),
            markdown: BTreeMap::new(),
        };
        for name in output
            .stdout
            .split(|byte| *byte == 0)
            .filter(|name| !name.is_empty())
        {
            let path = PathBuf::from(String::from_utf8_lossy(name).into_owned());
            if path.extension().is_some_and(|extension| extension == "md") {
                let text = std::fs::read_to_string(root.join(&path))
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                tree.markdown.insert(path.clone(), text);
            }
            tree.paths.insert(path);
        }
        Ok(tree)
    }

    /// A tracked file, or a directory holding one.
    fn has(&self, path: &Path) -> bool {
        path.as_os_str().is_empty()
            || self.paths.contains(path)
            || self.paths.iter().any(|tracked| tracked.starts_with(path))
    }
}

fn parser(text: &str) -> Parser<'_> {
    // What GitHub renders: tables and strikethrough change where links and headings are.
    Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The anchors GitHub gives a file's headings: the heading's text in lower
/// case, spaces as `-`, every other character but letters, digits, `-` and
/// `_` dropped; a repeated anchor gets `-1`, `-2`, … in order.
fn heading_anchors(text: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in parser(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(part) | Event::Code(part) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&part);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(heading) = heading.take() {
                    let slug = slug(&heading);
                    let count = seen.entry(slug.clone()).or_insert(0);
                    anchors.insert(if *count == 0 {
                        slug.clone()
                    } else {
                        format!("{slug}-{count}")
                    });
                    *count += 1;
                }
            }
            _ => {}
        }
    }
    anchors
}

fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|character| match character {
            ' ' => Some('-'),
            '-' | '_' => Some(character),
            _ if character.is_alphanumeric() => Some(character),
            _ => None,
        })
        .collect()
}

/// Link and image targets with their lines; code spans and blocks hold none.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    parser(text)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((line_of(text, range.start), dest_url.into_string()))
            }
            _ => None,
        })
        .collect()
}

/// `scheme:` before any `/`, `#` or `?`: a URL for a browser, not a file here.
fn has_scheme(target: &str) -> bool {
    let head = target.split(['/', '#', '?']).next().unwrap_or_default();
    head.contains(':')
}

/// `base/relative` with `.` and `..` resolved; `None` when it leaves the clone.
fn resolve(base: &Path, relative: &str) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in base.join(relative).components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}

/// Every relative link of `file` that does not resolve, as `file:line: why`.
fn broken_links(tree: &Tree, file: &Path, text: &str) -> Vec<String> {
    let directory = file.parent().unwrap_or(Path::new(""));
    let mut broken = Vec::new();
    for (line, target) in link_targets(text) {
        if has_scheme(&target) {
            continue;
        }
        let (path_part, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let path_part = path_part.split('?').next().unwrap_or_default();
        let Some(linked) = (if path_part.is_empty() {
            Some(file.to_path_buf())
        } else {
            resolve(directory, path_part)
        }) else {
            broken.push(format!(
                "{}:{line}: `{target}` leaves the repository",
                file.display()
            ));
            continue;
        };
        if !tree.has(&linked) {
            broken.push(format!(
                "{}:{line}: `{target}` names {}, which is not a tracked file",
                file.display(),
                linked.display()
            ));
            continue;
        }
        let Some(anchor) = anchor.filter(|anchor| !anchor.is_empty()) else {
            continue;
        };
        if let Some(linked_text) = tree.markdown.get(&linked)
            && !heading_anchors(linked_text).contains(anchor)
        {
            broken.push(format!(
                "{}:{line}: `{target}`: {} has no heading with the anchor #{anchor}",
                file.display(),
                linked.display()
            ));
        }
    }
    broken
}

/// Whether rustdoc reads a fenced block with this info string as Rust (and so
/// compiles it, unless it says `ignore`): no language at all, `rust`, or only
/// rustdoc's own attributes.
fn rustdoc_reads_as_rust(info: &str) -> bool {
    let words: Vec<&str> = info
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect();
    words.is_empty()
        || words.contains(&"rust")
        || words.iter().all(|word| {
            matches!(
                *word,
                "ignore" | "no_run" | "should_panic" | "compile_fail" | "test_harness"
            ) || word.starts_with("edition")
        })
}

/// Code blocks as (line, info string); an indented block has no info string.
fn code_blocks(text: &str) -> Vec<(usize, Option<String>)> {
    parser(text)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(kind)) => Some((
                line_of(text, range.start),
                match kind {
                    CodeBlockKind::Fenced(info) => Some(info.into_string()),
                    CodeBlockKind::Indented => None,
                },
            )),
            _ => None,
        })
        .collect()
}

/// The Markdown files some tracked Rust file includes with `include_str!`.
fn included_markdown(root: &Path, tree: &Tree) -> BTreeSet<PathBuf> {
    let mut included = BTreeSet::new();
    for rust_file in tree
        .paths
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
    {
        let Ok(source) = std::fs::read_to_string(root.join(rust_file)) else {
            continue;
        };
        let directory = rust_file.parent().unwrap_or(Path::new(""));
        for (_, after) in source
            .match_indices("include_str!(\"")
            .map(|(at, _)| source.split_at(at))
        {
            let argument = &after["include_str!(\"".len()..];
            let Some(end) = argument.find('"') else {
                continue;
            };
            if let Some(path) = resolve(directory, &argument[..end])
                && path.extension().is_some_and(|extension| extension == "md")
            {
                included.insert(path);
            }
        }
    }
    included
}

fn repository() -> (PathBuf, Tree) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match Tree::from_git(&root) {
        Ok(tree) => (root, tree),
        Err(problem) => panic!("this test reads the clone's tracked Markdown: {problem}"),
    }
}

#[test]
fn every_relative_link_in_the_markdown_resolves() {
    let (_, tree) = repository();
    let broken: Vec<String> = tree
        .markdown
        .iter()
        .flat_map(|(file, text)| broken_links(&tree, file, text))
        .collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_code_block_names_its_language_and_rust_blocks_are_compiled() {
    let (root, tree) = repository();
    let included = included_markdown(&root, &tree);
    let mut problems = Vec::new();
    for (file, text) in &tree.markdown {
        for (line, info) in code_blocks(text) {
            match info.as_deref().map(str::trim) {
                // rustdoc compiles a block without a language (indented ones too) as Rust,
                // where GitHub shows it as text: say which it is.
                None | Some("") => problems.push(format!(
                    "{}:{line}: a code block without a language (fence it and name one: text, \
                     sh, toml, rust, …)",
                    file.display()
                )),
                Some(info) if rustdoc_reads_as_rust(info) && !included.contains(file) => {
                    problems.push(format!(
                        "{}:{line}: a Rust block in a file no crate includes as doctests \
                         (add it to a crate's `#[cfg(doctest)]` includes)",
                        file.display()
                    ));
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[cfg(test)]
mod checks {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> Tree {
        let mut tree = Tree {
            paths: BTreeSet::new(),
            markdown: BTreeMap::new(),
        };
        for (path, text) in files {
            tree.paths.insert(PathBuf::from(path));
            if path.ends_with(".md") {
                tree.markdown
                    .insert(PathBuf::from(path), (*text).to_owned());
            }
        }
        tree
    }

    fn broken_in(files: &[(&str, &str)], file: &str) -> Vec<String> {
        let tree = tree(files);
        let text = tree
            .markdown
            .get(Path::new(file))
            .cloned()
            .unwrap_or_default();
        broken_links(&tree, Path::new(file), &text)
    }

    #[test]
    fn anchors_follow_githubs_rule_for_punctuation_code_and_repeats() {
        let anchors = heading_anchors(
            "# Whose behaviour: Logz.io's or ours\n## The real world's shapes: `--quirks`\n\
             ## Notes\n## Notes\n### `apply`: shared tokens as code\n",
        );
        let expected = [
            "whose-behaviour-logzios-or-ours",
            "the-real-worlds-shapes---quirks",
            "notes",
            "notes-1",
            "apply-shared-tokens-as-code",
        ];
        assert_eq!(
            anchors,
            expected.iter().map(|anchor| (*anchor).to_owned()).collect()
        );
    }

    #[test]
    fn a_link_to_a_tracked_file_and_an_existing_heading_resolves() {
        let files = [
            (
                "README.md",
                "See [a](docs/a.md#second-part), [b](#intro), [c](deny.toml), [d](docs/)\n# Intro\n",
            ),
            (
                "docs/a.md",
                "# First\n## Second part\nBack to [the top](../README.md).\n",
            ),
            ("deny.toml", ""),
        ];
        assert_eq!(broken_in(&files, "README.md"), Vec::<String>::new());
        assert_eq!(broken_in(&files, "docs/a.md"), Vec::<String>::new());
    }

    #[test]
    fn a_missing_file_a_missing_heading_and_a_way_out_are_reported() {
        let files = [(
            "docs/a.md",
            "[gone](gone.md) [no heading](a.md#nowhere) [here](#nowhere) [out](../../x.md)\n# A\n",
        )];
        let broken = broken_in(&files, "docs/a.md");
        assert_eq!(broken.len(), 4, "{broken:#?}");
        assert!(
            broken[0].contains("docs/gone.md, which is not a tracked file"),
            "{}",
            broken[0]
        );
        assert!(
            broken[1].contains("no heading with the anchor #nowhere"),
            "{}",
            broken[1]
        );
        assert!(
            broken[2].contains("no heading with the anchor #nowhere"),
            "{}",
            broken[2]
        );
        assert!(broken[3].contains("leaves the repository"), "{}", broken[3]);
    }

    #[test]
    fn urls_and_links_inside_code_are_not_checked() {
        let files = [(
            "README.md",
            "[site](https://docs.rs/x) [mail](mailto:a@b.c) `[no](gone.md)`\n\
             ```text\n[no](gone.md)\n```\n",
        )];
        assert_eq!(broken_in(&files, "README.md"), Vec::<String>::new());
    }

    #[test]
    fn a_block_is_rust_to_rustdoc_unless_it_names_another_language() {
        for info in [
            "",
            "rust",
            "rust,no_run",
            "no_run",
            "ignore,rust",
            "edition2024",
        ] {
            assert!(rustdoc_reads_as_rust(info), "{info:?}");
        }
        for info in ["text", "sh", "toml", "console", "json", "yaml"] {
            assert!(!rustdoc_reads_as_rust(info), "{info:?}");
        }
        let blocks = code_blocks("```\na\n```\n\n```rust,no_run\nb\n```\n\n    indented\n");
        assert_eq!(
            blocks,
            vec![
                (1, Some(String::new())),
                (5, Some("rust,no_run".to_owned())),
                (9, None)
            ]
        );
    }
}
