//! The view: state in, frame out. Nothing here changes the app; scrolling
//! positions are derived from the state on every frame.
//!
//! Text is wrapped here by display width (so wide CJK characters and
//! right-to-left text never overflow), except URLs, which get a line of their
//! own and are never broken, so terminals can open them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::app::{App, Focus, Overlay, Row, Screen};
use super::input::LineInput;
use super::keys::{self, Action, Mode};
use crate::answers::Answer;
use crate::engine::Status;
use crate::messages::fill;
use crate::questionnaire::Questionnaire;
use crate::questionnaire::schema::Kind;
use crate::report::when_text;
use crate::text::printable_line;

/// Below this size the app asks for a larger window instead of drawing.
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 16;

/// The selection marker: visible without colour (NO_COLOR, monochrome).
pub const MARKER: &str = "›";

struct Theme {
    color: bool,
}

impl Theme {
    fn selected(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
    fn accent(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    fn error(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Red) } else { s }
    }
    fn warn(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Yellow) } else { s }
    }
    fn good(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Green)
        } else {
            Style::new()
        }
    }
    fn link(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::UNDERLINED);
        if self.color { s.fg(Color::Blue) } else { s }
    }
}

/// Wraps `text` to `width` display columns at spaces, breaking words longer
/// than a line (CJK text has no spaces) by character. Never panics.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in printable_line_keep_breaks(text).split('\n') {
        let mut line = String::new();
        let mut lw = 0usize;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let ww = word.width();
            if lw > 0 && lw + 1 + ww <= width {
                line.push(' ');
                line.push_str(word);
                lw += 1 + ww;
                continue;
            }
            if lw > 0 {
                out.push(std::mem::take(&mut line));
                lw = 0;
            }
            if ww <= width {
                line.push_str(word);
                lw = ww;
            } else {
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if lw + cw > width && lw > 0 {
                        out.push(std::mem::take(&mut line));
                        lw = 0;
                    }
                    line.push(c);
                    lw += cw;
                }
            }
        }
        out.push(line);
    }
    out
}

fn printable_line_keep_breaks(text: &str) -> String {
    crate::text::printable(text)
}

/// Cuts `text` to at most `width` columns, with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    let text = printable_line(text);
    if text.width() <= width {
        return text;
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

fn wrapped<'a>(text: &str, width: usize, style: Style, indent: &str) -> Vec<Line<'a>> {
    let w = width.saturating_sub(indent.width());
    wrap(text, w)
        .into_iter()
        .map(|l| Line::from(vec![Span::raw(indent.to_string()), Span::styled(l, style)]))
        .collect()
}

/// Content text as lines of at most `width` columns: plain text for format-1
/// questionnaires (and texts with no markup), light markup rendered for
/// format 2 (paragraphs, bullets with a hanging indent, emphasis, links).
pub(super) fn content<'a>(
    markup: bool,
    text: &str,
    width: usize,
    style: Style,
    indent: &str,
) -> Vec<Line<'a>> {
    if !markup || !crate::markup::has_markup(text) {
        return wrapped(text, width, style, indent);
    }
    let doc = crate::markup::parse(text);
    let mut out = Vec::new();
    for line in crate::markup::to_lines(&doc, style) {
        let hang = line
            .spans
            .first()
            .is_some_and(|s| s.content.starts_with("• "));
        out.extend(wrap_spans(line, width, indent, if hang { 2 } else { 0 }));
    }
    out
}

/// Wraps a line of styled spans at spaces, keeping each word's style;
/// continuation lines are indented by `hang` more columns (under a bullet's
/// text). Words longer than a line are cut by character.
fn wrap_spans<'a>(line: Line<'_>, width: usize, indent: &str, hang: usize) -> Vec<Line<'a>> {
    let width = width.saturating_sub(indent.width()).max(4);
    let mut out: Vec<Line<'a>> = Vec::new();
    // A line starts with the indent; continuation lines hang under the text.
    let start = |out: &Vec<Line<'a>>| -> (Vec<Span<'a>>, usize) {
        if out.is_empty() {
            (vec![Span::raw(indent.to_string())], 0)
        } else {
            (
                vec![Span::raw(format!("{indent}{}", " ".repeat(hang)))],
                hang,
            )
        }
    };
    let (mut current, mut used) = start(&out);
    // Nothing on the line yet but the indent.
    let mut fresh = true;
    // Whether a space came before the next word (within or across spans).
    let mut gap = false;
    for span in &line.spans {
        let text = printable_line(&span.content);
        for (k, word) in text.split(' ').enumerate() {
            if k > 0 {
                gap = true;
            }
            if word.is_empty() {
                continue;
            }
            let space = gap && !fresh;
            gap = false;
            let ww = word.width();
            if !fresh && used + ww + usize::from(space) > width {
                out.push(Line::from(std::mem::take(&mut current)));
                let (c, u) = start(&out);
                current = c;
                used = u;
            } else if space {
                current.push(Span::styled(" ", span.style));
                used += 1;
            }
            if used + ww <= width {
                current.push(Span::styled(word.to_string(), span.style));
                used += ww;
            } else {
                let mut piece = String::new();
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if used + cw > width && used > 0 {
                        current.push(Span::styled(std::mem::take(&mut piece), span.style));
                        out.push(Line::from(std::mem::take(&mut current)));
                        let (c2, u) = start(&out);
                        current = c2;
                        used = u;
                    }
                    piece.push(c);
                    used += cw;
                }
                current.push(Span::styled(piece, span.style));
            }
            fresh = false;
        }
    }
    out.push(Line::from(current));
    out
}

