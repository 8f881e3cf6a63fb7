//! The app state and `update`: messages in, state changed, effects out.
//!
//! `App` knows nothing about terminals: tests build one from a questionnaire
//! and drive it with keys. Anything that touches the outside world (saving,
//! writing a report, suspending) leaves as an [`Effect`] for the runner, and
//! its result comes back as a [`Msg`].

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

use super::input::LineInput;
use super::keys::{self, Action, Mode};
use crate::answers::{Answer, Answers, parse_number};
use crate::engine::{Change, Evaluation, Flip, evaluate, what_if};
use crate::questionnaire::schema::Kind;
use crate::questionnaire::{QIdx, Questionnaire};
use crate::report::{Report, SessionInfo, to_markdown};
use crate::text::clean_user_text;

/// A message for `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Action(Action),
    /// Text pasted into the terminal: it goes into an input, never into key bindings.
    Paste(String),
    Mouse(MouseEvent),
    /// The save with this sequence number is on disk.
    Saved(u64),
    /// A save failed; the message says why.
    SaveFailed(String),
    /// A report was written (the path) or could not be (the reason).
    Exported(Result<String, String>),
}

/// Something the runner must do outside the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Answers, notes or statuses changed: save them, then send `Msg::Saved(seq)`.
    Save(u64),
    /// Write this Markdown report to a file, then send `Msg::Exported`.
    Export { file_stem: String, markdown: String },
    /// Resume the saved session with this id (from the start screen).
    Resume(String),
    /// Suspend the process (Ctrl+Z) and restore the terminal on return.
    Suspend,
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Start,
    Question(QIdx),
    Results,
}

/// Which panel has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Main,
    Answers,
}

/// A saved session offered on the start screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// What the runner needs to open it again.
    pub id: String,
    pub name: String,
    pub questionnaire: String,
    pub progress: String,
    pub changed: String,
}

/// A row of the question screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Option(usize),
    NotSure,
    /// The text or number field.
    Field,
    /// Opens the estimate helper of a number question.
    Estimate,
}

/// What is drawn over the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Note(LineInput),
    /// Naming a new assessment of questionnaire `questionnaire`.
    Name {
        input: LineInput,
        questionnaire: usize,
    },
    /// A changed earlier answer that would change outcomes.
    Confirm {
        question: QIdx,
        answer: Answer,
        changes: Vec<Change>,
        after: Box<Evaluation>,
    },
    Estimate {
        inputs: Vec<LineInput>,
        at: usize,
        error: Option<String>,
    },
}

/// Facilitator mode's colours (`aiact present --theme`): projectors wash out
/// dim colours, so both themes use few, strong ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresentTheme {
    /// Dark text on a white background.
    Light,
    /// White and yellow on black, nothing dimmed.
    HighContrast,
}

/// Where the highlighted option would lead, computed when the highlight
/// moves (never while drawing), so the room sees it before deciding.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The question that would follow this one, or `None` when this answer
    /// ends the questionnaire.
    pub next: Option<QIdx>,
    /// Outcomes that would start to apply, stop applying or change status.
    pub changes: Vec<Change>,
}

/// The state of facilitator mode (`aiact present`).
#[derive(Debug, Clone, PartialEq)]
pub struct Present {
    pub theme: PresentTheme,
    /// Whether the facilitator notes and discussion prompts are shown.
    pub notes: bool,
    /// How many groups of results the room has seen so far.
    pub revealed: usize,
    /// Where the highlighted option leads; `None` when it makes no answer yet.
    pub preview: Option<Preview>,
    /// The question and answer the preview was computed for.
    preview_for: Option<(QIdx, Answer)>,
}

/// Follow-up status words, cycled with `s` on the results screen.
pub const FOLLOW_UP: &[&str] = &["not started", "in progress", "done"];

/// The whole state of the interface.
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) choices: Vec<Questionnaire>,
    pub(crate) qi: usize,
    pub(crate) name: String,
    pub(crate) answers: Answers,
    pub(crate) notes: BTreeMap<String, String>,
    pub(crate) follow_up: BTreeMap<String, String>,
    pub(crate) today: Date,
    pub(crate) ev: Evaluation,
    pub(crate) evaluations: u64,
    pub(crate) screen: Screen,
    pub(crate) focus: Focus,
    pub(crate) overlay: Option<Overlay>,
    // Question screen.
    pub(crate) selected: usize,
    pub(crate) ticked: Vec<bool>,
    pub(crate) field: LineInput,
    pub(crate) editing: bool,
    pub(crate) error: Option<String>,
    pub(crate) help_panel: bool,
    pub(crate) help_scroll: u16,
    // Side panel and results.
    pub(crate) side_selected: usize,
    pub(crate) result_selected: usize,
    pub(crate) result_scroll: u16,
    pub(crate) expanded: BTreeSet<usize>,
    /// "What would change this" for the current answers: computed when an
    /// outcome is first opened, dropped when the answers change.
    pub(crate) flips: Option<Vec<Flip>>,
    // Start screen.
    pub(crate) sessions: Vec<SessionSummary>,
    pub(crate) start_selected: usize,
    // Persistence and messages.
    pub(crate) persistence: bool,
    pub(crate) save_seq: u64,
    pub(crate) saved_seq: u64,
    pub(crate) save_error: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) data_dir: Option<String>,
    pub(crate) color: bool,
    /// Facilitator mode, when presenting to a room.
    pub(crate) present: Option<Present>,
    effects: Vec<Effect>,
    quit: bool,
}

