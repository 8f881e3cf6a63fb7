//! The decision tree as a picture: Mermaid (renders on code forges) or
//! Graphviz DOT. Questions are nodes named by their short label, routes are
//! edges labelled with the option or the condition in words (facts by their
//! description, never their id), and outcomes can be added.
//!
//! Mermaid renderers refuse a flowchart with more than [`MERMAID_MAX_EDGES`]
//! edges (a "secure" setting a diagram cannot raise), and an edge per outcome
//! and question it reads runs to hundreds. So in Mermaid, outcomes are drawn
//! inside one box per outcome group, with one dashed edge from each question
//! to each group that reads it; DOT (Graphviz has no such limit) keeps an edge
//! per outcome. Every label is cut to [`LABEL_MAX`] characters with an
//! ellipsis: a picture names things, the reports explain them.
//!
//! Node ids are generated (`q0`, `o3`, `done`: `end` is a Mermaid keyword),
//! so content ids never need escaping;
//! every label is escaped for its format, so content text can neither break
//! the graph nor inject markup.

use std::fmt::Write;

use crate::questionnaire::{CmpOp, Cond, Kind, QIdx, Questionnaire, Routing, Target};

/// The most edges a Mermaid flowchart may have before renderers refuse it
/// (Mermaid's `maxEdges` default, which a diagram cannot raise).
pub const MERMAID_MAX_EDGES: usize = 500;

/// The longest label, in characters, before it is cut with an ellipsis.
pub const LABEL_MAX: usize = 60;

/// Output formats of `aiact graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

/// One edge: from a question to a target, with a label (possibly empty).
struct Edge {
    from: QIdx,
    to: Target,
    label: String,
}

/// How many edges the Mermaid diagram of [`to_graph`] has: the routes, and
/// with `outcomes` one per (question, outcome group) read. `aiact graph`
/// warns when this passes [`MERMAID_MAX_EDGES`].
pub fn mermaid_edges(q: &Questionnaire, outcomes: bool) -> usize {
    let routes = edges(q).len();
    if !outcomes {
        return routes;
    }
    let read: Vec<(usize, Vec<QIdx>)> = q
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| (i, questions_read(q, &o.cond)))
        .collect();
    routes
        + q.groups_in_order()
            .into_iter()
            .map(|g| group_reads(q, &read, g).len())
            .sum::<usize>()
}

/// The questions (in file order) read by any outcome of group `g`.
fn group_reads(q: &Questionnaire, read: &[(usize, Vec<QIdx>)], g: usize) -> Vec<QIdx> {
    let mut any = vec![false; q.questions.len()];
    for (o, qs) in read {
        if q.outcomes[*o].group == g {
            for &qi in qs {
                any[qi] = true;
            }
        }
    }
    (0..any.len()).filter(|&i| any[i]).collect()
}

/// Renders the questionnaire's decision tree; with `outcomes`, outcomes too.
pub fn to_graph(q: &Questionnaire, format: GraphFormat, outcomes: bool) -> String {
    to_graph_with_path(q, format, outcomes, None)
}

