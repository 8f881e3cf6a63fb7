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
    // Both reasons are shown: the card's `license: other` with its
    // `license_name`, and the licence text aiact does not recognise.
    let why = &p.sources["licence"];
    assert!(
        why.contains(
            "front matter `license`: other, `license_name`: example-community-licence (“other” is not a value aiact can map"
        ),
        "{why}"
    );
    assert!(
        why.contains("LICENSE: a licence text (not one aiact recognises: the closest,"),
        "{why}"
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
    assert!(
        p.sources["params"].contains("config.json `num_parameters`: 7B parameters"),
        "{:?}",
        p.sources
    );
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

/// The fixture folders: each has `<name>.by-hand.answers.ron` beside it.
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("tests/fixtures/repos")
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Same answers, numbers compared as numbers (`1139277824` = `1.139277824e9`).
fn same_answers(q: &Questionnaire, a: &Answers, b: &Answers) -> Result<(), String> {
    let keys = |x: &Answers| x.keys().cloned().collect::<Vec<_>>();
    if keys(a) != keys(b) {
        return Err(format!("questions differ: {:?} vs {:?}", keys(a), keys(b)));
    }
    for (id, x) in a {
        let y = &b[id];
        let same = match (x, y) {
            (Answer::Number(s), Answer::Number(t)) => {
                let (s, t) = (
                    aiact::answers::parse_number(s).unwrap(),
                    aiact::answers::parse_number(t).unwrap(),
                );
                (s - t).abs() <= 1e-9 * s.abs().max(t.abs())
            }
            (Answer::Choices(s), Answer::Choices(t)) => {
                let (mut s, mut t) = (s.clone(), t.clone());
                s.sort();
                t.sort();
                s == t
            }
            _ => x == y,
        };
        if !same {
            let question = q.question(id).unwrap();
            return Err(format!(
                "{id}: {} vs {}",
                question.describe(x),
                question.describe(y)
            ));
        }
    }
    Ok(())
}

/// For every fixture folder: `new --from` pre-fills a session, the rest is
/// typed as by hand, and each pre-answer is confirmed in the real app with
/// Enter — or, where it is "not sure", settled with the arrow keys as the
/// person would. The session's answers and outcomes must then be those of the
/// answers written by hand from the card.
#[test]
fn every_fixture_prefilled_then_confirmed_in_the_app_equals_its_answers_typed_by_hand() {
    use aiact::tui::app::{App, Msg, Row, Screen};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |app: &mut App, code| app.handle(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    let q = eu();
    let names = fixtures();
    assert!(names.len() >= 4, "{names:?}");
    for name in &names {
        let file = format!("tests/fixtures/repos/{name}.by-hand.answers.ron");
        let by_hand = aiact::cli::load_answers(Path::new(&file))
            .unwrap_or_else(|e| panic!("{name}: every fixture has {file}: {e}"));
        let data = tempfile::tempdir().unwrap();
        let store = aiact::session::Store::open(data.path()).unwrap();
        let now = jiff::Timestamp::from_second(1_790_000_000).unwrap();
        let (_, mut s, _) = aiact::assessment::create_new(
            &store,
            Some(name),
            &q,
            None,
            Some(&repo(name)),
            now,
            TODAY,
        )
        .unwrap();
        assert!(!s.prefilled.is_empty(), "{name}: something is pre-filled");
        // What the card does not say, typed by hand.
        for (id, a) in &by_hand {
            if !s.prefilled.contains_key(id) {
                s.set_answer(id, a.clone(), now);
            }
        }
        let mut app = App::new(q.clone(), s.answers(), TODAY);
        app.handle(Msg::Opened(Box::new(aiact::tui::Opened {
            session: s,
            questionnaire: q.clone(),
            read_only: None,
            notice: None,
        })));
        let mut steps = 0;
        while let Screen::Question(qi) = app.screen() {
            steps += 1;
            assert!(steps < 200, "{name}: the app never reaches the results");
            let id = q.questions[qi].id();
            if app.overlay().is_none()
                && app.answer(id) == Some(&Answer::NotSure)
                && let Some(Answer::Choice(want)) = by_hand.get(id)
            {
                // "Not sure" with its reason: the person picks the answer.
                let o = q.questions[qi].option_index(want).unwrap();
                let rows = app.rows(qi);
                let target = rows.iter().position(|r| *r == Row::Option(o)).unwrap();
                while app.selected() > target {
                    key(&mut app, KeyCode::Up);
                }
                while app.selected() < target {
                    key(&mut app, KeyCode::Down);
                }
            }
            key(&mut app, KeyCode::Enter);
        }
        let ev = app.evaluation();
        let unconfirmed: Vec<&str> = ev
            .path
            .iter()
            .map(|&i| q.questions[i].id())
            .filter(|id| app.prefilled(id).is_some())
            .collect();
        assert!(unconfirmed.is_empty(), "{name}: {unconfirmed:?}");
        let got = aiact::engine::effective_answers(&q, &app.session().answers(), ev);
        let want_ev = evaluate(&q, &by_hand, TODAY);
        let want = aiact::engine::effective_answers(&q, &by_hand, &want_ev);
        if let Err(e) = same_answers(&q, &got, &want) {
            panic!("{name}: {e}");
        }
        assert!(ev.is_complete() && want_ev.is_complete(), "{name}");
        assert_eq!(ev.statuses(&q), want_ev.statuses(&q), "{name}");
        assert!(!ev.statuses(&q).is_empty(), "{name}");
    }
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

/// Writes `files` (path relative to `dir`, text) into `dir`.
fn write_all(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A safetensors file holding only a header with tensors of these shapes.
fn safetensors(path: &Path, shapes: &[&[u64]]) {
    let tensors: Vec<String> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let dims: Vec<String> = s.iter().map(u64::to_string).collect();
            format!(
                r#""t{i}":{{"dtype":"F16","shape":[{}],"data_offsets":[0,0]}}"#,
                dims.join(",")
            )
        })
        .collect();
    let header = format!(
        r#"{{"__metadata__":{{"format":"pt"}},{}}}"#,
        tensors.join(",")
    );
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const CUSTOM_LICENCE: &str =
    "Example Community Licence\n\nYou may use this model for any purpose that is not commercial.\n";

#[test]
fn an_unrecognised_licence_text_alone_is_not_sure_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            (
                "README.md",
                "---\npipeline_tag: text-generation\n---\n# A model\n",
            ),
            ("LICENSE", CUSTOM_LICENCE),
        ],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert_eq!(p.answers.get("licence"), Some(&Answer::NotSure), "{p:?}");
    let why = &p.sources["licence"];
    assert!(
        why.starts_with("LICENSE: a licence text (not one aiact recognises: the closest, ")
            && why.ends_with("answered “not sure”)"),
        "{why}"
    );
}

#[test]
fn a_recognised_card_licence_wins_over_an_unrecognised_text_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            ("README.md", "---\nlicense: mit\n---\n"),
            ("LICENSE", CUSTOM_LICENCE),
        ],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert_eq!(p.answers.get("licence"), Some(&choice("mit")));
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("LICENSE: a licence text") && n.contains("kept the earlier one")),
        "{:?}",
        p.notes
    );
}

