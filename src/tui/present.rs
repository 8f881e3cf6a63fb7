//! Facilitator mode's view (`aiact present`): one question at a time in a
//! large, uncluttered layout for a projector, where terminals are zoomed in
//! (it works down to 60×18). The facilitator notes and discussion prompts sit
//! in a panel that `f` hides; below the options, a preview says where the
//! highlighted option leads; results are revealed one group at a time.
//!
//! Like the rest of the view, this only reads the state: the preview is
//! computed in `update` when the highlight moves.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::app::{App, Present, PresentTheme, Row, Screen};
use super::keys;
use super::view::{MARKER, bullet, input_spans, truncate, wrap};
use crate::engine::Status;
use crate::messages::fill;
use crate::questionnaire::schema::Kind;
use crate::report::when_text;

/// Facilitator mode's styles: strong colours only, nothing that a projector
/// washes out.
struct Look {
    base: Style,
    accent: Style,
    quiet: Style,
    selected: Style,
    warn: Style,
    border: Style,
}

fn look(theme: PresentTheme) -> Look {
    match theme {
        PresentTheme::Light => {
            let base = Style::new().fg(Color::Black).bg(Color::White);
            Look {
                base,
                accent: base.fg(Color::Blue).add_modifier(Modifier::BOLD),
                quiet: base.fg(Color::DarkGray),
                selected: Style::new()
                    .fg(Color::White)
                    .bg(Color::Blue)
                    .add_modifier(Modifier::BOLD),
                warn: base.fg(Color::Red).add_modifier(Modifier::BOLD),
                border: base.fg(Color::Blue),
            }
        }
        PresentTheme::HighContrast => {
            let base = Style::new().fg(Color::White).bg(Color::Black);
            Look {
                base,
                accent: base.fg(Color::Yellow).add_modifier(Modifier::BOLD),
                // Nothing is dimmed in high contrast.
                quiet: base,
                selected: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                warn: base.fg(Color::LightCyan).add_modifier(Modifier::BOLD),
                border: base.fg(Color::White),
            }
        }
    }
}

/// Draws facilitator mode over the whole `area` (overlays are drawn after).
pub(super) fn render(app: &App, p: &Present, area: Rect, frame: &mut Frame) {
    let lk = look(p.theme);
    frame.render_widget(Block::new().style(lk.base), area);
    let [header, _, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(app, p, header, frame, &lk);
    match app.screen() {
        Screen::Question(qi) => render_question(app, p, qi, body, frame, &lk),
        Screen::Results => render_results(app, p, body, frame, &lk),
        Screen::Start => {}
    }
    render_footer(app, footer, frame, &lk);
}

fn render_header(app: &App, p: &Present, area: Rect, frame: &mut Frame, lk: &Look) {
    let ev = app.evaluation();
    let w = &app.messages().present;
    let right = match app.screen() {
        Screen::Results => {
            let n = app.result_groups().len();
            let shown = p.revealed.min(n);
            format!(
                "{} ",
                fill(&w.results_shown, &[("shown", &shown), ("n", &n)])
            )
        }
        _ => {
            let (lo, hi) = ev.remaining;
            let at = ev.answered() + 1;
            let total = if lo == hi {
                format!("{}", ev.answered() + lo as usize)
            } else {
                format!(
                    "{}–{}",
                    ev.answered() + lo as usize,
                    ev.answered() + hi as usize
                )
            };
            format!(
                "{} ",
                fill(&w.question_of, &[("at", &at), ("total", &total)])
            )
        }
    };
    let title = truncate(
        &format!(" {}", app.questionnaire().meta.title),
        (area.width as usize).saturating_sub(right.width() + 1),
    );
    let pad = (area.width as usize).saturating_sub(title.width() + right.width());
    let line = Line::from(vec![
        Span::styled(title, lk.accent),
        Span::styled(" ".repeat(pad), lk.base),
        Span::styled(right, lk.quiet),
    ]);
    frame.render_widget(Paragraph::new(line).style(lk.base), area);
}

fn render_footer(app: &App, area: Rect, frame: &mut Frame, lk: &Look) {
    let mut spans = vec![Span::raw(" ")];
    if let Some(status) = &app.status {
        spans.push(Span::styled(
            truncate(status, (area.width as usize).saturating_sub(2)),
            lk.warn,
        ));
    } else {
        let mut used = 1;
        let m = app.messages();
        for b in keys::table(app.mode())
            .iter()
            .filter(|b| !b.hint.is_empty())
        {
            let hint = b.hint_in(m);
            let piece = b.short().width() + 1 + hint.width() + 3;
            if used + piece > area.width as usize {
                break;
            }
            used += piece;
            spans.push(Span::styled(b.short(), lk.accent));
            spans.push(Span::styled(format!(" {hint}   "), lk.quiet));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(lk.base), area);
}

/// The facilitator panel's lines: notes, then the discussion prompts.
fn notes_lines(app: &App, qi: usize, width: usize, lk: &Look) -> Vec<Line<'static>> {
    let def = &app.questionnaire().questions[qi].def;
    let w = &app.messages().present;
    let mut out = Vec::new();
    if !def.facilitator_notes.is_empty() {
        for l in wrap(&def.facilitator_notes, width.saturating_sub(1)) {
            out.push(Line::styled(format!(" {l}"), lk.base));
        }
    }
    if !def.discussion.is_empty() {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(format!(" {}", w.discuss), lk.accent));
        for d in &def.discussion {
            out.extend(bullet(d, width, lk.base, " "));
        }
    }
    if out.is_empty() {
        out.push(Line::styled(format!(" {}", w.no_notes), lk.quiet));
    }
    out
}

