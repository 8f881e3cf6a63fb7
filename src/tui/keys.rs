//! Key bindings: one table per mode, each binding with the words the help
//! overlay shows. Behaviour and help are read from the same table, so the help
//! can never drift from what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::messages::Messages;

/// What the user can ask for. Both the vocabulary of the key tables and what
/// [`super::App::update`] consumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
    Up,
    Down,
    /// Confirm the answer, start the selected item, jump to the selected answer.
    Confirm,
    /// Tick or untick a checkbox; expand or collapse an outcome.
    Toggle,
    /// Pick option n (0-based) with a digit key.
    Pick(u8),
    Back,
    /// Move focus between the main panel and the answers panel.
    SwitchPanel,
    ToggleHelpPanel,
    ShowHelp,
    CloseOverlay,
    Note,
    ShowResults,
    CycleStatus,
    Export,
    PageUp,
    PageDown,
    /// Leave a text or number input (keeping what was typed).
    LeaveInput,
    InsertChar(char),
    DeleteBack,
    DeleteForward,
    CursorLeft,
    CursorRight,
    Home,
    End,
    NextField,
    Cancel,
    /// Show every "what would change this" line, or only the first few.
    AllWhatIf,
    /// Facilitator mode: show or hide the facilitator notes.
    ToggleNotes,
    /// Facilitator mode: reveal the next group of results.
    Reveal,
    /// Facilitator mode: hide the last revealed group again.
    Unreveal,
}

/// Which table is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Start,
    Question,
    Input,
    Answers,
    Results,
    Confirm,
    Help,
    /// Facilitator mode, on a question.
    Present,
    /// Facilitator mode, on the results.
    PresentResults,
}

impl Mode {
    /// The title of the help overlay for this mode.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Start => "Start",
            Mode::Question => "Answering a question",
            Mode::Input => "Typing",
            Mode::Answers => "Answers so far",
            Mode::Results => "Results",
            Mode::Confirm => "Confirm a change",
            Mode::Help => "Help",
            Mode::Present => "Presenting a question",
            Mode::PresentResults => "Presenting the results",
        }
    }

    /// The help overlay's title for this mode in the catalogue's language.
    pub fn title_in(self, m: &Messages) -> &str {
        let t = &m.modes;
        match self {
            Mode::Start => &t.start,
            Mode::Question => &t.question,
            Mode::Input => &t.input,
            Mode::Answers => &t.answers,
            Mode::Results => &t.results,
            Mode::Confirm => &t.confirm,
            Mode::Help => &t.help,
            Mode::Present => &t.present,
            Mode::PresentResults => &t.present_results,
        }
    }
}

type Key = (KeyCode, KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

/// One binding: the keys, how the help names them, what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The key of its words in the message catalogues (`assets/messages`).
    pub id: &'static str,
    pub keys: &'static [Key],
    /// How the keys are written in help and hints, e.g. `↑/k`.
    pub label: &'static str,
    pub action: Action,
    pub desc: &'static str,
    /// The footer's few words for it; empty when it is only in the help overlay.
    pub hint: &'static str,
}

impl Binding {
    /// The label without its alternates: `Tab (Shift+Tab)` is `Tab` in
    /// footers and hints, which have room for one way only; help and the
    /// README show the whole label.
    pub fn short(&self) -> &'static str {
        self.label.split(" (").next().unwrap_or(self.label)
    }

    /// The alternates in a label (`Shift+Tab` of `Tab (Shift+Tab)`), if any.
    pub fn alternates(&self) -> Option<&'static str> {
        let (_, rest) = self.label.split_once(" (")?;
        rest.strip_suffix(')')
    }

    /// What the help overlay says about the binding, in the catalogue's
    /// language (`desc` is the English, which the README's table shows).
    pub fn desc_in<'m>(&self, m: &'m Messages) -> &'m str {
        m.key(self.id).0
    }

    /// The footer's words for the binding in the catalogue's language
    /// (empty when it is only in the help overlay).
    pub fn hint_in<'m>(&self, m: &'m Messages) -> &'m str {
        m.key(self.id).1
    }
}

const fn b(
    id: &'static str,
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    desc: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        id,
        keys,
        label,
        action,
        desc,
        hint,
    }
}

