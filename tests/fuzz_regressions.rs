//! Fuzz findings and tricky inputs, replayed on stable: every file in
//! `tests/fixtures/fuzz/<target>/` goes through exactly the code the fuzz
//! target of that name runs (`fuzz/drive.rs`, shared with the fuzz crate)
//! and must come back without panicking (how fast is for the fuzzer's own
//! time limit and the load benches, not a test's clock). Where a file has a
//! sibling `<name>.expected`, that file holds the first line of the expected
//! error (or `ok` when the input must be accepted).

use std::path::Path;

#[path = "../fuzz/drive.rs"]
mod drive;

fn replay(target: &str, run: fn(&str) -> aiact::Result<()>) {
    let dir = Path::new("tests/fixtures/fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "expected"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no inputs", dir.display());
    let mut wrong = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        // The fuzz targets feed only UTF-8 text to the loaders, as the
        // path-based readers refuse anything else before parsing.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let got = match run(text) {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_string().lines().next().unwrap_or("").to_string(),
        };
        let expected = file.with_file_name(format!(
            "{}.expected",
            file.file_name().unwrap().to_string_lossy()
        ));
        if let Ok(want) = std::fs::read_to_string(&expected)
            && got != want.trim_end()
        {
            wrong.push(format!(
                "{}:\n  expected: {}\n       got: {got}",
                file.display(),
                want.trim_end()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "unexpected outcomes:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn questionnaire_inputs_never_panic() {
    replay("questionnaire", drive::questionnaire);
}

#[test]
fn session_inputs_never_panic() {
    replay("session", drive::session);
}

#[test]
fn answers_inputs_never_panic() {
    replay("answers", drive::answers);
}

#[test]
fn scenario_inputs_never_panic() {
    replay("scenario", drive::scenario);
}

/// Found while fuzzing `answers`: a magnitude suffix added to an exponent
/// near `i32::MAX` overflowed (a panic in debug builds; in release it
/// wrapped round, so an absurdly large compute was read as 0 FLOP).
#[test]
fn a_suffix_never_wraps_a_huge_exponent_round() {
    use aiact::answers::{NumberError, parse_number};
    assert_eq!(
        parse_number("1e2147483647T"),
        Err(NumberError::NotFinite("1e2147483647T".to_string()))
    );
    assert_eq!(parse_number("1e-2147483648k"), Ok(0.0));
    assert_eq!(parse_number("2e10T"), Ok(2e22));
}