/// [`to_graph`] with a session's path highlighted: the questions on it (in
/// order, as [`crate::engine::Evaluation::path`]) and the routes between
/// consecutive ones; the path's end ([`crate::engine::Evaluation::end`]),
/// when it is complete, highlights the route to the end or the conclusion.
pub fn to_graph_with_path(
    q: &Questionnaire,
    format: GraphFormat,
    outcomes: bool,
    path: Option<(&[QIdx], Option<Target>)>,
) -> String {
    let edges = edges(q);
    let (on_path, taken) = highlighted(q, &edges, path);
    let outcome_edges: Vec<(usize, Vec<QIdx>)> = if outcomes {
        q.outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| (i, questions_read(q, &o.cond)))
            .collect()
    } else {
        Vec::new()
    };
    let node = |t: Target| match t {
        Target::Question(i) => format!("q{i}"),
        Target::End => "done".to_string(),
        Target::Conclude(o) => format!("c{o}"),
    };
    // Outcomes a route concludes with (format 2), drawn as ends of their own.
    let mut concluded: Vec<usize> = q.conclusions.iter().flatten().copied().collect();
    concluded.sort_unstable();
    concluded.dedup();
    let mut s = String::new();
    match format {
        GraphFormat::Mermaid => {
            let _ = writeln!(s, "flowchart TD");
            let mermaid_node = |s: &mut String, i: usize, indent: &str| {
                let label = mermaid(&shorten(q.questions[i].short()));
                if q.questions[i].is_info() {
                    let _ = writeln!(s, "{indent}q{i}[/\"{label}\"/]");
                } else {
                    let _ = writeln!(s, "{indent}q{i}[\"{label}\"]");
                }
            };
            for i in (0..q.questions.len()).filter(|&i| q.questions[i].section.is_none()) {
                mermaid_node(&mut s, i, "    ");
            }
            // Sections (format 2) as boxes around their questions.
            for (k, section) in q.sections.iter().enumerate() {
                let members: Vec<usize> = (0..q.questions.len())
                    .filter(|&i| q.questions[i].section == Some(k))
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    s,
                    "    subgraph s{k}[\"{}\"]",
                    mermaid(&shorten(&section.title))
                );
                for i in members {
                    mermaid_node(&mut s, i, "        ");
                }
                let _ = writeln!(s, "    end");
            }
            let _ = writeln!(s, "    done((\"End\"))");
            for &o in &concluded {
                let _ = writeln!(
                    s,
                    "    c{o}([\"{}\"])",
                    mermaid(&shorten(&q.outcomes[o].def.title))
                );
            }
            for e in &edges {
                if e.label.is_empty() {
                    let _ = writeln!(s, "    q{} --> {}", e.from, node(e.to));
                } else {
                    let _ = writeln!(
                        s,
                        "    q{} -->|\"{}\"| {}",
                        e.from,
                        mermaid(&shorten(&e.label)),
                        node(e.to)
                    );
                }
            }
            // One box per group with its outcomes, and one edge from each
            // question to each group that reads it (see the module comment).
            for (g, members) in by_group(q, &outcome_edges) {
                let _ = writeln!(
                    s,
                    "    subgraph g{g}[\"{}\"]",
                    mermaid(&shorten(&q.groups[g].title))
                );
                for (o, _) in &members {
                    let title = shorten(&q.outcomes[*o].def.title);
                    let _ = writeln!(s, "        o{o}{{{{\"{}\"}}}}", mermaid(&title));
                }
                let _ = writeln!(s, "    end");
                for qi in group_reads(q, &outcome_edges, g) {
                    let _ = writeln!(s, "    q{qi} -.-> g{g}");
                }
            }
            if on_path.iter().any(|&b| b) {
                let nodes: Vec<String> = (0..on_path.len())
                    .filter(|&i| on_path[i])
                    .map(|i| format!("q{i}"))
                    .collect();
                let _ = writeln!(
                    s,
                    "    classDef onpath fill:#fde68a,stroke:#b45309,stroke-width:2px"
                );
                let _ = writeln!(s, "    class {} onpath", nodes.join(","));
                let links: Vec<String> = (0..edges.len())
                    .filter(|&i| taken[i])
                    .map(|i| i.to_string())
                    .collect();
                if !links.is_empty() {
                    let _ = writeln!(
                        s,
                        "    linkStyle {} stroke:#b45309,stroke-width:3px",
                        links.join(",")
                    );
                }
            }
        }
        GraphFormat::Dot => {
            let _ = writeln!(s, "digraph \"{}\" {{", dot(&q.meta.id));
            let _ = writeln!(s, "    node [shape=box];");
            for (i, question) in q.questions.iter().enumerate() {
                let style = if on_path[i] {
                    ", style=filled, fillcolor=\"#fde68a\", penwidth=2"
                } else {
                    ""
                };
                let shape = if question.is_info() {
                    ", shape=note"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "    q{i} [label=\"{}\"{shape}{style}];",
                    dot(&shorten(question.short()))
                );
            }
            let _ = writeln!(s, "    done [label=\"End\", shape=doublecircle];");
            for &o in &concluded {
                let _ = writeln!(
                    s,
                    "    c{o} [label=\"{}\", shape=box, style=rounded, peripheries=2];",
                    dot(&shorten(&q.outcomes[o].def.title))
                );
            }
            for (k, e) in edges.iter().enumerate() {
                let mut attrs = Vec::new();
                if !e.label.is_empty() {
                    attrs.push(format!("label=\"{}\"", dot(&shorten(&e.label))));
                }
                if taken[k] {
                    attrs.push("color=\"#b45309\", penwidth=3".to_string());
                }
                if attrs.is_empty() {
                    let _ = writeln!(s, "    q{} -> {};", e.from, node(e.to));
                } else {
                    let _ = writeln!(
                        s,
                        "    q{} -> {} [{}];",
                        e.from,
                        node(e.to),
                        attrs.join(", ")
                    );
                }
            }
            // Outcomes in a box per group; Graphviz has no edge limit, so
            // each keeps its own edges from the questions it reads.
            for (g, members) in by_group(q, &outcome_edges) {
                let _ = writeln!(s, "    subgraph cluster_g{g} {{");
                let _ = writeln!(
                    s,
                    "        label=\"{}\";",
                    dot(&shorten(&q.groups[g].title))
                );
                for (o, _) in &members {
                    let title = shorten(&q.outcomes[*o].def.title);
                    let _ = writeln!(
                        s,
                        "        o{o} [label=\"{}\", shape=hexagon];",
                        dot(&title)
                    );
                }
                let _ = writeln!(s, "    }}");
            }
            for (o, read) in &outcome_edges {
                for qi in read {
                    let _ = writeln!(s, "    q{qi} -> o{o} [style=dashed];");
                }
            }
            let _ = writeln!(s, "}}");
        }
    }
    s
}

