//! The commands behind the command line. `main` parses arguments and reads
//! the clock; everything here takes the date as a parameter.

pub mod aggregate;
pub mod args;
mod compare;
pub mod sessions;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

pub use args::{Cli, Command};
use sessions::DataDir;

use crate::engine::evaluate;
use crate::env::Env;
use crate::error::{Error, Result, exit};
use crate::questionnaire::{self, Questionnaire};
use crate::report::{Report, to_json, to_markdown};
use crate::scenario;
use crate::text::printable_line;

/// Runs a parsed command line and returns the exit code. Answers to
/// questions (`delete` asking for confirmation, when `env.interactive`)
/// are read from `input`; output goes to `out`, diagnostics to `err`, both
/// through the output rule ([`crate::text::SafeWriter`]).
pub fn run(
    cli: Cli,
    env: &Env,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut out = crate::text::SafeWriter::new(out);
    let mut err = crate::text::SafeWriter::new(err);
    let code = run_command(cli, env, input, &mut out, &mut err);
    let _ = out.flush();
    let _ = err.flush();
    code
}

/// The longest line of an error message printed: a safeguard, as each echo
/// of input is already shortened.
const MAX_ERROR_LINE: usize = 2_000;

/// How the interactive app is started, from the command line.
fn launch(cli: &Cli) -> crate::tui::launch::Launch {
    crate::tui::launch::Launch {
        data_dir: cli.data_dir.clone(),
        export_dir: cli.export_dir.clone(),
        mouse: cli.mouse,
        questionnaire: cli.questionnaire.clone(),
        language: cli.language.clone(),
    }
}

fn new_options(a: &args::NewArgs) -> crate::tui::launch::NewOptions {
    crate::tui::launch::NewOptions {
        name: a.name.clone(),
        questionnaire: a.questionnaire.clone(),
        answers: a.answers.clone(),
        from: a.from.clone(),
    }
}

fn resume_options(a: &args::ResumeArgs) -> crate::tui::launch::ResumeOptions {
    crate::tui::launch::ResumeOptions {
        name: a.name.clone(),
        read_only: a.read_only,
        take_over: a.take_over,
    }
}

fn present_options(a: &args::PresentArgs) -> crate::tui::launch::PresentOptions {
    crate::tui::launch::PresentOptions {
        questionnaire: a.questionnaire.clone(),
        theme: match a.theme {
            args::PresentTheme::Light => crate::tui::PresentTheme::Light,
            args::PresentTheme::HighContrast => crate::tui::PresentTheme::HighContrast,
        },
    }
}

