//! The server's modules must form layers: a lower module (`store`, `token`, `campaign`, `form`)
//! returns typed values and never imports the pages or handlers built on top of it. An import
//! cycle is how that erodes: once a module and the one above it import each other, neither can
//! be read, changed or tested alone. Rust accepts such cycles inside one crate, so this test is
//! what refuses them.
//!
//! It reads the sources rather than compiling them. Every `crate::…` path in a module, in a `use`
//! item or inline in code, is an edge to the longest module that path names. `super::` and
//! `self::` paths, and paths between a module and its own parent or children, are not edges: a
//! module split into parts is still one layer. Comments, string literals and the
//! `#[cfg(test)] mod tests` at the end of a file are left out, since tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn server_modules_import_no_cycle() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = manifest_dir.join("src");
    let files = source_files(&src);
    // An empty walk would pass without checking anything.
    assert!(
        files.iter().any(|file| file.module.is_empty()),
        "no lib.rs found under {}",
        src.display()
    );

    let modules: Vec<(&str, &str)> = files
        .iter()
        .map(|file| (file.module.as_str(), file.text.as_str()))
        .collect();
    let graph = import_graph(&modules);
    let components = tangled_components(&graph);
    let file_of = |module: &str| {
        files
            .iter()
            .find(|file| file.module == module)
            .map(|file| file.path.strip_prefix(manifest_dir).unwrap_or(&file.path))
            .map_or_else(|| module.to_owned(), |path| path.display().to_string())
    };
    assert!(
        components.is_empty(),
        "{}",
        describe(&graph, &components, file_of)
    );
}

#[test]
fn finds_a_known_cycle() {
    // a → b → c → a, each edge written a different way; d imports a without being imported.
    let modules = [
        ("", "pub mod a;\npub mod b;\npub mod c;\npub mod d;\n"),
        ("a", "use crate::b::Thing;\n"),
        (
            "b",
            // The `'"'` must not open a string, or the call after it would be hidden.
            "fn pick<'a>(text: &'a str) -> char {\n    let _ = text;\n    '\"'\n}\n\n\
             pub fn run() {\n    crate::c::go();\n}\n",
        ),
        (
            "c",
            "use std::fmt;\nuse crate::{\n    a::{self, Thing as Other},\n};\n",
        ),
        (
            "d",
            "//! Sees [`crate::b`]; none of these is an import.\n\
             /* crate::b */\n\
             use crate::a;\n\n\
             const NOTE: &str = \"crate::c\";\n\
             const RAW: &str = r#\"crate::c\"#;\n\n\
             #[cfg(test)]\n\
             mod tests {\n    use crate::c;\n}\n",
        ),
    ];
    let graph = import_graph(&modules);
    let targets =
        |module: &str| -> Vec<&str> { graph[module].keys().map(String::as_str).collect() };
    assert_eq!(targets("b"), ["c"]);
    assert_eq!(targets("c"), ["a"], "the grouped, multi-line `use`");
    assert_eq!(
        targets("d"),
        ["a"],
        "comments, strings and tests are not imports"
    );

    let components = tangled_components(&graph);
    assert_eq!(
        components,
        [BTreeSet::from(["a", "b", "c"])],
        "d is not in it"
    );
    let message = describe(&graph, &components, |module| format!("{module}.rs"));
    assert!(message.contains("a → b → c → a"), "{message}");
    assert!(message.contains("b → c: b.rs:7  crate::c::go"), "{message}");
    assert!(message.contains("c → a: c.rs:3  crate::a"), "{message}");
}

#[test]
fn a_module_and_its_parts_are_no_cycle() {
    let modules = [
        (
            "form",
            "mod decode;\nuse crate::form::decode::Field;\npub fn check() {}\n",
        ),
        (
            "form::decode",
            "use super::check;\nuse crate::form::check as again;\n",
        ),
        ("pages", "use crate::form::decode::Field;\n"),
    ];
    let graph = import_graph(&modules);
    assert!(graph["form"].is_empty());
    assert!(graph["form::decode"].is_empty());
    // The longest module the path names, not just its first segment.
    assert!(graph["pages"].contains_key("form::decode"));
    assert!(tangled_components(&graph).is_empty());
}

/// One `.rs` file of the library, with the module path Rust gives it (`""` for the crate root).
#[derive(Debug)]
struct SourceFile {
    module: String,
    path: PathBuf,
    text: String,
}

/// Every library module under `src`, sorted by module path.
fn source_files(src: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let relative = path.strip_prefix(src).expect("found under src");
                if let Some(module) = module_path(relative) {
                    let text = fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                    files.push(SourceFile { module, path, text });
                }
            }
        }
    }
    files.sort_by(|a, b| a.module.cmp(&b.module));
    files
}