fn render_question(app: &App, p: &Present, qi: usize, area: Rect, frame: &mut Frame, lk: &Look) {
    // The facilitator panel: beside the question in wide windows, below it
    // in narrow ones (at most a third of the height).
    let def = &app.questionnaire().questions[qi].def;
    let has_notes = !def.facilitator_notes.is_empty() || !def.discussion.is_empty();
    let (main, panel) = if !p.notes || (!has_notes && area.width < 100) {
        (area, None)
    } else if area.width >= 100 {
        let [m, n] =
            Layout::horizontal([Constraint::Min(60), Constraint::Percentage(35)]).areas(area);
        (m, Some(n))
    } else {
        let inner_w = area.width.saturating_sub(2) as usize;
        let want = notes_lines(app, qi, inner_w, lk).len() as u16 + 1;
        let h = want.min(area.height / 3);
        let [m, n] = Layout::vertical([Constraint::Min(1), Constraint::Length(h)]).areas(area);
        (m, Some(n))
    };
    if let Some(panel) = panel {
        let borders = if panel.x > area.x {
            Borders::LEFT
        } else {
            Borders::TOP
        };
        let block = Block::new()
            .borders(borders)
            .border_style(lk.border)
            .style(lk.base)
            .title(Span::styled(
                format!(" {} ", app.messages().present.panel_title),
                lk.accent,
            ));
        let inner = block.inner(panel);
        frame.render_widget(block, panel);
        let lines = notes_lines(app, qi, inner.width.saturating_sub(1) as usize, lk);
        frame.render_widget(Paragraph::new(lines).style(lk.base), inner);
    }

    let main = Rect {
        x: main.x + 1,
        width: main.width.saturating_sub(2),
        ..main
    };
    let width = main.width as usize;
    let mut preview = preview_lines(app, p, qi, width, lk);
    if main.height < 16 && !preview.is_empty() {
        // Small or zoomed: the options need the room more than the rule does.
        preview.remove(0);
    }
    let preview_h = (preview.len() as u16).min(main.height / 3);

    let q = app.questionnaire();
    let question = &q.questions[qi];
    let words = &app.messages().app;
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(super::view::content(
        q.uses_markup(),
        &question.def.prompt,
        width,
        lk.accent,
        "",
    ));
    if question.is_info() && !question.def.help.is_empty() {
        // An information screen's text is its help (format 2).
        lines.push(Line::raw(""));
        lines.extend(super::view::content(
            q.uses_markup(),
            &question.def.help,
            width,
            lk.base,
            "",
        ));
    }
    lines.push(Line::raw(""));
    let rows = app.rows(qi);
    let mut option_lines: Vec<Vec<Line>> = Vec::new();
    let mut selected_block = 0;
    let multiple = matches!(question.kind(), Kind::Multiple { .. });
    for (i, row) in rows.iter().enumerate() {
        let sel = i == app.selected();
        if sel {
            selected_block = option_lines.len();
        }
        let style = if sel { lk.selected } else { lk.base };
        let lead = if sel {
            format!("{MARKER} ")
        } else {
            "  ".to_string()
        };
        let digit = if i < 9 {
            format!("{} ", i + 1)
        } else {
            "  ".to_string()
        };
        let tick = |on: bool| match (multiple, on) {
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
            _ => "",
        };
        let ticked = app.ticked.get(i).copied().unwrap_or(false);
        let label = match row {
            Row::Option(o) => question.options[*o].label.clone(),
            Row::NotSure => words.not_sure.clone(),
            Row::Estimate => question
                .estimate()
                .map_or(words.estimate_it.clone(), |e| format!("≈ {}", e.label)),
            Row::Field => String::new(),
            Row::Continue => app.messages().app.continue_label.clone(),
        };
        let mut block = Vec::new();
        if *row == Row::Field {
            let mut spans = vec![
                Span::styled(lead.clone(), lk.accent),
                Span::styled(digit.clone(), lk.quiet),
            ];
            spans.extend(
                input_spans(&app.field, width.saturating_sub(8).min(50), app.editing)
                    .into_iter()
                    .map(|s| Span::styled(s.content, lk.base.patch(s.style))),
            );
            block.push(Line::from(spans));
        } else {
            let prefix = format!("{digit}{}", tick(ticked));
            let label_w = width.saturating_sub(2 + prefix.width());
            for (k, part) in wrap(&label, label_w).into_iter().enumerate() {
                let mut spans = Vec::new();
                if k == 0 {
                    spans.push(Span::styled(lead.clone(), lk.accent));
                    spans.push(Span::styled(prefix.clone(), style));
                } else {
                    spans.push(Span::raw(" ".repeat(2 + prefix.width())));
                }
                spans.push(Span::styled(part, style));
                block.push(Line::from(spans));
            }
        }
        option_lines.push(block);
    }
    // Air between the options when there is room for it.
    let total: usize = option_lines.iter().map(Vec::len).sum();
    let spaced =
        lines.len() + total + option_lines.len() + preview_h as usize <= main.height as usize;
    let mut selected_line = 0;
    for (k, block) in option_lines.into_iter().enumerate() {
        if k == selected_block {
            selected_line = lines.len();
        }
        lines.extend(block);
        if spaced {
            lines.push(Line::raw(""));
        }
    }
    if let Some(err) = app.error() {
        for l in wrap(&format!("✗ {err}"), width) {
            lines.push(Line::styled(l, lk.warn));
        }
    }
    // The preview follows the options, or sits at the bottom when they need
    // all the room there is.
    let top_h = (lines.len() as u16 + 1).min(main.height.saturating_sub(preview_h));
    let [top, bottom, _] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Length(preview_h),
        Constraint::Min(0),
    ])
    .areas(main);
    let h = top.height as usize;
    let scroll = if selected_line + 2 > h {
        (selected_line + 2 - h) as u16
    } else {
        0
    };
    frame.render_widget(
        Paragraph::new(lines).style(lk.base).scroll((scroll, 0)),
        top,
    );
    frame.render_widget(Paragraph::new(preview).style(lk.base), bottom);
}