const UP: &[Key] = &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)];
const DOWN: &[Key] = &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)];
/// While typing every printable key types itself: arrows only.
const ARROW_UP: &[Key] = &[(KeyCode::Up, NONE)];
const ARROW_DOWN: &[Key] = &[(KeyCode::Down, NONE)];
const ENTER: &[Key] = &[(KeyCode::Enter, NONE)];
const HELP: &[Key] = &[(KeyCode::Char('?'), NONE), (KeyCode::F(1), NONE)];
const QUIT: &[Key] = &[(KeyCode::Char('q'), NONE)];
const PGUP: &[Key] = &[(KeyCode::PageUp, NONE)];
const PGDN: &[Key] = &[(KeyCode::PageDown, NONE)];
const DIGITS: &[Key] = &[
    (KeyCode::Char('1'), NONE),
    (KeyCode::Char('2'), NONE),
    (KeyCode::Char('3'), NONE),
    (KeyCode::Char('4'), NONE),
    (KeyCode::Char('5'), NONE),
    (KeyCode::Char('6'), NONE),
    (KeyCode::Char('7'), NONE),
    (KeyCode::Char('8'), NONE),
    (KeyCode::Char('9'), NONE),
];

/// Bindings in force in every mode, listed last in the help.
pub const GLOBAL: &[Binding] = &[
    b(
        "quit_now",
        &[(KeyCode::Char('c'), CTRL)],
        "Ctrl+C",
        Action::Quit,
        "quit at once (an assessment's answers are already saved)",
        "",
    ),
    b(
        "suspend",
        &[(KeyCode::Char('z'), CTRL)],
        "Ctrl+Z",
        Action::Suspend,
        "suspend to the shell (`fg` brings it back)",
        "",
    ),
];

const START: &[Binding] = &[
    b("start.up", UP, "↑/k", Action::Up, "previous item", ""),
    b("start.down", DOWN, "↓/j", Action::Down, "next item", ""),
    b(
        "start.confirm",
        ENTER,
        "Enter",
        Action::Confirm,
        "start or resume the selected item",
        "start",
    ),
    b(
        "start.help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show these keys",
        "keys",
    ),
    b(
        "quit",
        &[(KeyCode::Char('q'), NONE), (KeyCode::Esc, NONE)],
        "q/Esc",
        Action::Quit,
        "quit",
        "quit",
    ),
];

const QUESTION: &[Binding] = &[
    b("question.up", UP, "↑/k", Action::Up, "previous option", ""),
    b(
        "question.down",
        DOWN,
        "↓/j",
        Action::Down,
        "next option",
        "",
    ),
    b(
        "question.confirm",
        ENTER,
        "Enter",
        Action::Confirm,
        "confirm the answer (or start typing in a field)",
        "confirm",
    ),
    b(
        "toggle",
        &[(KeyCode::Char(' '), NONE)],
        "Space",
        Action::Toggle,
        "tick or untick a checkbox",
        "",
    ),
    b(
        "question.pick",
        DIGITS,
        "1–9",
        Action::Pick(0),
        "select that option (ticks it in a checklist); Enter confirms",
        "",
    ),
    b(
        "question.back",
        &[(KeyCode::Backspace, NONE), (KeyCode::Esc, NONE)],
        "Bksp/Esc",
        Action::Back,
        "back to the previous question",
        "back",
    ),
    b(
        "question.answers",
        &[(KeyCode::Tab, NONE), (KeyCode::BackTab, NONE)],
        "Tab (Shift+Tab)",
        Action::SwitchPanel,
        "go to the answers so far (to change one)",
        "answers",
    ),
    b(
        "question.help_panel",
        &[(KeyCode::Char('h'), NONE)],
        "h",
        Action::ToggleHelpPanel,
        "show or hide help, why we ask, sources",
        "help",
    ),
    b(
        "question.help_up",
        PGUP,
        "PgUp",
        Action::PageUp,
        "scroll the help up",
        "",
    ),
    b(
        "question.help_down",
        PGDN,
        "PgDn",
        Action::PageDown,
        "scroll the help down",
        "",
    ),
    b(
        "question.note",
        &[(KeyCode::Char('n'), NONE)],
        "n",
        Action::Note,
        "write a note on this answer",
        "note",
    ),
    b(
        "question.results",
        &[(KeyCode::Char('r'), NONE)],
        "r",
        Action::ShowResults,
        "see the results so far",
        "results",
    ),
    b(
        "help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show all keys",
        "keys",
    ),
    b(
        "quit_kept",
        QUIT,
        "q",
        Action::Quit,
        "quit (answers are kept)",
        "quit",
    ),
];

