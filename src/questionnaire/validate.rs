//! Semantic validation: resolves every id to an index and checks the graph.
//!
//! All problems are collected and reported at once, each by id with the line
//! where that id is defined. Every pass is linear in the size of the file
//! (the ancestor check is bounded by the stretch of the topological order a
//! route reads across) and none recurses over the question graph.

use std::collections::{HashMap, HashSet, VecDeque};

use super::model::*;
use super::schema::*;
use super::source::IdLines;
use crate::error::Problem;

/// More options than anyone can read on a screen is a mistake in the content.
pub const MAX_OPTIONS: usize = 1000;

struct Ctx<'a> {
    /// The source text; where ids are defined is only worked out when a
    /// problem needs a line number, so a valid file never pays for it.
    source_text: &'a str,
    lines: std::cell::OnceCell<IdLines>,
    problems: Vec<Problem>,
    /// Routes that lead nowhere they were meant to: the question and the
    /// problem reported for it, so the questions this leaves unreachable are
    /// shown as its consequences rather than as problems of their own.
    broken: Vec<(String, usize)>,
}

impl Ctx<'_> {
    fn lines(&self) -> &IdLines {
        self.lines.get_or_init(|| IdLines::scan(self.source_text))
    }

    fn report(&mut self, place: &str, kind: &str, id: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            line: self.lines().first(place, id),
            subject: format!("{kind} \"{}\"", crate::text::printable_line(id)),
            message: message.into(),
            consequences: Vec::new(),
        });
    }

    /// Reports a route of question `qid` that leads nowhere it was meant to.
    fn report_broken_route(&mut self, qid: &str, message: impl Into<String>) {
        self.report("questions", "question", qid, message);
        self.broken.push((qid.to_string(), self.problems.len() - 1));
    }

    fn report_top(&mut self, message: impl Into<String>) {
        self.problems.push(Problem {
            line: None,
            subject: "questionnaire".to_string(),
            message: message.into(),
            consequences: Vec::new(),
        });
    }
}

