//! Every invalid questionnaire fixture is rejected with exactly the message in
//! its `.expected` file, and the valid fixtures load.

use std::path::Path;

use aiact::questionnaire::load_path;

#[test]
fn every_invalid_fixture_gives_its_exact_message() {
    let dir = Path::new("tests/fixtures/invalid");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
    {
        let expected_path = path.with_extension("expected");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", path.display()));
        let shown = format!(
            "tests/fixtures/invalid/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        let err = match load_path(Path::new(&shown)) {
            Ok(_) => panic!("{shown} was accepted"),
            Err(e) => e,
        };
        assert_eq!(
            err.to_string().trim_end(),
            expected.trim_end(),
            "message for {shown}"
        );
        assert_eq!(err.exit_code(), 1, "exit code for {shown}");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures found");
}

#[test]
fn valid_fixtures_load() {
    for entry in std::fs::read_dir("tests/fixtures/valid").unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "ron") {
            load_path(&path).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn bom_and_crlf_are_accepted() {
    let src = std::fs::read_to_string("tests/fixtures/valid/basic.ron").unwrap();
    let crlf = format!("\u{feff}{}", src.replace('\n', "\r\n"));
    let q = aiact::questionnaire::load_str("crlf.ron", &crlf).expect("BOM and CRLF accepted");
    let plain = aiact::questionnaire::load_str("plain.ron", &src).unwrap();
    assert_eq!(q.logic_hash, plain.logic_hash);
    assert_eq!(q.text_hash, plain.text_hash);
}
