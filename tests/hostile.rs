//! Hostile input: each case with its exact expected outcome. Nothing may
//! panic, hang, overflow the stack, or reach the terminal unescaped.

mod common;

use std::path::Path;
use std::process::Command;

use aiact::answers::{Answer, parse_number};
use aiact::engine::evaluate;
use aiact::questionnaire::{load_path, load_str};
use jiff::civil::date;

const BASIC: &str = "tests/fixtures/valid/basic.ron";

fn basic() -> String {
    std::fs::read_to_string(BASIC).unwrap()
}

#[test]
fn an_escape_sequence_in_any_text_field_is_rejected_by_id() {
    let src = basic();
    // Every string literal of the fixture, one at a time.
    let mut literals = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while bytes[j] != b'"' {
                j += 1;
            }
            literals.push(start);
            i = j + 1;
            continue;
        }
        i += 1;
    }
    assert!(literals.len() > 100, "found {} literals", literals.len());
    for start in literals {
        let hostile = format!("{}\\u{{1b}}[31m{}", &src[..start], &src[start..]);
        let err = match load_str("hostile.ron", &hostile) {
            Ok(_) => panic!(
                "accepted an escape at byte {start}: {}",
                &src[start..start + 20]
            ),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains("U+001B") || err.contains("unknown") || err.contains("is not a date"),
            "escape at byte {start} gave: {err}"
        );
        assert!(
            !err.contains('\u{1b}'),
            "the message itself carries the escape: {err:?}"
        );
    }
}