impl App {
    /// An app on the question screen of `questionnaire`, at the first
    /// unanswered question (or the results when all are answered).
    pub fn new(questionnaire: Questionnaire, answers: Answers, today: Date) -> App {
        let ev = evaluate(&questionnaire, &answers, today);
        let mut app = App {
            choices: vec![questionnaire],
            qi: 0,
            name: String::new(),
            answers,
            notes: BTreeMap::new(),
            follow_up: BTreeMap::new(),
            today,
            ev,
            evaluations: 1,
            screen: Screen::Start,
            focus: Focus::Main,
            overlay: None,
            selected: 0,
            ticked: Vec::new(),
            field: LineInput::default(),
            editing: false,
            error: None,
            help_panel: true,
            help_scroll: 0,
            side_selected: 0,
            result_selected: 0,
            result_scroll: 0,
            expanded: BTreeSet::new(),
            flips: None,
            sessions: Vec::new(),
            start_selected: 0,
            persistence: false,
            save_seq: 0,
            saved_seq: 0,
            save_error: None,
            status: None,
            data_dir: None,
            color: true,
            present: None,
            effects: Vec::new(),
            quit: false,
        };
        app.goto_frontier();
        app
    }

    /// An app on the start screen, offering a new assessment of each
    /// questionnaire and the saved sessions to resume.
    pub fn start(choices: Vec<Questionnaire>, sessions: Vec<SessionSummary>, today: Date) -> App {
        assert!(!choices.is_empty(), "at least one questionnaire");
        let mut app = App::new(choices[0].clone(), Answers::new(), today);
        app.choices = choices;
        app.sessions = sessions;
        app.screen = Screen::Start;
        app.editing = false;
        app
    }

    /// Names the assessment (shown in the title and the report).
    pub fn with_name(mut self, name: &str) -> App {
        self.name = clean_user_text(name);
        self
    }

    /// Tells the app its changes are saved by the runner, so it shows the
    /// "saved" mark instead of saying that nothing is kept.
    pub fn with_persistence(mut self, on: bool) -> App {
        self.persistence = on;
        self
    }

    /// Where sessions are kept, shown discreetly on the start screen.
    pub fn with_data_dir(mut self, dir: Option<String>) -> App {
        self.data_dir = dir;
        self
    }

    /// Whether to use colour (off under NO_COLOR); selection stays visible by a marker.
    pub fn with_color(mut self, color: bool) -> App {
        self.color = color;
        self
    }

    /// Notes by question id and follow-up statuses by outcome id, as resumed.
    pub fn with_notes(
        mut self,
        notes: BTreeMap<String, String>,
        follow_up: BTreeMap<String, String>,
    ) -> App {
        self.notes = notes;
        self.follow_up = follow_up;
        self
    }

    /// Facilitator mode: a large layout for a projector, facilitator notes,
    /// a preview of where each option leads, results revealed group by group.
    pub fn presenting(mut self, theme: PresentTheme) -> App {
        self.present = Some(Present {
            theme,
            notes: true,
            revealed: 0,
            preview: None,
            preview_for: None,
        });
        self.refresh_preview();
        self
    }

    /// Facilitator mode's state, if presenting.
    pub fn present(&self) -> Option<&Present> {
        self.present.as_ref()
    }