/// The module a file under `src` defines, as Rust maps them: `lib.rs` is the root, `foo.rs` and
/// `foo/mod.rs` are `foo`, `foo/bar.rs` is `foo::bar`. `None` for the binaries, which are
/// crates of their own and may use the library freely.
fn module_path(relative: &Path) -> Option<String> {
    let mut parts: Vec<&str> = relative
        .iter()
        .map(|part| part.to_str().expect("UTF-8 file names"))
        .collect();
    let name = parts.pop()?.strip_suffix(".rs")?;
    match (parts.as_slice(), name) {
        ([], "main") | (["bin", ..], _) => return None,
        ([], "lib") | (_, "mod") => {}
        _ => parts.push(name),
    }
    Some(parts.join("::"))
}

/// Where a module first names another through `crate::`: the evidence shown for an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    line: usize,
    path: String,
}

/// Each module to the modules it imports, with the first place it does so.
type Graph = BTreeMap<String, BTreeMap<String, Import>>;

/// The import graph of `modules`, given as (module path, source text) pairs.
fn import_graph(modules: &[(&str, &str)]) -> Graph {
    let known: BTreeSet<&str> = modules.iter().map(|&(module, _)| module).collect();
    let mut graph = Graph::new();
    for &(module, text) in modules {
        let targets = graph.entry(module.to_owned()).or_default();
        for (segments, line) in crate_paths(text) {
            let target = owning_module(&segments, &known);
            if same_family(module, target) {
                continue;
            }
            targets.entry(target.to_owned()).or_insert_with(|| Import {
                line,
                path: format!("crate::{}", segments.join("::")),
            });
        }
    }
    graph
}

/// The longest known module that `segments` (a path after `crate::`) starts with; the crate
/// root (`""`) when it names none, as for `crate::Error`.
fn owning_module<'a>(segments: &[String], known: &BTreeSet<&'a str>) -> &'a str {
    (0..=segments.len())
        .rev()
        .find_map(|n| known.get(segments[..n].join("::").as_str()).copied())
        .unwrap_or("")
}

/// Whether one module is the other, or an ancestor of it: a module and its own parts.
fn same_family(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        outer.is_empty()
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    };
    within(a, b) || within(b, a)
}

/// Every path that follows a `crate::` in the code of `text` (not its comments, strings or test
/// module), as its segments after `crate`, with the line of its last segment.
fn crate_paths(text: &str) -> Vec<(Vec<String>, usize)> {
    let stripped = strip_comments_and_strings(text);
    let code = without_test_module(&stripped).as_bytes();
    let mut paths = Vec::new();
    let mut start = 0;
    while let Some(found) = find(code, b"crate", start) {
        start = found + 1;
        // `$crate` in a macro and words such as `my_crate` are not the keyword.
        let is_keyword = found == 0 || !(is_ident_byte(code[found - 1]) || code[found - 1] == b'$');
        let after = skip_space(code, found + "crate".len());
        if is_keyword && code[after..].starts_with(b"::") {
            read_tree(code, after + 2, &mut Vec::new(), &mut paths);
        }
    }
    paths
        .into_iter()
        .map(|(segments, at)| (segments, line_of(code, at)))
        .collect()
}

/// Reads the path, or `{…}` group of paths, that starts at `pos` (just after a `::`), appending
/// each full path it names with the position of its last segment. Handles `use` trees
/// (`crate::{a, b::{self, C as D}}`, `crate::a::*`) and inline paths (`crate::a::f(…)`) alike.
/// Returns the position after the tree.
fn read_tree(
    code: &[u8],
    mut pos: usize,
    prefix: &mut Vec<String>,
    paths: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    let depth = prefix.len();
    loop {
        pos = skip_space(code, pos);
        match code.get(pos) {
            Some(b'{') => {
                pos = read_group(code, pos + 1, prefix, paths);
                break;
            }
            Some(b'*') => {
                paths.push((prefix.clone(), pos));
                pos += 1;
                break;
            }
            _ => {}
        }
        let end = ident_end(code, pos);
        if end == pos {
            // Not a name (`crate::a::<T>`): the path so far is what is named.
            paths.push((prefix.clone(), pos));
            break;
        }
        let segment = &code[pos..end];
        // `self` in a group names the path before it.
        if segment != b"self" {
            prefix.push(String::from_utf8_lossy(segment).into_owned());
        }
        let next = skip_space(code, end);
        if code[next..].starts_with(b"::") {
            pos = next + 2;
        } else {
            paths.push((prefix.clone(), pos));
            pos = end;
            break;
        }
    }
    prefix.truncate(depth);
    pos
}