/// Validates a parsed file and builds the engine's model of it.
pub fn compile(
    mut file: QuestionnaireFile,
    source_text: &str,
    source: &str,
    text_hash: String,
) -> Result<Questionnaire, Vec<Problem>> {
    let mut cx = Ctx {
        source_text,
        lines: std::cell::OnceCell::new(),
        problems: Vec::new(),
        broken: Vec::new(),
    };
    let logic_hash = super::hash::logic_hash(&file);

    if file.format_version > FORMAT_VERSION {
        cx.report_top(format!(
            "format_version is {}: the file was made for a newer aiact (this aiact reads versions {FORMAT_VERSION_1} to {FORMAT_VERSION}); update aiact",
            file.format_version
        ));
    } else if file.format_version < FORMAT_VERSION_1 {
        cx.report_top(format!(
            "format_version is {}, which does not exist; write format_version: {FORMAT_VERSION_1} or {FORMAT_VERSION}",
            file.format_version
        ));
    }
    // Format-2 constructs in a format-1 file: named one by one, so an
    // author knows what opting in would take.
    let v2 = file.format_version >= 2;
    let needs_v2 =
        |what: &str| format!("uses {what}, which needs `format_version: 2` at the top of the file");
    check_texts(&file, &mut cx);
    if file.format_version >= 2 {
        check_markup(&file, &mut cx);
    }
    if jiff::civil::Date::strptime("%Y-%m-%d", &file.as_of).is_err() {
        cx.report_top(format!(
            "as_of \"{}\" is not a date; write it as YYYY-MM-DD",
            crate::text::printable_line(&file.as_of)
        ));
    }
    if file.questions.is_empty() {
        cx.report_top("there are no questions; add at least one");
    }

    // Ids.
    let groups = unique_ids(
        &mut cx,
        "groups",
        "group",
        file.groups.iter().map(|g| &g.id),
    );
    let refs = unique_ids(
        &mut cx,
        "references",
        "reference",
        file.references.iter().map(|r| &r.id),
    );
    for r in &file.references {
        if !is_allowed_url(&r.url) {
            cx.report(
                "references",
                "reference",
                &r.id,
                format!(
                    "url \"{}\" is not a web or mail address; use an http://, https:// or mailto: link",
                    crate::text::echo(&r.url)
                ),
            );
        }
    }
    let sets = unique_ids(
        &mut cx,
        "option_sets",
        "option set",
        file.option_sets.iter().map(|s| &s.id),
    );
    // Ids and kinds are copied out so the question definitions themselves
    // can be moved, not cloned, into the model below.
    let qids: Vec<String> = file.questions.iter().map(|q| q.id.clone()).collect();
    let kinds: Vec<Kind> = file.questions.iter().map(|q| q.kind.clone()).collect();
    let qindex = unique_ids(&mut cx, "questions", "question", qids.iter());
    let findex = unique_ids(&mut cx, "facts", "fact", file.facts.iter().map(|f| &f.id));
    let oindex = unique_ids(
        &mut cx,
        "outcomes",
        "outcome",
        file.outcomes.iter().map(|o| &o.id),
    );
    let sections = unique_ids(
        &mut cx,
        "sections",
        "section",
        file.sections.iter().map(|s| &s.id),
    );
    if !v2 && !file.sections.is_empty() {
        cx.report_top(needs_v2("sections"));
    }
    for r in &file.references {
        if !v2 && !r.legal {
            cx.report("references", "reference", &r.id, needs_v2("`legal: false`"));
        }
    }
    for q in &file.questions {
        if q.id == END {
            cx.report(
                "questions",
                "question",
                &q.id,
                "\"end\" is reserved for the end of the questionnaire; rename the question",
            );
        }
    }
    for s in &file.option_sets {
        check_option_ids(&mut cx, "option set", &s.id, &s.options);
    }

    // Options per question.
    // A question's own options are moved (not copied) into the model: after
    // this, `QuestionDef::options` is empty and `Question::options` has them.
    let mut options: Vec<Vec<ChoiceDef>> = Vec::with_capacity(file.questions.len());
    let (yes, no) = yes_no(&file.language);
    for q in file.questions.iter_mut() {
        let mut opts = Vec::new();
        if let Some(set) = &q.option_set {
            match sets.get(set.as_str()) {
                Some(&i) => opts.extend(file.option_sets[i].options.iter().cloned()),
                None => cx.report(
                    "questions",
                    "question",
                    &q.id,
                    format!("uses unknown option set \"{set}\""),
                ),
            }
        }
        opts.extend(std::mem::take(&mut q.options));
        match &q.kind {
            Kind::Single | Kind::Multiple { .. } => {
                if opts.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "is a choice but has no options",
                    );
                }
            }
            Kind::YesNo => {
                if !opts.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "is YesNo, whose options yes and no are implied; remove its options",
                    );
                }
                opts = vec![implied("yes", yes), implied("no", no)];
            }
            Kind::Info => {
                if !v2 {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        needs_v2("an information screen (kind: Info)"),
                    );
                }
                if !opts.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "is an information screen and takes no answer; remove its options",
                    );
                }
                if q.allow_not_sure == Some(true) {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "is an information screen and takes no answer; remove allow_not_sure",
                    );
                }
            }
            Kind::Number { .. } | Kind::Text { .. } => {
                if !opts.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        format!(
                            "is a {} question and cannot have options",
                            kind_name(&q.kind)
                        ),
                    );
                }
            }
        }
        if opts.len() > MAX_OPTIONS {
            cx.report(
                "questions",
                "question",
                &q.id,
                format!(
                    "has {} options; a question may have at most {MAX_OPTIONS}",
                    opts.len()
                ),
            );
        }
        check_option_ids(&mut cx, "question", &q.id, &opts);
        match &q.kind {
            Kind::Multiple { min, max } => {
                let min_v = min.unwrap_or(1);
                if let Some(max) = max {
                    if min_v > *max {
                        cx.report(
                            "questions",
                            "question",
                            &q.id,
                            format!("min {min_v} is greater than max {max}"),
                        );
                    }
                    if *max == 0 {
                        cx.report("questions", "question", &q.id, "max must be at least 1");
                    }
                }
                if min_v as usize > opts.len() && !opts.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        format!("min {min_v} is more than its {} options", opts.len()),
                    );
                }
            }
            Kind::Number {
                min: Some(lo),
                max: Some(hi),
                ..
            } if lo > hi => {
                cx.report(
                    "questions",
                    "question",
                    &q.id,
                    format!("min {lo} is greater than max {hi}"),
                );
            }
            _ => {}
        }
        if let Kind::Number {
            min, max, estimate, ..
        } = &q.kind
        {
            if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                cx.report(
                    "questions",
                    "question",
                    &q.id,
                    "min and max must be finite numbers",
                );
            }
            if let Some(e) = estimate {
                if e.inputs.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "its estimate helper has no inputs",
                    );
                }
                if !e.factor.is_finite() || e.factor <= 0.0 {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "its estimate factor must be a positive number",
                    );
                }
                let mut seen = HashSet::new();
                for input in &e.inputs {
                    if !seen.insert(input.id.as_str()) {
                        cx.report(
                            "questions",
                            "question",
                            &q.id,
                            format!("its estimate has two inputs \"{}\"", input.id),
                        );
                    }
                }
            }
        }
        if matches!(q.kind, Kind::YesNo) && q.allow_not_sure == Some(false) && !v2 {
            cx.report(
                "questions",
                "question",
                &q.id,
                format!(
                    "{}; in format 1 a yes/no question always offers \"not sure\"",
                    needs_v2("`allow_not_sure: false` on a yes/no question")
                ),
            );
        }
        if let Some(section) = &q.section {
            if !v2 {
                cx.report("questions", "question", &q.id, needs_v2("`section`"));
            } else if !sections.contains_key(section.as_str()) {
                cx.report(
                    "questions",
                    "question",
                    &q.id,
                    format!("is in unknown section \"{section}\"; declare it under `sections`"),
                );
            }
        }
        for o in &opts {
            if o.conclude.is_some() {
                if !v2 {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        needs_v2(&format!("`conclude` on option \"{}\"", o.id)),
                    );
                }
                if o.next.is_some() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        format!(
                            "option \"{}\" has both `next` and `conclude`; keep one",
                            o.id
                        ),
                    );
                }
            }
        }
        if !matches!(q.kind, Kind::Single) {
            for o in &opts {
                if o.next.is_some() || o.conclude.is_some() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        format!(
                            "option \"{}\" has `next`, but per-option routing is only for single choice questions; use Routes on the question",
                            o.id
                        ),
                    );
                }
            }
        }
        if matches!(q.kind, Kind::Multiple { .. })
            && opts.iter().all(|o| o.exclusive)
            && opts.len() > 1
        {
            cx.report(
                "questions",
                "question",
                &q.id,
                "every option is exclusive; use a single choice instead",
            );
        }
        options.push(opts);
    }

    // Citations.
    let references = &file.references;
    let check_citations = |cx: &mut Ctx, place: &str, kind: &str, id: &str, cites: &[Citation]| {
        for c in cites {
            let reference = refs.get(c.reference.as_str()).map(|&i| &references[i]);
            if reference.is_none() {
                cx.report(
                    place,
                    kind,
                    id,
                    format!("cites unknown reference \"{}\"", c.reference),
                );
            }
            if let Some(url) = &c.url {
                if !v2 {
                    cx.report(
                        place,
                        kind,
                        id,
                        needs_v2(&format!(
                            "a link of its own on its citation of \"{}\"",
                            c.reference
                        )),
                    );
                } else if !is_allowed_url(url) {
                    cx.report(
                        place,
                        kind,
                        id,
                        format!(
                            "cites \"{}\" with url \"{}\", which is not a web or mail address; use an http://, https:// or mailto: link",
                            c.reference,
                            crate::text::echo(url)
                        ),
                    );
                }
            }
            let legal = reference.is_none_or(|r| r.legal);
            if c.pinpoint.trim().is_empty() && legal {
                cx.report(
                    place,
                    kind,
                    id,
                    format!("cites \"{}\" without a pinpoint", c.reference),
                );
            }
        }
    };
    for q in &file.questions {
        check_citations(&mut cx, "questions", "question", &q.id, &q.citations);
    }

    // Conditions.
    let resolver = Resolver {
        ids: &qids,
        kinds: &kinds,
        options: &options,
        qindex: &qindex,
        findex: &findex,
    };
    let mut facts = Vec::with_capacity(file.facts.len());
    for f in &file.facts {
        let cond = resolver.resolve(&f.when, &mut |m| cx.report("facts", "fact", &f.id, m));
        facts.push(Fact {
            def: f.clone(),
            cond,
        });
    }
    let fact_order = fact_order(&facts, &mut cx);

    let target = |cx: &mut Ctx, qid: &str, to: &str| -> Target {
        if to == END {
            Target::End
        } else if let Some(&i) = qindex.get(to) {
            Target::Question(i)
        } else {
            cx.report_broken_route(qid, format!("routes to unknown question \"{to}\""));
            Target::End
        }
    };
    let conclude = |cx: &mut Ctx, qid: &str, outcome: &str| -> Target {
        match oindex.get(outcome) {
            Some(&o) => Target::Conclude(o),
            None => {
                cx.report_broken_route(
                    qid,
                    format!("concludes with unknown outcome \"{outcome}\""),
                );
                Target::End
            }
        }
    };
    let n_questions = file.questions.len();
    let mut questions = Vec::with_capacity(n_questions);
    // Outcomes a route or option was meant to conclude with but could not
    // (it also had `goto`/`next`): not reported again as never applying.
    let mut intended: Vec<usize> = Vec::new();
    for (qi, q) in std::mem::take(&mut file.questions).into_iter().enumerate() {
        let option_next = options[qi]
            .iter()
            .map(|o| match (&o.next, &o.conclude) {
                (Some(to), also) => {
                    // Both given is reported with the options; the outcome
                    // was meant to be concluded with.
                    intended.extend(also.as_deref().and_then(|c| oindex.get(c)));
                    Some(target(&mut cx, &q.id, to))
                }
                (None, Some(outcome)) => Some(conclude(&mut cx, &q.id, outcome)),
                (None, None) => None,
            })
            .collect();
        let routing = match &q.next {
            None => Routing::Goto(if qi + 1 < n_questions {
                Target::Question(qi + 1)
            } else {
                Target::End
            }),
            Some(Next::Goto(to)) => Routing::Goto(target(&mut cx, &q.id, to)),
            Some(Next::Conclude(outcome)) => {
                if !v2 {
                    cx.report("questions", "question", &q.id, needs_v2("`Conclude`"));
                }
                Routing::Goto(conclude(&mut cx, &q.id, outcome))
            }
            Some(Next::Routes(routes)) => {
                if routes.is_empty() {
                    cx.report(
                        "questions",
                        "question",
                        &q.id,
                        "has an empty route list; add at least a fallback route",
                    );
                }
                let mut out: Vec<(Option<Cond>, Target)> = Vec::with_capacity(routes.len());
                let has_fallback = routes.iter().any(|r| r.when.is_none());
                for (ri, r) in routes.iter().enumerate() {
                    let last = ri + 1 == routes.len();
                    match (&r.when, last) {
                        (Some(_), true) if !has_fallback => cx.report(
                            "questions",
                            "question",
                            &q.id,
                            "its route list has no fallback: the last route must have no `when`",
                        ),
                        (None, false) => cx.report(
                            "questions",
                            "question",
                            &q.id,
                            format!("route {} has no `when` but is not the last; routes after a fallback are never taken", ri + 1),
                        ),
                        _ => {}
                    }
                    let cond = r.when.as_ref().map(|c| {
                        resolver.resolve(c, &mut |m| cx.report("questions", "question", &q.id, m))
                    });
                    let to = match (&r.goto, &r.conclude) {
                        (Some(to), None) => target(&mut cx, &q.id, to),
                        (None, Some(outcome)) => {
                            if !v2 {
                                cx.report(
                                    "questions",
                                    "question",
                                    &q.id,
                                    needs_v2(&format!("`conclude` in route {}", ri + 1)),
                                );
                            }
                            conclude(&mut cx, &q.id, outcome)
                        }
                        (Some(_), Some(outcome)) => {
                            intended.extend(oindex.get(outcome.as_str()));
                            cx.report_broken_route(
                                &q.id,
                                format!(
                                    "route {} has both `goto` and `conclude`; keep one",
                                    ri + 1
                                ),
                            );
                            Target::End
                        }
                        (None, None) => {
                            cx.report_broken_route(
                                &q.id,
                                format!(
                                    "route {} leads nowhere: give it `goto` (a question or \"end\"){}",
                                    ri + 1,
                                    if v2 { " or `conclude` (an outcome)" } else { "" }
                                ),
                            );
                            Target::End
                        }
                    };
                    out.push((cond, to));
                }
                Routing::Routes(out)
            }
        };
        let yes_no = matches!(q.kind, Kind::YesNo);
        let not_sure = match q.kind {
            Kind::Info => false,
            _ if v2 => q.allow_not_sure.unwrap_or(yes_no),
            _ => q.allow_not_sure.unwrap_or(false) || yes_no,
        };
        let section = q
            .section
            .as_deref()
            .and_then(|s| sections.get(s).copied())
            .filter(|_| v2);
        questions.push(Question {
            def: q,
            // Filled in once the resolver no longer needs them.
            options: Vec::new(),
            option_next,
            routing,
            not_sure,
            section,
        });
    }

    // Outcomes.
    let mut outcomes = Vec::with_capacity(file.outcomes.len());
    for o in &file.outcomes {
        let group = match groups.get(o.group.as_str()) {
            Some(&g) => g,
            None => {
                cx.report(
                    "outcomes",
                    "outcome",
                    &o.id,
                    format!("is in unknown group \"{}\"", o.group),
                );
                0
            }
        };
        match (&o.no_source, o.citations.is_empty()) {
            (None, true) => cx.report(
                "outcomes",
                "outcome",
                &o.id,
                if v2 {
                    "has no citation; cite what it rests on, or say why there is none with `no_source`"
                } else {
                    "has no citation; every outcome must cite what it rests on"
                },
            ),
            (Some(_), _) if !v2 => {
                cx.report("outcomes", "outcome", &o.id, needs_v2("`no_source`"));
            }
            (Some(_), false) => cx.report(
                "outcomes",
                "outcome",
                &o.id,
                "has citations and `no_source`; keep the citations or say there is no source, not both",
            ),
            (Some(why), true) if why.trim().is_empty() => cx.report(
                "outcomes",
                "outcome",
                &o.id,
                "has an empty `no_source`; say why the outcome cites no source",
            ),
            _ => {}
        }
        check_citations(&mut cx, "outcomes", "outcome", &o.id, &o.citations);
        let cond = match &o.when {
            Some(when) => {
                resolver.resolve(when, &mut |m| cx.report("outcomes", "outcome", &o.id, m))
            }
            None => {
                if !v2 {
                    cx.report(
                        "outcomes",
                        "outcome",
                        &o.id,
                        "has no `when`; say when it applies (format 2 also lets a route `conclude` with it)",
                    );
                }
                // Never by itself: only where a route concludes with it.
                Cond::Any(Vec::new())
            }
        };
        let mut applies_from = Vec::with_capacity(o.applies_from.len());
        for (ri, rule) in o.applies_from.iter().enumerate() {
            let date = match jiff::civil::Date::strptime("%Y-%m-%d", &rule.date) {
                Ok(d) => d,
                Err(_) => {
                    cx.report(
                        "outcomes",
                        "outcome",
                        &o.id,
                        format!(
                            "applies_from date \"{}\" is not a date; write YYYY-MM-DD",
                            rule.date
                        ),
                    );
                    jiff::civil::date(2000, 1, 1)
                }
            };
            if rule.when.is_none() && ri + 1 != o.applies_from.len() {
                cx.report(
                    "outcomes",
                    "outcome",
                    &o.id,
                    "an applies_from rule without `when` must be the last",
                );
            }
            let cond = rule
                .when
                .as_ref()
                .map(|c| resolver.resolve(c, &mut |m| cx.report("outcomes", "outcome", &o.id, m)));
            applies_from.push((cond, date));
        }
        outcomes.push(Outcome {
            def: o.clone(),
            cond,
            group,
            applies_from,
        });
    }

    for (question, opts) in questions.iter_mut().zip(options) {
        question.options = opts;
    }

    // The graph.
    let n = questions.len();
    let mut successors: Vec<Vec<QIdx>> = vec![Vec::new(); n];
    let mut conclusions: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, q) in questions.iter().enumerate() {
        let mut add = |t: &Target| match t {
            Target::Question(j) if !successors[i].contains(j) => successors[i].push(*j),
            Target::Conclude(o) if !conclusions[i].contains(o) => conclusions[i].push(*o),
            _ => {}
        };
        for t in q.option_next.iter().flatten() {
            add(t);
        }
        // The question's own routing matters unless every option overrides it
        // and "not sure" is not offered.
        let all_options_route = matches!(q.def.kind, Kind::Single)
            && !q.option_next.is_empty()
            && q.option_next.iter().all(Option::is_some)
            && !q.not_sure;
        if !all_options_route {
            match &q.routing {
                Routing::Goto(t) => add(t),
                Routing::Routes(rs) => rs.iter().for_each(|(_, t)| add(t)),
            }
        }
    }
    if v2 {
        let mut concluded = vec![false; outcomes.len()];
        for &o in conclusions.iter().flatten() {
            concluded[o] = true;
        }
        for (o, outcome) in outcomes.iter().enumerate() {
            if outcome.def.when.is_none() && !concluded[o] && !intended.contains(&o) {
                cx.report(
                    "outcomes",
                    "outcome",
                    outcome.id(),
                    "can never apply: it has no `when` and no route concludes with it",
                );
            }
        }
    }
    let mut remaining = vec![(1u32, 1u32); n];
    if n > 0 {
        let reachable = reachable_from(0, &successors);
        // A broken route of a reachable question may be the way to the
        // questions after it: those unreachable are its consequences.
        let broken: Vec<(usize, usize)> = cx
            .broken
            .iter()
            .filter_map(|(id, k)| qindex.get(id.as_str()).map(|&qi| (qi, *k)))
            .filter(|&(qi, _)| reachable[qi])
            .collect();
        for (i, q) in questions.iter().enumerate() {
            if reachable[i] {
                continue;
            }
            match broken.iter().find(|&&(from, _)| from < i) {
                Some(&(_, k)) => {
                    let line = cx.lines().first("questions", q.id());
                    cx.problems[k].consequences.push((
                        line,
                        format!(
                            "so question \"{}\" cannot be reached from the first question",
                            crate::text::printable_line(q.id())
                        ),
                    ));
                }
                None => cx.report(
                    "questions",
                    "question",
                    q.id(),
                    "cannot be reached from the first question; route to it or remove it",
                ),
            }
        }
        match topo_order(&successors) {
            Some(order) => {
                let outcome_ids: Vec<&str> = outcomes.iter().map(|o| o.id()).collect();
                check_route_reads(
                    &questions,
                    &facts,
                    &outcome_ids,
                    &successors,
                    &order,
                    &mut cx,
                );
                for &q in order.iter().rev() {
                    let (mut lo, mut hi) = (u32::MAX, 0u32);
                    let mut ends = successors[q].is_empty();
                    if !ends {
                        // A route or option to the end also counts.
                        ends = routes_to_end(&questions[q]);
                    }
                    if ends {
                        lo = 0;
                    }
                    for &s in &successors[q] {
                        lo = lo.min(remaining[s].0);
                        hi = hi.max(remaining[s].1);
                    }
                    // An information screen is not a question to answer.
                    let own = u32::from(!questions[q].is_info());
                    remaining[q] = (lo.saturating_add(own), hi.saturating_add(own));
                }
            }
            None => {
                // Every loop at once, each with the edges that make it; an
                // edge that is only a fall-through (no `next`) says so, since
                // that is the one an author does not see written down.
                for cycle in all_cycles(&successors) {
                    let names: Vec<&str> = cycle.iter().map(|&i| questions[i].id()).collect();
                    let fall_throughs: Vec<String> = cycle
                        .iter()
                        .zip(cycle.iter().cycle().skip(1))
                        .filter(|&(&from, &to)| {
                            to == from + 1
                                && questions[from].def.next.is_none()
                                && !questions[from]
                                    .option_next
                                    .iter()
                                    .flatten()
                                    .any(|t| *t == Target::Question(to))
                        })
                        .map(|(&from, &to)| {
                            format!(
                                "“{}” has no `next`, so it falls through to “{}”, the question after it in the file",
                                questions[from].id(),
                                questions[to].id()
                            )
                        })
                        .collect();
                    let mut message = format!(
                        "is part of a cycle: {} → {}; the questions must form a tree without loops",
                        names.join(" → "),
                        names[0]
                    );
                    if !fall_throughs.is_empty() {
                        message.push_str(&format!(" ({})", fall_throughs.join("; ")));
                    }
                    cx.report("questions", "question", names[0], message);
                }
            }
        }
    }

    check_prefill(&file.prefill, &questions, &qindex, &mut cx);

    if !cx.problems.is_empty() {
        // Keep the order stable and readable: by line, then as found.
        cx.problems.sort_by_key(|p| p.line.unwrap_or(0));
        return Err(cx.problems);
    }
    Ok(Questionnaire {
        meta: Meta {
            id: file.id,
            title: file.title,
            version: file.version,
            language: file.language,
            legal_basis: file.legal_basis,
            as_of: file.as_of,
            disclaimer: file.disclaimer,
            description: file.description,
            format_version: file.format_version,
        },
        sections: file.sections,
        concludes: conclusions.iter().any(|c| !c.is_empty()),
        conclusions,
        groups: file.groups,
        references: file.references,
        prefill: file.prefill,
        questions,
        facts,
        outcomes,
        fact_order,
        successors,
        remaining,
        logic_hash,
        text_hash,
        source: source.to_string(),
        text: None,
        translation: None,
        question_index: qindex
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        outcome_index: oindex
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    })
}

