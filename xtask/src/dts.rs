//! The call module's `.d.ts`, declared once. wasm-bindgen writes each module's declarations
//! from the same Rust types (tsify), so every declaration of `edgewarm_call.d.ts` is, word for
//! word, one of `edgewarm.d.ts`: shipping both spelt out cost the tarball 14 144 B (683 728 → 669 584 B, measured)
//! (the two files lie too far apart in the tar for gzip's window to share them). This rewrites
//! the call module's file as re-exports of the full one's declarations, after checking that each
//! is the same text; a declaration that differs or exists only in the call module stays spelt
//! out. One declaration per type also makes `edgewarm` and `edgewarm/call` agree on every type.
//! Both files first lose the raw functions' declarations ([`without_functions`]).

use std::collections::BTreeMap;

/// One top-level declaration: its kind (`type`, `interface`, `class`, `function`, …), name and
/// full text with the doc comment above it.
#[derive(Debug, PartialEq)]
struct Declaration<'a> {
    kind: &'a str,
    name: &'a str,
    text: String,
}

/// Splits wasm-bindgen's `.d.ts` into its top-level declarations. wasm-bindgen writes each at
/// column 0 (`export …`), with its doc comment directly above it, also at column 0; members and
/// their docs are indented. Text before the first declaration (the lint pragmas) is the header.
fn declarations(text: &str) -> Result<(String, Vec<Declaration<'_>>), String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("export "))
        .map(|(i, _)| i)
        .collect();
    // each declaration takes the column-0 doc comment that ends right above it
    let begin = |at: usize| -> usize {
        if at == 0 || lines[at - 1].trim_end() != " */" && !is_one_line_doc(lines[at - 1]) {
            return at;
        }
        let mut i = at - 1;
        while i > 0 && !lines[i].starts_with("/**") {
            i -= 1;
        }
        i
    };
    let header = starts
        .first()
        .map(|&s| lines[..begin(s)].join("\n"))
        .unwrap_or_default();
    let mut out = Vec::with_capacity(starts.len());
    for (n, &s) in starts.iter().enumerate() {
        let end = starts
            .get(n + 1)
            .map(|&next| begin(next))
            .unwrap_or(lines.len());
        let (kind, name) = kind_and_name(lines[s]).ok_or_else(|| {
            format!(
                "a declaration wasm-bindgen wrote is not understood: {}",
                lines[s]
            )
        })?;
        let text = lines[begin(s)..end].join("\n").trim_end().to_string();
        out.push(Declaration { kind, name, text });
    }
    Ok((header, out))
}

fn is_one_line_doc(line: &str) -> bool {
    line.starts_with("/**") && line.trim_end().ends_with("*/")
}

/// `export class ProxyPolicy {` → (`class`, `ProxyPolicy`).
fn kind_and_name(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("export ")?;
    let rest = rest.strip_prefix("declare ").unwrap_or(rest);
    let (kind, rest) = rest.split_once(' ')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    (end > 0).then(|| (kind, &rest[..end]))
}

/// `text` without its top-level `export function` declarations (with their docs), and how many
/// went. The package's entries (`lib/index.d.ts`, `lib/call.d.ts`) declare every public function
/// themselves, with the wrappers' signatures, and re-export the generated file's types
/// (`export type *`): the raw exports (`prepareCallJson`, `signRequestParts`, …) are internal
/// and would only show up there as unusable type-only names. The header (lint pragmas) stays.
pub fn without_functions(text: &str) -> Result<(String, usize), String> {
    let (header, decls) = declarations(text)?;
    let mut out = header.trim_end().to_string();
    out.push('\n');
    let mut dropped = 0;
    for d in &decls {
        if d.kind == "function" {
            dropped += 1;
        } else {
            out.push('\n');
            out.push_str(&d.text);
            out.push('\n');
        }
    }
    Ok((out, dropped))
}

