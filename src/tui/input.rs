//! A one-line text input. tui-textarea does not support ratatui 0.30, and a
//! single line with a cursor is all the questionnaire needs.

/// The most characters one paste inserts.
pub const MAX_PASTE_CHARS: usize = 10_000;

/// A line of text being typed, with a cursor counted in characters so that
/// multi-byte and wide characters can never split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in characters, `0..=len`.
    cursor: usize,
}

impl LineInput {
    /// An input holding `text`, with the cursor at its end.
    pub fn new(text: &str) -> Self {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor position in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts a character at the cursor; control characters are dropped so a
    /// pasted escape sequence can never reach the terminal.
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts pasted text, with newlines and tabs turned into spaces and
    /// other control characters dropped, in one splice (a long paste costs
    /// one pass, not one scan per character). At most [`MAX_PASTE_CHARS`]
    /// are taken: a field is one line.
    pub fn insert_str(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .take(MAX_PASTE_CHARS)
            .collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_character_not_byte() {
        let mut i = LineInput::new("日本");
        i.insert('語');
        i.left();
        i.left();
        i.backspace();
        assert_eq!(i.text(), "本語");
        i.end();
        i.insert_str("a\u{1b}[31m\nb");
        assert_eq!(i.text(), "本語a[31m b");
        i.home();
        i.delete();
        assert_eq!(i.text(), "語a[31m b");
    }
}
