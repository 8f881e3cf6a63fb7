//! The yardstick for aiact's first frame: the least a ratatui program does
//! to show a screen. It enters raw mode and the alternate screen, draws one
//! paragraph with the same first words as aiact's start screen, and waits
//! for `q`. `examples/first_frame.rs` times it against aiact in one run:
//!
//! ```sh
//! cargo build --release --bin aiact --example bare_ratatui --example first_frame
//! target/release/examples/first_frame 40 target/release/aiact target/release/examples/bare_ratatui
//! ```

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::style::Style;
use ratatui::text::{Line, Text};
use ratatui::widgets::Paragraph;

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let drawn = terminal.draw(|frame| {
        // Styled, as aiact's heading is: a terminal diff skips unstyled
        // blanks, and the harness looks for the words with their spaces.
        let text = Text::from(vec![
            Line::raw(""),
            Line::styled(" Start a new assessment", Style::new().cyan()),
            Line::raw("   A bare ratatui program"),
            Line::raw(""),
            Line::raw(" Press q to quit."),
        ]);
        frame.render_widget(Paragraph::new(text), frame.area())
    });
    let waited = drawn.and_then(|_| {
        loop {
            if let Event::Key(key) = event::read()?
                && key.kind == KeyEventKind::Press
                && matches!(key.code, KeyCode::Char('q') | KeyCode::Esc)
            {
                break Ok(());
            }
        }
    });
    ratatui::restore();
    waited.map(|_| ())
}
