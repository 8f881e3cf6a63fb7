//! The validated, index-resolved questionnaire the engine walks.
//!
//! Every id in the file is resolved to an index once, at load, so the engine
//! never looks a name up and can never meet a dangling reference.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::schema::{ChoiceDef, Citation, Estimate, FactDef, Kind, OutcomeDef, QuestionDef};
use crate::answers::{Answer, parse_number};

/// Index of a question in [`Questionnaire::questions`].
pub type QIdx = usize;
/// Index of an option within its question.
pub type OIdx = usize;
/// Index of a fact.
pub type FIdx = usize;

/// Where a route leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Question(QIdx),
    End,
    /// The end, with the outcome of this index (format 2's `Conclude`).
    Conclude(usize),
}

/// A number comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            CmpOp::Gt => left > right,
            CmpOp::Ge => left >= right,
            CmpOp::Lt => left < right,
            CmpOp::Le => left <= right,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
        }
    }
}

/// A condition with every id resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    Always,
    Answered(QIdx),
    NotSure(QIdx),
    Is(QIdx, OIdx),
    In(QIdx, Vec<OIdx>),
    Includes(QIdx, OIdx),
    IncludesAny(QIdx, Vec<OIdx>),
    Cmp(QIdx, CmpOp, f64),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Fact(FIdx),
}

impl Cond {
    /// Calls `f` for every question the condition reads directly, and `g` for
    /// every fact it names. Iterative, so deep trees cost no stack.
    pub fn visit(&self, mut f: impl FnMut(QIdx), mut g: impl FnMut(FIdx)) {
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Cond::Always => {}
                Cond::Answered(q)
                | Cond::NotSure(q)
                | Cond::Is(q, _)
                | Cond::In(q, _)
                | Cond::Includes(q, _)
                | Cond::IncludesAny(q, _)
                | Cond::Cmp(q, _, _) => f(*q),
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs.iter()),
                Cond::Not(c) => stack.push(c),
                Cond::Fact(i) => g(*i),
            }
        }
    }
}

/// How the next question is chosen after this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Routing {
    Goto(Target),
    /// Ordered; the last has no condition.
    Routes(Vec<(Option<Cond>, Target)>),
}

/// A validated question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The definition as written, except its `options`, which are moved into
    /// [`Question::options`] (after the shared set's).
    pub def: QuestionDef,
    /// The options offered, shared set first; `yes`/`no` for yes/no questions.
    pub options: Vec<ChoiceDef>,
    /// Single choice: where each option leads, if it overrides `routing`.
    pub option_next: Vec<Option<Target>>,
    pub routing: Routing,
    /// Whether "not sure" is offered.
    pub not_sure: bool,
    /// Index into [`Questionnaire::sections`], for format-2 questions that
    /// name a section.
    pub section: Option<usize>,
}

/// A validated answer value, ready for evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Choice(OIdx),
    Choices(Vec<OIdx>),
    Number(f64),
    Text,
    NotSure,
}

impl Question {
    pub fn id(&self) -> &str {
        &self.def.id
    }

    /// The few words naming this question in reasons and side panels.
    pub fn short(&self) -> &str {
        self.def.short.as_deref().unwrap_or(&self.def.prompt)
    }

    pub fn kind(&self) -> &Kind {
        &self.def.kind
    }

    /// Whether this is an information screen: shown with Continue, never
    /// answered, passed through by the engine.
    pub fn is_info(&self) -> bool {
        matches!(self.def.kind, Kind::Info)
    }

    pub fn option_index(&self, id: &str) -> Option<OIdx> {
        self.options.iter().position(|o| o.id == id)
    }

    pub fn estimate(&self) -> Option<&Estimate> {
        match &self.def.kind {
            Kind::Number { estimate, .. } => estimate.as_ref(),
            _ => None,
        }
    }