/// Whether a route or option of `q` ends the questionnaire (a conclusion
/// ends it too).
fn routes_to_end(q: &Question) -> bool {
    let ends = |t: &Target| matches!(t, Target::End | Target::Conclude(_));
    q.option_next.iter().flatten().any(ends)
        || match &q.routing {
            Routing::Goto(t) => ends(t),
            Routing::Routes(rs) => rs.iter().any(|(_, t)| ends(t)),
        }
}

/// The labels of a YesNo question's implied options in the questionnaire's
/// language: the app's words, like those in `assets/messages` (this module is
/// also compiled by `build.rs`, so it cannot read the catalogues; a test in
/// `messages` checks that every catalogue language has its pair here).
pub fn yes_no(language: &str) -> (&'static str, &'static str) {
    let primary = language.trim().split(['-', '_']).next().unwrap_or_default();
    if primary.eq_ignore_ascii_case("de") {
        ("Ja", "Nein")
    } else {
        ("Yes", "No")
    }
}

fn implied(id: &str, label: &str) -> ChoiceDef {
    ChoiceDef {
        id: id.to_string(),
        label: label.to_string(),
        help: String::new(),
        what_if: None,
        exclusive: false,
        next: None,
        conclude: None,
    }
}

fn unique_ids<'a>(
    cx: &mut Ctx,
    place: &str,
    kind: &str,
    ids: impl Iterator<Item = &'a String>,
) -> HashMap<&'a str, usize> {
    let mut map: HashMap<&'a str, usize> = HashMap::new();
    let mut reported = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            cx.problems.push(Problem {
                line: None,
                subject: format!("{kind} number {}", i + 1),
                message: "has an empty id".into(),
                consequences: Vec::new(),
            });
            continue;
        }
        if map.contains_key(id.as_str()) {
            if reported.insert(id.as_str()) {
                let lines: Vec<String> = cx
                    .lines()
                    .all(place, id)
                    .iter()
                    .map(|l| l.to_string())
                    .collect();
                let message = if lines.len() > 1 {
                    format!(
                        "is defined more than once (lines {}); ids must be unique",
                        lines.join(", ")
                    )
                } else {
                    "is defined more than once; ids must be unique".to_string()
                };
                cx.report(place, kind, id, message);
            }
        } else {
            // The first definition wins for lookups.
            map.insert(id.as_str(), i);
        }
    }
    map
}

