//! The app state and `update`: messages in, state changed, effects out.
//!
//! `App` knows nothing about terminals: tests build one from a questionnaire
//! and drive it with keys. Anything that touches the outside world (saving,
//! writing a report, suspending) leaves as an [`Effect`] for the runner, and
//! its result comes back as a [`Msg`].

use std::collections::BTreeSet;

use jiff::civil::Date;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

use super::input::LineInput;
use super::keys::{self, Action, Mode};
use crate::answers::{Answer, Answers, parse_number};
use crate::engine::{Change, Evaluation, Flip, evaluate, what_if};
use crate::env::Clock;
use crate::messages::fill;
use crate::questionnaire::schema::Kind;
use crate::questionnaire::{Header, QIdx, Questionnaire};
use crate::report::{Report, to_markdown};
use crate::session::{Progress, Session};
use crate::text::clean_user_text;

/// A message for `update`.
#[derive(Debug, Clone)]
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
    /// The new assessment asked for with [`Effect::Create`] has its file:
    /// this is the session as stored (its name may have a `-2` added).
    Created(Box<Session>),
    /// A saved session asked for with [`Effect::Resume`] is open.
    Opened(Box<Opened>),
    /// The saved sessions, newest change first, for the start screen.
    Sessions(Vec<SessionSummary>),
    /// A session could not be opened; the message says why.
    OpenFailed(String),
    /// The new assessment's file could not be created: nothing of it is
    /// saved (the message says why).
    CreateFailed(String),
}

/// A session opened for the app, with what to tell the user about it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub session: Session,
    pub questionnaire: Questionnaire,
    /// Why changes will not be saved, when they won't (another aiact has it,
    /// or it was opened read-only on purpose).
    pub read_only: Option<String>,
    /// What changed since the last save, when the questionnaire did.
    pub notice: Option<String>,
}

/// Something the runner must do outside the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The session changed: save [`App::session`], then send `Msg::Saved(seq)`.
    Save(u64),
    /// Create the file of the new assessment [`App::session`] (under a free
    /// name), then send `Msg::Created`.
    Create,
    /// List the saved sessions again, then send `Msg::Sessions`.
    ListSessions,
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
    /// Moves past an information screen.
    Continue,
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

/// The follow-up statuses in the order the status key cycles through them
/// (after the last, the status is cleared).
pub const FOLLOW_UP: &[Progress] = &[Progress::NotStarted, Progress::InProgress, Progress::Done];

/// A questionnaire offered on the start screen. Its header (title,
/// description, hashes) is there at once; a shipped questionnaire's questions
/// are decoded the first time anything needs them — when it is chosen, or a
/// session on it resumed — so the start screen costs no loading at all.
/// Dereferences to the whole [`Questionnaire`], loading it if need be.
#[derive(Debug, Clone)]
pub struct Choice {
    header: Header,
    /// The shipped id to decode from, when not loaded yet.
    shipped: Option<&'static str>,
    full: std::cell::OnceCell<Questionnaire>,
}

impl Choice {
    /// A shipped questionnaire, not decoded until needed.
    pub fn shipped(id: &str) -> Option<Choice> {
        let (id, _, _) = crate::questionnaire::SHIPPED
            .iter()
            .find(|(sid, _, _)| *sid == id)?;
        Some(Choice {
            header: crate::questionnaire::shipped_header(id)?,
            shipped: Some(id),
            full: std::cell::OnceCell::new(),
        })
    }

    /// Every shipped questionnaire, in order, none decoded.
    pub fn all_shipped() -> Vec<Choice> {
        crate::questionnaire::SHIPPED
            .iter()
            .filter_map(|(id, _, _)| Choice::shipped(id))
            .collect()
    }

    /// Title, description, disclaimer: what the start screen shows.
    pub fn meta(&self) -> &crate::questionnaire::Meta {
        &self.header.meta
    }

    /// Whether the questions are loaded yet.
    pub fn is_loaded(&self) -> bool {
        self.full.get().is_some()
    }

    /// The whole questionnaire, decoded on first use.
    pub fn get(&self) -> &Questionnaire {
        self.full.get_or_init(|| {
            let id = self.shipped.expect("a choice is either loaded or shipped");
            crate::questionnaire::load_shipped(id)
                .expect("a shipped id")
                .expect("the embedded questionnaire decodes")
        })
    }