const INPUT: &[Binding] = &[
    b(
        "input.confirm",
        ENTER,
        "Enter",
        Action::Confirm,
        "confirm what you typed",
        "confirm",
    ),
    b(
        "input.leave",
        &[(KeyCode::Esc, NONE)],
        "Esc",
        Action::LeaveInput,
        "leave the field",
        "leave field",
    ),
    b(
        "input.delete_back",
        &[(KeyCode::Backspace, NONE)],
        "Bksp",
        Action::DeleteBack,
        "delete before the cursor",
        "",
    ),
    b(
        "input.delete",
        &[(KeyCode::Delete, NONE)],
        "Del",
        Action::DeleteForward,
        "delete at the cursor",
        "",
    ),
    b(
        "input.left",
        &[(KeyCode::Left, NONE)],
        "←",
        Action::CursorLeft,
        "move the cursor left",
        "",
    ),
    b(
        "input.right",
        &[(KeyCode::Right, NONE)],
        "→",
        Action::CursorRight,
        "move the cursor right",
        "",
    ),
    b(
        "input.home",
        &[(KeyCode::Home, NONE), (KeyCode::Char('a'), CTRL)],
        "Home (Ctrl+A)",
        Action::Home,
        "start of the line",
        "",
    ),
    b(
        "input.end",
        &[(KeyCode::End, NONE), (KeyCode::Char('e'), CTRL)],
        "End (Ctrl+E)",
        Action::End,
        "end of the line",
        "",
    ),
    b(
        "input.next",
        &[(KeyCode::Tab, NONE), (KeyCode::BackTab, NONE)],
        "Tab (Shift+Tab)",
        Action::NextField,
        "next field (estimate helper)",
        "",
    ),
    b(
        "input.up",
        ARROW_UP,
        "↑",
        Action::Up,
        "previous field or option",
        "",
    ),
    b(
        "input.down",
        ARROW_DOWN,
        "↓",
        Action::Down,
        "next field or option",
        "",
    ),
];

const ANSWERS: &[Binding] = &[
    b("answers.up", UP, "↑/k", Action::Up, "previous answer", ""),
    b("answers.down", DOWN, "↓/j", Action::Down, "next answer", ""),
    b(
        "answers.go",
        ENTER,
        "Enter",
        Action::Confirm,
        "go back to this question",
        "go there",
    ),
    b(
        "answers.back",
        &[
            (KeyCode::Tab, NONE),
            (KeyCode::BackTab, NONE),
            (KeyCode::Esc, NONE),
        ],
        "Tab/Esc (Shift+Tab)",
        Action::SwitchPanel,
        "back to the main panel",
        "back",
    ),
    b(
        "help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show all keys",
        "keys",
    ),
    b(
        "quit_kept",
        QUIT,
        "q",
        Action::Quit,
        "quit (answers are kept)",
        "quit",
    ),
];

const RESULTS: &[Binding] = &[
    b("results.up", UP, "↑/k", Action::Up, "previous outcome", ""),
    b(
        "results.down",
        DOWN,
        "↓/j",
        Action::Down,
        "next outcome",
        "",
    ),
    b(
        "results.details",
        &[(KeyCode::Enter, NONE), (KeyCode::Char(' '), NONE)],
        "Enter (Space)",
        Action::Toggle,
        "open or close the outcome's details",
        "details",
    ),
    b(
        "results.status",
        &[(KeyCode::Char('s'), NONE)],
        "s",
        Action::CycleStatus,
        "change its follow-up status",
        "status",
    ),
    b(
        "results.what_if",
        &[(KeyCode::Char('w'), NONE)],
        "w",
        Action::AllWhatIf,
        "show every answer change that would change an outcome, or the first few",
        "",
    ),
    b(
        "results.export",
        &[(KeyCode::Char('e'), NONE)],
        "e",
        Action::Export,
        "export a Markdown report",
        "export",
    ),
    b(
        "results.answers",
        &[(KeyCode::Tab, NONE), (KeyCode::BackTab, NONE)],
        "Tab (Shift+Tab)",
        Action::SwitchPanel,
        "go to the answers (to change one)",
        "answers",
    ),
    b(
        "results.back",
        &[(KeyCode::Backspace, NONE), (KeyCode::Esc, NONE)],
        "Bksp/Esc",
        Action::Back,
        "back to the questions",
        "",
    ),
    b(
        "results.up_page",
        PGUP,
        "PgUp",
        Action::PageUp,
        "scroll up",
        "",
    ),
    b(
        "results.down_page",
        PGDN,
        "PgDn",
        Action::PageDown,
        "scroll down",
        "",
    ),
    b(
        "help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show all keys",
        "keys",
    ),
    b(
        "quit_kept",
        QUIT,
        "q",
        Action::Quit,
        "quit (answers are kept)",
        "quit",
    ),
];