fn check_option_ids(cx: &mut Ctx, kind: &str, owner: &str, options: &[ChoiceDef]) {
    let place = if kind == "question" {
        "questions"
    } else {
        "option_sets"
    };
    let mut seen = HashSet::new();
    for o in options {
        if o.id.trim().is_empty() {
            cx.report(place, kind, owner, "has an option with an empty id");
        } else if !seen.insert(o.id.as_str()) {
            cx.report(
                place,
                kind,
                owner,
                format!(
                    "has option \"{}\" more than once; option ids must be unique",
                    o.id
                ),
            );
        }
    }
}

struct Resolver<'a> {
    ids: &'a [String],
    kinds: &'a [Kind],
    options: &'a [Vec<ChoiceDef>],
    qindex: &'a HashMap<&'a str, usize>,
    findex: &'a HashMap<&'a str, usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Needs {
    Any,
    OneOf,
    Many,
    Number,
}

impl Resolver<'_> {
    /// Resolves a condition, reporting every unknown id or kind mismatch.
    /// Recursion here follows the nesting of one condition, which the parser
    /// has already bounded, never the question graph.
    fn resolve(&self, c: &Condition, report: &mut dyn FnMut(String)) -> Cond {
        match c {
            Condition::Always => Cond::Always,
            Condition::Answered(q) => self
                .q(q, Needs::Any, report)
                .map_or(Cond::Always, Cond::Answered),
            Condition::NotSure(q) => self
                .q(q, Needs::Any, report)
                .map_or(Cond::Always, Cond::NotSure),
            Condition::Is(q, o) => match self.q(q, Needs::OneOf, report) {
                Some(qi) => self
                    .o(qi, o, report)
                    .map_or(Cond::Always, |oi| Cond::Is(qi, oi)),
                None => Cond::Always,
            },
            Condition::In(q, os) => match self.q(q, Needs::OneOf, report) {
                Some(qi) => Cond::In(
                    qi,
                    os.iter().filter_map(|o| self.o(qi, o, report)).collect(),
                ),
                None => Cond::Always,
            },
            Condition::Includes(q, o) => match self.q(q, Needs::Many, report) {
                Some(qi) => self
                    .o(qi, o, report)
                    .map_or(Cond::Always, |oi| Cond::Includes(qi, oi)),
                None => Cond::Always,
            },
            Condition::IncludesAny(q, os) => match self.q(q, Needs::Many, report) {
                Some(qi) => Cond::IncludesAny(
                    qi,
                    os.iter().filter_map(|o| self.o(qi, o, report)).collect(),
                ),
                None => Cond::Always,
            },
            Condition::Gt(q, v) => self.cmp(q, CmpOp::Gt, *v, report),
            Condition::Ge(q, v) => self.cmp(q, CmpOp::Ge, *v, report),
            Condition::Lt(q, v) => self.cmp(q, CmpOp::Lt, *v, report),
            Condition::Le(q, v) => self.cmp(q, CmpOp::Le, *v, report),
            Condition::All(cs) => Cond::All(cs.iter().map(|c| self.resolve(c, report)).collect()),
            Condition::Any(cs) => Cond::Any(cs.iter().map(|c| self.resolve(c, report)).collect()),
            Condition::Not(c) => Cond::Not(Box::new(self.resolve(c, report))),
            Condition::Fact(f) => match self.findex.get(f.as_str()) {
                Some(&fi) => Cond::Fact(fi),
                None => {
                    report(format!("names unknown fact \"{f}\""));
                    Cond::Always
                }
            },
        }
    }

    fn cmp(&self, q: &str, op: CmpOp, v: f64, report: &mut dyn FnMut(String)) -> Cond {
        if !v.is_finite() {
            report(format!("compares \"{q}\" with a number that is not finite"));
        }
        self.q(q, Needs::Number, report)
            .map_or(Cond::Always, |qi| Cond::Cmp(qi, op, v))
    }

    fn q(&self, id: &str, needs: Needs, report: &mut dyn FnMut(String)) -> Option<usize> {
        let Some(&qi) = self.qindex.get(id) else {
            report(format!("names unknown question \"{id}\""));
            return None;
        };
        let kind = &self.kinds[qi];
        if matches!(kind, Kind::Info) {
            report(format!(
                "reads \"{id}\", an information screen, which has no answer to read"
            ));
            return None;
        }
        let fits = match needs {
            Needs::Any => true,
            Needs::OneOf => matches!(kind, Kind::Single | Kind::YesNo),
            Needs::Many => matches!(kind, Kind::Multiple { .. }),
            Needs::Number => matches!(kind, Kind::Number { .. }),
        };
        if !fits {
            let wanted = match needs {
                Needs::OneOf => "Is/In need a single choice or yes/no question",
                Needs::Many => "Includes/IncludesAny need a multiple choice question",
                Needs::Number => "number comparisons need a number question",
                Needs::Any => "",
            };
            report(format!(
                "reads \"{id}\", a {} question, but {wanted}",
                kind_name(kind)
            ));
            return None;
        }
        Some(qi)
    }

    fn o(&self, qi: usize, id: &str, report: &mut dyn FnMut(String)) -> Option<usize> {
        let found = self.options[qi].iter().position(|o| o.id == id);
        if found.is_none() {
            report(format!(
                "names unknown option \"{id}\" of question \"{}\"",
                self.ids[qi]
            ));
        }
        found
    }
}