#[test]
fn a_raw_escape_byte_is_rejected_with_its_position() {
    let src = basic().replacen("Only a test.", "Only a \u{1b}[2J test.", 1);
    let err = load_str("raw.ron", &src).unwrap_err().to_string();
    assert!(
        err.starts_with("raw.ron:10:25: control character U+001B in the file"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'));
}

#[test]
fn a_ten_megabyte_string_loads() {
    let big = "x".repeat(10 * 1024 * 1024);
    let src = basic().replacen("Only a test.", &big, 1);
    let q = load_str("big.ron", &src).expect("a long disclaimer is fine");
    assert_eq!(q.meta.disclaimer.len(), big.len());
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let options: String = (0..1_000_000)
        .map(|i| format!("(id:\"o{i}\",label:\"O\"),"))
        .collect();
    let src = basic().replacen(
        "(id: \"none\", label: \"None of these\", exclusive: true)",
        &format!("{options}(id: \"none\", label: \"None\", exclusive: true)"),
        1,
    );
    std::fs::write(&path, &src).unwrap();
    let err = load_path(&path).unwrap_err().to_string();
    assert!(
        err.ends_with("aiact reads questionnaires of up to 16 MB. Split it or shorten its texts."),
        "{err}"
    );
    assert!(err.contains("the questionnaire is 2"), "{err}");
}

#[test]
fn too_many_options_are_refused() {
    let options: String = (0..1500)
        .map(|i| format!("(id:\"o{i}\",label:\"O\"),"))
        .collect();
    let src = basic().replacen(
        "(id: \"none\", label: \"None of these\", exclusive: true)",
        &format!("{options}(id: \"none\", label: \"None\", exclusive: true)"),
        1,
    );
    let err = load_str("many.ron", &src).unwrap_err().to_string();
    assert!(
        err.contains("question \"colour\": has 1503 options; a question may have at most 1000"),
        "{err}"
    );
}

#[test]
fn a_hundred_thousand_question_chain_neither_overflows_nor_stalls() {
    let n = 100_000;
    let mut src = String::from(
        "(format_version: 1, id: \"chain\", title: \"Chain\", version: \"1\", language: \"en\", legal_basis: \"x\", as_of: \"2026-01-01\", disclaimer: \"d\", groups: [(id: \"g\", title: \"G\", order: 1)], references: [(id: \"r\", title: \"R\", url: \"https://example.org\")], questions: [",
    );
    for i in 0..n {
        src.push_str(&format!("(id: \"q{i}\", prompt: \"Q\", kind: YesNo),"));
    }
    src.push_str("], outcomes: [(id: \"o\", group: \"g\", title: \"T\", summary: \"S\", explanation: \"E\", citations: [(reference: \"r\", pinpoint: \"1\")], when: Is(\"q99999\", \"yes\"))])");
    let q = load_str("chain.ron", &src).expect("a long chain is valid");
    assert_eq!(q.remaining[0], (100_000, 100_000));
    let answers = (0..n)
        .map(|i| (format!("q{i}"), Answer::Choice("yes".into())))
        .collect();
    let ev = evaluate(&q, &answers, date(2026, 11, 26));
    assert!(ev.is_complete());
    assert_eq!(ev.path.len(), n);
    assert_eq!(ev.outcomes.len(), 1);
}

#[test]
fn hostile_numbers_are_refused_or_bounded() {
    assert!(parse_number("NaN").is_err());
    assert!(parse_number("inf").is_err());
    assert!(parse_number("-inf").is_err());
    assert!(parse_number("1e400").is_err());
    assert_eq!(parse_number("1e300"), Ok(1e300));
    let q = load_path(Path::new(BASIC)).unwrap();
    let size = q.question("size").unwrap();
    assert_eq!(
        size.resolve(&Answer::Number("-5".into())),
        Err("the number must be at least 0".into())
    );
    assert!(size.resolve(&Answer::Number("NaN".into())).is_err());
    assert!(size.resolve(&Answer::Number("9".repeat(500))).is_err());
    assert!(size.resolve(&Answer::Number("1e308".into())).is_ok());
}

#[test]
fn escapes_in_answers_never_reach_the_terminal() {
    for format in ["markdown", "json"] {
        let out = common::command()
            .args([
                "run",
                "--questionnaire",
                BASIC,
                "--answers",
                "tests/fixtures/hostile/escape.answers.ron",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "escape reached the terminal"
        );
        assert!(
            !out.stdout.contains(&0x07) && !out.stderr.contains(&0x07),
            "bell reached the terminal"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("answer to \"name\": the text contains control characters"),
            "{err}"
        );
        assert!(
            err.contains("answer to \"\\u{1b}]0;pwned\\u{7}\": there is no such question"),
            "{err}"
        );
    }
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let err = load_path(Path::new("tests/fixtures/invalid/invalid_utf8.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "tests/fixtures/invalid/invalid_utf8.ron:10:25: the file is not valid UTF-8 text"
        ),
        "{err}"
    );
}

#[test]
fn a_folder_or_fifo_is_not_a_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_path(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("not a regular file; give the path of a questionnaire (.ron) file"),
        "{err}"
    );
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.ron");
        let status = Command::new("mkfifo").arg(&fifo).status();
        if status.is_ok_and(|s| s.success()) {
            let err = load_path(&fifo).unwrap_err().to_string();
            assert!(
                err.ends_with("not a regular file; give the path of a questionnaire (.ron) file"),
                "{err}"
            );
        }
    }
}

#[test]
fn escapes_in_a_hand_edited_session_are_cleaned_on_reading() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::command()
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--today",
            "2026-11-26",
            "new",
            "--name",
            "edited",
            "--questionnaire",
            BASIC,
            "--answers",
            "tests/fixtures/cli/complete.answers.ron",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.path().join("edited.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replacen(
            "note: None",
            "note: Some(\"see \\u{1b}]8;;http://evil\\u{7}here\\u{1b}]8;;\\u{7}\")",
            1,
        )
        .replacen(
            "Text(\"tiny | <b>model</b>\")",
            "Text(\"tiny\\u{1b}[2J\")",
            1,
        );
    std::fs::write(&file, text).unwrap();
    let session = aiact::session::Session::read(&file).expect("a hand-edited session still opens");
    let notes: Vec<&String> = session
        .answers
        .values()
        .filter_map(|a| a.note.as_ref())
        .collect();
    assert_eq!(notes, ["see ]8;;http://evilhere]8;;"]);
    assert_eq!(
        session.answers["name"].answer,
        Answer::Text("tiny[2J".into())
    );
    for format in ["markdown", "json", "model-card"] {
        let out = common::command()
            .args([
                "report",
                file.to_str().unwrap(),
                "--format",
                format,
                "--today",
                "2026-11-26",
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07),
            "{format} report carries an escape"
        );
    }
}