#[test]
fn tags_answer_the_component_and_modification_with_a_caution() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[(
            "README.md",
            "---\nlicense: apache-2.0\ntags:\n  - en\n  - LoRA\n  - text-generation\n---\n",
        )],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert_eq!(p.answers.get("component"), Some(&choice("gpai_model")));
    let why = &p.sources["component"];
    assert!(
        why.starts_with("README.md, front matter `tags` (“text-generation”). A tag says"),
        "{why}"
    );
    assert_eq!(p.answers.get("modifies"), Some(&choice("yes")), "{p:?}");
    assert!(
        p.sources["modifies"].contains("(“LoRA”)"),
        "{:?}",
        p.sources
    );
}

#[test]
fn tags_that_mean_nothing_to_the_rules_give_no_pre_answer_and_mixed_ones_not_sure() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[(
            "README.md",
            "---\ntags: [en, safetensors, custom_code]\n---\n",
        )],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert!(
        !p.answers.contains_key("component") && !p.answers.contains_key("modifies"),
        "{p:?}"
    );

    write_all(
        dir.path(),
        &[(
            "README.md",
            "---\ntags: [text-generation, image-classification]\n---\n",
        )],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert_eq!(p.answers.get("component"), Some(&Answer::NotSure));
    assert!(
        p.sources["component"].contains(
            "(“text-generation, image-classification” point to different answers; answered “not sure”)"
        ),
        "{:?}",
        p.sources
    );
}

