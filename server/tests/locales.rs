//! The translation files, `server/locales/*.ftl`: each one parses, has exactly the message ids
//! of English (`en.ftl`), uses no variable that English's message does not pass, and, when it
//! is not English, says at its top that it awaits review by a native speaker. The checker is
//! shown to catch each mistake on small broken files first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use fluent_syntax::parser;
use sealform_server::pages::Language;

/// Each message id with the variables its value (and attributes) use.
type Messages = BTreeMap<String, BTreeSet<String>>;

/// The messages of a Fluent file, or why it is broken.
fn messages(source: &str) -> Result<Messages, String> {
    let resource = parser::parse(source).map_err(|(_, errors)| format!("{errors:?}"))?;
    let mut messages = Messages::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let Some(value) = &message.value else {
                    return Err(format!("{} has no value", message.id.name));
                };
                let mut variables = BTreeSet::new();
                pattern_variables(value, &mut variables);
                for attribute in &message.attributes {
                    pattern_variables(&attribute.value, &mut variables);
                }
                if messages
                    .insert(message.id.name.to_owned(), variables)
                    .is_some()
                {
                    return Err(format!("{} is defined twice", message.id.name));
                }
            }
            Entry::Junk { content } => return Err(format!("cannot parse {content:?}")),
            _ => {}
        }
    }
    Ok(messages)
}

fn pattern_variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// Every way `locale` differs from `english`, one line each.
fn differences(english: &Messages, locale: &Messages) -> Vec<String> {
    let mut found = Vec::new();
    for (id, variables) in english {
        match locale.get(id) {
            None => found.push(format!("lacks {id}")),
            Some(used) => {
                for extra in used.difference(variables) {
                    found.push(format!("{id} uses ${extra}, which English does not pass"));
                }
            }
        }
    }
    for id in locale.keys().filter(|id| !english.contains_key(*id)) {
        found.push(format!("has {id}, which English lacks"));
    }
    found
}

const REVIEW_NOTE: &str = "awaits review by a native speaker";

fn locales_folder() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales"))
}

#[test]
fn the_checker_catches_each_kind_of_mistake() {
    let english =
        messages("a = A\nb = { $count ->\n    [one] one\n   *[other] { $shown }\n}\n").unwrap();
    assert_eq!(
        english["b"],
        BTreeSet::from(["count".into(), "shown".into()])
    );
    let fine = messages("a = Á\nb = { $shown }\n").unwrap();
    assert!(
        differences(&english, &fine).is_empty(),
        "fewer variables are fine"
    );

    let missing = messages("a = Á\n").unwrap();
    assert_eq!(differences(&english, &missing), ["lacks b"]);
    let extra = messages("a = Á\nb = B\nc = C\n").unwrap();
    assert_eq!(
        differences(&english, &extra),
        ["has c, which English lacks"]
    );
    let misspelt = messages("a = Á { $nme }\nb = B\n").unwrap();
    assert_eq!(
        differences(&english, &misspelt),
        ["a uses $nme, which English does not pass"]
    );
    let nested = messages("a = { $n ->\n   *[other] { NUMBER($x) }\n}\nb = B\n").unwrap();
    assert_eq!(
        differences(&english, &nested),
        [
            "a uses $n, which English does not pass",
            "a uses $x, which English does not pass"
        ]
    );
    assert!(messages("a = { $x\n").is_err(), "an unclosed placeable");
    assert!(messages("a = A\na = B\n").is_err(), "an id twice");
    assert!(messages("a =\n    .title = T\n").is_err(), "no value");
}

#[test]
fn every_locale_has_exactly_the_messages_english_has() {
    let english_source = std::fs::read_to_string(locales_folder().join("en.ftl")).unwrap();
    let english = messages(&english_source).unwrap_or_else(|e| panic!("en.ftl: {e}"));
    let mut files = BTreeSet::new();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(locales_folder()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(tag) = name.strip_suffix(".ftl") else {
            problems.push(format!("{name}: not a .ftl file"));
            continue;
        };
        files.insert(tag.to_owned());
        let source = std::fs::read_to_string(&path).unwrap();
        if tag != "en" {
            let head: String = source.lines().take(3).collect::<Vec<_>>().join("\n");
            if !head.starts_with('#') || !head.contains(REVIEW_NOTE) {
                problems.push(format!(
                    "{name}: the first lines do not say it {REVIEW_NOTE}"
                ));
            }
        }
        match messages(&source) {
            Ok(locale) => {
                for difference in differences(&english, &locale) {
                    problems.push(format!("{name}: {difference}"));
                }
            }
            Err(error) => problems.push(format!("{name}: {error}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Every file is a language the server serves, and every language it serves has a file
    // (the right-to-left test locale borrows English's).
    let served: BTreeSet<String> = Language::ALL
        .into_iter()
        .filter(|language| *language != Language::RtlTest)
        .map(|language| language.tag().to_owned())
        .collect();
    assert_eq!(files, served);
    assert_eq!(files.len(), 8);
}