#[test]
fn no_session_command_prints_an_escape_from_a_session_file() {
    let dir = tempfile::tempdir().unwrap();
    let aiact = |args: &[&str]| common::aiact_in(dir.path(), args);
    let made = aiact(&[
        "new",
        "--name",
        "plain",
        "--questionnaire",
        BASIC,
        "--answers",
        "tests/fixtures/cli/complete.answers.ron",
    ]);
    assert_eq!(made.status.code(), Some(0));
    // A second session whose questionnaire id carries an escape sequence.
    let text = std::fs::read_to_string(dir.path().join("plain.ron")).unwrap();
    let hostile = text
        .replacen("name: \"plain\"", "name: \"hostile\"", 1)
        .replacen("id: \"basic\"", "id: \"basic\\u{1b}[31m\\u{7}\"", 1)
        .replacen("note: None", "note: Some(\"\\u{1b}]0;title\\u{7}\")", 1);
    assert!(
        hostile.contains("\\u{1b}]0;title") && hostile.contains("basic\\u{1b}"),
        "the fixture edits did not apply"
    );
    std::fs::write(dir.path().join("hostile.ron"), hostile).unwrap();
    for args in [
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["report", "hostile"],
        vec!["report", "hostile", "--format", "json"],
        vec!["recheck", "hostile"],
        vec!["diff", "plain", "hostile"],
        vec!["resume", "hostile"],
        vec!["export", "hostile", "/dev/null"],
        vec!["aggregate", dir.path().to_str().unwrap()],
        vec!["aggregate", "--format", "csv", dir.path().to_str().unwrap()],
    ] {
        let out = aiact(&args);
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.contains(&0x1b) && !stream.contains(&0x07),
                "`aiact {}` printed a control character: {}",
                args.join(" "),
                String::from_utf8_lossy(stream)
            );
        }
    }
}

#[test]
fn invalid_utf8_in_answers_and_scenarios_is_positioned_too() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("bad.answers.ron");
    std::fs::write(&answers, b"{\n  \"name\": Text(\"a\xff\"),\n}\n").unwrap();
    let err = aiact::cli::load_answers(&answers).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{}:2:18: the answers file is not valid UTF-8 text",
            answers.display()
        )),
        "{err}"
    );
    let scenario = dir.path().join("bad.scenario.ron");
    std::fs::write(&scenario, b"(questionnaire: \"b\xc3\x28\")").unwrap();
    let err = aiact::scenario::load_scenario(&scenario)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "{}:1:19: the scenario file is not valid UTF-8 text",
            scenario.display()
        )),
        "{err}"
    );
}

/// Starts `aiact --data-dir DATA --today TODAY ARGS` once per entry of
/// `runs`, all together, and waits for every one.
fn race(data: &Path, runs: &[Vec<String>]) -> Vec<std::process::Output> {
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            common::command()
                .arg("--data-dir")
                .arg(data)
                .args(["--today", common::TODAY])
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

/// The names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// Checks a race: exactly one run succeeded, every other failed with exit
/// 1 saying the name is taken. Returns the winner's index.
fn one_winner(round: usize, outputs: &[std::process::Output]) -> usize {
    let won: Vec<usize> = (0..outputs.len())
        .filter(|&i| outputs[i].status.code() == Some(0))
        .collect();
    assert_eq!(
        won.len(),
        1,
        "round {round}: {won:?} of {} won",
        outputs.len()
    );
    for o in outputs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(o.status.code(), Some(1), "{}", common::stderr(o));
        assert!(
            common::stderr(o).starts_with("a session named \"race\" already exists in"),
            "{}",
            common::stderr(o)
        );
    }
    won[0]
}

/// Issue 14.1: two `aiact new --name X` at once both said "Created" and one
/// silently replaced the other. Exactly one may win: 8 at once, 50 times.
#[test]
fn concurrent_new_processes_of_one_name_leave_exactly_one_winner() {
    let run: Vec<String> = ["new", "--name", "race", "--questionnaire", BASIC]
        .map(String::from)
        .to_vec();
    for round in 0..50 {
        let dir = tempfile::tempdir().unwrap();
        let outputs = race(dir.path(), &vec![run.clone(); 8]);
        one_winner(round, &outputs);
        assert_eq!(names_in(dir.path()), ["race.ron"], "round {round}");
    }
}