/// A bullet item ("• text") wrapped with a hanging indent: continuation
/// lines line up with the text after the bullet, not with the bullet.
pub(super) fn bullet<'a>(text: &str, width: usize, style: Style, indent: &str) -> Vec<Line<'a>> {
    let w = width.saturating_sub(indent.width() + 2);
    wrap(text, w)
        .into_iter()
        .enumerate()
        .map(|(k, l)| {
            let lead = if k == 0 { "• " } else { "  " };
            Line::from(vec![
                Span::raw(format!("{indent}{lead}")),
                Span::styled(l, style),
            ])
        })
        .collect()
}

/// Draws the whole app.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme { color: app.color };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(app, area, frame, &theme);
        return;
    }
    match &app.present {
        Some(p) => super::present::render(app, p, area, frame),
        None => render_screens(app, area, frame, &theme),
    }
    render_overlay(app, area, frame, &theme);
}

fn render_screens(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(app, header, frame, theme);
    match app.screen() {
        Screen::Start => render_start(app, body, frame, theme),
        Screen::Question(qi) => {
            let (main, side) = split_side(body, app.focus() == Focus::Answers);
            render_question(app, qi, main, frame, theme);
            if let Some(side) = side {
                render_side(app, side, frame, theme);
            }
        }
        Screen::Results => {
            let (main, side) = split_side(body, app.focus() == Focus::Answers);
            render_results(app, main, frame, theme);
            if let Some(side) = side {
                render_side(app, side, frame, theme);
            }
        }
    }
    render_footer(app, footer, frame, theme);
}

fn render_overlay(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    match app.overlay() {
        None => {}
        Some(Overlay::Help) => render_help(app, area, frame, theme),
        Some(Overlay::Note(input)) => {
            let w = &app.messages().app;
            let title = match app.screen() {
                Screen::Question(qi) => fill(
                    &w.note_on,
                    &[("question", &app.questionnaire().questions[qi].short())],
                ),
                _ => w.note.clone(),
            };
            render_input_box(
                area,
                frame,
                theme,
                &title,
                &w.note_text,
                input,
                &fill(
                    &w.note_hint,
                    &[(
                        "keys",
                        &keys::hint(
                            Mode::Input,
                            &[
                                (Action::Confirm, &w.hint_keep),
                                (Action::LeaveInput, &w.hint_cancel),
                            ],
                        ),
                    )],
                ),
            );
        }
        Some(Overlay::Name {
            input,
            questionnaire,
        }) => {
            let q = app.choices[*questionnaire].meta();
            let w = &app.messages().app;
            render_input_box(
                area,
                frame,
                theme,
                &fill(&w.new_assessment, &[("title", &q.title)]),
                &w.name_text,
                input,
                &keys::hint(
                    Mode::Input,
                    &[
                        (Action::Confirm, &w.hint_start),
                        (Action::LeaveInput, &w.hint_back),
                    ],
                ),
            );
        }
        Some(Overlay::Confirm { changes, .. }) => render_confirm(app, changes, area, frame, theme),
        Some(Overlay::Estimate { inputs, at, error }) => {
            render_estimate(app, inputs, *at, error.as_deref(), area, frame, theme)
        }
    }
}

fn render_too_small(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let text = fill(
        &app.messages().app.too_small,
        &[
            ("min_width", &MIN_WIDTH),
            ("min_height", &MIN_HEIGHT),
            ("width", &area.width),
            ("height", &area.height),
            ("key", &keys::label(app.mode(), Action::Quit)),
        ],
    );
    let lines: Vec<Line> = wrap(&text, area.width as usize)
        .into_iter()
        .map(|l| Line::styled(l, theme.warn()))
        .collect();
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(Paragraph::new(lines), rect);
}

/// The answers panel sits beside the main panel in wide windows; in
/// narrower ones it appears only while it has the focus (Tab).
fn split_side(body: Rect, focused: bool) -> (Rect, Option<Rect>) {
    let side_w = if body.width >= 120 {
        38
    } else if body.width >= 100 || focused {
        30
    } else {
        return (body, None);
    };
    let [main, side] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(side_w)]).areas(body);
    (main, Some(side))
}