/// Which questions are on the path, and which edges join consecutive ones.
fn highlighted(
    q: &Questionnaire,
    edges: &[Edge],
    path: Option<(&[QIdx], Option<Target>)>,
) -> (Vec<bool>, Vec<bool>) {
    let mut on_path = vec![false; q.questions.len()];
    let mut taken = vec![false; edges.len()];
    let Some((path, end)) = path else {
        return (on_path, taken);
    };
    let mut steps: Vec<(QIdx, Target)> = path
        .windows(2)
        .map(|w| (w[0], Target::Question(w[1])))
        .collect();
    if let Some(end) = end
        && let Some(&last) = path.last()
    {
        steps.push((last, end));
    }
    for &i in path {
        on_path[i] = true;
    }
    for (k, e) in edges.iter().enumerate() {
        taken[k] = steps.contains(&(e.from, e.to));
    }
    (on_path, taken)
}

/// Every route of every question, in file order.
fn edges(q: &Questionnaire) -> Vec<Edge> {
    let mut out = Vec::new();
    for (i, question) in q.questions.iter().enumerate() {
        // Options with their own `next` (single choice only).
        let mut overridden = 0;
        if matches!(question.kind(), Kind::Single) {
            for (o, next) in question.option_next.iter().enumerate() {
                if let Some(t) = next {
                    overridden += 1;
                    out.push(Edge {
                        from: i,
                        to: *t,
                        label: question.options[o].label.clone(),
                    });
                }
            }
            if overridden == question.options.len() && !question.not_sure {
                continue;
            }
        }
        match &question.routing {
            Routing::Goto(t) => out.push(Edge {
                from: i,
                to: *t,
                label: if overridden > 0 {
                    default_options(question)
                } else {
                    String::new()
                },
            }),
            Routing::Routes(routes) => {
                for (cond, t) in routes {
                    out.push(Edge {
                        from: i,
                        to: *t,
                        label: cond
                            .as_ref()
                            .map_or_else(|| "otherwise".to_string(), |c| words(q, c)),
                    });
                }
            }
        }
    }
    out
}

/// The options (and "not sure") that follow the question's own route when
/// other options have their own `next`.
fn default_options(question: &crate::questionnaire::Question) -> String {
    let mut labels: Vec<&str> = question
        .options
        .iter()
        .zip(&question.option_next)
        .filter(|(_, next)| next.is_none())
        .map(|(o, _)| o.label.as_str())
        .collect();
    if question.not_sure {
        labels.push("not sure");
    }
    labels.join(" or ")
}

/// The questions a condition reads, directly or through facts, in file order.
fn questions_read(q: &Questionnaire, cond: &Cond) -> Vec<QIdx> {
    let mut read = vec![false; q.questions.len()];
    let mut seen_facts = vec![false; q.facts.len()];
    let mut pending = vec![cond];
    while let Some(c) = pending.pop() {
        let mut facts = Vec::new();
        c.visit(|qi| read[qi] = true, |f| facts.push(f));
        for f in facts {
            if !seen_facts[f] {
                seen_facts[f] = true;
                pending.push(&q.facts[f].cond);
            }
        }
    }
    (0..read.len()).filter(|&i| read[i]).collect()
}

