//! The questionnaire file format, as serde types.
//!
//! These types mirror the RON a content author writes, field for field, so that
//! `deny_unknown_fields` catches a typo such as `nxt:` instead of ignoring it.
//! Nothing here knows what the content is about: groups, references and
//! outcomes are all declared by the file itself.

use serde::{Deserialize, Serialize};

/// The newest format version this build reads; every older version still
/// loads unchanged. Bump it (and write a migration note in
/// `questionnaires/README.md`) whenever a change would make old files mean
/// something different.
///
/// Version 2 adds what real external decision trees use: routes that end in
/// an outcome (`Conclude`), sections, information screens, yes/no questions
/// without "not sure", per-citation links and optional pinpoints, outcomes
/// with no legal source, and light markup in texts.
pub const FORMAT_VERSION: u32 = 2;

/// The first format version; files that declare it keep their meaning.
pub const FORMAT_VERSION_1: u32 = 1;

/// The reserved route target that ends the questionnaire and shows results.
pub const END: &str = "end";

/// A whole questionnaire file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireFile {
    pub format_version: u32,
    pub id: String,
    pub title: String,
    pub version: String,
    pub language: String,
    /// What the content rests on (a law, a framework), shown with every result.
    pub legal_basis: String,
    /// The date the content was last checked against its basis (`YYYY-MM-DD`).
    pub as_of: String,
    /// Shown at the start and in every report.
    pub disclaimer: String,
    #[serde(default)]
    pub description: String,
    pub groups: Vec<Group>,
    pub references: Vec<Reference>,
    #[serde(default)]
    pub option_sets: Vec<OptionSet>,
    pub questions: Vec<QuestionDef>,
    #[serde(default)]
    pub facts: Vec<FactDef>,
    pub outcomes: Vec<OutcomeDef>,
    /// Format 2: titled parts of the questionnaire; questions name theirs
    /// with `section`, and the app's progress and the reports show them.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// How questions can be pre-answered from the files of a component's
    /// folder (`aiact new --from DIR`); every pre-answer is shown with its
    /// source and waits for the user to confirm it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefill: Vec<PrefillRule>,
}

/// A titled part of the questionnaire (format 2).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// One way to pre-answer a question from a component's files.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PrefillRule {
    /// The question it answers.
    pub question: String,
    /// Where the value comes from.
    pub source: PrefillSource,
    /// Values found (compared without regard to case) and the option each
    /// stands for. A value not listed becomes "not sure", with the reason.
    #[serde(default)]
    pub values: Vec<(String, String)>,
    /// The option chosen whenever the source has any value at all (a file
    /// exists, a field is set), for sources whose presence is what counts.
    #[serde(default)]
    pub present: Option<String>,
    /// Shown with the pre-answer: why it is only a suggestion.
    #[serde(default)]
    pub caution: String,
}

/// Where a pre-answer's value comes from, in a component's folder.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub enum PrefillSource {
    /// A field of the YAML front matter of `README.md` (a model or dataset card).
    FrontMatter(String),
    /// A list field of the front matter (such as `tags`) in which any one
    /// value may carry meaning: the values the rule lists are used, the
    /// others ignored, so a list with none of them gives no pre-answer (not
    /// "not sure"). Values pointing to different options of a single-answer
    /// question give "not sure", with the reason.
    FrontMatterAny(String),
    /// The licence whose text is in `LICENSE`, `LICENSE.md`, `LICENSE.txt`,
    /// `LICENCE` or `COPYING`, as an SPDX id (e.g. `Apache-2.0`).
    LicenceText,
    /// Whether a file whose name matches the pattern exists: `*` matches any
    /// run of characters but `/`, so `*.safetensors` names the folder's own
    /// files and `*/*.safetensors` those of its immediate subfolders.
    FileExists(String),
    /// The parameter count: a parameter count stated in `config.json`
    /// (`num_parameters` and the like), else the tensor sizes in the
    /// safetensors headers of one copy of the weights (an index's
    /// `total_parameters` or shards, else one complete shard set or a
    /// consolidated file), or of a diffusers pipeline's component folders.
    /// Never estimated from the architecture.
    Parameters,
    /// The product of numbers from other sources and a factor (for example
    /// training compute ≈ 6 × parameters × tokens).
    Product { factor: f64, of: Vec<PrefillSource> },
}

/// A heading under which outcomes are shown, in ascending `order`.
///
/// `order` is also the group's weight: what-if lists put changes to outcomes
/// in lower-ordered groups first, so list the groups that matter most first.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub order: i32,
    #[serde(default)]
    pub description: String,
    /// Background, not results: the group's outcomes inform (history, context)
    /// rather than tell the user where they stand. They are shown in a
    /// section of their own without status words, left out of model cards
    /// and of every count of outcomes, and ranked last in what-if lists.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
}

/// A source document, declared once and cited by id with a pinpoint.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub title: String,
    pub url: String,
    /// Format 2: `false` for sources that are not legal texts (a guide, a
    /// paper), whose citations need no pinpoint.
    #[serde(default = "yes")]
    pub legal: bool,
}

fn yes() -> bool {
    true
}

/// A pointer into a reference: `(reference: "aia", pinpoint: "Art 53(2)")`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub reference: String,
    /// Where in the reference; required for legal references, optional
    /// (format 2) for others.
    #[serde(default)]
    pub pinpoint: String,
    /// Format 2: a link to this very place (an article's anchor), used
    /// instead of the reference's own URL.
    #[serde(default)]
    pub url: Option<String>,
}