/// Reads the trees of a `{…}` group from just after its `{`; returns the position after its `}`.
fn read_group(
    code: &[u8],
    mut pos: usize,
    prefix: &mut Vec<String>,
    paths: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    loop {
        pos = skip_space(code, pos);
        match code.get(pos) {
            None => return pos,
            Some(b'}') => return pos + 1,
            Some(b',') => pos += 1,
            Some(_) => {
                pos = read_tree(code, pos, prefix, paths);
                // Between a tree and the next `,` or `}` there can only be an `as` rename.
                while code.get(pos).is_some_and(|&b| b != b',' && b != b'}') {
                    pos += 1;
                }
            }
        }
    }
}

/// `text` with comments and string and character literals blanked out; line breaks are kept,
/// so line numbers still match the file.
fn strip_comments_and_strings(text: &str) -> String {
    let src = text.as_bytes();
    let mut out = src.to_vec();
    let mut i = 0;
    while i < src.len() {
        if let Some(end) = comment_or_literal_end(src, i) {
            for byte in &mut out[i..end] {
                if *byte != b'\n' {
                    *byte = b' ';
                }
            }
            i = end;
        } else if is_ident_byte(src[i]) {
            // Whole words are skipped, so an `r` or `b` inside a name never opens a literal.
            i = ident_end(src, i);
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("only whole characters are blanked")
}

/// If a comment or literal starts at `i`, where it ends.
fn comment_or_literal_end(src: &[u8], i: usize) -> Option<usize> {
    let rest = &src[i..];
    if rest.starts_with(b"//") {
        Some(find(src, b"\n", i).unwrap_or(src.len()))
    } else if rest.starts_with(b"/*") {
        Some(block_comment_end(src, i + 2))
    } else if rest[0] == b'"' {
        Some(string_end(src, i + 1))
    } else if rest[0] == b'\'' {
        char_literal_end(src, i)
    } else {
        raw_string_end(src, i)
    }
}

/// The end of a block comment whose body starts at `i`; block comments nest in Rust.
fn block_comment_end(src: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < src.len() {
        if src[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if src[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    src.len()
}

/// The end of a string whose body starts at `i`, past its closing quote.
fn string_end(src: &[u8], mut i: usize) -> usize {
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    src.len()
}

/// The end of a character literal starting at the `'` at `i`; `None` for a lifetime or label.
fn char_literal_end(src: &[u8], i: usize) -> Option<usize> {
    match *src.get(i + 1)? {
        b'\\' => find(src, b"'", i + 3).map(|close| close + 1),
        first => {
            let close = i + 1 + utf8_len(first);
            (src.get(close) == Some(&b'\'')).then_some(close + 1)
        }
    }
}

/// The end of a raw string (`r"…"`, `br#"…"#`, …) starting at `i`, if one does.
fn raw_string_end(src: &[u8], i: usize) -> Option<usize> {
    let word_end = ident_end(src, i);
    if !matches!(&src[i..word_end], b"r" | b"br" | b"cr") {
        return None;
    }
    let hashes = src[word_end..].iter().take_while(|&&b| b == b'#').count();
    let open = word_end + hashes;
    if src.get(open) != Some(&b'"') {
        return None; // a raw identifier such as `r#type`
    }
    let mut closing = vec![b'"'];
    closing.resize(hashes + 1, b'#');
    Some(find(src, &closing, open + 1).map_or(src.len(), |close| close + closing.len()))
}

/// `code` cut before a `#[cfg(test)]` line that is followed by a `mod` line: by convention the
/// test module closes the file, and tests may import whatever they check.
fn without_test_module(code: &str) -> &str {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    for (index, &(start, line)) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("#[cfg(test)]") else {
            continue;
        };
        let item = if rest.trim().is_empty() {
            // The item is on a later line, perhaps after more attributes.
            lines[index + 1..]
                .iter()
                .map(|(_, next)| next.trim())
                .find(|next| !next.is_empty() && !next.starts_with("#["))
                .unwrap_or("")
        } else {
            rest.trim()
        };
        let item = item
            .strip_prefix("pub(crate) ")
            .or_else(|| item.strip_prefix("pub "))
            .unwrap_or(item);
        if item.starts_with("mod ") {
            return &code[..start];
        }
    }
    code
}

/// The modules that import each other, directly or through others: every strongly connected
/// component with more than one module.
fn tangled_components(graph: &Graph) -> Vec<BTreeSet<&str>> {
    let reach: BTreeMap<&str, BTreeSet<&str>> = graph
        .keys()
        .map(|module| (module.as_str(), reachable(graph, module)))
        .collect();
    let mut components = Vec::new();
    let mut placed = BTreeSet::new();
    for (&module, from_here) in &reach {
        if placed.contains(module) {
            continue;
        }
        // Two modules are in one component when each reaches the other.
        let mut component: BTreeSet<&str> = from_here
            .iter()
            .copied()
            .filter(|other| reach.get(other).is_some_and(|back| back.contains(module)))
            .collect();
        component.insert(module);
        placed.extend(component.iter().copied());
        if component.len() > 1 {
            components.push(component);
        }
    }
    components
}

/// The modules reachable from `start` through one or more imports.
fn reachable<'a>(graph: &'a Graph, start: &str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = graph[start].keys().map(String::as_str).collect();
    while let Some(module) = stack.pop() {
        if seen.insert(module) {
            stack.extend(
                graph
                    .get(module)
                    .into_iter()
                    .flat_map(|targets| targets.keys().map(String::as_str)),
            );
        }
    }
    seen
}

/// Cycles that together cover every import inside `component`: for each import a → b, the
/// shortest way back b → … → a. Each is written from its first module in order, ending where
/// it starts, shortest first.
fn cycles<'a>(graph: &'a Graph, component: &BTreeSet<&str>) -> Vec<Vec<&'a str>> {
    let mut found = BTreeSet::new();
    for (from, targets) in graph
        .iter()
        .filter(|(module, _)| component.contains(module.as_str()))
    {
        for to in targets.keys().filter(|to| component.contains(to.as_str())) {
            let mut cycle = vec![from.as_str()];
            cycle.extend(shortest_path(graph, to, from));
            cycle.pop(); // `from` again; put back after rotating
            let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            cycle.push(cycle[0]);
            found.insert((cycle.len(), cycle));
        }
    }
    found.into_iter().map(|(_, cycle)| cycle).collect()
}

/// The modules on a shortest import path from `from` to `to`, both included. Inside a
/// component there always is one; without one, the path is `to` alone.
fn shortest_path<'a>(graph: &'a Graph, from: &'a str, to: &'a str) -> Vec<&'a str> {
    // Breadth first, remembering how each module was first reached.
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(module) = queue.pop_front() {
        if module == to {
            break;
        }
        for next in graph[module].keys().map(String::as_str) {
            if next != from && !came_from.contains_key(next) {
                came_from.insert(next, module);
                queue.push_back(next);
            }
        }
    }
    let mut path = vec![to];
    while let Some(&previous) = path.last().and_then(|module| came_from.get(module)) {
        path.push(previous);
    }
    path.reverse();
    path
}

