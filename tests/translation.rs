//! Translations: a questionnaire's texts in another language, in a file
//! beside it keyed by ids, for the same logic hash (questionnaires/README.md,
//! "Translations").

mod common;

use std::path::Path;

use aiact::questionnaire::{self, Questionnaire, translation};
use common::{aiact, aiact_in, ok, stderr, stdout};

const DIR: &str = "tests/fixtures/translation";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn tree() -> Questionnaire {
    questionnaire::load_path(Path::new(&fixture("tree.ron"))).expect("tree.ron is valid")
}

fn german() -> (Questionnaire, Vec<String>) {
    let t = translation::read(Path::new(&fixture("tree.de.ron"))).expect("parses");
    translation::apply(tree(), t, &fixture("tree.de.ron")).expect("applies")
}

#[test]
fn applying_gives_german_texts_and_keeps_the_logic_hash() {
    let en = tree();
    let (de, missing) = german();
    assert_eq!(de.logic_hash, en.logic_hash);
    assert_ne!(de.text_hash, en.text_hash);
    assert_eq!(de.meta.language, "de");
    assert_eq!(de.meta.title, "Ein Modell teilen");
    let kind = de.question("kind").unwrap();
    assert_eq!(kind.def.prompt, "Was teilen Sie?");
    assert_eq!(kind.options[0].label, "Ein Modell");
    assert_eq!(
        kind.options[1].what_if.as_deref(),
        Some("einen Datensatz geteilt hätten")
    );
    // Left out of the translation: the original is kept, and said so.
    assert_eq!(kind.def.facilitator_notes, "Take your time.");
    assert_eq!(
        missing,
        [
            "question.kind.facilitator_notes",
            "question.kind.discussion.1",
            "question.kind.discussion.2"
        ]
    );
    // Pinpoints are cited as written; the implied yes/no are the app's
    // words, in the translation's language.
    assert_eq!(kind.def.citations[0].pinpoint, "Art 1(2)");
    assert_eq!(de.question("public").unwrap().options[0].label, "Ja");
    let docs = de.outcome("duty.docs").unwrap();
    assert_eq!(docs.def.summary, "Halten Sie eine Dokumentation bereit.");
    assert_eq!(
        de.outcome("advice.card").unwrap().def.no_source.as_deref(),
        Some("Das ist unser Rat.")
    );
    assert_eq!(de.facts[0].def.holds, "Das Modell ist groß");
    assert_eq!(de.sections[0].title, "Über das Modell");
    // Only texts changed: the routing and conditions are the same values.
    assert_eq!(de.successors, en.successors);
    assert_eq!(de.outcomes[0].cond, en.outcomes[0].cond);
    assert_eq!(
        de.translation.as_ref().map(|t| t.language.as_str()),
        Some("de")
    );
}

#[test]
fn keys_skip_pinpoints_and_implied_options() {
    let keys: Vec<String> = translation::texts(&tree())
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert!(keys.contains(&"question.size.estimate.input.tokens.label".to_string()));
    assert!(keys.contains(&"outcome.advice.card.no_source".to_string()));
    assert!(!keys.iter().any(|k| k.contains("pinpoint")));
    assert!(!keys.iter().any(|k| k.starts_with("question.public.option")));
    // Empty texts have no key: there is nothing to translate.
    assert!(!keys.contains(&"question.size.help".to_string()));
}