const CONFIRM: &[Binding] = &[
    b(
        "confirm.yes",
        &[(KeyCode::Enter, NONE), (KeyCode::Char('y'), NONE)],
        "Enter/y",
        Action::Confirm,
        "change the answer",
        "change it",
    ),
    b(
        "confirm.no",
        &[(KeyCode::Esc, NONE), (KeyCode::Char('n'), NONE)],
        "Esc/n",
        Action::Cancel,
        "keep the old answer",
        "keep old",
    ),
];

const PRESENT: &[Binding] = &[
    b(
        "present.up",
        UP,
        "↑/k",
        Action::Up,
        "highlight the previous option (the preview follows)",
        "",
    ),
    b(
        "present.down",
        DOWN,
        "↓/j",
        Action::Down,
        "highlight the next option (the preview follows)",
        "",
    ),
    b(
        "present.confirm",
        ENTER,
        "Enter",
        Action::Confirm,
        "the room has decided: confirm the highlighted answer",
        "decide",
    ),
    b(
        "toggle",
        &[(KeyCode::Char(' '), NONE)],
        "Space",
        Action::Toggle,
        "tick or untick a checkbox",
        "",
    ),
    b(
        "present.pick",
        DIGITS,
        "1–9",
        Action::Pick(0),
        "highlight that option (ticks it in a checklist)",
        "",
    ),
    b(
        "question.back",
        &[(KeyCode::Backspace, NONE), (KeyCode::Esc, NONE)],
        "Bksp/Esc",
        Action::Back,
        "back to the previous question",
        "back",
    ),
    b(
        "present.notes",
        &[(KeyCode::Char('f'), NONE)],
        "f",
        Action::ToggleNotes,
        "show or hide the facilitator notes and discussion prompts",
        "notes",
    ),
    b(
        "present.results",
        &[(KeyCode::Char('r'), NONE)],
        "r",
        Action::ShowResults,
        "show the results so far",
        "results",
    ),
    b(
        "help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show all keys",
        "keys",
    ),
    b("quit", QUIT, "q", Action::Quit, "quit", "quit"),
];

const PRESENT_RESULTS: &[Binding] = &[
    b(
        "reveal",
        &[
            (KeyCode::Char(' '), NONE),
            (KeyCode::Right, NONE),
            (KeyCode::Enter, NONE),
        ],
        "Space/→ (Enter)",
        Action::Reveal,
        "reveal the next group of results",
        "reveal",
    ),
    b(
        "unreveal",
        &[(KeyCode::Left, NONE)],
        "←",
        Action::Unreveal,
        "hide the last revealed group again",
        "hide",
    ),
    b(
        "back_to_questions",
        &[(KeyCode::Backspace, NONE), (KeyCode::Esc, NONE)],
        "Bksp/Esc",
        Action::Back,
        "back to the questions",
        "back",
    ),
    b(
        "help",
        HELP,
        "? (F1)",
        Action::ShowHelp,
        "show all keys",
        "keys",
    ),
    b("quit", QUIT, "q", Action::Quit, "quit", "quit"),
];

const HELP_MODE: &[Binding] = &[b(
    "close_help",
    &[
        (KeyCode::Esc, NONE),
        (KeyCode::Char('?'), NONE),
        (KeyCode::Char('q'), NONE),
        (KeyCode::Enter, NONE),
    ],
    "Esc/? (q, Enter)",
    Action::CloseOverlay,
    "close this help",
    "close",
)];