/// A list of options reused by several questions (a licence list, say).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OptionSet {
    pub id: String,
    pub options: Vec<ChoiceDef>,
}

/// One option of a single or multiple choice question.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDef {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub help: String,
    /// Completes "If you ..." in what-if sentences, e.g. "charged for support".
    #[serde(default)]
    pub what_if: Option<String>,
    /// In a multiple choice, an exclusive option ("none of these") cannot be
    /// combined with any other.
    #[serde(default)]
    pub exclusive: bool,
    /// Single choice only: where this option leads, overriding the question's `next`.
    #[serde(default)]
    pub next: Option<String>,
    /// Format 2, single choice only: this option ends the questionnaire with
    /// the outcome of this id (instead of `next`).
    #[serde(default)]
    pub conclude: Option<String>,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum Kind {
    /// Pick one option.
    Single,
    /// Tick any number of options between `min` and `max`.
    Multiple {
        #[serde(default)]
        min: Option<u32>,
        #[serde(default)]
        max: Option<u32>,
    },
    /// Yes, no, or not sure: the options `yes` and `no` are implied.
    YesNo,
    /// A number, typed as text (`3e24`, `3×10^24`, `1.5B`).
    Number {
        #[serde(default)]
        unit: Option<String>,
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        estimate: Option<Estimate>,
    },
    /// A short free text, never read by conditions.
    Text {
        #[serde(default)]
        max_len: Option<usize>,
    },
    /// Format 2: an information screen. It shows its prompt (as a heading)
    /// and its help text, with Continue; it takes no answer, so conditions
    /// cannot read it and answers files leave it out.
    Info,
}

/// A helper that computes a number answer as `factor × input × input …`
/// (for example training compute ≈ 6 × parameters × tokens).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    pub label: String,
    pub factor: f64,
    pub inputs: Vec<EstimateInput>,
    #[serde(default)]
    pub help: String,
}

/// One factor the estimate helper asks for.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EstimateInput {
    pub id: String,
    pub label: String,
}

/// One question of the tree.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub id: String,
    pub prompt: String,
    /// A few words naming the question in summaries and side panels.
    #[serde(default)]
    pub short: Option<String>,
    pub kind: Kind,
    #[serde(default)]
    pub options: Vec<ChoiceDef>,
    /// Use the options of a shared option set (instead of, or before, `options`).
    #[serde(default)]
    pub option_set: Option<String>,
    /// Offer "not sure" as an answer. Unset: offered for `YesNo` only. In
    /// format 1 a `YesNo` question always offers it; format 2 can switch it
    /// off with `allow_not_sure: false`.
    #[serde(default)]
    pub allow_not_sure: Option<bool>,
    /// Format 2: the id of the section the question belongs to.
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub facilitator_notes: String,
    #[serde(default)]
    pub discussion: Vec<String>,
    /// Where to go after this question; defaults to the next question in the file
    /// (or the end, for the last one).
    #[serde(default)]
    pub next: Option<Next>,
}

/// Routing after a question.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum Next {
    /// Always go to this question id (or `"end"`).
    Goto(String),
    /// Ordered routes: the first whose condition holds wins; the last must have
    /// no `when` and is the fallback.
    Routes(Vec<Route>),
    /// Format 2: end the questionnaire with the outcome of this id.
    Conclude(String),
}

/// One `(when, goto)` route; a route without `when` is the fallback. A route
/// has either `goto` (a question id or `"end"`) or, in format 2, `conclude`
/// (an outcome id: the questionnaire ends with that outcome).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Route {
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub goto: Option<String>,
    #[serde(default)]
    pub conclude: Option<String>,
}

/// A typed condition over the answers. Never a string expression.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub enum Condition {
    /// Always true; useful in `applies_from` rules and tests.
    Always,
    /// The question has an answer on the path (any answer, not sure included).
    Answered(String),
    /// The question was answered "not sure".
    NotSure(String),
    /// The single choice (or yes/no) question has this option.
    Is(String, String),
    /// The single choice question has one of these options.
    In(String, Vec<String>),
    /// The multiple choice question includes this option.
    Includes(String, String),
    /// The multiple choice question includes at least one of these options.
    IncludesAny(String, Vec<String>),
    /// Number comparisons.
    Gt(String, f64),
    Ge(String, f64),
    Lt(String, f64),
    Le(String, f64),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A named fact.
    Fact(String),
}

/// A named derived fact, such as "your licence is free and open-source".
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FactDef {
    pub id: String,
    /// Said as a reason when the fact holds.
    pub holds: String,
    /// Said as a reason when it does not; defaults to "Not so: <holds>".
    #[serde(default)]
    pub fails: Option<String>,
    pub when: Condition,
}

/// A date from which an outcome applies, possibly depending on answers.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DateRule {
    #[serde(default)]
    pub when: Option<Condition>,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A result the questionnaire can reach.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    pub id: String,
    pub group: String,
    pub title: String,
    pub summary: String,
    pub explanation: String,
    #[serde(default)]
    pub citations: Vec<Citation>,
    /// Format 2: why this outcome cites no source (it is advice, say),
    /// shown where the sources would be. An outcome needs citations or this.
    #[serde(default)]
    pub no_source: Option<String>,
    /// Ordered rules, first match wins; empty means "no particular date".
    #[serde(default)]
    pub applies_from: Vec<DateRule>,
    /// When it applies. In format 2 it may be left out for an outcome that
    /// a route concludes with: it then applies when the path ends there.
    #[serde(default)]
    pub when: Option<Condition>,
}
