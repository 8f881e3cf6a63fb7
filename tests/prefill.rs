//! Pre-answers from a component's own files (`aiact new --from DIR`, `run
//! --from`): model and dataset cards, licence texts, config.json and
//! safetensors headers in the small repository folders under
//! `tests/fixtures/repos`, read through the shipped questionnaire's `prefill`
//! rules (the content's own tests). A pre-filled and confirmed assessment
//! reaches the same outcomes as one typed by hand.

mod common;

use std::path::Path;

use aiact::answers::{Answer, Answers};
use aiact::engine::evaluate;
use aiact::prefill::from_dir;
use aiact::questionnaire::{Questionnaire, load_shipped};
use jiff::civil::{Date, date};

const TODAY: Date = date(2026, 12, 4);

fn eu() -> Questionnaire {
    load_shipped("eu-ai-act-oss").unwrap().unwrap()
}

fn repo(name: &str) -> std::path::PathBuf {
    Path::new("tests/fixtures/repos").join(name)
}

fn choice(id: &str) -> Answer {
    Answer::Choice(id.into())
}

#[test]
fn an_open_model_card_licence_and_weights_pre_answer_six_questions() {
    let p = from_dir(&eu(), &repo("open-llm"), TODAY).unwrap();
    assert_eq!(p.answers.get("component"), Some(&choice("gpai_model")));
    assert_eq!(p.answers.get("licence"), Some(&choice("mit")));
    assert_eq!(
        p.answers.get("modality"),
        Some(&Answer::Choices(vec!["text".into()]))
    );
    assert_eq!(
        p.answers.get("openness"),
        Some(&Answer::Choices(vec![
            "weights".into(),
            "architecture".into(),
            "usage".into()
        ]))
    );
    // 32000 × 2048 + 256 × 2048 × 2048 tensor elements in the header.
    assert_eq!(
        p.answers.get("params"),
        Some(&Answer::Number("1.139277824e9".into()))
    );
    let Some(Answer::Number(compute)) = p.answers.get("compute") else {
        panic!("compute is estimated: {:?}", p.answers);
    };
    let flop: f64 = compute.parse().unwrap();
    assert!(
        (flop - 6.0 * 1_139_277_824.0 * 3e12).abs() < 1e12,
        "{compute}"
    );
    // Every pre-answer names its file and field.
    assert!(p.sources["licence"].contains("README.md, front matter `license`: mit"));
    assert!(p.sources["params"].contains("model.safetensors header"));
    assert!(
        p.sources["component"].contains("Art 3(63)"),
        "the caution comes along"
    );
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn a_custom_licence_is_not_sure_with_the_reason_never_a_guess() {
    let p = from_dir(&eu(), &repo("custom-licence-fine-tune"), TODAY).unwrap();
    assert_eq!(p.answers.get("licence"), Some(&Answer::NotSure));
    assert!(
        p.sources["licence"].contains("“other” is not a value aiact can map"),
        "{:?}",
        p.sources
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("LICENSE: not a licence text aiact recognises")),
        "{:?}",
        p.notes
    );
    assert_eq!(p.answers.get("modifies"), Some(&choice("yes")));
    assert_eq!(
        p.answers.get("modality"),
        Some(&Answer::Choices(vec!["image".into()]))
    );
}

#[test]
fn a_dataset_card_says_dataset_and_its_licence() {
    let p = from_dir(&eu(), &repo("dataset-card"), TODAY).unwrap();
    assert_eq!(p.answers.get("component"), Some(&choice("dataset")));
    assert_eq!(p.answers.get("licence"), Some(&choice("cc-by-4.0")));
}

#[test]
fn a_broken_card_and_a_binary_licence_are_named_and_the_rest_still_works() {
    let p = from_dir(&eu(), &repo("broken-card"), TODAY).unwrap();
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("README.md:3:13: the front matter is not valid YAML")),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes
            .contains(&"LICENSE: a binary file, not text; not read".to_string()),
        "{:?}",
        p.notes
    );
    assert_eq!(p.answers.get("params"), Some(&Answer::Number("7e9".into())));
    assert!(p.sources["params"].contains("config.json: 7B parameters"));
}