fn params(dir: &Path) -> (Option<Answer>, aiact::prefill::Prefilled) {
    let p = from_dir(&eu(), dir, TODAY).unwrap();
    (p.answers.get("params").cloned(), p)
}

#[test]
fn a_consolidated_file_and_its_shards_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    safetensors(&d.join("model.safetensors"), &[&[1000, 1000]]);
    safetensors(&d.join("model-00001-of-00002.safetensors"), &[&[500, 1000]]);
    safetensors(&d.join("model-00002-of-00002.safetensors"), &[&[1000, 500]]);
    let (n, p) = params(d);
    assert_eq!(n, Some(Answer::Number("1e6".into())), "{p:?}");
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn an_index_is_preferred_and_its_shards_are_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    safetensors(&d.join("model-00001-of-00002.safetensors"), &[&[500, 1000]]);
    safetensors(&d.join("model-00002-of-00002.safetensors"), &[&[1000, 500]]);
    // The index's weight_map names each shard many times.
    write_all(
        d,
        &[(
            "model.safetensors.index.json",
            r#"{"metadata":{"total_size":2000000},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}"#,
        )],
    );
    let (n, p) = params(d);
    assert_eq!(n, Some(Answer::Number("1e6".into())), "{p:?}");
    assert!(
        p.sources["params"].starts_with(
            "model.safetensors.index.json (the headers of the 2 shards it names): 1M parameters"
        ),
        "{:?}",
        p.sources
    );
    // `metadata.total_parameters`, when the index states it, is the count.
    write_all(
        d,
        &[(
            "model.safetensors.index.json",
            r#"{"metadata":{"total_parameters":1000000,"total_size":2000000},"weight_map":{"a":"model-00001-of-00002.safetensors"}}"#,
        )],
    );
    let (n, p) = params(d);
    assert_eq!(n, Some(Answer::Number("1e6".into())), "{p:?}");
    assert!(p.sources["params"].contains("`metadata.total_parameters`"));
}

#[test]
fn an_incomplete_or_disagreeing_set_of_weights_is_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    safetensors(&d.join("model-00001-of-00003.safetensors"), &[&[10, 10]]);
    let (n, p) = params(d);
    assert_eq!(n, None);
    assert!(
        p.notes
            .iter()
            .any(|x| x
                .starts_with("model-*-of-00003.safetensors: 1 of the 3 shards are in the folder")),
        "{:?}",
        p.notes
    );
    // Two copies that do not agree: which is the model is not guessed.
    safetensors(&d.join("model.safetensors"), &[&[10, 10]]);
    safetensors(&d.join("other.safetensors"), &[&[20, 10]]);
    let (n, p) = params(d);
    assert_eq!(n, None);
    assert!(
        p.notes
            .iter()
            .any(|x| x.contains("hold different parameter counts")),
        "{:?}",
        p.notes
    );
}