/// The failure message: each tangle, its cycles, and for each import in them the file, line and
/// `crate::` path that creates it.
fn describe(
    graph: &Graph,
    components: &[BTreeSet<&str>],
    file_of: impl Fn(&str) -> String,
) -> String {
    let mut lines = vec![
        "import cycles among the server's modules: they must form layers, each importing only \
         modules below it, but these import each other:"
            .to_owned(),
    ];
    for component in components {
        let members: Vec<&str> = component.iter().copied().collect();
        lines.push(String::new());
        lines.push(format!("{}:", members.join(", ")));
        for cycle in cycles(graph, component) {
            lines.push(format!("  {}", cycle.join(" → ")));
            for pair in cycle.windows(2) {
                let import = &graph[pair[0]][pair[1]];
                lines.push(format!(
                    "    {} → {}: {}:{}  {}",
                    pair[0],
                    pair[1],
                    file_of(pair[0]),
                    import.line,
                    import.path
                ));
            }
        }
    }
    lines.push(String::new());
    lines.push(
        "move what both sides need into the lower module, or into a new module below both, so \
         that every import points down"
            .to_owned(),
    );
    lines.join("\n")
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| from + at)
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || !byte.is_ascii()
}

fn ident_end(code: &[u8], mut pos: usize) -> usize {
    while code.get(pos).is_some_and(|&b| is_ident_byte(b)) {
        pos += 1;
    }
    pos
}

fn skip_space(code: &[u8], mut pos: usize) -> usize {
    while code.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

/// The 1-based line of byte `pos`.
fn line_of(code: &[u8], pos: usize) -> usize {
    code[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

/// How many bytes the UTF-8 character starting with `first` takes.
fn utf8_len(first: u8) -> usize {
    first.leading_ones().max(1) as usize
}