    /// Checks an answer against this question, as a user would be told.
    pub fn resolve(&self, answer: &Answer) -> Result<Value, String> {
        match (answer, &self.def.kind) {
            (_, Kind::Info) => {
                Err("this is an information screen, which takes no answer; leave it out".into())
            }
            (Answer::NotSure, _) if self.not_sure => Ok(Value::NotSure),
            (Answer::NotSure, _) => Err("\"not sure\" is not offered for this question".into()),
            (Answer::Choice(id), Kind::Single | Kind::YesNo) => self
                .option_index(id)
                .map(Value::Choice)
                .ok_or_else(|| format!("there is no option \"{}\"", crate::text::echo(id))),
            (Answer::Choices(ids), Kind::Multiple { min, max }) => {
                let mut picked = Vec::with_capacity(ids.len());
                for id in ids {
                    let o = self.option_index(id).ok_or_else(|| {
                        format!("there is no option \"{}\"", crate::text::echo(id))
                    })?;
                    if picked.contains(&o) {
                        return Err(format!(
                            "option \"{}\" is ticked twice",
                            crate::text::echo(id)
                        ));
                    }
                    picked.push(o);
                }
                if picked.len() > 1
                    && let Some(&o) = picked.iter().find(|&&o| self.options[o].exclusive)
                {
                    return Err(format!(
                        "\"{}\" cannot be combined with other options",
                        self.options[o].label
                    ));
                }
                let min = min.unwrap_or(1) as usize;
                if picked.len() < min {
                    return Err(format!(
                        "tick at least {min} option{}",
                        if min == 1 { "" } else { "s" }
                    ));
                }
                if let Some(max) = max
                    && picked.len() > *max as usize
                {
                    return Err(format!("tick at most {max} options"));
                }
                picked.sort_unstable();
                Ok(Value::Choices(picked))
            }
            (Answer::Number(text), Kind::Number { min, max, .. }) => {
                let n = parse_number(text).map_err(|e| e.to_string())?;
                if let Some(min) = min
                    && n < *min
                {
                    return Err(format!("the number must be at least {min}"));
                }
                if let Some(max) = max
                    && n > *max
                {
                    return Err(format!("the number must be at most {max}"));
                }
                Ok(Value::Number(n))
            }
            (Answer::Text(t), Kind::Text { max_len }) => {
                if let Some(max) = max_len
                    && t.chars().count() > *max
                {
                    return Err(format!("the text is longer than {max} characters"));
                }
                if crate::text::find_control(t).is_some() {
                    return Err("the text contains control characters".into());
                }
                Ok(Value::Text)
            }
            (answer, kind) => Err(format!(
                "a {} answer does not fit a {} question",
                answer_kind_name(answer),
                kind_name(kind)
            )),
        }
    }

    /// The answer in the content's words, for reasons and reports.
    pub fn describe(&self, answer: &Answer) -> String {
        self.describe_in(answer, "not sure")
    }

    /// [`Self::describe`] with the words for "not sure" from a message
    /// catalogue: options, numbers and text are the content's own words,
    /// but "not sure" is the app's.
    pub fn describe_in(&self, answer: &Answer, not_sure: &str) -> String {
        match answer {
            Answer::Choice(id) => self
                .option_index(id)
                .map_or_else(|| id.clone(), |o| self.options[o].label.clone()),
            Answer::Choices(ids) => ids
                .iter()
                .map(|id| {
                    self.option_index(id)
                        .map_or_else(|| id.clone(), |o| self.options[o].label.clone())
                })
                .collect::<Vec<_>>()
                .join("; "),
            Answer::Number(t) => match &self.def.kind {
                Kind::Number { unit: Some(u), .. } => format!("{t} {u}"),
                _ => t.clone(),
            },
            Answer::Text(t) => t.clone(),
            Answer::NotSure => not_sure.to_string(),
        }
    }
}

/// A short name for an answer's kind, for messages.
pub fn answer_kind_name(a: &Answer) -> &'static str {
    match a {
        Answer::Choice(_) => "Choice",
        Answer::Choices(_) => "Choices",
        Answer::Number(_) => "Number",
        Answer::Text(_) => "Text",
        Answer::NotSure => "NotSure",
    }
}

/// A short name for a question kind, for messages.
pub fn kind_name(k: &Kind) -> &'static str {
    match k {
        Kind::Single => "single choice",
        Kind::Multiple { .. } => "multiple choice",
        Kind::YesNo => "yes/no",
        Kind::Number { .. } => "number",
        Kind::Text { .. } => "text",
        Kind::Info => "information screen",
    }
}

/// A validated fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub def: FactDef,
    pub cond: Cond,
}

/// A validated outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub def: OutcomeDef,
    pub cond: Cond,
    /// Index into [`Questionnaire::groups`].
    pub group: usize,
    pub applies_from: Vec<(Option<Cond>, jiff::civil::Date)>,
}

impl Outcome {
    pub fn id(&self) -> &str {
        &self.def.id
    }
}

/// Everything about the questionnaire that is not a question, fact or outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub version: String,
    pub language: String,
    pub legal_basis: String,
    pub as_of: String,
    pub disclaimer: String,
    pub description: String,
    /// The file's format version: format 2 texts may use light markup
    /// (`crate::markup`), format 1 texts are plain.
    pub format_version: u32,
}