#[test]
fn config_json_counts_are_read_and_the_architecture_is_never_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[(
            "config.json",
            r#"{"hidden_size": 4096, "num_hidden_layers": 32, "vocab_size": 32000}"#,
        )],
    );
    assert_eq!(params(d).0, None);
    write_all(d, &[("config.json", r#"{"total_params": 1.5e9}"#)]);
    let (n, p) = params(d);
    assert_eq!(n, Some(Answer::Number("1.5e9".into())));
    assert!(p.sources["params"].starts_with("config.json `total_params`: 1.5B"));
}

#[test]
fn a_diffusers_pipeline_counts_its_component_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[
            (
                "model_index.json",
                r#"{"_class_name":"StableDiffusionPipeline","unet":["diffusers","UNet2DConditionModel"],"vae":["diffusers","AutoencoderKL"],"text_encoder":["transformers","CLIPTextModel"],"scheduler":["diffusers","PNDMScheduler"]}"#,
            ),
            ("scheduler/scheduler_config.json", "{}"),
        ],
    );
    safetensors(
        &d.join("unet/diffusion_pytorch_model.safetensors"),
        &[&[1000, 1000]],
    );
    // An fp16 copy of the same weights counts once.
    safetensors(
        &d.join("unet/diffusion_pytorch_model.fp16.safetensors"),
        &[&[1000, 1000]],
    );
    safetensors(
        &d.join("vae/diffusion_pytorch_model.safetensors"),
        &[&[100, 100]],
    );
    safetensors(&d.join("text_encoder/model.safetensors"), &[&[200, 100]]);
    let p = from_dir(&eu(), d, TODAY).unwrap();
    assert_eq!(
        p.answers.get("params"),
        Some(&Answer::Number("1.03e6".into())),
        "{p:?}"
    );
    assert!(
        p.answers
            .get("openness")
            .is_some_and(|a| *a == Answer::Choices(vec!["weights".into()])),
        "weights in subfolders are seen: {p:?}"
    );
}

#[cfg(unix)]
#[test]
fn links_in_subfolders_lead_nowhere_outside() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    safetensors(&outside.path().join("w.safetensors"), &[&[1000, 1000]]);
    std::fs::create_dir(dir.path().join("unet")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("w.safetensors"),
        dir.path().join("unet/diffusion_pytorch_model.safetensors"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("vae")).unwrap();
    let (n, p) = params(dir.path());
    assert_eq!(n, None, "{p:?}");
    assert!(
        p.notes.contains(
            &"unet/diffusion_pytorch_model.safetensors: a link that leads outside the folder; not read"
                .to_string()
        ),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes
            .contains(&"vae: a link that leads outside the folder; not read".to_string()),
        "{:?}",
        p.notes
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the file.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn pipes_and_links_to_them_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mkfifo(&d.join("README.md"));
    mkfifo(&d.join("pipe"));
    std::os::unix::fs::symlink(d.join("pipe"), d.join("LICENSE")).unwrap();
    std::os::unix::fs::symlink(d.join("gone"), d.join("config.json")).unwrap();
    let p = from_dir(&eu(), d, TODAY).unwrap();
    for note in [
        "README.md: a named pipe (FIFO), not a regular file; not read",
        "LICENSE: a link to a named pipe (FIFO), not a regular file; not read",
        "config.json: a link that leads nowhere (its target does not exist); not read",
    ] {
        assert!(p.notes.contains(&note.to_string()), "{note}: {:?}", p.notes);
    }
}

#[test]
fn git_lfs_pointers_are_named_not_read_as_files() {
    let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4404019200\n";
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[("model.safetensors", pointer), ("README.md", pointer)],
    );
    let p = from_dir(&eu(), dir.path(), TODAY).unwrap();
    assert!(!p.answers.contains_key("params"), "{p:?}");
    for note in [
        "model.safetensors: a Git LFS pointer, not the file itself: the real file was not downloaded (`git lfs pull` fetches it); not counted",
        "README.md: a Git LFS pointer, not the file itself: the real file was not downloaded (`git lfs pull` fetches it); not read",
    ] {
        assert!(p.notes.contains(&note.to_string()), "{note}: {:?}", p.notes);
    }
}