    /// A new, unnamed session on this questionnaire, before anything is
    /// chosen: it names the questionnaire without loading it.
    fn draft(&self, now: jiff::Timestamp) -> Session {
        match self.full.get() {
            Some(q) => Session::draft("", q, now),
            None => Session::draft_on(
                "",
                crate::session::QuestionnaireRef::shipped(&self.header),
                now,
            ),
        }
    }
}

impl From<Questionnaire> for Choice {
    fn from(q: Questionnaire) -> Choice {
        Choice {
            header: Header::of(&q),
            shipped: None,
            full: std::cell::OnceCell::from(q),
        }
    }
}

impl std::ops::Deref for Choice {
    type Target = Questionnaire;

    fn deref(&self) -> &Questionnaire {
        self.get()
    }
}

/// The whole state of the interface.
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) choices: Vec<Choice>,
    pub(crate) qi: usize,
    /// The assessment: answers, notes, follow-ups and position. The one copy
    /// of the user's work; saving writes exactly this value.
    pub(crate) session: Session,
    pub(crate) clock: Clock,
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
    /// Whether every what-if line is shown, not only the first few.
    pub(crate) all_flips: bool,
    // Start screen.
    pub(crate) sessions: Vec<SessionSummary>,
    pub(crate) start_selected: usize,
    /// Whether there is a start screen to go back to (not in facilitator
    /// mode or an app made for one questionnaire).
    has_start: bool,
    // Persistence and messages.
    /// Whether changes to the session on screen are saved.
    pub(crate) persistence: bool,
    /// Whether there is storage at all (a read-only session turns
    /// `persistence` off; the next one opened or created may turn it on).
    can_save: bool,
    pub(crate) save_seq: u64,
    /// A save was asked for while handling the current message.
    save_wanted: bool,
    pub(crate) saved_seq: u64,
    /// The last save asked for when a save failed.
    failed_seq: u64,
    pub(crate) save_error: Option<String>,
    /// Why the file of the assessment on screen could not be created: none
    /// of it is saved (said on leaving, as a failed save is).
    create_failed: Option<String>,
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
        let mut app = App::blank(vec![questionnaire.into()], today);
        let now = app.clock.now();
        for (id, a) in answers {
            app.session.set_answer(&id, a, now);
        }
        app.reevaluate();
        app.goto_frontier();
        app
    }

    /// An app on the start screen with nothing evaluated: the session is an
    /// unnamed draft on the first choice and the evaluation empty, until an
    /// assessment is started or resumed (each evaluates afresh).
    fn blank(choices: Vec<Choice>, today: Date) -> App {
        let clock = crate::env::Env::fixed(today).clock;
        let session = choices[0].draft(clock.now());
        let ev = Evaluation {
            path: Vec::new(),
            current: None,
            remaining: (0, 0),
            outcomes: Vec::new(),
            problems: Vec::new(),
            off_path: Vec::new(),
            today,
            info_screens: 0,
            concluded: None,
        };
        App {
            choices,
            qi: 0,
            session,
            clock,
            today,
            ev,
            evaluations: 0,
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
            all_flips: false,
            sessions: Vec::new(),
            start_selected: 0,
            has_start: false,
            persistence: false,
            can_save: false,
            save_seq: 0,
            save_wanted: false,
            saved_seq: 0,
            failed_seq: 0,
            save_error: None,
            create_failed: None,
            status: None,
            data_dir: None,
            color: true,
            present: None,
            effects: Vec::new(),
            quit: false,
        }
    }

    /// An app on the start screen, offering a new assessment of each
    /// questionnaire and the saved sessions to resume.
    /// Nothing is loaded or evaluated until an assessment is chosen: shipped
    /// questionnaires can be offered as [`Choice::shipped`], undecoded.
    pub fn start(
        choices: impl IntoIterator<Item = impl Into<Choice>>,
        sessions: Vec<SessionSummary>,
        today: Date,
    ) -> App {
        let choices: Vec<Choice> = choices.into_iter().map(Into::into).collect();
        assert!(!choices.is_empty(), "at least one questionnaire");
        let mut app = App::blank(choices, today);
        app.sessions = sessions;
        app.has_start = true;
        app.screen = Screen::Start;
        app.editing = false;
        app
    }

    /// Names the assessment (shown in the title and the report).
    pub fn with_name(mut self, name: &str) -> App {
        self.session.name = clean_user_text(name);
        self
    }

    /// The clock for the session's timestamps (the system clock in use).
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// Tells the app its changes are saved by the runner, so it shows the
    /// "saved" mark instead of saying that nothing is kept.
    pub fn with_persistence(mut self, on: bool) -> App {
        self.persistence = on;
        self.can_save = on;
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
    /// The assessment as it stands: what a save writes.
    pub fn session(&self) -> &Session {
        &self.session
    }
    /// The answers, as the engine reads them (derived from the session).
    pub fn answers(&self) -> Answers {
        self.session.answers()
    }
    /// The answer to question `id`, if any.
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.session.answers.get(id).map(|a| &a.answer)
    }
    /// The note on the answer to question `id`, if any.
    pub fn note(&self, id: &str) -> Option<&str> {
        self.session.answers.get(id)?.note.as_deref()
    }
    /// The follow-up status of outcome `id`, if one is set.
    pub fn follow_up(&self, id: &str) -> Option<Progress> {
        self.session.follow_up.get(id).map(|f| f.status)
    }
    pub fn name(&self) -> &str {
        &self.session.name
    }
    /// Why the latest changes are not on disk, when a save failed and no
    /// later one succeeded (said on leaving, so quitting never hides it).
    pub fn unsaved(&self) -> Option<&str> {
        if let Some(why) = &self.create_failed {
            return Some(why);
        }
        if !self.persistence {
            return None;
        }
        self.save_error
            .as_deref()
            .or((self.saved_seq < self.save_seq)
                .then_some("the disk did not confirm the last save"))
    }

    /// Whether changes are saved (false in read-only and facilitator mode).
    pub fn persistence(&self) -> bool {
        self.persistence
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

    /// Shows an opened session (resumed from the start screen or the
    /// command line): it becomes the app's assessment.
    pub fn open(&mut self, opened: Opened) {
        let Opened {
            session,
            questionnaire,
            read_only,
            notice,
        } = opened;
        match self
            .choices
            .iter()
            .position(|q| q.meta().id == questionnaire.meta.id)
        {
            Some(i) => {
                self.choices[i] = questionnaire.into();
                self.qi = i;
            }
            None => {
                self.choices.push(questionnaire.into());
                self.qi = self.choices.len() - 1;
            }
        }
        self.session = session;
        self.expanded.clear();
        self.save_error = None;
        self.create_failed = None;
        self.persistence = self.can_save && read_only.is_none();
        self.status = read_only.or(notice);
        self.reevaluate();
        self.goto_frontier();
        // Opening may have brought the session up to date (answers set
        // aside, the evaluation recorded): saving now keeps disk and screen
        // the same.
        self.request_save();
    }

    fn reevaluate(&mut self) {
        self.ev = evaluate(&self.choices[self.qi], &self.session.answers(), self.today);
        self.evaluations += 1;
        self.flips = None;
    }

    /// The single answer changes that would flip outcomes, once computed.
    pub fn flips(&self) -> Option<&[Flip]> {
        self.flips.as_deref()
    }

    /// Asks for the session to be saved once the current message is
    /// handled. Every change to the session ends here, so the file on disk
    /// is always the session as shown.
    fn request_save(&mut self) {
        self.save_wanted = true;
    }

    /// Records where the user is and what the outcomes are in the session,
    /// then emits one save for everything the message changed.
    fn flush_save(&mut self) {
        if !std::mem::take(&mut self.save_wanted) {
            return;
        }
        self.record_position();
        let q = &self.choices[self.qi];
        self.session.record_evaluation(q, &self.ev);
        self.save_seq += 1;
        self.effects.push(Effect::Save(self.save_seq));
    }

    /// The position to save: the question on screen, or the results. The
    /// start screen is not a place in a session, so it keeps the last one.
    fn position_now(&self) -> Option<(Option<String>, &'static str)> {
        let q = &self.choices[self.qi];
        match self.screen {
            Screen::Question(qi) => Some((Some(q.questions[qi].id().to_string()), "question")),
            Screen::Results => Some((
                self.ev.current.map(|c| q.questions[c].id().to_string()),
                "results",
            )),
            Screen::Start => None,
        }
    }

    fn record_position(&mut self) {
        if let Some((question, screen)) = self.position_now() {
            self.session.position.question = question;
            self.session.position.screen = screen.to_string();
        }
    }

    /// Saves when the position in the session changed (another question or
    /// screen), so resuming opens exactly there.
    fn save_position(&mut self) {
        if let Some((question, screen)) = self.position_now()
            && (self.session.position.question != question
                || self.session.position.screen != screen)
        {
            self.request_save();
        }
    }

    /// The "saved" mark: what the user is told about persistence.
    pub fn saved_mark(&self) -> (&'static str, bool) {
        let w = &self.messages().app;
        if !self.persistence {
            (&w.not_saved, false)
        } else if self.save_error.is_some() {
            (&w.save_failed, false)
        } else if self.saved_seq >= self.save_seq {
            (&w.saved, true)
        } else {
            (&w.saving, true)
        }
    }

    // ------------------------------------------------------------ navigation

    /// The next place to work: the first pre-filled answer still to be
    /// confirmed, else the first unanswered question, else the results.
    fn goto_frontier(&mut self) {
        let q = &self.choices[self.qi];
        let unconfirmed = self
            .ev
            .path
            .iter()
            .copied()
            .find(|&i| self.session.prefilled.contains_key(q.questions[i].id()));
        // Information screens right before the stop are shown first: they
        // introduce what comes next (or close the questionnaire).
        let stop = unconfirmed.or(self.ev.current);
        let path = &self.ev.path;
        let mut at = stop.map_or(path.len(), |c| {
            path.iter().position(|&i| i == c).unwrap_or(path.len())
        });
        while at > 0 && q.questions[path[at - 1]].is_info() {
            at -= 1;
        }
        match path.get(at) {
            Some(&i) if Some(i) != stop => self.enter_question(i),
            _ => match stop {
                Some(c) => self.enter_question(c),
                None => self.enter_results(),
            },
        }
    }

    /// Where the pre-answer to question `id` came from, while it waits to be
    /// confirmed.
    pub fn prefilled(&self, id: &str) -> Option<&str> {
        self.session.prefilled.get(id).map(String::as_str)
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
        self.save_position();
    }

    /// Shows question `qi` with its current answer (if any) pre-selected.
    pub fn enter_question(&mut self, qi: QIdx) {
        self.screen = Screen::Question(qi);
        self.focus = Focus::Main;
        self.error = None;
        self.help_scroll = 0;
        let rows = self.rows(qi);
        let question = &self.choices[self.qi].questions[qi];
        let answer = self
            .session
            .answers
            .get(question.id())
            .map(|a| a.answer.clone());
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
        self.save_position();
    }

    /// The rows of question `qi`'s screen, in order.
    pub fn rows(&self, qi: QIdx) -> Vec<Row> {
        let question = &self.choices[self.qi].questions[qi];
        let mut rows = Vec::new();
        match question.kind() {
            Kind::Info => rows.push(Row::Continue),
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
            .filter(|&i| self.session.answers.contains_key(q.questions[i].id()))
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
                // Only a save asked for after the failure clears it.
                if seq > self.failed_seq {
                    self.save_error = None;
                }
            }
            Msg::SaveFailed(why) => {
                self.status = Some(fill(&self.messages().app.could_not_save, &[("why", &why)]));
                self.save_error = Some(why);
                self.failed_seq = self.save_seq;
            }
            Msg::CreateFailed(why) => {
                // Saving the draft anywhere else could overwrite another
                // session: this assessment stays unsaved, and says so.
                self.persistence = false;
                self.status = Some(fill(
                    &self.messages().app.could_not_create,
                    &[("why", &why)],
                ));
                self.create_failed = Some(format!("its file could not be created: {why}"));
            }
            Msg::Exported(Ok(path)) => {
                self.status = Some(fill(
                    &self.messages().app.report_written,
                    &[("path", &path)],
                ))
            }
            Msg::Exported(Err(why)) => {
                self.status = Some(fill(
                    &self.messages().app.could_not_export,
                    &[("why", &why)],
                ))
            }
            Msg::Created(stored) => {
                // The store may have added `-2` to the name; all else is ours.
                self.session.name = stored.name.clone();
                self.status = Some(fill(
                    &self.messages().app.saving_as,
                    &[("name", &self.session.name)],
                ));
            }
            Msg::Opened(opened) => self.open(*opened),
            Msg::OpenFailed(why) => {
                self.status = Some(fill(&self.messages().app.could_not_open, &[("why", &why)]))
            }
            Msg::Sessions(list) => {
                self.sessions = list;
                let n = self.choices.len() + self.sessions.len();
                self.start_selected = self.start_selected.min(n - 1);
            }
        }
        self.flush_save();
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
        self.flush_save();
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
            let mut trial = self.session.answers();
            trial.insert(q.questions[*qi].id().to_string(), answer.clone());
            let after = evaluate(q, &trial, self.today);
            let next = after
                .path
                .iter()
                .position(|x| x == qi)
                .and_then(|pos| after.path.get(pos + 1).copied());
            let changes =
                crate::engine::diff(&self.ev.result_statuses(q), &after.result_statuses(q));
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
                    self.status = Some(self.messages().app.no_answers_yet.clone());
                }
            }
            Action::ToggleHelpPanel => {
                self.help_panel = !self.help_panel;
                self.help_scroll = 0;
            }
            Action::PageUp => self.help_scroll = self.help_scroll.saturating_sub(5),
            Action::PageDown => self.help_scroll = self.help_scroll.saturating_add(5).min(500),
            Action::Note => {
                let id = self.choices[self.qi].questions[qi].id();
                if self.session.answers.contains_key(id) {
                    let existing = self.note(id).unwrap_or_default().to_string();
                    self.overlay = Some(Overlay::Note(LineInput::new(&existing)));
                } else {
                    self.status = Some(self.messages().app.answer_first.clone());
                }
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
            Kind::Info => None,
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
            Some(Row::Continue) => self.continue_past(qi),
            Some(Row::Field) if !self.editing => self.editing = true,
            _ => {
                if self.is_multiple(qi) && !self.ticked.iter().any(|t| *t) {
                    self.error = Some(fill(
                        &self.messages().app.tick_one,
                        &[
                            ("tick", &keys::label(Mode::Question, Action::Toggle)),
                            ("confirm", &keys::label(Mode::Question, Action::Confirm)),
                        ],
                    ));
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
        let q = &self.choices[self.qi];
        let previous = self.session.answers.get(&id).map(|a| &a.answer);
        if previous == Some(&answer) {
            // Confirmed as it was: a pre-filled answer loses its mark.
            if self.session.prefilled.remove(&id).is_some() {
                self.request_save();
            }
            self.error = None;
            self.advance_from(qi);
            return;
        }
        if previous.is_some() {
            let mut trial = self.session.answers();
            trial.insert(id, answer.clone());
            let after = evaluate(q, &trial, self.today);
            self.evaluations += 1;
            let changes =
                crate::engine::diff(&self.ev.result_statuses(q), &after.result_statuses(q));
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
        let now = self.clock.now();
        self.session.set_answer(&id, answer, now);
        // Answered by the user now: no longer a pre-answer to confirm.
        self.session.prefilled.remove(&id);
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

    /// Past the information screen `qi`: the next step of the path as it
    /// is (an answered question is shown with its answer), or the results.
    fn continue_past(&mut self, qi: QIdx) {
        let path = &self.ev.path;
        match path.iter().position(|&q| q == qi) {
            Some(pos) if pos + 1 < path.len() => {
                let next = path[pos + 1];
                self.enter_question(next);
            }
            Some(_) if self.ev.is_complete() => self.enter_results(),
            _ => self.goto_frontier(),
        }
    }

    fn back(&mut self) {
        match self.screen {
            Screen::Question(qi) => {
                let path = &self.ev.path;
                match path.iter().position(|&q| q == qi) {
                    Some(0) => {
                        if !self.has_start {
                            self.status = Some(self.messages().app.first_question.clone());
                        } else {
                            self.screen = Screen::Start;
                            self.editing = false;
                            // The list may now hold this session too.
                            self.effects.push(Effect::ListSessions);
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
                        Kind::Number { .. } => self.messages().app.type_number.clone(),
                        _ => self.messages().app.type_answer.clone(),
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
                    let now = self.clock.now();
                    if self.session.set_note(&id, input.text(), now) {
                        self.request_save();
                        self.status = Some(match self.note(&id) {
                            Some(_) => self.messages().app.note_kept.clone(),
                            None => self.messages().app.note_removed.clone(),
                        });
                    }
                }
            }
            (
                Overlay::Name {
                    input,
                    questionnaire,
                },
                Action::Confirm,
            ) => {
                // A new assessment is a new session: nothing of the one
                // before carries over, and the store gives it its own file.
                let typed = clean_user_text(input.text());
                if !typed.trim().is_empty()
                    && let Err(e) = crate::session::check_name(&typed)
                {
                    self.status = Some(capitalise(&e.to_string()));
                    self.overlay = Some(Overlay::Name {
                        input,
                        questionnaire,
                    });
                    return;
                }
                self.qi = questionnaire;
                let now = self.clock.now();
                self.session = Session::draft(input.text(), &self.choices[questionnaire], now);
                self.persistence = self.can_save;
                self.expanded.clear();
                self.save_error = None;
                self.create_failed = None;
                self.reevaluate();
                self.effects.push(Effect::Create);
                self.goto_frontier();
            }
            (Overlay::Estimate { inputs, at, .. }, Action::Confirm) => {
                match self.compute_estimate(&inputs) {
                    Ok(text) => {
                        self.field = LineInput::new(&text);
                        self.selected = 0;
                        self.editing = true;
                        self.error = None;
                        self.status = Some(fill(
                            &self.messages().app.estimate_filled,
                            &[("key", &keys::label(Mode::Input, Action::Confirm))],
                        ));
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
            return Err(self.messages().app.estimate_too_large.clone());
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
                self.status = Some(self.messages().app.kept_old.clone());
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
                            self.flips = Some(what_if(q, &self.session.answers(), self.today));
                            self.evaluations += 1;
                        }
                    }
                    self.result_scroll = 0;
                }
            }
            Action::AllWhatIf => {
                self.all_flips = !self.all_flips;
                self.status = Some(if self.all_flips {
                    self.messages().app.showing_all.clone()
                } else {
                    self.messages().app.showing_relevant.clone()
                });
            }
            Action::CycleStatus => {
                if let Some(&i) = items.get(self.result_selected)
                    && self
                        .questionnaire()
                        .is_background(self.ev.outcomes[i].index)
                {
                    self.status = Some(self.messages().app.background_no_status.clone());
                } else if let Some(&i) = items.get(self.result_selected) {
                    let id = self.choices[self.qi].outcomes[self.ev.outcomes[i].index]
                        .id()
                        .to_string();
                    let next = match self.follow_up(&id) {
                        None => Some(FOLLOW_UP[0]),
                        Some(s) => FOLLOW_UP
                            .iter()
                            .position(|p| *p == s)
                            .and_then(|p| FOLLOW_UP.get(p + 1))
                            .copied(),
                    };
                    let now = self.clock.now();
                    match next {
                        Some(p) => {
                            let note = self
                                .session
                                .follow_up
                                .get(&id)
                                .map(|f| f.note.clone())
                                .unwrap_or_default();
                            self.session.set_follow_up(&id, p, &note, now);
                        }
                        None => self.session.clear_follow_up(&id, now),
                    }
                    let title = &self.choices[self.qi].outcomes[self.ev.outcomes[i].index]
                        .def
                        .title;
                    // The status word first, so a narrow footer cuts the title, not it.
                    let key = keys::label(Mode::Results, Action::CycleStatus);
                    self.status = Some(match next {
                        Some(p) => fill(
                            &self.messages().app.follow_up_set,
                            &[("status", &self.messages().progress(p)), ("title", &title)],
                        ),
                        None => fill(
                            &self.messages().app.follow_up_cleared,
                            &[("key", &key), ("title", &title)],
                        ),
                    });
                    self.request_save();
                }
            }
            Action::Export => {
                let markdown = self.report_markdown();
                let stem = crate::session::slug_of(if self.session.name.is_empty() {
                    &self.choices[self.qi].meta.id
                } else {
                    &self.session.name
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

    /// The Markdown report of the assessment as it stands, with the
    /// session's dates, notes and follow-ups.
    pub fn report_markdown(&self) -> String {
        let q = &self.choices[self.qi];
        let answers = self.session.answers();
        let info = crate::session::report_info(&self.session);
        let mut report = Report::new(q, &answers, &self.ev);
        report.session = Some(&info);
        report.prefilled = Some(&self.session.prefilled);
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