/// A condition in words, for edge labels: “Compute” > 1e25 and …
pub fn words(q: &Questionnaire, c: &Cond) -> String {
    let short = |qi: QIdx| format!("“{}”", q.questions[qi].short());
    let label = |qi: QIdx, o: usize| format!("“{}”", q.questions[qi].options[o].label);
    let labels = |qi: QIdx, os: &[usize]| {
        os.iter()
            .map(|&o| label(qi, o))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let nested = |c: &Cond| {
        let w = words(q, c);
        if matches!(c, Cond::All(_) | Cond::Any(_)) {
            format!("({w})")
        } else {
            w
        }
    };
    match c {
        Cond::Always => "always".to_string(),
        Cond::Answered(qi) => format!("{} answered", short(*qi)),
        Cond::NotSure(qi) => format!("{} not sure", short(*qi)),
        Cond::Is(qi, o) => format!("{} is {}", short(*qi), label(*qi, *o)),
        Cond::In(qi, os) => format!("{} is {}", short(*qi), labels(*qi, os)),
        Cond::Includes(qi, o) => format!("{} includes {}", short(*qi), label(*qi, *o)),
        Cond::IncludesAny(qi, os) => format!("{} includes {}", short(*qi), labels(*qi, os)),
        Cond::Cmp(qi, op, x) => {
            let sym = match op {
                CmpOp::Gt => ">",
                CmpOp::Ge => "≥",
                CmpOp::Lt => "<",
                CmpOp::Le => "≤",
            };
            format!("{} {sym} {}", short(*qi), crate::answers::format_number(*x))
        }
        Cond::All(cs) => cs.iter().map(nested).collect::<Vec<_>>().join(" and "),
        Cond::Any(cs) => cs.iter().map(nested).collect::<Vec<_>>().join(" or "),
        Cond::Not(inner) => match inner.as_ref() {
            // A fact says its own negation best.
            Cond::Fact(f) => q.facts[*f]
                .def
                .fails
                .clone()
                .unwrap_or_else(|| format!("not: {}", q.facts[*f].def.holds)),
            _ => format!("not {}", nested(inner)),
        },
        Cond::Fact(f) => q.facts[*f].def.holds.clone(),
    }
}

/// A label cut to [`LABEL_MAX`] characters: at the last space in its final
/// third when there is one, so words stay whole, and ended with "…".
pub fn shorten(text: &str) -> String {
    let text = crate::text::printable_line(text);
    if text.chars().count() <= LABEL_MAX {
        return text;
    }
    let cut: String = text.chars().take(LABEL_MAX - 1).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|&i| cut[..i].chars().count() >= LABEL_MAX * 2 / 3)
        .map_or(cut.as_str(), |i| &cut[..i]);
    let trimmed = at_word.trim_end_matches(|c: char| c.is_whitespace() || ",;:(–—-".contains(c));
    format!("{trimmed}…")
}

/// Escapes a label for inside Mermaid's `"..."`: entity codes for quotes,
/// brackets, braces, parentheses, pipes, `<`, `>`, `&` and `#` itself.
pub fn mermaid(text: &str) -> String {
    let text = crate::text::printable_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '(' => out.push_str("#40;"),
            ')' => out.push_str("#41;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a label for inside DOT's `"..."`: backslashes and quotes.
pub fn dot(text: &str) -> String {
    let text = crate::text::printable_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// An outcome and the questions it reads.
type OutcomeEdges = (usize, Vec<QIdx>);

/// Outcome edges by group, in the content's group order, leaving out groups
/// with none: both formats draw a box each.
fn by_group<'a>(
    q: &Questionnaire,
    outcome_edges: &'a [OutcomeEdges],
) -> Vec<(usize, Vec<&'a OutcomeEdges>)> {
    q.groups_in_order()
        .into_iter()
        .map(|g| {
            let members: Vec<_> = outcome_edges
                .iter()
                .filter(|(o, _)| q.outcomes[*o].group == g)
                .collect();
            (g, members)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect()
}