fn run_command(
    cli: Cli,
    env: &Env,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let today = match cli.today.as_deref().map(crate::parse_date).transpose() {
        Ok(d) => d.unwrap_or(env.today),
        Err(e) => {
            let _ = writeln!(err, "aiact: {e}");
            return exit::USAGE;
        }
    };
    if let Some(usage) = language_usage(&cli) {
        let _ = writeln!(err, "aiact: {usage}");
        return exit::USAGE;
    }
    let app = launch(&cli);
    let data = DataDir {
        dir: cli.data_dir.as_deref(),
        env,
    };
    let language = cli.language.clone();
    let language = language.as_deref();
    let result = match cli.command {
        None => crate::tui::launch::start(&app, env, today),
        Some(Command::Validate { files }) => validate(&files, out, err),
        Some(Command::TranslationTemplate { ref file }) => {
            translation_template(file, language.unwrap_or_default(), out)
        }
        Some(Command::Run(args)) => run_answers(&args, language, today, out, err),
        Some(Command::Test {
            paths,
            questionnaire,
        }) => test(&paths, questionnaire.as_deref(), language, out),
        Some(Command::Questionnaires) => list_questionnaires(out),
        Some(Command::New(ref a)) if env.interactive => {
            crate::tui::launch::new(&app, &new_options(a), env, today)
        }
        Some(Command::Resume(ref a)) if env.interactive => {
            crate::tui::launch::resume(&app, &resume_options(a), env, today)
        }
        Some(Command::New(ref a)) => sessions::new(data, a, language, env, today, out, err),
        Some(Command::Resume(ref a)) => sessions::resume(data, a, language, today, out),
        Some(Command::List { format }) => sessions::list(data, format, today, out),
        Some(Command::Report(ref a)) => sessions::report(data, a, language, today, out),
        Some(Command::Aggregate {
            paths,
            format,
            anonymise,
        }) => aggregate::aggregate(&paths, format, anonymise, today, out, err),
        Some(Command::Diff { a, b, format }) => compare::diff(data, &a, &b, format, today, out),
        Some(Command::Recheck { ref name }) => {
            sessions::recheck(data, name, language, env, today, out)
        }
        Some(Command::Delete { name, yes }) => sessions::delete(data, &name, yes, input, out, err),
        Some(Command::Rename { old, new }) => sessions::rename(data, &old, &new, env, out),
        Some(Command::Export { name, file, force }) => {
            sessions::export(data, &name, &file, force, out)
        }
        Some(Command::Import { file, as_name }) => {
            sessions::import(data, &file, as_name.as_deref(), out)
        }
        Some(Command::Graph(ref a)) => graph(a, data, language, today, out, err),
        Some(Command::Completions { shell }) => completions(shell, out),
        Some(Command::Man) => man(out),
        Some(Command::Present(ref a)) => {
            crate::tui::launch::present(&app, &present_options(a), env, today)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Whatever a file put in the message, print it harmless and short.
            let text = crate::text::printable(e.to_string().trim_end());
            let lines: Vec<String> = text
                .lines()
                .map(|l| {
                    if l.chars().count() > MAX_ERROR_LINE {
                        let mut cut: String = l.chars().take(MAX_ERROR_LINE).collect();
                        cut.push('…');
                        cut
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            let _ = writeln!(err, "{}", lines.join("\n"));
            e.exit_code()
        }
    }
}

/// Why `--language` cannot be used with the command given, if it cannot:
/// a flag that would be silently ignored is refused instead.
fn language_usage(cli: &Cli) -> Option<String> {
    let language = cli.language.as_deref();
    let command = match (&cli.command, language) {
        (Some(Command::TranslationTemplate { .. }), None) => {
            return Some(
                "translation-template needs --language LANG, the language of the translation (such as de)"
                    .into(),
            );
        }
        (_, None) => return None,
        (None, Some(_)) if cli.questionnaire.is_none() => {
            return Some(
                "--language needs --questionnaire FILE for the start screen: translations are read beside a questionnaire file"
                    .into(),
            );
        }
        (None, Some(_)) => return None,
        (Some(c), Some(_)) => c,
    };
    let name = match command {
        Command::Run(_)
        | Command::Test { .. }
        | Command::New(_)
        | Command::Resume(_)
        | Command::Report(_)
        | Command::Recheck { .. }
        | Command::Graph(_)
        | Command::Present(_)
        | Command::TranslationTemplate { .. } => return None,
        Command::Validate { .. } => "validate (it recognises a translation file by itself)",
        Command::Questionnaires => "questionnaires",
        Command::List { .. } => "list",
        Command::Diff { .. } => "diff",
        Command::Delete { .. } => "delete",
        Command::Rename { .. } => "rename",
        Command::Export { .. } => "export",
        Command::Import { .. } => "import",
        Command::Aggregate { .. } => "aggregate",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
    };
    Some(format!(
        "--language has no effect on {name}; leave it out (it is for the app, run, new, resume, report, recheck, present, graph, test and translation-template)"
    ))
}

/// `aiact translation-template FILE --language LANG`: a complete
/// translation file to fill in.
fn translation_template(spec: &str, language: &str, out: &mut dyn Write) -> Result<i32> {
    questionnaire::translation::check_language(language)
        .map_err(|e| Error::Input(format!("--language: {e}")))?;
    let q = questionnaire::load_spec(spec)?;
    let _ = out.write_all(questionnaire::translation::template(&q, language).as_bytes());
    Ok(exit::OK)
}

/// Checks a translation file against the questionnaire beside it.
fn validate_translation(file: &Path, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    use questionnaire::translation;
    let shown = file.display().to_string();
    let Some((source, _)) = translation::source_of(file) else {
        return Err(Error::Input(format!(
            "{shown}: this is a translation, but its name does not say of what: name it like its questionnaire with the language before .ron (x.ron → x.de.ron)"
        )));
    };
    let t = translation::read(file)?;
    let q = questionnaire::load_path(&source).map_err(|e| match e {
        Error::Io { reason, .. } => Error::Input(format!(
            "{shown}: a translation is checked against its questionnaire, {}, which could not be read: {reason}",
            source.display()
        )),
        e => e,
    })?;
    let language = t.language.clone();
    let total = translation::texts(&q).len();
    let (q, missing) = translation::apply(q, t, &shown)?;
    let _ = writeln!(
        out,
        "{}: ok — translation of \"{}\" ({} {}) into {}, {} of {} texts translated",
        printable_line(&shown),
        printable_line(&q.meta.id),
        printable_line(&q.meta.title),
        printable_line(&q.meta.version),
        printable_line(&language),
        total - missing.len(),
        total
    );
    if let Some(w) = translation::missing_warning(&language, &missing) {
        let _ = writeln!(err, "aiact: warning: {}: {w}", printable_line(&shown));
    }
    Ok(())
}

fn validate(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let mut failed = Vec::new();
    if files.is_empty() {
        // The RON text, parsed and validated as a user's file would be (the
        // build did the same; this checks the binary's own copy).
        for (id, _, _) in questionnaire::SHIPPED {
            match questionnaire::parse_shipped(id).expect("shipped id") {
                Ok(q) => report_valid(&q, out),
                Err(e) => failed.push(e),
            }
        }
    } else {
        for f in files {
            let is_translation = std::fs::read_to_string(f)
                .is_ok_and(|t| questionnaire::translation::is_translation(&t));
            if is_translation {
                if let Err(e) = validate_translation(f, out, err) {
                    failed.push(e);
                }
                continue;
            }
            match questionnaire::load_path(f) {
                Ok(q) => report_valid(&q, out),
                Err(e) => failed.push(e),
            }
        }
    }
    match failed.len() {
        0 => Ok(exit::OK),
        1 => Err(failed.remove(0)),
        _ => Err(Error::CheckFailed(
            failed
                .iter()
                .map(|e| e.to_string().trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n\n"),
        )),
    }
}

fn report_valid(q: &Questionnaire, out: &mut dyn Write) {
    let _ = writeln!(
        out,
        "{}: ok — \"{}\" ({} {}), {} questions, {} facts, {} outcomes",
        printable_line(&q.source),
        printable_line(&q.meta.title),
        printable_line(&q.meta.id),
        printable_line(&q.meta.version),
        q.questions.len(),
        q.facts.len(),
        q.outcomes.len()
    );
}

fn list_questionnaires(out: &mut dyn Write) -> Result<i32> {
    for (id, _, _) in questionnaire::SHIPPED {
        let h = questionnaire::shipped_header(id).expect("shipped id");
        let _ = writeln!(
            out,
            "{id}\t{}\t{}",
            printable_line(&h.meta.title),
            printable_line(&h.meta.version)
        );
    }
    Ok(exit::OK)
}

pub use crate::assessment::{check_answers, load_answers};

/// Loads the questionnaire named on the command line in `language`,
/// warning on `err` about texts not translated yet.
fn load_translated(
    spec: Option<&str>,
    language: Option<&str>,
    err: &mut dyn Write,
) -> Result<Questionnaire> {
    let (q, missing) =
        questionnaire::translation::load_spec(spec.unwrap_or(questionnaire::DEFAULT_ID), language)?;
    if let Some(w) = questionnaire::translation::missing_warning(&q.meta.language, &missing) {
        let _ = writeln!(err, "aiact: warning: {w}");
    }
    Ok(q)
}

fn run_answers(
    args: &args::RunArgs,
    language: Option<&str>,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let q = load_translated(args.questionnaire.as_deref(), language, err)?;
    let mut marks = std::collections::BTreeMap::new();
    let mut answers = match &args.from {
        Some(dir) => {
            let p = crate::prefill::from_dir(&q, dir, today)?;
            marks = p.sources.clone();
            for (id, source) in &p.sources {
                let _ = writeln!(
                    err,
                    "prefill: {} ← {}",
                    printable_line(id),
                    printable_line(source)
                );
            }
            for note in &p.notes {
                let _ = writeln!(err, "prefill: {}", printable_line(note));
            }
            p.answers
        }
        None => crate::answers::Answers::new(),
    };
    let shown = match (&args.answers, &args.from) {
        (Some(file), _) => file.display().to_string(),
        (None, Some(dir)) => dir.display().to_string(),
        (None, None) => String::new(),
    };
    if let Some(file) = &args.answers {
        let given = load_answers(file)?;
        check_answers(&evaluate(&q, &given, today), &shown)?;
        // Answered in the file: no longer only a pre-answer.
        for id in given.keys() {
            marks.remove(id);
        }
        answers.extend(given);
    }
    let ev = evaluate(&q, &answers, today);
    check_answers(&ev, &shown)?;
    // Answers the path does not use are not silently ignored (`test` refuses
    // them; here they are reported and the results computed without them).
    // Questions the path may still reach (beyond the first open one) are
    // not "off the path": their answers will count once it gets there.
    let reachable = ev.reachable(&q);
    for &off in ev.off_path.iter().filter(|&&i| !reachable[i]) {
        let question = &q.questions[off];
        let why = "the other answers lead past it";
        let _ = writeln!(
            err,
            "aiact: warning: {shown}: question \"{}\" ({}) is answered but not on the path: {why}, so its answer is not used",
            printable_line(question.id()),
            printable_line(question.short())
        );
    }
    if let Some(c) = ev.current
        && !args.partial
    {
        let question = &q.questions[c];
        return Err(Error::CheckFailed(format!(
            "{shown}: question \"{}\" is not answered: {}\nAnswer it in the file, or pass --partial to see provisional results.",
            printable_line(question.id()),
            printable_line(&question.def.prompt)
        )));
    }
    let flips = args
        .what_if
        .then(|| crate::engine::what_if(&q, &answers, today));
    let mut report = Report::new(&q, &answers, &ev);
    report.what_if = flips.as_deref();
    report.prefilled = Some(&marks);
    let text = match args.format {
        args::Format::Markdown => to_markdown(&report),
        args::Format::Json => to_json(&report),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(exit::OK)
}

/// Completions generated from the command-line definition, so they never
/// drift from the real arguments.
fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<i32> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "aiact", out);
    Ok(exit::OK)
}

/// The man page, generated from the command-line definition.
fn man(out: &mut dyn Write) -> Result<i32> {
    let cmd = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(cmd)
        .render(out)
        .map_err(|e| Error::io(Path::new("standard output"), "write the man page", &e))?;
    Ok(exit::OK)
}

fn graph(
    args: &args::GraphArgs,
    data_dir: DataDir<'_>,
    language: Option<&str>,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let format = match args.format {
        args::GraphFormatArg::Mermaid => crate::report::GraphFormat::Mermaid,
        args::GraphFormatArg::Dot => crate::report::GraphFormat::Dot,
    };
    let text = if let Some(spec) = &args.session {
        // The session's own questionnaire, so the path fits the picture.
        let (_, q, ev) = sessions::load_for_report(data_dir, spec, language, today)?;
        let path = Some((ev.path.as_slice(), ev.end()));
        warn_edges(&q, format, args.outcomes, err);
        crate::report::to_graph_with_path(&q, format, args.outcomes, path)
    } else {
        let q = load_translated(args.questionnaire.as_deref(), language, err)?;
        warn_edges(&q, format, args.outcomes, err);
        crate::report::to_graph(&q, format, args.outcomes)
    };
    let _ = out.write_all(text.as_bytes());
    Ok(exit::OK)
}

/// Says so when a Mermaid diagram is too big for Mermaid renderers, which
/// refuse it outright rather than draw part of it: the diagram is still
/// printed (a renderer with a raised limit can draw it), with a way out.
fn warn_edges(
    q: &Questionnaire,
    format: crate::report::GraphFormat,
    outcomes: bool,
    err: &mut dyn Write,
) {
    let n = crate::report::mermaid_edges(q, outcomes);
    if format == crate::report::GraphFormat::Mermaid && n > crate::report::MERMAID_MAX_EDGES {
        let _ = writeln!(
            err,
            "aiact: warning: this diagram has {n} edges; Mermaid renderers refuse more than {}. Draw it without --outcomes, or with --format dot.",
            crate::report::MERMAID_MAX_EDGES
        );
    }
}

fn test(
    paths: &[PathBuf],
    questionnaire_spec: Option<&str>,
    language: Option<&str>,
    out: &mut dyn Write,
) -> Result<i32> {
    let files = scenario::collect(paths)?;
    if files.is_empty() {
        return Err(Error::Input("no scenario files (*.ron) found".into()));
    }
    // Scenarios read ids only: a translation changes no result, and its
    // untranslated texts are not worth a warning here.
    let load = |spec: &str| questionnaire::translation::load_spec(spec, language).map(|(q, _)| q);
    let fixed = questionnaire_spec.map(load).transpose()?;
    let mut cache: Vec<Questionnaire> = Vec::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let shown = file.display().to_string();
        let result = (|| -> Result<scenario::Outcome> {
            let s = scenario::load_scenario(file)?;
            let q = match &fixed {
                Some(q) => q,
                None => {
                    if let Some(pos) = cache.iter().position(|q| q.meta.id == s.questionnaire) {
                        &cache[pos]
                    } else {
                        let q = load(&s.questionnaire)?;
                        cache.push(q);
                        cache.last().expect("just pushed")
                    }
                }
            };
            scenario::run(q, &s, &shown)
        })();
        match result {
            Ok(o) if o.passed() => {
                passed += 1;
                let _ = writeln!(out, "pass  {}", printable_line(&shown));
            }
            Ok(o) => {
                failed += 1;
                let _ = writeln!(out, "FAIL  {}", printable_line(&shown));
                for f in &o.failures {
                    let _ = writeln!(out, "      - {}", printable_line(f));
                }
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(out, "FAIL  {}", printable_line(&shown));
                for line in crate::text::printable(&e.to_string()).lines() {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    Ok(if failed == 0 { exit::OK } else { exit::INVALID })
}