/// The template applies as it is, translating nothing: every text is the
/// original and none is reported missing. Checked for the fixtures and
/// every shipped questionnaire.
#[test]
fn the_template_round_trips() {
    let mut all = vec![tree()];
    all.push(questionnaire::load_path(Path::new("tests/fixtures/valid/basic.ron")).unwrap());
    for (id, _, _) in questionnaire::SHIPPED {
        all.push(questionnaire::load_shipped(id).unwrap().unwrap());
    }
    for q in all {
        // In the questionnaire's own language, so the implied yes/no
        // options (the app's words) keep their labels too.
        let text = translation::template(&q, &q.meta.language);
        let t = translation::parse("template.de.ron", &text).expect("the template parses");
        assert_eq!(t.translation_of, q.meta.id);
        assert_eq!(t.logic_hash, q.logic_hash);
        let (back, missing) = translation::apply(q.clone(), t, "template.de.ron")
            .unwrap_or_else(|e| panic!("{}: {e}", q.meta.id));
        assert!(missing.is_empty(), "{}: {missing:?}", q.meta.id);
        assert_eq!(translation::texts(&back), translation::texts(&q));
        assert_eq!(back.questions, q.questions, "{}", q.meta.id);
        assert_eq!(back.outcomes, q.outcomes, "{}", q.meta.id);
        assert_eq!(back.logic_hash, q.logic_hash);
    }
}