/// Issue 14.1 for `import` and `rename`, which shared the pattern.
#[test]
fn concurrent_imports_and_renames_onto_one_name_leave_exactly_one_winner() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("source");
        let data = dir.path().join("data");
        let files: Vec<String> = (0..8)
            .map(|i| {
                let name = format!("s{i}");
                let made =
                    common::aiact_in(&source, &["new", "--name", &name, "--questionnaire", BASIC]);
                assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
                source.join(format!("{name}.ron")).display().to_string()
            })
            .collect();
        // Eight different files imported as one name at once.
        let runs: Vec<Vec<String>> = files
            .iter()
            .map(|f| vec!["import".into(), f.clone(), "--as".into(), "race".into()])
            .collect();
        let outputs = race(&data, &runs);
        for o in &outputs {
            assert!(
                !common::stderr(o).starts_with("a session named")
                    || common::stderr(o)
                        .ends_with("; import it under another name with --as NEW\n"),
                "{}",
                common::stderr(o)
            );
        }
        one_winner(round, &outputs);
        assert_eq!(names_in(&data), ["race.ron"], "round {round}");

        // Eight sessions renamed to one name at once: one moves, seven stay.
        let runs: Vec<Vec<String>> = (0..8)
            .map(|i| vec!["rename".into(), format!("s{i}"), "race".into()])
            .collect();
        let outputs = race(&source, &runs);
        let winner = one_winner(round, &outputs);
        let mut expected: Vec<String> = (0..8)
            .filter(|&i| i != winner)
            .map(|i| format!("s{i}.ron"))
            .collect();
        expected.insert(0, "race.ron".into());
        expected.sort();
        assert_eq!(names_in(&source), expected, "round {round}");
    }
}