/// Orders facts so each comes after those it uses (Kahn's algorithm), and
/// reports a cycle between facts.
fn fact_order(facts: &[Fact], cx: &mut Ctx) -> Vec<FIdx> {
    let n = facts.len();
    let mut users: Vec<Vec<FIdx>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (i, f) in facts.iter().enumerate() {
        let mut uses = Vec::new();
        f.cond.visit(|_| {}, |g| uses.push(g));
        uses.sort_unstable();
        uses.dedup();
        for g in uses {
            users[g].push(i);
            indegree[i] += 1;
        }
    }
    let mut queue: VecDeque<FIdx> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for &u in &users[i] {
            indegree[u] -= 1;
            if indegree[u] == 0 {
                queue.push_back(u);
            }
        }
    }
    if order.len() < n {
        for (i, f) in facts.iter().enumerate() {
            if indegree[i] > 0 {
                cx.report(
                    "facts",
                    "fact",
                    &f.def.id,
                    "is part of a cycle between facts; a fact cannot depend on itself",
                );
            }
        }
    }
    order
}

fn reachable_from(start: QIdx, successors: &[Vec<QIdx>]) -> Vec<bool> {
    let mut seen = vec![false; successors.len()];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(q) = stack.pop() {
        for &s in &successors[q] {
            if !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
    }
    seen
}

/// A topological order of the questions (Kahn's algorithm), or `None` when
/// some are in a loop.
fn topo_order(successors: &[Vec<QIdx>]) -> Option<Vec<QIdx>> {
    let n = successors.len();
    let mut indegree = vec![0usize; n];
    for succ in successors {
        for &s in succ {
            indegree[s] += 1;
        }
    }
    let mut queue: VecDeque<QIdx> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(q) = queue.pop_front() {
        order.push(q);
        for &s in &successors[q] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                queue.push_back(s);
            }
        }
    }
    // Some questions are in a loop: [`all_cycles`] names them.
    (order.len() == n).then_some(order)
}