    pub fn questionnaire(&self) -> &Questionnaire {
        &self.choices[self.qi]
    }
    pub fn answers(&self) -> &Answers {
        &self.answers
    }
    pub fn notes(&self) -> &BTreeMap<String, String> {
        &self.notes
    }
    pub fn follow_up(&self) -> &BTreeMap<String, String> {
        &self.follow_up
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn evaluation(&self) -> &Evaluation {
        &self.ev
    }
    /// How many times the engine ran: once per change, never per frame.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }
    pub fn screen(&self) -> Screen {
        self.screen
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }
    pub fn today(&self) -> Date {
        self.today
    }

    /// The effects produced since the last call, for the runner.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The mode whose key table is in force.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help) => Mode::Help,
            Some(Overlay::Note(_) | Overlay::Name { .. } | Overlay::Estimate { .. }) => Mode::Input,
            Some(Overlay::Confirm { .. }) => Mode::Confirm,
            None => match (self.screen, self.focus) {
                (Screen::Start, _) => Mode::Start,
                (_, Focus::Answers) => Mode::Answers,
                (Screen::Question(_), _) if self.editing => Mode::Input,
                (Screen::Question(_), _) if self.present.is_some() => Mode::Present,
                (Screen::Question(_), _) => Mode::Question,
                (Screen::Results, _) if self.present.is_some() => Mode::PresentResults,
                (Screen::Results, _) => Mode::Results,
            },
        }
    }

    /// Replaces the assessment (after resuming a session from the start screen).
    pub fn load(
        &mut self,
        questionnaire: Questionnaire,
        name: &str,
        answers: Answers,
        notes: BTreeMap<String, String>,
        follow_up: BTreeMap<String, String>,
    ) {
        match self
            .choices
            .iter()
            .position(|q| q.meta.id == questionnaire.meta.id)
        {
            Some(i) => {
                self.choices[i] = questionnaire;
                self.qi = i;
            }
            None => {
                self.choices.push(questionnaire);
                self.qi = self.choices.len() - 1;
            }
        }
        self.name = clean_user_text(name);
        self.answers = answers;
        self.notes = notes;
        self.follow_up = follow_up;
        self.expanded.clear();
        self.reevaluate();
        self.goto_frontier();
    }

    fn reevaluate(&mut self) {
        self.ev = evaluate(&self.choices[self.qi], &self.answers, self.today);
        self.evaluations += 1;
        self.flips = None;
    }

    /// The single answer changes that would flip outcomes, once computed.
    pub fn flips(&self) -> Option<&[Flip]> {
        self.flips.as_deref()
    }

    fn request_save(&mut self) {
        self.save_seq += 1;
        self.effects.push(Effect::Save(self.save_seq));
    }

    /// The "saved" mark: what the user is told about persistence.
    pub fn saved_mark(&self) -> (&'static str, bool) {
        if !self.persistence {
            ("not saved", false)
        } else if self.save_error.is_some() {
            ("✗ NOT SAVED", false)
        } else if self.saved_seq >= self.save_seq {
            ("✓ saved", true)
        } else {
            ("saving…", true)
        }
    }

    // ------------------------------------------------------------ navigation

    fn goto_frontier(&mut self) {
        match self.ev.current {
            Some(c) => self.enter_question(c),
            None => self.enter_results(),
        }
    }

    fn enter_results(&mut self) {
        self.screen = Screen::Results;
        self.focus = Focus::Main;
        self.editing = false;
        self.error = None;
        self.result_scroll = 0;
        if let Some(p) = &mut self.present {
            p.revealed = 0;
        }
        let n = self.result_items().len();
        self.result_selected = self.result_selected.min(n.saturating_sub(1));
    }

    /// Shows question `qi` with its current answer (if any) pre-selected.
    pub fn enter_question(&mut self, qi: QIdx) {
        self.screen = Screen::Question(qi);
        self.focus = Focus::Main;
        self.error = None;
        self.help_scroll = 0;
        let rows = self.rows(qi);
        let question = &self.choices[self.qi].questions[qi];
        let answer = self.answers.get(question.id()).cloned();
        self.ticked = vec![false; rows.len()];
        self.field = LineInput::default();
        self.selected = 0;
        match &answer {
            Some(Answer::Choice(id)) => {
                if let Some(o) = question.option_index(id) {
                    self.selected = rows.iter().position(|r| *r == Row::Option(o)).unwrap_or(0);
                }
            }
            Some(Answer::Choices(ids)) => {
                for id in ids {
                    if let Some(o) = question.option_index(id)
                        && let Some(r) = rows.iter().position(|r| *r == Row::Option(o))
                    {
                        self.ticked[r] = true;
                    }
                }
            }
            Some(Answer::Number(t) | Answer::Text(t)) => self.field = LineInput::new(t),
            Some(Answer::NotSure) => {
                if let Some(r) = rows.iter().position(|r| *r == Row::NotSure) {
                    self.selected = r;
                    self.ticked[r] = true;
                }
            }
            None => {}
        }
        self.editing = matches!(question.kind(), Kind::Number { .. } | Kind::Text { .. })
            && !matches!(answer, Some(Answer::NotSure));
        if let Some(pos) = self.answered_path().iter().position(|&q| q == qi) {
            self.side_selected = pos;
        }
    }

    /// The rows of question `qi`'s screen, in order.
    pub fn rows(&self, qi: QIdx) -> Vec<Row> {
        let question = &self.choices[self.qi].questions[qi];
        let mut rows = Vec::new();
        match question.kind() {
            Kind::Number { .. } | Kind::Text { .. } => {
                rows.push(Row::Field);
                if question.estimate().is_some() {
                    rows.push(Row::Estimate);
                }
            }
            _ => rows.extend((0..question.options.len()).map(Row::Option)),
        }
        if question.not_sure {
            rows.push(Row::NotSure);
        }
        rows
    }

    /// Answered questions on the path, for the side panel.
    pub fn answered_path(&self) -> Vec<QIdx> {
        let q = &self.choices[self.qi];
        self.ev
            .path
            .iter()
            .copied()
            .filter(|&i| self.answers.contains_key(q.questions[i].id()))
            .filter(|&i| Some(i) != self.ev.current)
            .collect()
    }

    /// Outcome results (indices into `ev.outcomes`) in the content's group order.
    pub fn result_items(&self) -> Vec<usize> {
        let q = &self.choices[self.qi];
        let mut items = Vec::new();
        for g in q.groups_in_order() {
            for (i, o) in self.ev.outcomes.iter().enumerate() {
                if q.outcomes[o.index].group == g {
                    items.push(i);
                }
            }
        }
        items
    }

    // ---------------------------------------------------------------- update

    /// Handles one message. Only key presses count: Windows also sends releases.
    pub fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Key(key) => {
                if key.kind != KeyEventKind::Press {
                    return;
                }
                if let Some(action) = keys::lookup(self.mode(), &key) {
                    self.update(action);
                }
            }
            Msg::Action(action) => self.update(action),
            Msg::Paste(text) => {
                if let Some(input) = self.active_input() {
                    input.insert_str(&text);
                }
            }
            Msg::Mouse(m) => match m.kind {
                MouseEventKind::ScrollUp => self.update(Action::Up),
                MouseEventKind::ScrollDown => self.update(Action::Down),
                _ => {}
            },
            Msg::Saved(seq) => {
                self.saved_seq = self.saved_seq.max(seq);
                self.save_error = None;
            }
            Msg::SaveFailed(why) => {
                self.status = Some(format!("Could not save: {why}"));
                self.save_error = Some(why);
            }
            Msg::Exported(Ok(path)) => self.status = Some(format!("Report written to {path}")),
            Msg::Exported(Err(why)) => self.status = Some(format!("Could not export: {why}")),
        }
    }

    fn active_input(&mut self) -> Option<&mut LineInput> {
        match &mut self.overlay {
            Some(Overlay::Note(i)) | Some(Overlay::Name { input: i, .. }) => Some(i),
            Some(Overlay::Estimate { inputs, at, .. }) => inputs.get_mut(*at),
            Some(_) => None,
            None if self.editing => Some(&mut self.field),
            None => None,
        }
    }

    /// Applies one action to the state.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Up | Action::Down) {
            self.status = None;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                return;
            }
            Action::Suspend => {
                self.effects.push(Effect::Suspend);
                return;
            }
            Action::ShowHelp => {
                self.overlay = Some(Overlay::Help);
                return;
            }
            _ => {}
        }
        match self.mode() {
            Mode::Help => {
                if action == Action::CloseOverlay {
                    self.overlay = None;
                }
            }
            Mode::Confirm => self.update_confirm(action),
            Mode::Input if self.overlay.is_some() => self.update_overlay_input(action),
            Mode::Input => self.update_field(action),
            Mode::Start => self.update_start(action),
            Mode::Answers => self.update_answers(action),
            Mode::Question => self.update_question(action),
            Mode::Results => self.update_results(action),
            Mode::Present => match action {
                Action::ToggleNotes => {
                    if let Some(p) = &mut self.present {
                        p.notes = !p.notes;
                    }
                }
                other => self.update_question(other),
            },
            Mode::PresentResults => self.update_present_results(action),
        }
        self.refresh_preview();
    }

    /// Results in content order, grouped: (group index, indices into `ev.outcomes`).
    pub fn result_groups(&self) -> Vec<(usize, Vec<usize>)> {
        let q = &self.choices[self.qi];
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for i in self.result_items() {
            let g = q.outcomes[self.ev.outcomes[i].index].group;
            match groups.last_mut() {
                Some((last, items)) if *last == g => items.push(i),
                _ => groups.push((g, vec![i])),
            }
        }
        groups
    }

    fn update_present_results(&mut self, action: Action) {
        let n = self.result_groups().len();
        match action {
            Action::Reveal => {
                if let Some(p) = &mut self.present {
                    p.revealed = (p.revealed + 1).min(n);
                }
            }
            Action::Unreveal => {
                if let Some(p) = &mut self.present {
                    p.revealed = p.revealed.saturating_sub(1);
                }
            }
            Action::Back => self.back(),
            _ => {}
        }
    }

    /// Recomputes facilitator mode's preview when the highlighted answer
    /// changed: the engine runs on the answers plus the candidate, once per
    /// change of highlight, never per frame.
    fn refresh_preview(&mut self) {
        if self.present.is_none() {
            return;
        }
        let candidate = match self.screen {
            Screen::Question(qi) if self.overlay.is_none() => {
                let question = &self.choices[self.qi].questions[qi];
                let empty_field =
                    matches!(question.kind(), Kind::Number { .. } | Kind::Text { .. })
                        && self.rows(qi).get(self.selected) == Some(&Row::Field)
                        && self.field.text().trim().is_empty();
                let none_ticked = self.is_multiple(qi) && !self.ticked.iter().any(|t| *t);
                if empty_field || none_ticked {
                    None
                } else {
                    self.draft_answer(qi)
                        .filter(|a| question.resolve(a).is_ok())
                        .map(|a| (qi, a))
                }
            }
            _ => None,
        };
        let Some(p) = &self.present else { return };
        if p.preview_for == candidate {
            return;
        }
        let preview = candidate.as_ref().map(|(qi, answer)| {
            let q = &self.choices[self.qi];
            let mut trial = self.answers.clone();
            trial.insert(q.questions[*qi].id().to_string(), answer.clone());
            let after = evaluate(q, &trial, self.today);
            let next = after
                .path
                .iter()
                .position(|x| x == qi)
                .and_then(|pos| after.path.get(pos + 1).copied());
            let changes = crate::engine::diff(&self.ev.statuses(q), &after.statuses(q));
            (next, changes)
        });
        if preview.is_some() {
            self.evaluations += 1;
        }
        if let Some(p) = &mut self.present {
            p.preview = preview.map(|(next, changes)| Preview { next, changes });
            p.preview_for = candidate;
        }
    }

    fn update_start(&mut self, action: Action) {
        let n = self.choices.len() + self.sessions.len();
        match action {
            Action::Up => self.start_selected = self.start_selected.saturating_sub(1),
            Action::Down => self.start_selected = (self.start_selected + 1).min(n - 1),
            Action::Confirm => {
                let i = self.start_selected;
                if i < self.choices.len() {
                    self.overlay = Some(Overlay::Name {
                        input: LineInput::default(),
                        questionnaire: i,
                    });
                } else if let Some(s) = self.sessions.get(i - self.choices.len()) {
                    self.effects.push(Effect::Resume(s.id.clone()));
                }
            }
            _ => {}
        }
    }

    fn update_answers(&mut self, action: Action) {
        let answered = self.answered_path();
        match action {
            Action::Up => self.side_selected = self.side_selected.saturating_sub(1),
            Action::Down => {
                self.side_selected = (self.side_selected + 1).min(answered.len().saturating_sub(1))
            }
            Action::Confirm => {
                if let Some(&qi) = answered.get(self.side_selected) {
                    self.enter_question(qi);
                }
            }
            Action::SwitchPanel => self.focus = Focus::Main,
            _ => {}
        }
    }

    fn current_question(&self) -> Option<QIdx> {
        match self.screen {
            Screen::Question(qi) => Some(qi),
            _ => None,
        }
    }

    fn update_question(&mut self, action: Action) {
        let Some(qi) = self.current_question() else {
            return;
        };
        let rows = self.rows(qi);
        match action {
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                self.editing = rows.get(self.selected) == Some(&Row::Field);
            }
            Action::Down => self.selected = (self.selected + 1).min(rows.len().saturating_sub(1)),
            Action::Toggle => self.toggle(qi, self.selected),
            Action::Pick(n) => {
                let n = n as usize;
                if n < rows.len() {
                    // A digit moves the selection (and ticks a checkbox);
                    // only Enter confirms, so "1 Enter" never answers twice.
                    self.selected = n;
                    if self.is_multiple(qi) {
                        self.toggle(qi, n);
                    }
                }
            }
            Action::Confirm => self.confirm_selected(qi),
            Action::Back => self.back(),
            Action::SwitchPanel => {
                if !self.answered_path().is_empty() {
                    self.focus = Focus::Answers;
                } else {
                    self.status = Some("No answers yet to go back to.".into());
                }
            }
            Action::ToggleHelpPanel => {
                self.help_panel = !self.help_panel;
                self.help_scroll = 0;
            }
            Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(5),
            Action::PageDown => self.help_scroll = self.help_scroll.saturating_add(5).min(500),
            Action::Note => {
                let id = self.choices[self.qi].questions[qi].id().to_string();
                let existing = self.notes.get(&id).cloned().unwrap_or_default();
                self.overlay = Some(Overlay::Note(LineInput::new(&existing)));
            }
            Action::ShowResults => self.enter_results(),
            _ => {}
        }
    }

    fn is_multiple(&self, qi: QIdx) -> bool {
        matches!(
            self.choices[self.qi].questions[qi].kind(),
            Kind::Multiple { .. }
        )
    }

    fn toggle(&mut self, qi: QIdx, row: usize) {
        if !self.is_multiple(qi) {
            return;
        }
        let rows = self.rows(qi);
        let Some(&r) = rows.get(row) else { return };
        let question = &self.choices[self.qi].questions[qi];
        let exclusive = |r: &Row| match r {
            Row::Option(o) => question.options[*o].exclusive,
            Row::NotSure => true,
            _ => false,
        };
        let on = !self.ticked[row];
        if on {
            // An exclusive option clears the others; any other clears the exclusive ones.
            let this_exclusive = exclusive(&r);
            for (i, other) in rows.iter().enumerate() {
                if i != row && (this_exclusive || exclusive(other)) {
                    self.ticked[i] = false;
                }
            }
        }
        self.ticked[row] = on;
        self.error = None;
    }

    /// The answer the current screen state stands for, if it makes one.
    fn draft_answer(&self, qi: QIdx) -> Option<Answer> {
        let rows = self.rows(qi);
        let question = &self.choices[self.qi].questions[qi];
        match question.kind() {
            Kind::Multiple { .. } => {
                let ticked: Vec<Row> = rows
                    .iter()
                    .zip(&self.ticked)
                    .filter(|(_, t)| **t)
                    .map(|(r, _)| *r)
                    .collect();
                if ticked.contains(&Row::NotSure) {
                    return Some(Answer::NotSure);
                }
                Some(Answer::Choices(
                    ticked
                        .iter()
                        .filter_map(|r| match r {
                            Row::Option(o) => Some(question.options[*o].id.clone()),
                            _ => None,
                        })
                        .collect(),
                ))
            }
            Kind::Single | Kind::YesNo => match rows.get(self.selected)? {
                Row::Option(o) => Some(Answer::Choice(question.options[*o].id.clone())),
                Row::NotSure => Some(Answer::NotSure),
                _ => None,
            },
            Kind::Number { .. } => Some(Answer::Number(self.field.text().trim().to_string())),
            Kind::Text { .. } => Some(Answer::Text(clean_user_text(self.field.text()))),
        }
    }

    fn confirm_selected(&mut self, qi: QIdx) {
        let rows = self.rows(qi);
        match rows.get(self.selected) {
            Some(Row::Estimate) => {
                let n = self.choices[self.qi].questions[qi]
                    .estimate()
                    .map_or(0, |e| e.inputs.len());
                self.overlay = Some(Overlay::Estimate {
                    inputs: vec![LineInput::default(); n],
                    at: 0,
                    error: None,
                });
            }
            Some(Row::NotSure) => self.confirm_answer(qi, Answer::NotSure),
            Some(Row::Field) if !self.editing => self.editing = true,
            _ => {
                if self.is_multiple(qi) && !self.ticked.iter().any(|t| *t) {
                    self.error =
                        Some("Tick at least one option with Space, then press Enter.".into());
                    return;
                }
                if let Some(a) = self.draft_answer(qi) {
                    self.confirm_answer(qi, a);
                }
            }
        }
    }

    /// Confirms `answer` to question `qi`: validates it, and when it changes an
    /// earlier answer in a way that changes outcomes, asks first.
    fn confirm_answer(&mut self, qi: QIdx, answer: Answer) {
        let q = &self.choices[self.qi];
        let question = &q.questions[qi];
        if let Err(message) = question.resolve(&answer) {
            self.error = Some(capitalise(&message));
            return;
        }
        let id = question.id().to_string();
        let previous = self.answers.get(&id);
        if previous == Some(&answer) {
            self.error = None;
            self.advance_from(qi);
            return;
        }
        if previous.is_some() {
            let mut trial = self.answers.clone();
            trial.insert(id, answer.clone());
            let after = evaluate(q, &trial, self.today);
            self.evaluations += 1;
            let changes = crate::engine::diff(&self.ev.statuses(q), &after.statuses(q));
            if !changes.is_empty() {
                self.overlay = Some(Overlay::Confirm {
                    question: qi,
                    answer,
                    changes,
                    after: Box::new(after),
                });
                return;
            }
            self.apply(qi, answer, Some(after));
        } else {
            self.apply(qi, answer, None);
        }
    }

    fn apply(&mut self, qi: QIdx, answer: Answer, after: Option<Evaluation>) {
        let id = self.choices[self.qi].questions[qi].id().to_string();
        self.answers.insert(id, answer);
        match after {
            Some(ev) => {
                self.ev = ev;
                self.flips = None;
            }
            None => self.reevaluate(),
        }
        self.request_save();
        self.error = None;
        self.advance_from(qi);
    }

    /// After answering `qi`: the next unanswered question, or the results.
    fn advance_from(&mut self, _qi: QIdx) {
        self.goto_frontier();
    }

    fn back(&mut self) {
        match self.screen {
            Screen::Question(qi) => {
                let path = &self.ev.path;
                match path.iter().position(|&q| q == qi) {
                    Some(0) => {
                        if self.sessions.is_empty() && self.choices.len() == 1 {
                            self.status = Some("This is the first question.".into());
                        } else {
                            self.screen = Screen::Start;
                            self.editing = false;
                        }
                    }
                    Some(pos) => self.enter_question(path[pos - 1]),
                    None => self.goto_frontier(),
                }
            }
            Screen::Results => {
                if let Some(qi) = self.ev.current.or(self.ev.path.last().copied()) {
                    self.enter_question(qi);
                }
            }
            Screen::Start => {}
        }
    }

    fn update_field(&mut self, action: Action) {
        let Some(qi) = self.current_question() else {
            return;
        };
        match action {
            Action::Confirm => {
                if self.field.text().trim().is_empty() {
                    self.error = Some(match self.choices[self.qi].questions[qi].kind() {
                        Kind::Number { .. } => "Type a number, for example 3e24 or 1.5B.".into(),
                        _ => "Type an answer first.".into(),
                    });
                    return;
                }
                if let Some(a) = self.draft_answer(qi) {
                    self.confirm_answer(qi, a);
                }
            }
            Action::LeaveInput => self.editing = false,
            Action::Up => {}
            Action::Down | Action::NextField => {
                let rows = self.rows(qi);
                if self.selected + 1 < rows.len() {
                    self.editing = false;
                    self.selected += 1;
                }
            }
            other => {
                edit(&mut self.field, other);
                self.error = None;
            }
        }
    }

    fn update_overlay_input(&mut self, action: Action) {
        let Some(overlay) = self.overlay.take() else {
            return;
        };
        match (overlay, action) {
            (
                Overlay::Note(_) | Overlay::Name { .. } | Overlay::Estimate { .. },
                Action::LeaveInput,
            ) => {}
            (Overlay::Note(input), Action::Confirm) => {
                if let Some(qi) = self.current_question() {
                    let id = self.choices[self.qi].questions[qi].id().to_string();
                    let text = clean_user_text(input.text());
                    if text.is_empty() {
                        self.notes.remove(&id);
                    } else {
                        self.notes.insert(id, text);
                    }
                    self.request_save();
                    self.status = Some("Note kept.".into());
                }
            }
            (
                Overlay::Name {
                    input,
                    questionnaire,
                },
                Action::Confirm,
            ) => {
                self.qi = questionnaire;
                self.name = clean_user_text(input.text());
                self.answers.clear();
                self.notes.clear();
                self.follow_up.clear();
                self.expanded.clear();
                self.reevaluate();
                self.request_save();
                self.goto_frontier();
            }
            (Overlay::Estimate { inputs, at, .. }, Action::Confirm) => {
                match self.compute_estimate(&inputs) {
                    Ok(text) => {
                        self.field = LineInput::new(&text);
                        self.selected = 0;
                        self.editing = true;
                        self.error = None;
                        self.status = Some("Estimate filled in: check it and press Enter.".into());
                    }
                    Err(e) => {
                        self.overlay = Some(Overlay::Estimate {
                            inputs,
                            at,
                            error: Some(e),
                        })
                    }
                }
            }
            (
                Overlay::Estimate { inputs, at, error },
                a @ (Action::Up | Action::Down | Action::NextField),
            ) => {
                let n = inputs.len().max(1);
                let at = match a {
                    Action::Up => (at + n - 1) % n,
                    _ => (at + 1) % n,
                };
                self.overlay = Some(Overlay::Estimate { inputs, at, error });
            }
            (Overlay::Estimate { mut inputs, at, .. }, a) => {
                if let Some(i) = inputs.get_mut(at) {
                    edit(i, a);
                }
                self.overlay = Some(Overlay::Estimate {
                    inputs,
                    at,
                    error: None,
                });
            }
            (Overlay::Note(mut input), a) => {
                edit(&mut input, a);
                self.overlay = Some(Overlay::Note(input));
            }
            (
                Overlay::Name {
                    mut input,
                    questionnaire,
                },
                a,
            ) => {
                edit(&mut input, a);
                self.overlay = Some(Overlay::Name {
                    input,
                    questionnaire,
                });
            }
            (other, _) => self.overlay = Some(other),
        }
    }

    fn compute_estimate(&self, inputs: &[LineInput]) -> Result<String, String> {
        let qi = self.current_question().ok_or("no question")?;
        let est = self.choices[self.qi].questions[qi]
            .estimate()
            .ok_or("no estimate helper")?;
        let mut value = est.factor;
        for (def, input) in est.inputs.iter().zip(inputs) {
            let n = parse_number(input.text()).map_err(|e| format!("{}: {e}", def.label))?;
            value *= n;
        }
        if !value.is_finite() {
            return Err("the estimate is too large to be a number".into());
        }
        Ok(format!("{value:e}"))
    }

    fn update_confirm(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                if let Some(Overlay::Confirm {
                    question,
                    answer,
                    after,
                    ..
                }) = self.overlay.take()
                {
                    self.apply(question, answer, Some(*after));
                }
            }
            Action::Cancel => {
                self.overlay = None;
                self.status = Some("Kept the old answer.".into());
            }
            _ => {}
        }
    }

    fn update_results(&mut self, action: Action) {
        let items = self.result_items();
        match action {
            Action::Up => {
                self.result_selected = self.result_selected.saturating_sub(1);
                self.result_scroll = 0;
            }
            Action::Down => {
                self.result_selected =
                    (self.result_selected + 1).min(items.len().saturating_sub(1));
                self.result_scroll = 0;
            }
            Action::Toggle | Action::Confirm => {
                if let Some(&i) = items.get(self.result_selected) {
                    let idx = self.ev.outcomes[i].index;
                    if !self.expanded.remove(&idx) {
                        self.expanded.insert(idx);
                        if self.flips.is_none() {
                            let q = &self.choices[self.qi];
                            self.flips = Some(what_if(q, &self.answers, self.today));
                            self.evaluations += 1;
                        }
                    }
                    self.result_scroll = 0;
                }
            }
            Action::CycleStatus => {
                if let Some(&i) = items.get(self.result_selected) {
                    let id = self.choices[self.qi].outcomes[self.ev.outcomes[i].index]
                        .id()
                        .to_string();
                    let next = match self.follow_up.get(&id) {
                        None => Some(FOLLOW_UP[0]),
                        Some(s) => FOLLOW_UP
                            .iter()
                            .position(|w| w == s)
                            .and_then(|p| FOLLOW_UP.get(p + 1))
                            .copied(),
                    };
                    match next {
                        Some(w) => self.follow_up.insert(id, w.to_string()),
                        None => self.follow_up.remove(&id),
                    };
                    let title = &self.choices[self.qi].outcomes[self.ev.outcomes[i].index]
                        .def
                        .title;
                    // The status word first, so a narrow footer cuts the title, not it.
                    self.status = Some(match next {
                        Some(w) => format!("Follow-up set to {w}: {title}"),
                        None => format!("Follow-up cleared (s sets it again): {title}"),
                    });
                    self.request_save();
                }
            }
            Action::Export => {
                let markdown = self.report_markdown();
                let stem = slug(if self.name.is_empty() {
                    &self.choices[self.qi].meta.id
                } else {
                    &self.name
                });
                self.effects.push(Effect::Export {
                    file_stem: format!("aiact-report-{stem}"),
                    markdown,
                });
            }
            Action::SwitchPanel if !self.answered_path().is_empty() => {
                self.focus = Focus::Answers;
            }
            Action::Back => self.back(),
            Action::PageUp => self.result_scroll = self.result_scroll.saturating_sub(5),
            Action::PageDown => self.result_scroll = self.result_scroll.saturating_add(5).min(1000),
            _ => {}
        }
    }

    /// The Markdown report of the assessment as it stands.
    pub fn report_markdown(&self) -> String {
        let q = &self.choices[self.qi];
        let info = SessionInfo {
            name: self.name.clone(),
            created: String::new(),
            updated: String::new(),
            notes: self
                .notes
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            follow_up: self
                .follow_up
                .iter()
                .map(|(k, v)| (k.clone(), v.clone(), String::new()))
                .collect(),
        };
        let mut report = Report::new(q, &self.answers, &self.ev);
        report.session = Some(&info);
        to_markdown(&report)
    }
}

fn edit(input: &mut LineInput, action: Action) {
    match action {
        Action::InsertChar(c) => input.insert(c),
        Action::DeleteBack => input.backspace(),
        Action::DeleteForward => input.delete(),
        Action::CursorLeft => input.left(),
        Action::CursorRight => input.right(),
        Action::Home => input.home(),
        Action::End => input.end(),
        _ => {}
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A file-name-safe version of a name: ASCII letters, digits and dashes.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "assessment".into()
    } else {
        out.chars().take(40).collect()
    }
}