/// A loaded and validated questionnaire.
///
/// Serialisable so that the shipped questionnaires can be validated when
/// aiact is built and embedded in compiled form (see `build.rs`); the
/// encoding is postcard's, which is not self-describing, so every field is
/// always written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub meta: Meta,
    #[serde(with = "every_field")]
    pub groups: Vec<super::schema::Group>,
    pub references: Vec<super::schema::Reference>,
    pub questions: Vec<Question>,
    pub facts: Vec<Fact>,
    pub outcomes: Vec<Outcome>,
    /// Format 2's titled parts; questions point into it.
    pub sections: Vec<super::schema::Section>,
    /// Per question: the outcomes it can conclude with directly (format 2's
    /// `Conclude` in its options or routes), for provisional conclusions.
    pub conclusions: Vec<Vec<usize>>,
    /// Whether any question concludes at all: evaluations of trees without
    /// conclusions (every format-1 file) skip looking for them.
    pub concludes: bool,
    /// How questions can be pre-answered from a component's files.
    pub prefill: Vec<super::schema::PrefillRule>,
    /// Facts in an order where each comes after the facts it uses.
    pub fact_order: Vec<FIdx>,
    /// The questions each question can lead to.
    pub successors: Vec<Vec<QIdx>>,
    /// Fewest and most questions from each question to the end, itself included.
    pub remaining: Vec<(u32, u32)>,
    /// Hash of ids, routes and conditions: answers must be re-checked when it changes.
    pub logic_hash: String,
    /// Hash of all wording: a change is noted, not alarmed.
    pub text_hash: String,
    /// Where it came from: a path as the user gave it, or `shipped:<id>`.
    pub source: String,
    /// The normalised text it was loaded from, for files (not shipped
    /// content): what a session embeds, matching the hashes above.
    pub text: Option<String>,
    /// The translation applied to the texts, if any (see
    /// `questionnaire::translation`): a session keeps a copy of it, as it
    /// keeps [`Questionnaire::text`], so it reopens in the same language.
    pub translation: Option<Translated>,
    pub(crate) question_index: HashMap<String, QIdx>,
    pub(crate) outcome_index: HashMap<String, usize>,
}

impl Questionnaire {
    pub fn question_index(&self, id: &str) -> Option<QIdx> {
        self.question_index.get(id).copied()
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index(id).map(|i| &self.questions[i])
    }

    pub fn outcome_index(&self, id: &str) -> Option<usize> {
        self.outcome_index.get(id).copied()
    }

    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.outcome_index(id).map(|i| &self.outcomes[i])
    }

    pub fn reference(&self, id: &str) -> Option<&super::schema::Reference> {
        self.references.iter().find(|r| r.id == id)
    }

    /// A citation with its URL: the citation's own link (format 2) or its
    /// reference's.
    pub fn cite(&self, c: &Citation) -> (String, String, String) {
        let (title, url) = self
            .reference(&c.reference)
            .map_or((c.reference.clone(), String::new()), |r| {
                (r.title.clone(), r.url.clone())
            });
        (title, c.pinpoint.clone(), c.url.clone().unwrap_or(url))
    }

    /// Whether texts are light markup (format 2) rather than plain text.
    pub fn uses_markup(&self) -> bool {
        self.meta.format_version >= 2
    }

    /// The section of question `qi`, if it names one.
    pub fn section_of(&self, qi: QIdx) -> Option<&super::schema::Section> {
        self.questions
            .get(qi)
            .and_then(|q| q.section)
            .map(|s| &self.sections[s])
    }

    /// Whether the outcome (by index) is in a `background` group: shown as
    /// context, never with a status, and left out of every count of results.
    pub fn is_background(&self, outcome: usize) -> bool {
        self.outcomes
            .get(outcome)
            .is_some_and(|o| self.groups[o.group].background)
    }

    /// [`Questionnaire::is_background`] by outcome id; unknown ids are not
    /// background (an outcome dropped from a newer version is still a result).
    pub fn is_background_id(&self, id: &str) -> bool {
        self.outcome_index(id)
            .is_some_and(|i| self.is_background(i))
    }

    /// Groups in display order, as indices.
    pub fn groups_in_order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.groups.len()).collect();
        idx.sort_by_key(|&i| (self.groups[i].order, i));
        idx
    }
}

/// A translation applied to a questionnaire: its language, the file it was
/// read from (as the user gave it) and the file's normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translated {
    pub language: String,
    pub source: String,
    pub text: String,
}

/// What the start screen shows of a questionnaire and what a session records
/// of it, without its questions: for the shipped questionnaires this is
/// embedded on its own, so listing them decodes a few hundred bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub meta: Meta,
    pub logic_hash: String,
    pub text_hash: String,
    pub source: String,
}

impl Header {
    /// The header of a loaded questionnaire.
    pub fn of(q: &Questionnaire) -> Header {
        Header {
            meta: q.meta.clone(),
            logic_hash: q.logic_hash.clone(),
            text_hash: q.text_hash.clone(),
            source: q.source.clone(),
        }
    }
}

/// Groups with every field written: [`super::schema::Group`] leaves
/// `background: false` out of RON and JSON, which a format without field
/// names could not read back.
mod every_field {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::super::schema::Group;

    type Fields = (String, String, i32, String, bool);

    pub fn serialize<S: Serializer>(groups: &[Group], s: S) -> Result<S::Ok, S::Error> {
        let fields: Vec<(&str, &str, i32, &str, bool)> = groups
            .iter()
            .map(|g| (&*g.id, &*g.title, g.order, &*g.description, g.background))
            .collect();
        fields.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Group>, D::Error> {
        let fields = Vec::<Fields>::deserialize(d)?;
        Ok(fields
            .into_iter()
            .map(|(id, title, order, description, background)| Group {
                id,
                title,
                order,
                description,
                background,
            })
            .collect())
    }
}