/// Audit of issue 14.4: with a lock left by a process that died, eight
/// `resume` at once each took it over, one removing another's fresh lock
/// (two said "Took over"). At most one takes it over now (another may find
/// the place already empty), and whoever is named as holding it did hold it.
#[cfg(target_os = "linux")]
#[test]
fn concurrent_resumes_take_a_stale_lock_over_once() {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    for round in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let made = common::aiact_in(
            dir.path(),
            &["new", "--name", "race", "--questionnaire", BASIC],
        );
        assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
        // A process id above the kernel's maximum: certainly not running.
        std::fs::write(
            dir.path().join("race.lock"),
            format!(
                "(host: \"{}\", pid: 4000000000, started: \"2026-11-26T08:00:00Z\")",
                host.trim()
            ),
        )
        .unwrap();
        let children: Vec<_> = (0..8)
            .map(|_| {
                common::command()
                    .arg("--data-dir")
                    .arg(dir.path())
                    .args(["--today", common::TODAY, "resume", "race"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<(u32, std::process::Output)> = children
            .into_iter()
            .map(|c| (c.id(), c.wait_with_output().unwrap()))
            .collect();
        let mut holders = Vec::new();
        let mut named = Vec::new();
        let mut took = 0;
        for (pid, o) in &outputs {
            assert_eq!(o.status.code(), Some(0), "{}", common::stderr(o));
            let out = common::stdout(o);
            took += out
                .matches("Took over a lock left by process 4000000000")
                .count();
            match out.split_once("It is open in another aiact (process ") {
                Some((_, rest)) => named.push(rest.split(' ').next().unwrap().to_string()),
                None => holders.push(pid.to_string()),
            }
        }
        assert!(took <= 1, "round {round}: {took} took it over");
        for n in &named {
            assert!(holders.contains(n), "round {round}: {n} not in {holders:?}");
        }
        assert_eq!(names_in(dir.path()), ["race.ron"], "round {round}");
    }
}

/// A session file with a questionnaire id and a note carrying C1 controls,
/// a bidi override and zero-width characters.
fn hostile_text_session(dir: &Path) {
    let made = common::aiact_in(
        dir,
        &[
            "new",
            "--name",
            "plain",
            "--questionnaire",
            BASIC,
            "--answers",
            "tests/fixtures/cli/complete.answers.ron",
        ],
    );
    assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
    let text = std::fs::read_to_string(dir.join("plain.ron")).unwrap();
    let hostile = text
        .replacen(
            "id: \"basic\"",
            "id: \"basic\\u{9b}31m\\u{9d}x\\u{202e}\"",
            1,
        )
        .replacen(
            "note: None",
            "note: Some(\"gnp.exe\\u{202e}\\u{200b}\\u{9b}2J\")",
            1,
        );
    assert!(
        hostile.contains("\\u{202e}\\u{200b}"),
        "edits did not apply"
    );
    std::fs::write(dir.join("plain.ron"), hostile).unwrap();
}

/// The raw UTF-8 of characters a terminal would act on or hide.
const HIDDEN: [&str; 5] = ["\u{9b}", "\u{9d}", "\u{202e}", "\u{200b}", "\u{2066}"];

fn assert_no_hidden(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for h in HIDDEN {
        assert!(
            !text.contains(h),
            "{what} printed U+{:04X} raw: {text:?}",
            h.chars().next().unwrap() as u32
        );
    }
}

/// Issue 14.6: C1 controls passed raw into JSON; bidi overrides and
/// zero-width characters reached the terminal from list, report and errors.
#[test]
fn no_stream_carries_c1_bidi_or_zero_width_characters() {
    let dir = tempfile::tempdir().unwrap();
    hostile_text_session(dir.path());
    for args in [
        vec!["list"],
        vec!["list", "--format", "json"],
        vec!["report", "plain"],
        vec!["report", "plain", "--format", "json"],
        vec!["report", "plain", "--format", "model-card"],
        vec!["resume", "plain"],
        vec!["recheck", "plain"],
        vec!["report", "pl\u{202e}ain\u{200b}"],
        vec!["new", "--name", "x\u{2066}y", "--questionnaire", BASIC],
    ] {
        let out = common::aiact_in(dir.path(), &args);
        assert_no_hidden(&format!("`aiact {}` (stdout)", args.join(" ")), &out.stdout);
        assert_no_hidden(&format!("`aiact {}` (stderr)", args.join(" ")), &out.stderr);
    }
    // JSON escapes them as \uXXXX, so the values survive for a program: a
    // file name carrying them is listed as it is.
    std::fs::write(dir.path().join("evil\u{9b}31m\u{202e}.ron"), "(").unwrap();
    let out = common::aiact_in(dir.path(), &["list", "--format", "json"]);
    assert_no_hidden("`aiact list --format json`", &out.stdout);
    let list = common::stdout(&out);
    assert!(
        list.contains("\"file\": \"evil\\u009b31m\\u202e.ron\""),
        "{list}"
    );
    let doc: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(doc["broken"][0]["file"], "evil\u{9b}31m\u{202e}.ron");
    let out = common::aiact_in(dir.path(), &["list"]);
    assert_no_hidden("`aiact list`", &out.stdout);
    assert!(
        common::stdout(&out).contains("BROKEN evil\\u{9b}31m\\u{202e}.ron: "),
        "{}",
        common::stdout(&out)
    );
    // Notes are cleaned of them on reading, as of other controls.
    let json = common::stdout(&common::aiact_in(
        dir.path(),
        &["report", "plain", "--format", "json"],
    ));
    assert!(json.contains("gnp.exe2J"), "{json}");
    // Text streams show them as visible escapes.
    let err = common::stderr(&common::aiact_in(dir.path(), &["report", "pl\u{202e}ain"]));
    assert!(err.contains("U+202E"), "{err}");
}

/// Issue 14.9: a huge value was echoed in full in an error message.
#[test]
fn a_huge_value_is_not_echoed_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("huge.answers.ron");
    let huge = "x".repeat(5 * 1024 * 1024);
    std::fs::write(
        &answers,
        format!("{{\n  \"kind\": Choice(\"{huge}\"),\n  \"size\": Number(\"{huge}\"),\n}}\n"),
    )
    .unwrap();
    let out = common::aiact(&[
        "run",
        "--questionnaire",
        BASIC,
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
    assert!(err.contains("…"), "{err}");
    // The same for a syntax error on a huge line: the caret's surroundings only.
    std::fs::write(&answers, format!("{{ \"name\": Text(\"{huge}\") oops }}\n")).unwrap();
    let out = common::aiact(&[
        "run",
        "--questionnaire",
        BASIC,
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
    assert!(err.contains("…"), "{err}");
    assert!(err.contains("oops"), "{err}");
}

/// Issue 14.9: session files had no size cap.
#[test]
fn a_session_file_over_the_size_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.ron");
    // Sparse: nothing is written, only the size is large.
    std::fs::File::create(&file)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let out = common::aiact_in(dir.path(), &["report", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        format!(
            "{}: the session file is 50.0 MB; aiact reads session files of up to 40 MB. It is not a session aiact wrote; restore it from a copy.\n",
            file.display()
        )
    );
    let listed = common::stdout(&common::aiact_in(dir.path(), &["list"]));
    assert!(
        listed.contains("BROKEN huge.ron: ") && listed.contains("50.0 MB"),
        "{listed}"
    );
}

/// Issue 14.8: `report -o` overwrote files and replaced links; `export`
/// replaced a dangling link.
#[cfg(unix)]
#[test]
fn report_and_export_never_replace_a_file_or_a_link_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let made = common::aiact_in(&data, &["new", "--name", "r", "--questionnaire", BASIC]);
    assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
    let existing = dir.path().join("existing.md");
    std::fs::write(&existing, "keep me").unwrap();
    let out = common::aiact_in(&data, &["report", "r", "-o", existing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        format!(
            "{}: the file exists; choose another file name, or pass --force to replace it\n",
            existing.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
    let out = common::aiact_in(
        &data,
        &["report", "r", "-o", existing.to_str().unwrap(), "--force"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        std::fs::read_to_string(&existing)
            .unwrap()
            .starts_with("# ")
    );

    // A link, dangling or not, is never written through or replaced.
    let target = dir.path().join("target.md");
    std::fs::write(&target, "the link's target").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dangling = dir.path().join("dangling.ron");
    std::os::unix::fs::symlink(dir.path().join("nowhere.ron"), &dangling).unwrap();
    for (args, path) in [
        (vec!["report", "r", "-o", link.to_str().unwrap()], &link),
        (
            vec!["report", "r", "-o", link.to_str().unwrap(), "--force"],
            &link,
        ),
        (vec!["export", "r", dangling.to_str().unwrap()], &dangling),
        (
            vec!["export", "r", dangling.to_str().unwrap(), "--force"],
            &dangling,
        ),
    ] {
        let out = common::aiact_in(&data, &args);
        assert_eq!(out.status.code(), Some(1), "`aiact {}`", args.join(" "));
        assert_eq!(
            common::stderr(&out),
            format!(
                "{}: it is a symbolic link; aiact does not write through or over links. Give another file name\n",
                path.display()
            ),
            "`aiact {}`",
            args.join(" ")
        );
        assert!(
            std::fs::symlink_metadata(path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the link's target"
    );
    assert!(!dir.path().join("nowhere.ron").exists());
}

/// Issue 14.10: a session link to another file showed that file's first line.
#[cfg(unix)]
#[test]
fn links_in_the_data_folder_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "SECRET-FIRST-LINE\nmore\n").unwrap();
    std::os::unix::fs::symlink(&secret, data.join("leak.ron")).unwrap();
    let list = common::aiact_in(&data, &["list"]);
    assert_eq!(list.status.code(), Some(0));
    assert!(
        !common::stdout(&list).contains("SECRET"),
        "{}",
        common::stdout(&list)
    );
    assert!(
        common::stdout(&list).contains(&format!(
            "BROKEN leak.ron: {}: it is a symbolic link; aiact does not follow links in its data folder",
            data.join("leak.ron").display()
        )),
        "{}",
        common::stdout(&list)
    );
    let report = common::aiact_in(&data, &["report", "leak"]);
    assert_eq!(report.status.code(), Some(1));
    assert!(
        !common::stderr(&report).contains("SECRET"),
        "{}",
        common::stderr(&report)
    );
    assert_eq!(
        common::stderr(&report),
        format!(
            "{}: it is a symbolic link; aiact does not follow links in its data folder\n",
            data.join("leak.ron").display()
        )
    );
}

/// Issue 14.11: a data folder that is a file said "it already exists".
#[test]
fn a_data_folder_that_is_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, "not a folder").unwrap();
    let out = common::aiact_in(&file, &["list"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        common::stderr(&out),
        format!(
            "{}: the data folder is a file, not a folder; pass --data-dir with a folder, or move the file away\n",
            file.display()
        )
    );
}

/// Issue 14.11: an unknown questionnaire in a session did not name the file.
#[test]
fn an_unknown_questionnaire_names_the_session_file() {
    let dir = tempfile::tempdir().unwrap();
    let made = common::aiact_in(dir.path(), &["new", "--name", "gone"]);
    assert_eq!(made.status.code(), Some(0), "{}", common::stderr(&made));
    let file = dir.path().join("gone.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("id: \"eu-ai-act-oss\"", "id: \"retired\"", 1),
    )
    .unwrap();
    for args in [vec!["report", "gone"], vec!["resume", "gone"]] {
        let out = common::aiact_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            common::stderr(&out),
            format!(
                "{}: the session uses the questionnaire \"retired\", which this aiact does not ship; `aiact questionnaires` lists those it does\n",
                file.display()
            ),
            "`aiact {}`",
            args.join(" ")
        );
    }
}