#[cfg(unix)]
#[test]
fn links_out_of_the_folder_and_huge_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\nlicense: mit\n---\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("README.md")).unwrap();
    std::fs::write(dir.path().join("LICENSE"), "x".repeat(2 * 1024 * 1024)).unwrap();
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert!(p.answers.is_empty(), "{:?}", p.answers);
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("README.md: a link that leads outside the folder")),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("LICENSE: 2.0 MB is too large")),
        "{:?}",
        p.notes
    );
    // A folder that is not there is an error naming it.
    let e = from_dir(&eu(), &dir.path().join("missing"), TODAY).unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
}

/// What a person answers by hand after the pre-answers (for open-llm).
fn typed_rest() -> Answers {
    let text = std::fs::read_to_string("tests/fixtures/repos/open-llm.rest.answers.ron").unwrap();
    aiact::questionnaire::source::parse_text("rest", &text, "answers file").unwrap()
}

#[test]
fn prefilled_then_confirmed_reaches_the_outcomes_typed_by_hand() {
    let q = eu();
    let p = from_dir(&q, &repo("open-llm"), TODAY).unwrap();
    let mut merged = p.answers.clone();
    merged.extend(typed_rest());
    let by_hand: Answers = aiact::cli::load_answers(Path::new(
        "tests/fixtures/repos/open-llm.by-hand.answers.ron",
    ))
    .unwrap();
    let a = evaluate(&q, &merged, TODAY);
    let b = evaluate(&q, &by_hand, TODAY);
    assert!(a.is_complete() && b.is_complete());
    assert_eq!(a.statuses(&q), b.statuses(&q));
    assert!(!a.statuses(&q).is_empty());
}

#[test]
fn new_from_a_folder_marks_each_pre_answer_until_confirmed_in_the_app() {
    use aiact::tui::app::{App, Msg, Screen};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let data = tempfile::tempdir().unwrap();
    let out = common::aiact_in(
        data.path(),
        &[
            "new",
            "--name",
            "tiny",
            "--from",
            "tests/fixtures/repos/open-llm",
        ],
    );
    let shown = common::ok(&out);
    assert!(shown.contains("6 answers pre-filled"), "{shown}");
    let store = aiact::session::Store::open(data.path()).unwrap();
    let s = store.load("tiny").unwrap();
    assert_eq!(s.prefilled.len(), 6);
    assert!(s.prefilled["licence"].contains("front matter `license`"));
    // In the app: the first pre-answer waits to be confirmed, with its source.
    let q = eu();
    let mut app = App::new(q.clone(), s.answers(), TODAY);
    app.handle(Msg::Opened(Box::new(aiact::tui::Opened {
        session: s,
        questionnaire: q,
        read_only: None,
        notice: None,
    })));
    assert_eq!(app.screen(), Screen::Question(0), "component comes first");
    assert!(app.prefilled("component").is_some());
    let enter =
        |app: &mut App| app.handle(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    enter(&mut app);
    assert!(app.prefilled("component").is_none(), "Enter confirms it");
    assert_eq!(app.answer("component"), Some(&choice("gpai_model")));
    assert_eq!(app.session().prefilled.len(), 5);
}

/// The same folder read through another questionnaire's rules: the mapping
/// lives in the content, not in the engine.
#[test]
fn the_model_openness_questionnaire_has_its_own_prefill_rules() {
    let q = load_shipped("model-openness").unwrap().unwrap();
    let p = from_dir(&q, &repo("open-llm"), TODAY).unwrap();
    assert_eq!(
        p.answers.get("published_data"),
        Some(&Answer::Choices(vec!["final_parameters".into()]))
    );
    assert_eq!(
        p.answers.get("weights_licence"),
        Some(&choice("open_other"))
    );
    assert_eq!(
        p.answers.get("published_docs"),
        Some(&Answer::Choices(vec!["model_card".into()]))
    );
    assert!(
        !p.answers.contains_key("published_code"),
        "no code files in the folder"
    );
}

/// A few hundred bytes of YAML aliases can expand to gigabytes: front
/// matter with an alias is not expanded, it is named in a note.
#[test]
fn yaml_aliases_in_a_card_are_refused_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .windows(2)
        .map(|w| (w[0], w[1]))
    {
        yaml.push_str(&format!(
            "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    yaml.push_str("license: mit\n---\n");
    std::fs::write(dir.path().join("README.md"), yaml).unwrap();
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert!(!p.answers.contains_key("licence"), "{:?}", p.answers);
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("README.md:3:") && n.contains("YAML alias")),
        "{:?}",
        p.notes
    );
}