/// One cycle per strongly connected part of the question graph that has
/// one (Tarjan's algorithm, iterative), each starting at its earliest
/// question, in file order: every loop is reported at once.
fn all_cycles(successors: &[Vec<QIdx>]) -> Vec<Vec<QIdx>> {
    let n = successors.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<QIdx> = Vec::new();
    let mut next_index = 0;
    let mut components: Vec<Vec<QIdx>> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its successor list)
        let mut work: Vec<(QIdx, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if let Some(&w) = successors[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = component.len() == 1 && successors[v].contains(&v);
                if component.len() > 1 || self_loop {
                    components.push(component);
                }
            }
        }
    }
    let mut cycles: Vec<Vec<QIdx>> = components
        .into_iter()
        .map(|c| cycle_in(successors, &c))
        .collect();
    cycles.sort_by_key(|c| c[0]);
    cycles
}

/// A shortest cycle through the earliest question of a strongly connected
/// part (a breadth-first search back to it, inside the part).
fn cycle_in(successors: &[Vec<QIdx>], component: &[QIdx]) -> Vec<QIdx> {
    let start = *component.iter().min().expect("a component is never empty");
    let inside: HashSet<QIdx> = component.iter().copied().collect();
    let mut came_from: std::collections::HashMap<QIdx, QIdx> = std::collections::HashMap::new();
    let mut queue: VecDeque<QIdx> = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &successors[v] {
            if !inside.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![v];
                let mut cur = v;
                while cur != start {
                    cur = came_from[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = came_from.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// A route may only read the question it follows or one that can come before
/// it on some path. Checked with a backward search from each routing question
/// that never goes further back in the topological order than the earliest
/// question it reads.
fn check_route_reads(
    questions: &[Question],
    facts: &[Fact],
    outcome_ids: &[&str],
    successors: &[Vec<QIdx>],
    order: &[QIdx],
    cx: &mut Ctx,
) {
    let n = questions.len();
    let mut topo = vec![0usize; n];
    for (pos, &q) in order.iter().enumerate() {
        topo[q] = pos;
    }
    // Questions each fact reads, with the facts it uses expanded.
    let mut fact_reads: Vec<Option<Vec<QIdx>>> = vec![None; facts.len()];
    let fact_reads_of = |fi: FIdx, memo: &mut Vec<Option<Vec<QIdx>>>| -> Vec<QIdx> {
        // Iterative expansion over the fact graph.
        if let Some(r) = &memo[fi] {
            return r.clone();
        }
        let mut out = HashSet::new();
        let mut seen = HashSet::new();
        let mut stack = vec![fi];
        while let Some(f) = stack.pop() {
            if !seen.insert(f) {
                continue;
            }
            facts[f].cond.visit(
                |q| {
                    out.insert(q);
                },
                |g| stack.push(g),
            );
        }
        let mut v: Vec<QIdx> = out.into_iter().collect();
        v.sort_unstable();
        memo[fi] = Some(v.clone());
        v
    };
    let mut preds: Vec<Vec<QIdx>> = vec![Vec::new(); n];
    for (q, succ) in successors.iter().enumerate() {
        for &s in succ {
            preds[s].push(q);
        }
    }
    // Which questions the current search has found: `found[q] == round`.
    // One array for all searches, so each costs only the nodes it visits.
    let mut found = vec![0usize; n];
    let mut stack = Vec::new();
    for (qi, q) in questions.iter().enumerate() {
        let round = qi + 1;
        let Routing::Routes(routes) = &q.routing else {
            continue;
        };
        // What each route reads: (question, route number, through which fact).
        let mut via: Vec<(QIdx, usize, Option<FIdx>)> = Vec::new();
        for (ri, cond) in routes
            .iter()
            .enumerate()
            .filter_map(|(ri, (c, _))| c.as_ref().map(|c| (ri, c)))
        {
            let mut direct = Vec::new();
            let mut fs = Vec::new();
            cond.visit(|r| direct.push(r), |f| fs.push(f));
            via.extend(direct.into_iter().map(|r| (r, ri, None)));
            for f in fs {
                via.extend(
                    fact_reads_of(f, &mut fact_reads)
                        .into_iter()
                        .map(|r| (r, ri, Some(f))),
                );
            }
        }
        let mut reads: Vec<QIdx> = via.iter().map(|&(r, _, _)| r).collect();
        reads.sort_unstable();
        reads.dedup();
        reads.retain(|&r| r != qi);
        if reads.is_empty() {
            continue;
        }
        let floor = reads.iter().map(|&r| topo[r]).min().unwrap_or(0);
        if floor < topo[qi] {
            stack.clear();
            stack.push(qi);
            while let Some(x) = stack.pop() {
                for &p in &preds[x] {
                    if topo[p] >= floor && found[p] != round {
                        found[p] = round;
                        stack.push(p);
                    }
                }
            }
        }
        for r in reads {
            if found[r] != round {
                // Name the routes that read it, and the fact in between.
                let mut by: Vec<String> = Vec::new();
                for &(read, ri, fact) in &via {
                    if read != r {
                        continue;
                    }
                    let to = match &routes[ri].1 {
                        Target::Question(t) => format!("to \"{}\"", questions[*t].id()),
                        Target::End => "to the end".to_string(),
                        Target::Conclude(o) => {
                            format!("concluding with \"{}\"", outcome_ids[*o])
                        }
                    };
                    let how = match fact {
                        Some(f) => format!(
                            "route {} ({to}) through fact \"{}\"",
                            ri + 1,
                            facts[f].def.id
                        ),
                        None => format!("route {} ({to})", ri + 1),
                    };
                    if !by.contains(&how) {
                        by.push(how);
                    }
                }
                cx.report(
                    "questions",
                    "question",
                    q.id(),
                    format!(
                        "{} reads \"{}\", which cannot have been answered before this question on any path; route only on questions asked earlier",
                        by.join(" and "),
                        questions[r].id()
                    ),
                );
            }
        }
    }
}

/// Every text field a user may see, with the id it belongs to. Field names
/// are only put into words when a problem is found, so a file with a million
/// options costs a million cheap scans, not a million allocations.
/// Format 2's prose may use light markup ([`crate::markup`]): every prose
/// field is checked for links that are not http(s)/mailto and raw HTML.
fn check_markup(file: &QuestionnaireFile, cx: &mut Ctx) {
    let mut check = |place: &str, kind: &str, id: &str, field: &str, text: &str| {
        if !text.contains(['[', '<']) {
            return;
        }
        for problem in crate::markup::problems(text) {
            cx.report(place, kind, id, format!("{field}: {problem}"));
        }
    };
    for (field, text) in [
        ("disclaimer", &file.disclaimer),
        ("description", &file.description),
    ] {
        check("", "questionnaire", &file.id, field, text);
    }
    for g in &file.groups {
        check("groups", "group", &g.id, "description", &g.description);
    }
    for sec in &file.sections {
        check(
            "sections",
            "section",
            &sec.id,
            "description",
            &sec.description,
        );
    }
    for q in &file.questions {
        for (field, text) in [("prompt", &q.prompt), ("help", &q.help), ("why", &q.why)] {
            check("questions", "question", &q.id, field, text);
        }
        for o in &q.options {
            check(
                "questions",
                "question",
                &q.id,
                &format!("option \"{}\" help", o.id),
                &o.help,
            );
        }
    }
    for o in &file.outcomes {
        for (field, text) in [("summary", &o.summary), ("explanation", &o.explanation)] {
            check("outcomes", "outcome", &o.id, field, text);
        }
        if let Some(why) = &o.no_source {
            check("outcomes", "outcome", &o.id, "no_source", why);
        }
    }
}

fn check_texts(file: &QuestionnaireFile, cx: &mut Ctx) {
    let mut bad: Vec<(&str, &str, String, String)> = Vec::new();
    let mut check = |place: &'static str,
                     kind: &'static str,
                     id: &str,
                     field: &dyn Fn() -> String,
                     text: &str| {
        if let Some((pos, c)) = crate::text::find_control(text) {
            bad.push((
                place,
                kind,
                id.to_string(),
                format!(
                    "{} contains control character U+{:04X} at character {}; escape sequences and control characters are not allowed in text",
                    field(),
                    c as u32,
                    pos + 1
                ),
            ));
        }
    };
    macro_rules! f {
        ($name:expr) => {
            &|| String::from($name)
        };
    }
    for (field, text) in [
        ("id", &file.id),
        ("title", &file.title),
        ("version", &file.version),
        ("language", &file.language),
        ("legal_basis", &file.legal_basis),
        ("as_of", &file.as_of),
        ("disclaimer", &file.disclaimer),
        ("description", &file.description),
    ] {
        check("", "questionnaire", &file.id, f!(field), text);
    }
    for g in &file.groups {
        for (field, t) in [
            ("id", &g.id),
            ("title", &g.title),
            ("description", &g.description),
        ] {
            check("groups", "group", &g.id, f!(field), t);
        }
    }
    for r in &file.references {
        for (field, t) in [("id", &r.id), ("title", &r.title), ("url", &r.url)] {
            check("references", "reference", &r.id, f!(field), t);
        }
    }
    for sec in &file.sections {
        for (field, t) in [
            ("id", &sec.id),
            ("title", &sec.title),
            ("description", &sec.description),
        ] {
            check("sections", "section", &sec.id, f!(field), t);
        }
    }
    type Check<'a> = dyn FnMut(&'static str, &'static str, &str, &dyn Fn() -> String, &str) + 'a;
    let options = |place: &'static str,
                   kind: &'static str,
                   owner: &str,
                   opts: &[ChoiceDef],
                   check: &mut Check| {
        for o in opts {
            let name = || crate::text::printable_line(&o.id);
            check(
                place,
                kind,
                owner,
                &|| format!("option \"{}\" id", name()),
                &o.id,
            );
            check(
                place,
                kind,
                owner,
                &|| format!("option \"{}\" label", name()),
                &o.label,
            );
            check(
                place,
                kind,
                owner,
                &|| format!("option \"{}\" help", name()),
                &o.help,
            );
            if let Some(w) = &o.what_if {
                check(
                    place,
                    kind,
                    owner,
                    &|| format!("option \"{}\" what_if", name()),
                    w,
                );
            }
            if let Some(n) = &o.next {
                check(
                    place,
                    kind,
                    owner,
                    &|| format!("option \"{}\" next", name()),
                    n,
                );
            }
        }
    };
    for s in &file.option_sets {
        options("option_sets", "option set", &s.id, &s.options, &mut check);
    }
    for q in &file.questions {
        for (field, t) in [
            ("id", &q.id),
            ("prompt", &q.prompt),
            ("help", &q.help),
            ("why", &q.why),
            ("facilitator_notes", &q.facilitator_notes),
        ] {
            check("questions", "question", &q.id, f!(field), t);
        }
        if let Some(s) = &q.short {
            check("questions", "question", &q.id, f!("short"), s);
        }
        for d in &q.discussion {
            check("questions", "question", &q.id, f!("discussion"), d);
        }
        if let Some(sec) = &q.section {
            check("questions", "question", &q.id, f!("section"), sec);
        }
        for c in &q.citations {
            if let Some(url) = &c.url {
                check("questions", "question", &q.id, f!("citation url"), url);
            }
            check(
                "questions",
                "question",
                &q.id,
                f!("citation pinpoint"),
                &c.pinpoint,
            );
            check(
                "questions",
                "question",
                &q.id,
                f!("citation reference"),
                &c.reference,
            );
        }
        if let Some(set) = &q.option_set {
            check("questions", "question", &q.id, f!("option_set"), set);
        }
        if let Kind::Number { unit, estimate, .. } = &q.kind {
            if let Some(u) = unit {
                check("questions", "question", &q.id, f!("unit"), u);
            }
            if let Some(e) = estimate {
                check(
                    "questions",
                    "question",
                    &q.id,
                    f!("estimate label"),
                    &e.label,
                );
                check("questions", "question", &q.id, f!("estimate help"), &e.help);
                for i in &e.inputs {
                    check(
                        "questions",
                        "question",
                        &q.id,
                        f!("estimate input"),
                        &i.label,
                    );
                    check(
                        "questions",
                        "question",
                        &q.id,
                        f!("estimate input id"),
                        &i.id,
                    );
                }
            }
        }
        options("questions", "question", &q.id, &q.options, &mut check);
    }
    for fact in &file.facts {
        check("facts", "fact", &fact.id, f!("id"), &fact.id);
        check("facts", "fact", &fact.id, f!("holds"), &fact.holds);
        if let Some(t) = &fact.fails {
            check("facts", "fact", &fact.id, f!("fails"), t);
        }
    }
    for o in &file.outcomes {
        for (field, t) in [
            ("id", &o.id),
            ("group", &o.group),
            ("title", &o.title),
            ("summary", &o.summary),
            ("explanation", &o.explanation),
        ] {
            check("outcomes", "outcome", &o.id, f!(field), t);
        }
        if let Some(why) = &o.no_source {
            check("outcomes", "outcome", &o.id, f!("no_source"), why);
        }
        for c in &o.citations {
            if let Some(url) = &c.url {
                check("outcomes", "outcome", &o.id, f!("citation url"), url);
            }
            check(
                "outcomes",
                "outcome",
                &o.id,
                f!("citation pinpoint"),
                &c.pinpoint,
            );
            check(
                "outcomes",
                "outcome",
                &o.id,
                f!("citation reference"),
                &c.reference,
            );
        }
    }
    for (place, kind, id, message) in bad {
        cx.report(place, kind, &id, message);
    }
}

/// Prefill rules name a question and options that exist, and a source that
/// can give that kind of answer.
fn check_prefill(
    rules: &[super::schema::PrefillRule],
    questions: &[Question],
    qindex: &HashMap<&str, usize>,
    cx: &mut Ctx,
) {
    use super::schema::PrefillSource as S;
    for rule in rules {
        let Some(&qi) = qindex.get(rule.question.as_str()) else {
            cx.report_top(format!(
                "a prefill rule answers question \"{}\", which does not exist",
                crate::text::printable_line(&rule.question)
            ));
            continue;
        };
        let q = &questions[qi];
        let numeric = matches!(q.kind(), Kind::Number { .. });
        let gives_number = matches!(rule.source, S::Parameters | S::Product { .. });
        if gives_number && !numeric {
            cx.report(
                "questions",
                "question",
                q.id(),
                "has a prefill rule giving a number, but it is not a number question",
            );
        }
        if matches!(q.kind(), Kind::Text { .. }) {
            cx.report(
                "questions",
                "question",
                q.id(),
                "has a prefill rule, but text questions cannot be pre-answered",
            );
        }
        if q.is_info() {
            cx.report(
                "questions",
                "question",
                q.id(),
                "has a prefill rule, but an information screen takes no answer",
            );
        }
        let options = rule
            .values
            .iter()
            .map(|(_, o)| o)
            .chain(rule.present.iter());
        for o in options {
            if q.option_index(o).is_none() {
                cx.report(
                    "questions",
                    "question",
                    q.id(),
                    format!(
                        "has a prefill rule naming option \"{}\", which it does not have",
                        crate::text::printable_line(o)
                    ),
                );
            }
        }
        if !numeric && !gives_number && rule.values.is_empty() && rule.present.is_none() {
            cx.report(
                "questions",
                "question",
                q.id(),
                "has a prefill rule with neither `values` nor `present`: it could never answer",
            );
        }
    }
}

/// Whether a reference's link may be offered to readers: http(s) and mailto
/// only, so no `javascript:`, `data:` or `file:` link reaches a report.
fn is_allowed_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    web || (lower.starts_with("mailto:") && lower.len() > "mailto:".len())
}