/// Unconfirmed pre-answers are marked wherever answers are shown, not only
/// on their question's screen.
#[test]
fn unconfirmed_pre_answers_are_marked_in_reports_the_list_and_the_results() {
    let data = tempfile::tempdir().unwrap();
    // Incomplete: the answers shown end at the first open question.
    let mark = "— pre-filled, not yet confirmed: README.md, front matter \\`pipeline\\_tag\\`: text-generation. A pipeline tag says";
    // run --from: Markdown and JSON.
    let out = common::aiact_in(
        data.path(),
        &[
            "run",
            "--from",
            "tests/fixtures/repos/open-llm",
            "--partial",
        ],
    );
    let md = common::ok(&out);
    assert!(md.contains(mark), "{md}");
    let out = common::aiact_in(
        data.path(),
        &[
            "run",
            "--from",
            "tests/fixtures/repos/open-llm",
            "--partial",
            "--format",
            "json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&common::ok(&out)).unwrap();
    let unconfirmed = doc["unconfirmed"].as_array().expect("unconfirmed listed");
    assert!(
        unconfirmed.iter().any(|u| u["question"] == "component"
            && u["source"].as_str().is_some_and(
                |s| s.starts_with("README.md, front matter `pipeline_tag`: text-generation")
            )),
        "{unconfirmed:?}"
    );
    // A session: report and list.
    common::ok(&common::aiact_in(
        data.path(),
        &[
            "new",
            "--name",
            "tiny",
            "--from",
            "tests/fixtures/repos/open-llm",
        ],
    ));
    let md = common::ok(&common::aiact_in(data.path(), &["report", "tiny"]));
    assert!(md.contains(mark), "{md}");
    let json = common::ok(&common::aiact_in(
        data.path(),
        &["report", "tiny", "--format", "json"],
    ));
    assert!(json.contains("\"unconfirmed\""), "{json}");
    let list = common::ok(&common::aiact_in(data.path(), &["list"]));
    assert!(list.contains("(6 pre-filled, not yet confirmed)"), "{list}");
    let list = common::ok(&common::aiact_in(
        data.path(),
        &["list", "--format", "json"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(doc["sessions"][0]["unconfirmed"], 6, "{list}");

    // The results screen names them, and the answers list marks each.
    use aiact::tui::app::{App, Msg, Screen};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let store = aiact::session::Store::open(data.path()).unwrap();
    let s = store.load("tiny").unwrap();
    let q = eu();
    let mut app = App::new(q.clone(), s.answers(), TODAY);
    app.handle(Msg::Opened(Box::new(aiact::tui::Opened {
        session: s,
        questionnaire: q,
        read_only: None,
        notice: None,
    })));
    app.handle(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::NONE,
    )));
    assert_eq!(app.screen(), Screen::Results);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(140, 40)).unwrap();
    term.draw(|f| aiact::tui::view::render(&app, f)).unwrap();
    let buf = term.backend().buffer();
    let text: String = (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        text.contains("⟳ Pre-filled, not yet confirmed: Component"),
        "{text}"
    );
    assert!(text.contains("⟳ A general-purpose AI model"), "{text}");
}

/// The README's Sessions table names every flag of `aiact new` (it once left
/// out `--from`).
#[test]
fn the_readme_sessions_table_lists_every_flag_of_new() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `aiact new "))
        .expect("a row for aiact new");
    let cmd = <aiact::cli::Cli as clap::CommandFactory>::command();
    let new = cmd.find_subcommand("new").expect("aiact new");
    for arg in new.get_arguments() {
        if let Some(long) = arg.get_long()
            && !["help", "version"].contains(&long)
            && !arg.is_hide_set()
        {
            assert!(row.contains(&format!("--{long}")), "--{long}: {row}");
        }
    }
}