/// "If the room picks …": where the highlighted option leads.
fn preview_lines(app: &App, p: &Present, qi: usize, width: usize, lk: &Look) -> Vec<Line<'static>> {
    let q = app.questionnaire();
    let question = &q.questions[qi];
    let m = app.messages();
    let w = &m.present;
    if question.is_info() {
        // Nothing to choose, so nothing to preview.
        return Vec::new();
    }
    let mut out = vec![Line::styled("─".repeat(width.min(60)), lk.quiet)];
    let Some(preview) = &p.preview else {
        let hint = match question.kind() {
            Kind::Multiple { .. } => fill(
                &w.tick_to_see,
                &[(
                    "key",
                    &keys::label(keys::Mode::Present, keys::Action::Toggle),
                )],
            ),
            Kind::Number { .. } | Kind::Text { .. } => w.type_to_see.clone(),
            _ => w.highlight_to_see.clone(),
        };
        out.push(Line::styled(truncate(&hint, width), lk.quiet));
        return out;
    };
    let quoted = |label: &str| {
        let text = truncate(label, width.saturating_sub(22));
        fill(&w.quoted, &[("text", &text)])
    };
    let picked = match app.rows(qi).get(app.selected()) {
        _ if matches!(question.kind(), Kind::Multiple { .. }) => w.these.clone(),
        Some(Row::Option(o)) => quoted(&question.options[*o].label),
        Some(Row::NotSure) => quoted(&m.app.not_sure),
        _ => w.this.clone(),
    };
    let next = match preview.next {
        Some(n) => fill(&w.next, &[("question", &q.questions[n].short())]),
        None => w.last_question.clone(),
    };
    out.push(Line::from(vec![
        Span::styled(
            truncate(
                &fill(&w.room_picks, &[("picked", &picked)]),
                width.saturating_sub(2),
            ),
            lk.quiet,
        ),
        Span::styled(":", lk.quiet),
    ]));
    out.push(Line::styled(
        truncate(&format!("→ {next}"), width),
        lk.accent,
    ));
    let word = |s: Option<Status>| match s {
        None => &m.engine.would_not_apply,
        Some(Status::Applies) => &m.engine.would_apply,
        Some(Status::Provisional) => &m.engine.might_apply,
    };
    // What would start to apply matters most to the room; what would be
    // ruled out comes after.
    let mut changes: Vec<_> = preview.changes.iter().collect();
    changes.sort_by_key(|c| match c.after {
        Some(Status::Applies) => 0,
        Some(Status::Provisional) => 1,
        None => 2,
    });
    let shown = 3;
    for c in changes.iter().take(shown) {
        let title = q
            .outcome(&c.id)
            .map_or(c.id.as_str(), |o| o.def.title.as_str());
        let sign = if c.after.is_none() { "−" } else { "+" };
        out.push(Line::styled(
            truncate(&format!("{sign} {title}: {}", word(c.after)), width),
            lk.base,
        ));
    }
    if changes.len() > shown {
        let ruled_out = changes
            .iter()
            .skip(shown)
            .filter(|c| c.after.is_none())
            .count();
        let more = changes.len() - shown;
        let text = if ruled_out == more {
            format!("  {}", fill(&w.and_more_not_apply, &[("n", &more)]))
        } else {
            format!("  {}", fill(&w.and_more, &[("n", &more)]))
        };
        out.push(Line::styled(text, lk.quiet));
    }
    out
}

