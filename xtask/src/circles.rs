//! `cargo xtask circles`: import circles between the modules of a crate.
//!
//! A module's file names other modules by path (`use crate::store::Db;`,
//! `super::products::claim_product`, `crate::{api, health}`); each such reference is an
//! edge to the longest module path it starts with. An edge between a module and its own
//! ancestor does not count (a parent declaring and re-exporting its children is how
//! Rust modules work); any other edge is lifted to the two siblings under the modules'
//! closest common ancestor. A circle is a group of siblings that reach each other, found
//! as the strongly connected components of each parent's graph of children. Test
//! modules (`tests`) are left out: they exist to reach into their parent. So are the
//! references made by sea-orm entities (`store::entities`): a relation is declared on
//! both of its tables (`belongs_to` and `has_many`) by design, and entities are data
//! definitions that call nothing; references *to* them count like any other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// A module path: `["store", "admin", "products"]`; the crate root is empty.
type ModulePath = Vec<String>;

/// Modules whose own references are not followed (see the module documentation).
const DECLARATIONS: &[&str] = &["store::entities"];

/// Prints the circles of every crate's `src/` that has any; fails if there are.
pub fn run(root: &Path) -> Result<()> {
    let mut total = 0;
    for krate in ["server", "app", "engine", "widget", "migrations", "xtask"] {
        let src = root.join(krate).join("src");
        let found = circles(&src)?;
        for circle in &found {
            println!("{krate}: {}", circle.join(" <-> "));
        }
        total += found.len();
    }
    println!("circles: {total}");
    if total > 0 {
        bail!("{total} import circles");
    }
    Ok(())
}

/// The circles among the modules under `src`, each as its modules' paths.
pub fn circles(src: &Path) -> Result<Vec<Vec<String>>> {
    let mut files = Vec::new();
    collect(src, src, &mut files)?;
    let modules: BTreeSet<ModulePath> = files.iter().map(|(path, _)| path.clone()).collect();
    // Edges between siblings, grouped by their parent.
    let mut graphs: BTreeMap<ModulePath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, text) in &files {
        let joined = from.join("::");
        if DECLARATIONS
            .iter()
            .any(|d| joined == *d || joined.starts_with(&format!("{d}::")))
        {
            continue;
        }
        for reference in references(text) {
            let Some(absolute) = resolve(from, &reference) else {
                continue;
            };
            let to = longest_module(&modules, &absolute);
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            graphs
                .entry(from[..common].to_vec())
                .or_default()
                .entry(from[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    let mut found = Vec::new();
    for (parent, graph) in &graphs {
        for component in strongly_connected(graph) {
            if component.len() > 1 {
                found.push(
                    component
                        .iter()
                        .map(|child| {
                            let mut path = parent.clone();
                            path.push(child.clone());
                            path.join("::")
                        })
                        .collect(),
                );
            }
        }
    }
    Ok(found)
}

/// Every `.rs` file under `dir` with its module path, test modules left out.
fn collect(src: &Path, dir: &Path, files: &mut Vec<(ModulePath, String)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if name == "tests" {
            continue;
        }
        if path.is_dir() {
            collect(src, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src).expect("under src").with_extension("");
            let mut module: ModulePath = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path)?;
            files.push((module, without_tests(&text)));
        }
    }
    Ok(())
}

/// `text` up to an inline `#[cfg(test)]` item, which by convention ends a file.
fn without_tests(text: &str) -> String {
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// Every path starting with `crate::`, `super::` or `self::` in `text` (comments
/// skipped), with `{…}` groups expanded: `crate::{a, b::c}` is `crate::a`, `crate::b::c`.
fn references(text: &str) -> Vec<Vec<String>> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .any(|k| rest.starts_with(k));
        let boundary = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':');
        if starts && boundary {
            let (paths, used) = path_tree(rest);
            // `crate::store::{self, …}` names the module itself.
            found.extend(paths.into_iter().map(|mut path| {
                if path.len() > 1 && path.last().is_some_and(|w| w == "self") {
                    path.pop();
                }
                path
            }));
            at += used.max(1);
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// The paths of one `a::b::{c, d::e}` tree at the start of `text`, and its length.
fn path_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut at = 0;
    loop {
        let word: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            break;
        }
        at += word.len();
        prefix.push(word);
        if text[at..].starts_with("::{") {
            at += 3;
            let mut paths = Vec::new();
            loop {
                let trimmed = text[at..].len() - text[at..].trim_start().len();
                at += trimmed;
                if text[at..].starts_with('}') {
                    at += 1;
                    break;
                }
                let (inner, used) = path_tree(&text[at..]);
                if used == 0 {
                    // `self` inside braces, a glob or something unexpected: skip a char.
                    at += text[at..].chars().next().map_or(1, char::len_utf8);
                    if text[at - 1..].starts_with('}') {
                        break;
                    }
                    continue;
                }
                at += used;
                paths.extend(
                    inner
                        .into_iter()
                        .map(|tail| prefix.iter().cloned().chain(tail).collect()),
                );
                let trimmed = text[at..].len() - text[at..].trim_start().len();
                at += trimmed;
                if text[at..].starts_with(',') {
                    at += 1;
                }
            }
            return (paths, at);
        }
        if text[at..].starts_with("::") {
            at += 2;
        } else {
            break;
        }
    }
    (vec![prefix], at)
}