#[test]
fn the_template_command_prints_every_key() {
    let out = ok(&aiact(&[
        "translation-template",
        &fixture("tree.ron"),
        "--language",
        "de",
    ]));
    let q = tree();
    assert!(out.contains("    translation_of: \"tree\",\n"));
    assert!(out.contains("    language: \"de\",\n"));
    assert!(out.contains(&format!("    logic_hash: \"{}\",\n", q.logic_hash)));
    for (key, text) in translation::texts(&q) {
        assert!(out.contains(&format!("\"{key}\": \"{text}\",")), "{key}");
    }
    let o = aiact(&["translation-template", &fixture("tree.ron")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("translation-template needs --language LANG"));
}

#[test]
fn validate_recognises_a_translation_and_warns_about_missing_texts() {
    let o = aiact(&["validate", &fixture("tree.de.ron")]);
    assert_eq!(
        stdout(&o),
        "tests/fixtures/translation/tree.de.ron: ok — translation of \"tree\" (Ein Modell teilen 1.0.0) into de, 41 of 44 texts translated\n"
    );
    assert_eq!(
        stderr(&o),
        "aiact: warning: tests/fixtures/translation/tree.de.ron: 3 texts are not translated into \"de\" yet (the original is shown): question.kind.facilitator_notes, question.kind.discussion.1, question.kind.discussion.2\n"
    );
    assert_eq!(o.status.code(), Some(0));
}

/// Each invalid translation fails `validate` with exit 1 and exactly this
/// message: every problem at once, by key and line.
#[test]
fn invalid_translations_have_exact_messages() {
    const HINT: &str = "Fix these and run `aiact validate` on the translation again; questionnaires/README.md (Translations) describes the format.\n";
    let cases: [(&str, String); 4] = [
        (
            "tree.wrong-hash.ron",
            format!(
                "tests/fixtures/translation/tree.wrong-hash.ron: 1 problem in this translation:\n  tests/fixtures/translation/tree.wrong-hash.ron:5: logic_hash: this translation was made for another version of the questionnaire (logic hash 000000000000…); update it: check the texts of the questions that changed, then set logic_hash to \"{}\"\n{HINT}",
                tree().logic_hash
            ),
        ),
        (
            "tree.unknown-key.ron",
            format!(
                "tests/fixtures/translation/tree.unknown-key.ron: 4 problems in this translation:\n  tests/fixtures/translation/tree.unknown-key.ron:9: key \"question.licence.prompt\": names no text of the questionnaire; check its ids (`aiact translation-template` lists every key)\n  tests/fixtures/translation/tree.unknown-key.ron:10: key \"question.size.help\": names no text of the questionnaire; check its ids (`aiact translation-template` lists every key)\n  tests/fixtures/translation/tree.unknown-key.ron:11: key \"question.public.option.yes.label\": names no text of the questionnaire; check its ids (`aiact translation-template` lists every key)\n  tests/fixtures/translation/tree.unknown-key.ron:12: key \"title\": is given twice (first on line 8); keep one\n{HINT}"
            ),
        ),
        (
            "tree.other-id.ron",
            format!(
                "tests/fixtures/translation/tree.other-id.ron: 2 problems in this translation:\n  tests/fixtures/translation/tree.other-id.ron:2: translation_of: is \"basic\", but the questionnaire's id is \"tree\": this is a translation of another questionnaire\n  tests/fixtures/translation/tree.other-id.ron:7: key \"disclaimer\": contains control character U+001B at character 9; escape sequences and control characters are not allowed in text\n{HINT}"
            ),
        ),
        (
            "tree.syntax.ron",
            "tests/fixtures/translation/tree.syntax.ron:7:9: expected a comma here (between fields or list items)\n          \"description\": \"Wo ein geteiltes Modell steht.\",\n          ^\nSee questionnaires/README.md, section \"Translations\", for the translation format.\n"
                .to_string(),
        ),
    ];
    for (file, expected) in cases {
        let o = aiact(&["validate", &fixture(file)]);
        assert_eq!(stderr(&o), expected, "{file}");
        assert_eq!(o.status.code(), Some(1), "{file}");
        assert_eq!(stdout(&o), "", "{file}");
    }
}

#[test]
fn run_with_a_language_prints_the_translated_content() {
    let o = aiact(&[
        "--today",
        common::TODAY,
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--language",
        "de",
    ]);
    let out = ok(&o);
    for german in [
        "# Ein Modell teilen",
        "Das Modell dokumentieren",
        "Halten Sie eine Dokumentation bereit.",
        "Weil es ein großes öffentliches Modell ist.",
        "Das Modell ist groß",
        "Nur ein Test.",
    ] {
        assert!(out.contains(german), "missing {german:?} in:\n{out}");
    }
    assert!(!out.contains("Document the model"), "{out}");
    assert!(
        stderr(&o).contains("3 texts are not translated into \"de\" yet"),
        "{}",
        stderr(&o)
    );
    // The results are those of the original.
    let en = ok(&aiact(&[
        "--today",
        common::TODAY,
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--format",
        "json",
    ]));
    let de = ok(&aiact(&[
        "--today",
        common::TODAY,
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--format",
        "json",
        "--language",
        "de",
    ]));
    let ids = |json: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut ids: Vec<String> = v["outcomes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    };
    assert_eq!(ids(&en), ids(&de));
}

#[test]
fn a_missing_translation_names_the_path_looked_at() {
    let o = aiact(&[
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--language",
        "fr",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "tests/fixtures/translation/tree.fr.ron: no translation of \"tests/fixtures/translation/tree.ron\" into \"fr\": this file does not exist. Make one with `aiact translation-template tests/fixtures/translation/tree.ron --language fr`.\n"
    );
    // The questionnaire's own language needs no file.
    ok(&aiact(&[
        "--today",
        common::TODAY,
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--language",
        "en",
    ]));
    // A language code is never a path.
    let o = aiact(&[
        "run",
        "--questionnaire",
        &fixture("tree.ron"),
        "--answers",
        &fixture("model.answers.ron"),
        "--language",
        "../x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a language code"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn language_is_refused_where_it_would_be_ignored() {
    let data = tempfile::tempdir().unwrap();
    let o = aiact_in(data.path(), &["list", "--language", "de"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--language has no effect on list"));
}

/// A session answered in English resumes in German (and back) with every
/// answer kept: the logic hash is the same, so nothing is re-checked or set
/// aside. Its language is recorded, so it reopens in the one last used.
#[test]
fn sessions_move_between_languages_keeping_every_answer() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(&aiact_in(
        d,
        &[
            "new",
            "--name",
            "s",
            "--questionnaire",
            &fixture("tree.ron"),
            "--answers",
            &fixture("partial.answers.ron"),
        ],
    ));
    let before = std::fs::read_to_string(d.join("s.ron")).unwrap();

    let out = ok(&aiact_in(d, &["resume", "s", "--language", "de"]));
    assert!(
        out.contains("1 of 3 questions on its path answered"),
        "{out}"
    );
    assert!(
        out.contains("Next: Wie viel Rechenleistung hat das Training gebraucht? (size)"),
        "{out}"
    );
    for calm in ["set aside", "changed", "wording"] {
        assert!(!out.contains(calm), "{calm}: {out}");
    }

    let report = ok(&aiact_in(d, &["report", "s", "--language", "de"]));
    assert!(report.contains("Ein Modell"), "{report}");
    assert!(
        report.contains("Was teilen Sie?") || report.contains("Art"),
        "{report}"
    );

    // recheck saves the session in German: it records the translation.
    let out = ok(&aiact_in(d, &["recheck", "s", "--language", "de"]));
    assert!(!out.contains("set aside"), "{out}");
    let saved = std::fs::read_to_string(d.join("s.ron")).unwrap();
    assert!(saved.contains("language: \"de\""), "{saved}");
    let session = aiact::session::Session::from_ron("s.ron", &saved).unwrap();
    let old = aiact::session::Session::from_ron("s.ron", &before).unwrap();
    assert_eq!(session.answers, old.answers);
    assert!(session.set_aside.is_empty());
    assert_eq!(session.questionnaire.logic_hash, tree().logic_hash);

    // Without --language it reopens in German; --language en goes back.
    let out = ok(&aiact_in(d, &["resume", "s"]));
    assert!(out.contains("Next: Wie viel Rechenleistung"), "{out}");
    let out = ok(&aiact_in(d, &["resume", "s", "--language", "en"]));
    assert!(
        out.contains("Next: How much compute did training use?"),
        "{out}"
    );
    assert!(
        out.contains("1 of 3 questions on its path answered"),
        "{out}"
    );
    assert!(!out.contains("set aside"), "{out}");

    // A session file written before translations existed still loads.
    assert!(!before.contains("translation: Some"));
}

#[test]
fn a_session_made_in_german_resumes_in_english() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let o = aiact_in(
        d,
        &[
            "new",
            "--name",
            "g",
            "--questionnaire",
            &fixture("tree.ron"),
            "--answers",
            &fixture("model.answers.ron"),
            "--language",
            "de",
        ],
    );
    ok(&o);
    assert!(stderr(&o).contains("not translated into \"de\" yet"));
    let report = ok(&aiact_in(d, &["report", "g"]));
    assert!(report.contains("Das Modell dokumentieren"), "{report}");
    let report = ok(&aiact_in(d, &["report", "g", "--language", "en"]));
    assert!(report.contains("Document the model"), "{report}");
    let out = ok(&aiact_in(d, &["recheck", "g", "--language", "en"]));
    assert!(out.contains("No outcome changed."), "{out}");
    let saved = std::fs::read_to_string(d.join("g.ron")).unwrap();
    let s = aiact::session::Session::from_ron("g.ron", &saved).unwrap();
    assert_eq!(s.answers.len(), 3);
    assert!(s.set_aside.is_empty());
    assert!(s.questionnaire.translation.is_none());
}

/// The session keeps a copy of its translation, as it keeps the
/// questionnaire's text: when the file beside is gone, the copy is used.
#[test]
fn a_session_keeps_its_translation_when_the_file_is_gone() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("q");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("tree.ron"), dir.join("tree.ron")).unwrap();
    std::fs::copy(fixture("tree.de.ron"), dir.join("tree.de.ron")).unwrap();
    let data = work.path().join("data");
    let q = dir.join("tree.ron").display().to_string();
    ok(&aiact_in(
        &data,
        &[
            "new",
            "--name",
            "k",
            "--questionnaire",
            &q,
            "--answers",
            &fixture("partial.answers.ron"),
            "--language",
            "de",
        ],
    ));
    std::fs::remove_file(dir.join("tree.de.ron")).unwrap();
    let out = ok(&aiact_in(&data, &["resume", "k"]));
    assert!(out.contains("Next: Wie viel Rechenleistung"), "{out}");
    let out = ok(&aiact_in(&data, &["resume", "k", "--language", "de"]));
    assert!(out.contains("Next: Wie viel Rechenleistung"), "{out}");
}