/// The call module's declarations as re-exports of `full_module` (`./edgewarm.js`) where they
/// match `full`'s text, and verbatim where they do not; also returns how many were re-exported.
pub fn dedupe(call: &str, full: &str, full_module: &str) -> Result<(String, usize), String> {
    let (header, call_decls) = declarations(call)?;
    let (_, full_decls) = declarations(full)?;
    let full_by_name: BTreeMap<&str, &Declaration> =
        full_decls.iter().map(|d| (d.name, d)).collect();
    let (mut types, mut values, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for d in &call_decls {
        match full_by_name.get(d.name) {
            Some(f) if f.text == d.text => match d.kind {
                "type" | "interface" => types.push(d.name),
                _ => values.push(d.name),
            },
            _ => kept.push(d.text.as_str()),
        }
    }
    let mut out = header.trim_end().to_string();
    out.push_str(
        "\n// Generated by `cargo xtask pkg` (xtask/src/dts.rs): each declaration below is the\n\
         // full module's, word for word, so it is declared once, in edgewarm.d.ts.\n",
    );
    if !values.is_empty() {
        let list = values.join(", ");
        out.push_str(&format!(
            "import {{ {list} }} from '{full_module}';\nexport {{ {list} }};\n"
        ));
    }
    if !types.is_empty() {
        let list = types.join(", ");
        out.push_str(&format!(
            "import type {{ {list} }} from '{full_module}';\nexport type {{ {list} }};\n"
        ));
    }
    for text in kept {
        out.push('\n');
        out.push_str(text);
        out.push('\n');
    }
    Ok((out, types.len() + values.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "/* tslint:disable */\n/* eslint-disable */\n\n\
/** A call. */\nexport type CallInput = Operation & CallOptions;\n\n\
/**\n * A filter: { name, values }.\n */\nexport interface AdvancedFilter {\n    /**\n     * The name.\n     */\n    name: string;\n}\n\n\
export class ProxyPolicy {\n    free(): void;\n    /**\n     * The hosts.\n     */\n    hosts(): string[];\n}\n\n\
/**\n * Builds.\n */\nexport function build(input: string): [string, string];\n\n\
export type JobSpec = { urls: string[] };\n";

    #[test]
    fn splits_declarations_with_their_docs() {
        let (header, decls) = declarations(FULL).unwrap();
        assert_eq!(header, "/* tslint:disable */\n/* eslint-disable */\n");
        let names: Vec<(&str, &str)> = decls.iter().map(|d| (d.kind, d.name)).collect();
        assert_eq!(
            names,
            [
                ("type", "CallInput"),
                ("interface", "AdvancedFilter"),
                ("class", "ProxyPolicy"),
                ("function", "build"),
                ("type", "JobSpec"),
            ]
        );
        assert!(decls[1]
            .text
            .starts_with("/**\n * A filter: { name, values }.\n */\nexport interface"));
        assert!(decls[1].text.ends_with("    name: string;\n}"));
        assert_eq!(
            decls[0].text,
            "/** A call. */\nexport type CallInput = Operation & CallOptions;"
        );
        assert_eq!(
            decls[2].text.lines().next(),
            Some("export class ProxyPolicy {")
        );
    }

    #[test]
    fn same_declarations_become_re_exports() {
        // the call module: a subset of the full one's declarations
        let call = FULL.replace("export type JobSpec = { urls: string[] };\n", "");
        let (out, shared) = dedupe(&call, FULL, "./edgewarm.js").unwrap();
        assert_eq!(shared, 4);
        assert!(out.starts_with("/* tslint:disable */\n/* eslint-disable */\n// Generated"));
        assert!(out.contains(
            "import { ProxyPolicy, build } from './edgewarm.js';\nexport { ProxyPolicy, build };\n"
        ));
        assert!(out.contains(
            "import type { CallInput, AdvancedFilter } from './edgewarm.js';\nexport type { CallInput, AdvancedFilter };\n"
        ));
        assert!(!out.contains("JobSpec"));
        assert!(!out.contains("interface"));
    }

    #[test]
    fn a_declaration_that_differs_or_is_only_in_the_call_module_stays_spelt_out() {
        let call = FULL
            .replace("    name: string;", "    name: number;")
            .replace(
                "export type JobSpec = { urls: string[] };",
                "export type Only = string;",
            );
        let (out, shared) = dedupe(&call, FULL, "./edgewarm.js").unwrap();
        assert_eq!(shared, 3);
        assert!(out.contains("import type { CallInput } from './edgewarm.js';"));
        assert!(out.contains(
            "\n/**\n * A filter: { name, values }.\n */\nexport interface AdvancedFilter {\n"
        ));
        assert!(out.contains("    name: number;"));
        assert!(out.contains("\nexport type Only = string;\n"));
    }

    #[test]
    fn functions_go_and_everything_else_stays_word_for_word() {
        let (out, dropped) = without_functions(FULL).unwrap();
        assert_eq!(dropped, 1);
        assert!(!out.contains("build"), "{out}");
        let (header, kept) = declarations(&out).unwrap();
        assert_eq!(header, "/* tslint:disable */\n/* eslint-disable */\n");
        let (_, all) = declarations(FULL).unwrap();
        let expected: Vec<&Declaration> = all.iter().filter(|d| d.kind != "function").collect();
        assert_eq!(kept.iter().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn an_unreadable_declaration_is_an_error_not_a_guess() {
        let err = dedupe("export {};\n", FULL, "./edgewarm.js").unwrap_err();
        assert!(err.contains("not understood: export {};"), "{err}");
    }
}