/// The table of a mode (without the global bindings).
pub fn table(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Start => START,
        Mode::Question => QUESTION,
        Mode::Input => INPUT,
        Mode::Answers => ANSWERS,
        Mode::Results => RESULTS,
        Mode::Confirm => CONFIRM,
        Mode::Help => HELP_MODE,
        Mode::Present => PRESENT,
        Mode::PresentResults => PRESENT_RESULTS,
    }
}

/// Every mode, in the order the README's key table lists them.
pub const MODES: &[Mode] = &[
    Mode::Start,
    Mode::Question,
    Mode::Input,
    Mode::Answers,
    Mode::Results,
    Mode::Confirm,
    Mode::Help,
    Mode::Present,
    Mode::PresentResults,
];

/// The key tables as Markdown, for the README: generated from the same
/// bindings the app uses, and a test checks the README holds exactly this.
pub fn markdown_tables() -> String {
    let mut out = String::new();
    for &mode in MODES {
        out.push_str(&format!(
            "**{}**\n\n| keys | what they do |\n|---|---|\n",
            mode.title()
        ));
        for b in table(mode) {
            out.push_str(&format!(
                "| `{}` | {} |\n",
                b.label,
                b.desc.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out.push_str("**Everywhere**\n\n| keys | what they do |\n|---|---|\n");
    for b in GLOBAL {
        out.push_str(&format!("| `{}` | {} |\n", b.label, b.desc));
    }
    out
}

/// How the keys for `action` are written in `mode` (e.g. `Enter`, `s`), so
/// every hint in the app names the key that really does it. Falls back to
/// the global bindings; `"?"` never appears because every action a hint
/// names is bound (a test checks each one used).
pub fn label(mode: Mode, action: Action) -> &'static str {
    table(mode)
        .iter()
        .chain(GLOBAL)
        .find(|b| b.action == action)
        .map_or("?", |b| b.short())
}

/// A hint such as `Enter keep · Esc cancel`: each action's key label in
/// `mode` followed by the words.
pub fn hint(mode: Mode, items: &[(Action, &str)]) -> String {
    items
        .iter()
        .map(|(a, words)| format!("{} {words}", label(mode, *a)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn matches(key: &KeyEvent, (code, mods): &Key) -> bool {
    // Terminals differ on whether `?` or `A` carry SHIFT; ignore it for characters.
    let strip = |m: KeyModifiers| match key.code {
        KeyCode::Char(_) | KeyCode::BackTab => m - KeyModifiers::SHIFT,
        _ => m,
    };
    key.code == *code && strip(key.modifiers) == strip(*mods)
}

/// The action a key means in a mode, if any. In [`Mode::Input`] an unbound
/// printable character types itself.
pub fn lookup(mode: Mode, key: &KeyEvent) -> Option<Action> {
    for binding in GLOBAL.iter().chain(table(mode)) {
        if binding.keys.iter().any(|k| matches(key, k)) {
            return Some(match (binding.action, key.code) {
                (Action::Pick(_), KeyCode::Char(d)) if d.is_ascii_digit() => {
                    Action::Pick((d as u8 - b'1').min(8))
                }
                (a, _) => a,
            });
        }
    }
    if mode == Mode::Input
        && let KeyCode::Char(c) = key.code
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return Some(Action::InsertChar(c));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_mode_can_quit_or_leave_and_has_descriptions() {
        // MODES lists every mode once (a new mode fails to compile here
        // until it is numbered, and this fails until it is listed).
        let number = |m: Mode| match m {
            Mode::Start => 0,
            Mode::Question => 1,
            Mode::Input => 2,
            Mode::Answers => 3,
            Mode::Results => 4,
            Mode::Confirm => 5,
            Mode::Help => 6,
            Mode::Present => 7,
            Mode::PresentResults => 8,
        };
        let mut seen: Vec<usize> = MODES.iter().map(|&m| number(m)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..=8).collect::<Vec<_>>());
        for &mode in MODES {
            assert_eq!(
                lookup(mode, &key(KeyCode::Char('c'), CTRL)),
                Some(Action::Quit)
            );
            for binding in table(mode) {
                assert!(!binding.desc.is_empty() && !binding.label.is_empty());
                assert!(!binding.keys.is_empty());
            }
        }
    }

    #[test]
    fn the_english_catalogue_says_what_the_tables_say() {
        let en = crate::messages::english();
        let mut ids = std::collections::BTreeSet::new();
        for b in MODES.iter().flat_map(|&m| table(m)).chain(GLOBAL) {
            assert_eq!(b.desc_in(en), b.desc, "{}", b.id);
            assert_eq!(b.hint_in(en), b.hint, "{}", b.id);
            ids.insert(b.id);
        }
        for &mode in MODES {
            assert_eq!(mode.title_in(en), mode.title());
        }
        // Every catalogue has words for exactly the bindings there are.
        for &lang in crate::messages::languages() {
            let m = crate::messages::for_language(lang);
            let keys: std::collections::BTreeSet<&str> =
                m.keys.keys().map(String::as_str).collect();
            assert_eq!(keys, ids, "{lang}: key ids differ from the bindings");
            for b in MODES.iter().flat_map(|&m| table(m)).chain(GLOBAL) {
                assert_eq!(
                    b.hint_in(m).is_empty(),
                    b.hint.is_empty(),
                    "{lang}: {}",
                    b.id
                );
            }
        }
    }

    #[test]
    fn no_printable_key_is_bound_while_typing() {
        for c in (' '..='~').chain("äöüßéñ€✓中".chars()) {
            assert_eq!(
                lookup(Mode::Input, &key(KeyCode::Char(c), NONE)),
                Some(Action::InsertChar(c)),
                "{c:?} must type itself"
            );
            assert_eq!(
                lookup(Mode::Input, &key(KeyCode::Char(c), KeyModifiers::SHIFT)),
                Some(Action::InsertChar(c)),
                "shifted {c:?} must type itself"
            );
        }
        for binding in table(Mode::Input) {
            for (code, mods) in binding.keys {
                assert!(
                    !matches!(code, KeyCode::Char(_)) || mods.contains(CTRL),
                    "{} binds a printable key while typing",
                    binding.label
                );
            }
        }
    }

    #[test]
    fn labels_name_the_bound_keys() {
        assert_eq!(label(Mode::Results, Action::CycleStatus), "s");
        assert_eq!(label(Mode::Input, Action::Confirm), "Enter");
        assert_eq!(label(Mode::Start, Action::Quit), "q/Esc");
        assert_eq!(
            hint(
                Mode::Input,
                &[(Action::Confirm, "keep"), (Action::LeaveInput, "cancel")]
            ),
            "Enter keep · Esc cancel"
        );
    }

    #[test]
    fn typing_in_an_input_is_not_a_binding() {
        assert_eq!(
            lookup(Mode::Input, &key(KeyCode::Char('q'), NONE)),
            Some(Action::InsertChar('q'))
        );
        assert_eq!(
            lookup(Mode::Question, &key(KeyCode::Char('q'), NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(Mode::Question, &key(KeyCode::Char('3'), NONE)),
            Some(Action::Pick(2))
        );
        assert_eq!(
            lookup(
                Mode::Question,
                &key(KeyCode::Char('?'), KeyModifiers::SHIFT)
            ),
            Some(Action::ShowHelp)
        );
    }
}

#[cfg(test)]
mod labels_name_every_key {
    use super::*;

    /// How a key is written in labels.
    fn written(code: KeyCode, mods: KeyModifiers) -> String {
        match code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift+Tab".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                format!("Ctrl+{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        }
    }

    /// Help and the README's key table show labels: every key a binding
    /// answers to must be named in its label, so no key acts unannounced.
    #[test]
    fn every_bound_key_is_named_in_its_label() {
        let mut missing = Vec::new();
        for mode in MODES {
            for b in table(*mode).iter().chain(GLOBAL) {
                for &(code, mods) in b.keys {
                    let w = written(code, mods);
                    // Digits are shown as a range ("1-9").
                    let digit = matches!(code, KeyCode::Char(c) if c.is_ascii_digit());
                    if !digit && !b.label.contains(&w) {
                        missing.push(format!("{mode:?} {}: {w} not in {:?}", b.id, b.label));
                    }
                }
            }
        }
        missing.dedup();
        assert!(missing.is_empty(), "{missing:#?}");
    }
}