/// `reference` as an absolute module path seen from module `from`.
fn resolve(from: &ModulePath, reference: &[String]) -> Option<ModulePath> {
    let (first, rest) = reference.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => from.clone(),
        "super" => from[..from.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    let mut rest = rest.iter().peekable();
    while rest.peek().is_some_and(|w| *w == "super") {
        base.pop();
        rest.next();
    }
    base.extend(rest.filter(|w| *w != "self").cloned());
    Some(base)
}

/// The longest module that `path` starts with (the crate root at least).
fn longest_module(modules: &BTreeSet<ModulePath>, path: &[String]) -> ModulePath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
        .unwrap_or_default()
}

/// Tarjan's strongly connected components of `graph`.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        components: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                component.sort();
                self.components.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(String::from).collect()
    }

    #[test]
    fn braces_expand_into_every_path() {
        let found = references("use crate::store::{self, Db, entities::{shops, stock}};\nuse super::x;");
        assert_eq!(
            found,
            [
                path("crate::store"),
                path("crate::store::Db"),
                path("crate::store::entities::shops"),
                path("crate::store::entities::stock"),
                path("super::x"),
            ]
        );
        assert!(references("// use crate::api;\nlet a = b;").is_empty());
    }

    #[test]
    fn references_resolve_from_the_module_that_makes_them() {
        let from = path("store::admin::products");
        assert_eq!(
            resolve(&from, &path("super::structure::f")),
            Some(path("store::admin::structure::f"))
        );
        assert_eq!(resolve(&from, &path("crate::api")), Some(path("api")));
        assert_eq!(resolve(&from, &path("super::super::Db")), Some(path("store::Db")));
    }

    #[test]
    fn a_circle_between_siblings_is_found_and_a_chain_is_not() {
        let dir = std::env::temp_dir().join(format!("xtask-circles-{}", std::process::id()));
        let write = |file: &str, text: &str| {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("lib.rs", "mod a; mod b; mod c; mod d;");
        write("a.rs", "use crate::b::f;");
        write("b/mod.rs", "mod inner;");
        write("b/inner.rs", "use crate::a::g;");
        write("c.rs", "use crate::a::g;");
        write("d.rs", "use crate::c::x; fn t() { super::a::g(); }");
        let found = circles(&dir).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(found, [vec!["a".to_string(), "b".to_string()]]);
    }

    #[test]
    fn the_server_has_no_import_circles() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let found = circles(&root.join("server/src")).unwrap();
        assert!(found.is_empty(), "import circles in server/src: {found:?}");
    }
}