fn render_results(app: &App, p: &Present, area: Rect, frame: &mut Frame, lk: &Look) {
    let q = app.questionnaire();
    let ev = app.evaluation();
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let width = area.width as usize;
    let m = app.messages();
    let w = &m.present;
    let groups = app.result_groups();
    let mut lines: Vec<Line> = Vec::new();
    if !ev.is_complete() {
        for l in wrap(&w.not_finished, width) {
            lines.push(Line::styled(l, lk.warn));
        }
        lines.push(Line::raw(""));
    }
    if groups.is_empty() {
        lines.push(Line::styled(m.app.no_outcome_applies.as_str(), lk.base));
    }
    let mut last_group_line = 0;
    for (g, items) in groups.iter().take(p.revealed) {
        last_group_line = lines.len();
        // Background (content-declared): context for the room, no status.
        let background = q.groups[*g].background;
        let title = if background {
            fill(&m.app.background, &[("title", &q.groups[*g].title)])
        } else {
            q.groups[*g].title.clone()
        };
        lines.push(Line::styled(
            truncate(&title, width),
            lk.accent.add_modifier(Modifier::UNDERLINED),
        ));
        for &i in items {
            let o = &ev.outcomes[i];
            let outcome = &q.outcomes[o.index];
            let tag = match o.status {
                _ if background => String::new(),
                Status::Applies => String::new(),
                Status::Provisional => format!(" ({})", w.may_apply),
            };
            // The tag ends the title's last line, in its own colour.
            let parts = wrap(
                &format!("{}{tag}", outcome.def.title),
                width.saturating_sub(2),
            );
            let last = parts.len().saturating_sub(1);
            for (k, part) in parts.into_iter().enumerate() {
                let lead = if k == 0 { "• " } else { "  " };
                let tag = tag.trim_start();
                let (text, tagged) = match part.strip_suffix(tag) {
                    Some(rest) if k == last && !tag.is_empty() => (rest.to_string(), tag),
                    _ => (part, ""),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{lead}{text}"), lk.base),
                    Span::styled(tagged.to_string(), lk.warn),
                ]));
            }
            if !background && !o.in_force(app.today()) {
                lines.push(Line::styled(
                    truncate(
                        &format!("  {}", when_text(o.applies_from, app.today(), m)),
                        width,
                    ),
                    lk.quiet,
                ));
            }
        }
        lines.push(Line::raw(""));
    }
    let left = groups.len().saturating_sub(p.revealed);
    if left > 0 {
        let reveal = keys::label(keys::Mode::PresentResults, keys::Action::Reveal);
        let more = if p.revealed == 0 {
            let template = if left == 1 {
                &w.groups_one
            } else {
                &w.groups_other
            };
            fill(template, &[("n", &left), ("key", &reveal)])
        } else {
            fill(&w.more_groups, &[("n", &left), ("key", &reveal)])
        };
        lines.push(Line::styled(truncate(&more, width), lk.accent));
    } else {
        for l in wrap(&q.meta.disclaimer, width) {
            lines.push(Line::styled(l, lk.quiet));
        }
    }
    // Keep the group just revealed in view.
    let h = area.height as usize;
    let scroll = if lines.len() > h {
        last_group_line.min(lines.len() - h)
    } else {
        0
    };
    frame.render_widget(
        Paragraph::new(lines)
            .style(lk.base)
            .scroll((scroll as u16, 0)),
        area,
    );
}