fn render_header(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let ev = app.evaluation();
    let w = &app.messages().app;
    let mut right = String::new();
    if app.screen() != Screen::Start {
        let answered = ev.answered();
        right = match ev.current {
            None => fill(&w.all_answered, &[("n", &answered)]),
            Some(_) => {
                let (lo, hi) = ev.remaining;
                let left = if lo == hi {
                    fill(&w.about_left, &[("n", &lo)])
                } else {
                    fill(&w.about_range_left, &[("lo", &lo), ("hi", &hi)])
                };
                fill(&w.answered_left, &[("n", &answered), ("left", &left)])
            }
        };
        right.push_str(" · ");
    }
    let (mark, ok) = if app.screen() == Screen::Start {
        ("", true)
    } else {
        app.saved_mark()
    };
    let mark_style = if ok { theme.good() } else { theme.warn() };
    let right_w = right.width() + mark.width() + 1;
    let mut title = String::from(" aiact");
    if app.screen() != Screen::Start {
        title.push_str(" · ");
        title.push_str(&app.questionnaire().meta.title);
        if !app.name().is_empty() {
            title.push_str(" · ");
            title.push_str(app.name());
        }
    }
    let title = truncate(&title, (area.width as usize).saturating_sub(right_w + 1));
    let pad = (area.width as usize).saturating_sub(title.width() + right_w);
    let line = Line::from(vec![
        Span::styled(title, theme.accent()),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, theme.dim()),
        Span::styled(mark.to_string(), mark_style),
        Span::raw(" "),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn render_footer(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    if let Some(status) = &app.status {
        frame.render_widget(
            Paragraph::new(Line::styled(
                truncate(&format!(" {status}"), area.width as usize),
                theme.warn(),
            )),
            area,
        );
        return;
    }
    let mut spans = Vec::new();
    let mut used = 1;
    spans.push(Span::raw(" "));
    let m = app.messages();
    for b in keys::table(app.mode())
        .iter()
        .filter(|b| !b.hint.is_empty())
    {
        let hint = b.hint_in(m);
        let piece_w = b.short().width() + 1 + hint.width() + 2;
        if used + piece_w > area.width as usize {
            break;
        }
        used += piece_w;
        spans.push(Span::styled(b.short(), theme.accent()));
        spans.push(Span::styled(format!(" {hint}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn selectable(selected: bool, theme: &Theme, body: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = vec![Span::raw(if selected {
        format!(" {MARKER} ")
    } else {
        "   ".to_string()
    })];
    if selected {
        spans.extend(
            body.into_iter()
                .map(|s| Span::styled(s.content, s.style.patch(theme.selected()))),
        );
    } else {
        spans.extend(body);
    }
    Line::from(spans)
}

fn render_start(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let width = area.width.saturating_sub(2) as usize;
    let w = &app.messages().app;
    let mut lines: Vec<Line> = vec![Line::raw("")];
    lines.push(Line::styled(format!(" {}", w.start_new), theme.accent()));
    let mut i = 0;
    for q in &app.choices {
        let sel = app.start_selected == i;
        lines.push(selectable(
            sel,
            theme,
            vec![Span::raw(truncate(
                &q.meta().title,
                width.saturating_sub(4),
            ))],
        ));
        i += 1;
    }
    if !app.sessions.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {}", w.resume_saved), theme.accent()));
        for s in &app.sessions {
            // Lines past the bottom are cut anyway: a thousand sessions
            // cost no more to draw than a screenful.
            if lines.len() >= area.height as usize {
                break;
            }
            let sel = app.start_selected == i;
            let text = format!(
                "{} · {} · {} · {}",
                s.name, s.questionnaire, s.progress, s.changed
            );
            lines.push(selectable(
                sel,
                theme,
                vec![Span::raw(truncate(&text, width.saturating_sub(4)))],
            ));
            i += 1;
        }
    } else if !app.persistence {
        lines.push(Line::raw(""));
        lines.extend(wrapped(&w.no_saving, width, theme.dim(), " "));
    }
    // Headers only: nothing is loaded for the start screen.
    let q = app.choices[if app.start_selected < app.choices.len() {
        app.start_selected
    } else {
        app.qi
    }]
    .meta();
    lines.push(Line::raw(""));
    if !q.description.is_empty() {
        lines.extend(content(
            q.format_version >= 2,
            &q.description,
            width,
            Style::new(),
            " ",
        ));
        lines.push(Line::raw(""));
    }
    lines.extend(content(
        q.format_version >= 2,
        &q.disclaimer,
        width,
        theme.dim(),
        " ",
    ));
    if let Some(dir) = &app.data_dir {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            truncate(
                &format!(" {}", fill(&w.sessions_kept_in, &[("dir", dir)])),
                width,
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn answer_text(q: &Questionnaire, qi: usize, answer: &Answer) -> String {
    let not_sure = &crate::messages::for_language(&q.meta.language)
        .engine
        .not_sure;
    printable_line(&q.questions[qi].describe_in(answer, not_sure))
}

fn render_question(app: &App, qi: usize, area: Rect, frame: &mut Frame, theme: &Theme) {
    let q = app.questionnaire();
    let question = &q.questions[qi];
    let w = &app.messages().app;
    // Long lines are hard to read: prose stops at 100 columns in wide windows.
    let width = (area.width.saturating_sub(2) as usize).min(100);
    let rows = app.rows(qi);
    let mut top: Vec<Line> = vec![Line::raw("")];
    if let Some(k) = question.section {
        top.push(Line::styled(
            truncate(
                &format!(
                    " {}",
                    crate::messages::fill(
                        &w.section_part,
                        &[
                            ("title", &q.sections[k].title),
                            ("n", &(k + 1).to_string()),
                            ("total", &q.sections.len().to_string()),
                        ],
                    )
                ),
                width,
            ),
            theme.dim(),
        ));
    }
    top.extend(content(
        q.uses_markup(),
        &question.def.prompt,
        width,
        theme.accent(),
        " ",
    ));
    if question.is_info() && !question.def.help.is_empty() {
        // An information screen's text is its help: shown in full here.
        top.push(Line::raw(""));
        top.extend(content(
            q.uses_markup(),
            &question.def.help,
            width,
            Style::new(),
            " ",
        ));
    }
    let tick = keys::label(Mode::Question, Action::Toggle);
    let confirm = keys::label(Mode::Question, Action::Confirm);
    match question.kind() {
        Kind::Multiple { min, max } => {
            let keys: [(&str, &dyn std::fmt::Display); 2] =
                [("tick", &tick), ("confirm", &confirm)];
            let text = match (min.unwrap_or(1), max) {
                (1, None) => fill(&w.tick_all, &keys),
                (lo, None) => fill(&w.tick_at_least, &[keys[0], keys[1], ("n", &lo)]),
                (lo, Some(hi)) => {
                    fill(&w.tick_range, &[keys[0], keys[1], ("lo", &lo), ("hi", &hi)])
                }
            };
            top.push(Line::styled(format!(" {text}"), theme.dim()));
        }
        Kind::Number { unit: Some(u), .. } => {
            top.push(Line::styled(
                truncate(
                    &format!(" {}", fill(&w.number_in_unit, &[("unit", u)])),
                    width,
                ),
                theme.dim(),
            ));
        }
        Kind::Number { .. } => {
            top.push(Line::styled(format!(" {}", w.number_formats), theme.dim()));
        }
        _ => {}
    }
    top.push(Line::raw(""));
    let selected_row = if app.focus() == Focus::Main {
        Some(app.selected())
    } else {
        None
    };
    let mut selected_line = 0usize;
    for (i, row) in rows.iter().enumerate() {
        let sel = selected_row == Some(i);
        if sel {
            selected_line = top.len();
        }
        let digit = if i < 9 {
            format!("{} ", i + 1)
        } else {
            "  ".into()
        };
        let tick = |on: bool| {
            if matches!(question.kind(), Kind::Multiple { .. }) {
                if on { "[x] " } else { "[ ] " }
            } else if on {
                "(•) "
            } else {
                "( ) "
            }
        };
        let current = app.answer(question.id());
        match row {
            Row::Option(o) => {
                let opt = &question.options[*o];
                let on = match question.kind() {
                    Kind::Multiple { .. } => app.ticked.get(i).copied().unwrap_or(false),
                    _ => matches!(current, Some(Answer::Choice(id)) if *id == opt.id),
                };
                let label_w = width.saturating_sub(3 + 2 + 4);
                let label = wrap(&opt.label, label_w);
                for (k, part) in label.into_iter().enumerate() {
                    if k == 0 {
                        top.push(selectable(
                            sel,
                            theme,
                            vec![
                                Span::styled(digit.clone(), theme.dim()),
                                Span::raw(tick(on)),
                                Span::raw(part),
                            ],
                        ));
                    } else {
                        top.push(Line::from(vec![Span::raw("         "), Span::raw(part)]));
                    }
                }
                if sel && !opt.help.is_empty() {
                    top.extend(content(
                        q.uses_markup(),
                        &opt.help,
                        width,
                        theme.dim(),
                        "         ",
                    ));
                }
            }
            Row::NotSure => {
                let on = match question.kind() {
                    Kind::Multiple { .. } => app.ticked.get(i).copied().unwrap_or(false),
                    _ => matches!(current, Some(Answer::NotSure)),
                };
                top.push(selectable(
                    sel,
                    theme,
                    vec![
                        Span::styled(digit.clone(), theme.dim()),
                        Span::raw(tick(on)),
                        Span::raw(w.not_sure.as_str()),
                    ],
                ));
            }
            Row::Field => {
                let unit_w = match question.kind() {
                    Kind::Number { unit: Some(u), .. } => u.width().min(20) + 1,
                    _ => 0,
                };
                let field_w = width.saturating_sub(9 + unit_w).min(60);
                let mut spans = vec![Span::styled(digit.clone(), theme.dim())];
                spans.extend(input_spans(&app.field, field_w, app.editing && sel));
                if let Kind::Number { unit: Some(u), .. } = question.kind() {
                    spans.push(Span::styled(format!(" {}", truncate(u, 20)), theme.dim()));
                }
                top.push(selectable(sel, theme, spans));
                if sel && !app.editing {
                    top.push(Line::styled(
                        format!(
                            "         {}",
                            fill(
                                &w.enter_to_type,
                                &[("key", &keys::label(Mode::Question, Action::Confirm))]
                            )
                        ),
                        theme.dim(),
                    ));
                }
            }
            Row::Continue => {
                top.push(selectable(
                    sel,
                    theme,
                    vec![Span::raw(format!("{} ⏎", w.continue_label))],
                ));
            }
            Row::Estimate => {
                let label = question
                    .estimate()
                    .map_or(w.estimate_it.as_str(), |e| e.label.as_str());
                top.push(selectable(
                    sel,
                    theme,
                    vec![
                        Span::styled(digit.clone(), theme.dim()),
                        Span::raw(format!("≈ {}", truncate(label, width.saturating_sub(10)))),
                    ],
                ));
            }
        }
    }
    if let Some(err) = app.error() {
        top.push(Line::raw(""));
        top.extend(wrapped(&format!("✗ {err}"), width, theme.error(), " "));
    }
    if let Some(source) = app.prefilled(question.id()) {
        top.push(Line::raw(""));
        top.extend(wrapped(
            &fill(
                &w.prefilled,
                &[
                    ("source", &source),
                    ("key", &keys::label(Mode::Question, Action::Confirm)),
                ],
            ),
            width,
            theme.warn(),
            " ",
        ));
    }
    if let Some(note) = app.note(question.id()) {
        top.push(Line::raw(""));
        top.extend(wrapped(
            &fill(&w.note_line, &[("note", &note)]),
            width,
            theme.dim(),
            " ",
        ));
    }

    let help = help_lines(app, qi, width, theme);
    let has_help = app.help_panel && !help.is_empty();
    let top_h = top.len() as u16;
    let min_help = 5u16;
    let (top_area, help_area) = if has_help && area.height > top_h + min_help {
        let [a, b] =
            Layout::vertical([Constraint::Length(top_h), Constraint::Min(min_help)]).areas(area);
        (a, Some(b))
    } else if has_help && area.height >= top_h.min(area.height) + 3 && top_h < area.height {
        let [a, b] = Layout::vertical([Constraint::Length(top_h), Constraint::Min(3)]).areas(area);
        (a, Some(b))
    } else {
        (area, None)
    };
    // Keep the selected option in view when the options are longer than the area.
    let h = top_area.height as usize;
    let scroll = if selected_line >= h {
        (selected_line + 1 - h) as u16
    } else {
        0
    };
    frame.render_widget(Paragraph::new(top).scroll((scroll, 0)), top_area);
    if let Some(help_area) = help_area {
        let block = Block::new()
            .borders(Borders::TOP)
            .border_style(theme.dim())
            .title(Span::styled(
                format!(
                    " {} ",
                    fill(
                        &w.help_panel,
                        &[
                            (
                                "toggle",
                                &keys::label(Mode::Question, Action::ToggleHelpPanel)
                            ),
                            (
                                "pages",
                                &format!(
                                    "{}/{}",
                                    keys::label(Mode::Question, Action::PageUp),
                                    keys::label(Mode::Question, Action::PageDown)
                                ),
                            ),
                        ],
                    )
                ),
                theme.dim(),
            ));
        let inner = block.inner(help_area);
        frame.render_widget(block, help_area);
        let max = (help.len() as u16).saturating_sub(inner.height);
        frame.render_widget(
            Paragraph::new(help).scroll((app.help_scroll.min(max), 0)),
            inner,
        );
    } else if has_help {
        // No room: the footer's `h` hint still says how to get it.
    }
}

pub(super) fn input_spans(input: &LineInput, width: usize, active: bool) -> Vec<Span<'static>> {
    let chars: Vec<char> = input.text().chars().collect();
    let cursor = input.cursor();
    // Scroll horizontally so the cursor stays visible.
    let mut start = 0;
    let width = width.max(4);
    while chars[start..cursor]
        .iter()
        .map(|c| c.width().unwrap_or(0))
        .sum::<usize>()
        + 1
        > width
        && start < cursor
    {
        start += 1;
    }
    let mut before = String::new();
    let mut w = 0;
    let mut i = start;
    while i < cursor {
        before.push(chars[i]);
        w += chars[i].width().unwrap_or(0);
        i += 1;
    }
    let at: String = chars.get(cursor).map_or(" ".into(), |c| c.to_string());
    w += at.width();
    let mut after = String::new();
    for &c in chars.iter().skip(cursor + 1) {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        after.push(c);
        w += cw;
    }
    let fill = " ".repeat(width.saturating_sub(w));
    let field = Style::new().add_modifier(Modifier::UNDERLINED);
    let mut spans = vec![Span::raw("▏"), Span::styled(before, field)];
    if active {
        spans.push(Span::styled(at, field.add_modifier(Modifier::REVERSED)));
    } else {
        spans.push(Span::styled(at, field));
    }
    spans.push(Span::styled(after, field));
    spans.push(Span::styled(fill, field));
    spans.push(Span::raw("▕"));
    spans
}

fn citation_lines(
    q: &Questionnaire,
    cites: &[crate::questionnaire::schema::Citation],
    width: usize,
    theme: &Theme,
    indent: &str,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for c in cites {
        let (title, pinpoint, url) = q.cite(c);
        // A non-legal source may have no pinpoint (format 2).
        let name = if pinpoint.is_empty() {
            title
        } else {
            format!("{pinpoint} — {title}")
        };
        out.extend(bullet(&name, width, Style::new(), indent));
        if !url.is_empty() {
            // Whole, on its own line: never wrapped, so terminals can open it.
            out.push(Line::from(vec![
                Span::raw(format!("{indent}  ")),
                Span::styled(printable_line(&url), theme.link()),
            ]));
        }
    }
    out
}

fn help_lines(app: &App, qi: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let q = app.questionnaire();
    let def = &q.questions[qi].def;
    let m = app.messages();
    let mut out = Vec::new();
    // An information screen's help is its text, already shown in full.
    if !def.help.is_empty() && !q.questions[qi].is_info() {
        out.extend(content(
            q.uses_markup(),
            &def.help,
            width,
            Style::new(),
            " ",
        ));
    }
    if !def.why.is_empty() {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(
            format!(" {}", m.app.why_we_ask),
            theme.accent(),
        ));
        out.extend(content(q.uses_markup(), &def.why, width, Style::new(), " "));
    }
    if let Some(e) = q.questions[qi].estimate()
        && !e.help.is_empty()
    {
        out.push(Line::raw(""));
        out.push(Line::styled(format!(" {}", e.label), theme.accent()));
        out.extend(content(q.uses_markup(), &e.help, width, Style::new(), " "));
    }
    if !def.citations.is_empty() {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(
            format!(" {}", m.report.sources),
            theme.accent(),
        ));
        out.extend(citation_lines(q, &def.citations, width, theme, " "));
    }
    out
}

fn render_side(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let focused = app.focus() == Focus::Answers;
    let w = &app.messages().app;
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(if focused { theme.accent() } else { theme.dim() })
        .title(Span::styled(
            format!(" {} ", w.answers_so_far),
            if focused { theme.accent() } else { theme.dim() },
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let q = app.questionnaire();
    let width = inner.width.saturating_sub(3) as usize;
    let answered = app.answered_path();
    let mut lines = Vec::new();
    let mut selected_line = 0;
    if answered.is_empty() {
        lines.push(Line::styled(format!("   {}", w.none_yet), theme.dim()));
    }
    for (i, &qi) in answered.iter().enumerate() {
        let question = &q.questions[qi];
        let sel = focused && app.side_selected == i;
        let here = app.screen() == Screen::Question(qi);
        if sel {
            selected_line = lines.len();
        }
        let note = match (app.prefilled(question.id()), app.note(question.id())) {
            (Some(_), _) => format!(" {}", w.to_confirm),
            (None, Some(_)) => " ✎".to_string(),
            (None, None) => String::new(),
        };
        let head = format!("{}{note}", question.short());
        let style = if here { theme.accent() } else { Style::new() };
        lines.push(selectable(
            sel,
            theme,
            vec![Span::styled(truncate(&head, width), style)],
        ));
        let answer = app
            .answer(question.id())
            .map(|a| answer_text(q, qi, a))
            .unwrap_or_default();
        // A pre-answer is marked on its own line too, which is never cut.
        let (answer, style) = match app.prefilled(question.id()) {
            Some(_) => (format!("⟳ {answer}"), theme.warn()),
            None => (answer, theme.dim()),
        };
        lines.push(Line::styled(
            format!("   {}", truncate(&answer, width)),
            style,
        ));
    }
    let h = inner.height as usize;
    let scroll = if selected_line + 2 > h {
        (selected_line + 2 - h) as u16
    } else {
        0
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

fn status_tag(status: Status, m: &crate::messages::Messages) -> Option<&str> {
    match status {
        Status::Applies => None,
        Status::Provisional => Some(&m.report.provisional),
    }
}

fn render_results(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    let q = app.questionnaire();
    let ev = app.evaluation();
    let m = app.messages();
    let w = &m.app;
    let width = (area.width.saturating_sub(2) as usize).min(100);
    let mut lines: Vec<Line> = vec![Line::raw("")];
    if let Some(_c) = ev.current {
        let (lo, hi) = ev.remaining;
        let left = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo}–{hi}")
        };
        lines.extend(wrapped(
            &fill(
                &w.not_finished,
                &[
                    ("n", &left),
                    ("back", &keys::label(Mode::Results, Action::Back)),
                ],
            ),
            width,
            theme.warn(),
            " ",
        ));
        lines.push(Line::raw(""));
    } else {
        lines.push(Line::styled(
            truncate(
                &format!(
                    " {}",
                    fill(
                        &w.results_as_of,
                        &[
                            ("date", &m.long_date(app.today())),
                            ("open", &keys::label(Mode::Results, Action::Toggle)),
                        ]
                    )
                ),
                width,
            ),
            theme.dim(),
        ));
        lines.push(Line::raw(""));
    }
    let unconfirmed: Vec<&str> = app
        .answered_path()
        .iter()
        .map(|&qi| &q.questions[qi])
        .filter(|question| app.prefilled(question.id()).is_some())
        .map(|question| question.short())
        .collect();
    if !unconfirmed.is_empty() {
        lines.extend(wrapped(
            &format!(
                "⟳ Pre-filled, not yet confirmed: {}. These results rest on them.",
                unconfirmed.join(", ")
            ),
            width,
            theme.warn(),
            " ",
        ));
        lines.push(Line::raw(""));
    }
    let items = app.result_items();
    if items.iter().all(|&i| q.is_background(ev.outcomes[i].index)) {
        lines.extend(wrapped(&w.no_outcome_applies, width, Style::new(), " "));
    }
    let mut sel_start = 0usize;
    let mut sel_end = 0usize;
    let mut last_group = None;
    for (pos, &i) in items.iter().enumerate() {
        let o = &ev.outcomes[i];
        let outcome = &q.outcomes[o.index];
        // Background (the content says which groups are): read, not done;
        // no status, no dates, no follow-up, no what-if.
        let background = q.groups[outcome.group].background;
        if last_group != Some(outcome.group) {
            if last_group.is_some() {
                lines.push(Line::raw(""));
            }
            last_group = Some(outcome.group);
            let group = &q.groups[outcome.group];
            let title = if background {
                format!(" {}", fill(&w.background, &[("title", &group.title)]))
            } else {
                format!(" {}", group.title)
            };
            lines.push(Line::styled(
                truncate(&title, width),
                theme.accent().add_modifier(Modifier::UNDERLINED),
            ));
            if background && !group.description.is_empty() {
                lines.extend(wrapped(&group.description, width, theme.dim(), " "));
            }
        }
        let sel = app.focus() == Focus::Main && app.result_selected == pos;
        let open = app.expanded.contains(&o.index);
        if sel {
            sel_start = lines.len();
        }
        let mut tags = Vec::new();
        if !background && let Some(t) = status_tag(o.status, m) {
            tags.push(t.to_string());
        }
        if !background && let Some(s) = app.follow_up(outcome.id()) {
            tags.push(m.progress(s).to_string());
        }
        let tag_text = if tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", tags.join(" · "))
        };
        let arrow = if open { "▾ " } else { "▸ " };
        let title_w = width.saturating_sub(5 + tag_text.width());
        let mut spans = vec![
            Span::raw(arrow),
            Span::raw(truncate(&outcome.def.title, title_w.max(10))),
        ];
        if !tag_text.is_empty() {
            let style = if o.status == Status::Provisional {
                theme.warn()
            } else {
                theme.dim()
            };
            spans.push(Span::styled(tag_text, style));
        }
        lines.push(selectable(sel, theme, spans));
        if !open && !background && !o.in_force(app.today()) {
            lines.push(Line::styled(
                truncate(
                    &format!("     {}", when_text(o.applies_from, app.today(), m)),
                    width,
                ),
                theme.dim(),
            ));
        }
        if open {
            let ind = "     ";
            lines.extend(content(
                q.uses_markup(),
                &outcome.def.summary,
                width,
                Style::new(),
                ind,
            ));
            lines.push(Line::raw(""));
            if q.uses_markup() {
                lines.extend(content(
                    q.uses_markup(),
                    &outcome.def.explanation,
                    width,
                    Style::new(),
                    ind,
                ));
            } else {
                for (k, para) in outcome.def.explanation.split("\n\n").enumerate() {
                    if k > 0 {
                        lines.push(Line::raw(""));
                    }
                    lines.extend(wrapped(para.trim(), width, Style::new(), ind));
                }
            }
            lines.push(Line::raw(""));
            if !background {
                lines.extend(wrapped(
                    &format!(
                        "{}: {}",
                        m.report.when,
                        when_text(o.applies_from, app.today(), m)
                    ),
                    width,
                    Style::new(),
                    ind,
                ));
            }
            if !o.reasons.is_empty() {
                let label = if background {
                    &m.report.shown_because
                } else if o.status == Status::Provisional {
                    &m.report.depends_on
                } else {
                    &m.report.because
                };
                lines.push(Line::styled(format!("{ind}{label}:"), theme.accent()));
                for r in &o.reasons {
                    lines.extend(bullet(&r.text, width, Style::new(), ind));
                }
            }
            if let Some(flips) = app.flips().filter(|_| !background) {
                // Ranked by the engine (most relevant first), one line per
                // question and consequence.
                let mine: Vec<_> = crate::engine::group_by_question(flips)
                    .into_iter()
                    .filter(|g| g.first().outcome == outcome.id())
                    .collect();
                lines.push(Line::styled(
                    format!("{ind}{}:", m.report.what_would_change),
                    theme.accent(),
                ));
                if mine.is_empty() {
                    lines.extend(wrapped(&w.no_single_change, width, theme.dim(), ind));
                }
                const SHOWN: usize = 4;
                let shown = if app.all_flips { mine.len() } else { SHOWN };
                for g in mine.iter().take(shown) {
                    let style = if g.first().changes_date() {
                        theme.accent()
                    } else {
                        Style::new()
                    };
                    lines.extend(bullet(&g.text(q), width, style, ind));
                }
                let all_key = keys::label(Mode::Results, Action::AllWhatIf);
                if mine.len() > shown {
                    lines.push(Line::styled(
                        format!(
                            "{ind}{}",
                            fill(
                                &w.and_more_all,
                                &[("n", &(mine.len() - shown)), ("key", &all_key)]
                            )
                        ),
                        theme.dim(),
                    ));
                } else if app.all_flips && mine.len() > SHOWN {
                    lines.push(Line::styled(
                        format!(
                            "{ind}{}",
                            fill(&w.first_only, &[("key", &all_key), ("n", &SHOWN)])
                        ),
                        theme.dim(),
                    ));
                }
            }
            if !outcome.def.citations.is_empty() {
                lines.push(Line::styled(
                    format!("{ind}{}:", m.report.sources),
                    theme.accent(),
                ));
                lines.extend(citation_lines(q, &outcome.def.citations, width, theme, ind));
            } else if let Some(why) = &outcome.def.no_source {
                lines.push(Line::styled(
                    format!("{ind}{}: {}", m.report.sources, m.report.sources_none),
                    theme.accent(),
                ));
                lines.extend(content(q.uses_markup(), why, width, Style::new(), ind));
            }
            if !background {
                let set_key = keys::label(Mode::Results, keys::Action::CycleStatus);
                let status = app.follow_up(outcome.id()).map_or_else(
                    || fill(&w.follow_up_none, &[("key", &set_key)]),
                    |s| m.progress(s).to_string(),
                );
                lines.push(Line::styled(
                    format!("{ind}{}: {status}", m.report.follow_up),
                    theme.dim(),
                ));
            }
            lines.push(Line::raw(""));
        } else if sel {
            lines.extend(wrapped(&outcome.def.summary, width, theme.dim(), "     "));
        }
        if sel {
            sel_end = lines.len();
        }
    }
    lines.push(Line::raw(""));
    lines.extend(content(
        q.uses_markup(),
        &q.meta.disclaimer,
        width,
        theme.dim(),
        " ",
    ));
    let h = area.height as usize;
    let base = if sel_end > h {
        (sel_end - h).min(sel_start)
    } else {
        0
    };
    let max = lines.len().saturating_sub(h);
    let scroll = (base + app.result_scroll as usize).min(max.max(base)) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width.saturating_sub(2));
    let h = height.min(area.height.saturating_sub(2));
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn overlay_block(title: &str, theme: &Theme) -> Block<'static> {
    Block::bordered()
        .border_style(theme.accent())
        .title(Span::styled(format!(" {title} "), theme.accent()))
}

fn render_help(app: &App, area: Rect, frame: &mut Frame, theme: &Theme) {
    // The mode underneath the overlay: its table is what the help describes.
    let mode = {
        let mut under = app.clone();
        under.overlay = None;
        under.mode()
    };
    let m = app.messages();
    let mut lines = vec![Line::raw("")];
    let table = keys::table(mode);
    let label_w = table
        .iter()
        .chain(keys::GLOBAL)
        .map(|b| b.short().width())
        .max()
        .unwrap_or(4);
    for b in table.iter().chain(keys::GLOBAL) {
        // Other keys that do the same go after the words, so the column
        // of keys stays narrow.
        let desc = match b.alternates() {
            Some(also) => format!("{} · {also}", b.desc_in(m)),
            None => b.desc_in(m).to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<w$} ", b.short(), w = label_w), theme.accent()),
            Span::raw(desc),
        ]));
    }
    if mode == Mode::Input {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<w$} ", "a–z 0–9", w = label_w), theme.accent()),
            Span::raw(m.app.type_pasting.as_str()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {}",
            fill(
                &m.app.closes_help,
                &[("key", &keys::label(Mode::Help, Action::CloseOverlay))]
            )
        ),
        theme.dim(),
    ));
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(40) as u16 + 4;
    let rect = centered(area, width.max(40), lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = overlay_block(
        &fill(&m.app.keys_title, &[("mode", &mode.title_in(m))]),
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_input_box(
    area: Rect,
    frame: &mut Frame,
    theme: &Theme,
    title: &str,
    text: &str,
    input: &LineInput,
    hint: &str,
) {
    let width = area.width.saturating_sub(6).min(70);
    let inner_w = width.saturating_sub(4) as usize;
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(text, inner_w, Style::new(), " "));
    lines.push(Line::raw(""));
    let mut spans = vec![Span::raw(" ")];
    spans.extend(input_spans(input, inner_w.saturating_sub(3), true));
    lines.push(Line::from(spans));
    lines.push(Line::raw(""));
    lines.push(Line::styled(format!(" {hint}"), theme.dim()));
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = overlay_block(&truncate(title, inner_w), theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_confirm(
    app: &App,
    changes: &[crate::engine::Change],
    area: Rect,
    frame: &mut Frame,
    theme: &Theme,
) {
    let q = app.questionnaire();
    let m = app.messages();
    let width = area.width.saturating_sub(6).min(76);
    let inner_w = width.saturating_sub(3) as usize;
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(&m.app.confirm_changes, inner_w, Style::new(), " "));
    lines.push(Line::raw(""));
    let word = |s: Option<Status>| match s {
        None => m.report.does_not_apply.as_str(),
        Some(s) => m.status(s),
    };
    for c in changes.iter().take(12) {
        let title = q
            .outcome(&c.id)
            .map_or(c.id.as_str(), |o| o.def.title.as_str());
        let sign = match (c.before, c.after) {
            (None, _) => "+",
            (_, None) => "−",
            _ => "~",
        };
        lines.extend(wrapped(
            &format!("{sign} {title}: {} → {}", word(c.before), word(c.after)),
            inner_w,
            Style::new(),
            " ",
        ));
    }
    if changes.len() > 12 {
        lines.push(Line::raw(format!(
            " {}",
            fill(&m.app.and_more, &[("n", &(changes.len() - 12))])
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {}",
            fill(
                &m.app.confirm_hint,
                &[
                    ("yes", &keys::label(Mode::Confirm, Action::Confirm)),
                    ("no", &keys::label(Mode::Confirm, Action::Cancel)),
                ]
            )
        ),
        theme.dim(),
    ));
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = overlay_block(&m.app.confirm_title, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_estimate(
    app: &App,
    inputs: &[LineInput],
    at: usize,
    error: Option<&str>,
    area: Rect,
    frame: &mut Frame,
    theme: &Theme,
) {
    let Screen::Question(qi) = app.screen() else {
        return;
    };
    let Some(est) = app.questionnaire().questions[qi].estimate() else {
        return;
    };
    let w = &app.messages().app;
    let width = area.width.saturating_sub(6).min(70);
    let inner_w = width.saturating_sub(3) as usize;
    let mut lines = vec![Line::raw("")];
    if !est.help.is_empty() {
        lines.extend(wrapped(&est.help, inner_w, theme.dim(), " "));
        lines.push(Line::raw(""));
    }
    let label_w = est
        .inputs
        .iter()
        .map(|i| i.label.width())
        .max()
        .unwrap_or(8)
        .min(inner_w / 2);
    for (k, (def, input)) in est.inputs.iter().zip(inputs).enumerate() {
        let sel = k == at;
        let label = truncate(&def.label, label_w);
        let pad = " ".repeat(label_w.saturating_sub(label.width()));
        let mut spans = vec![Span::raw(format!("{label}{pad} "))];
        spans.extend(input_spans(input, inner_w.saturating_sub(label_w + 6), sel));
        lines.push(selectable(sel, theme, spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(" {}", fill(&w.times_inputs, &[("factor", &est.factor)])),
        theme.dim(),
    ));
    if let Some(e) = error {
        lines.extend(wrapped(&format!("✗ {e}"), inner_w, theme.error(), " "));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {}",
            fill(
                &w.next_field,
                &[
                    (
                        "keys",
                        &format!(
                            "{}/{}{}",
                            keys::label(Mode::Input, Action::NextField),
                            keys::label(Mode::Input, Action::Up),
                            keys::label(Mode::Input, Action::Down)
                        )
                    ),
                    (
                        "hint",
                        &keys::hint(
                            Mode::Input,
                            &[
                                (Action::Confirm, &w.hint_compute),
                                (Action::LeaveInput, &w.hint_cancel)
                            ]
                        )
                    )
                ]
            )
        ),
        theme.dim(),
    ));
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = overlay_block(&truncate(&est.label, inner_w), theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        let cjk = wrap("日本語のテキストです", 6);
        assert!(cjk.iter().all(|l| l.width() <= 6), "{cjk:?}");
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("abc", 0), vec!["a", "b", "c"]);
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
    }

    #[test]
    fn bullets_hang_under_their_text() {
        let lines: Vec<String> = bullet("one two three four", 12, Style::new(), "  ")
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(lines, vec!["  • one two", "    three", "    four"]);
    }

    /// Format 2's markup: words keep their style across line breaks, spans
    /// join with exactly the spaces written, bullets hang under their text,
    /// and format 1 shows the same text plain.
    #[test]
    fn markup_wraps_with_styles_and_hanging_bullets() {
        let lines = content(
            true,
            "Some *emphasised words* here.\n\n- a bullet long enough to wrap",
            16,
            Style::new(),
            " ",
        );
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text,
            vec![
                " Some emphasised",
                " words here.",
                " ",
                " • a bullet long",
                "   enough to",
                "   wrap",
            ]
        );
        let italic = |word: &str| {
            lines
                .iter()
                .flat_map(|l| l.spans.iter())
                .any(|s| s.content == word && s.style.add_modifier.contains(Modifier::ITALIC))
        };
        assert!(italic("emphasised") && italic("words"), "{lines:?}");
        assert!(!italic("Some"));
        let plain: Vec<String> = content(false, "Some *emphasised* words", 40, Style::new(), " ")
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(plain, vec![" Some *emphasised* words"]);
    }

    /// The start screen is drawn from headers alone: no shipped
    /// questionnaire is decoded until one is chosen.
    #[test]
    fn the_start_screen_loads_no_questionnaire() {
        use crate::tui::app::Choice;
        let mut app = App::start(
            Choice::all_shipped(),
            Vec::new(),
            jiff::civil::date(2026, 11, 26),
        );
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        for action in [Action::Down, Action::Up, Action::Down] {
            term.draw(|f| render(&app, f)).unwrap();
            app.update(action);
        }
        term.draw(|f| render(&app, f)).unwrap();
        let screen = format!("{}", term.backend());
        assert!(screen.contains("Start a new assessment"), "{screen}");
        assert!(
            app.choices.iter().all(|c| !c.is_loaded()),
            "nothing decoded"
        );
        // Choosing one decodes that one only.
        app.update(Action::Confirm);
        app.update(Action::Confirm);
        assert_eq!(
            app.choices
                .iter()
                .map(|c| c.is_loaded())
                .collect::<Vec<_>>(),
            vec![false, true]
        );
        assert_eq!(app.questionnaire().meta.id, "model-openness");
    }
}
