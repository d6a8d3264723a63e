//! ANSI styling for text output, on or off as a whole: callers decide (terminal, `NO_COLOR`, `--color`).

use anstyle::{AnsiColor, Style};

/// Paints words when colour is on, and leaves them alone when it is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    color: bool,
}

impl Paint {
    pub fn new(color: bool) -> Paint {
        Paint { color }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn red(&self, t: &str) -> String {
        self.paint(AnsiColor::Red.on_default().bold(), t)
    }

    pub fn green(&self, t: &str) -> String {
        self.paint(AnsiColor::Green.on_default().bold(), t)
    }

    pub fn yellow(&self, t: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default().bold(), t)
    }

    pub fn dim(&self, t: &str) -> String {
        self.paint(Style::new().dimmed(), t)
    }

    pub fn bold(&self, t: &str) -> String {
        self.paint(Style::new().bold(), t)
    }

    /// Appends `text` to `out` in the style, without making a string first.
    pub fn put(&self, out: &mut Vec<u8>, tone: Tone, text: &str) {
        if !self.color {
            out.extend_from_slice(text.as_bytes());
            return;
        }
        let style = match tone {
            Tone::Red => AnsiColor::Red.on_default().bold(),
            Tone::Green => AnsiColor::Green.on_default().bold(),
            Tone::Yellow => AnsiColor::Yellow.on_default().bold(),
            Tone::Dim => Style::new().dimmed(),
            Tone::Bold => Style::new().bold(),
        };
        use std::io::Write as _;
        let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
    }
}

/// The styles text output uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Red,
    Green,
    Yellow,
    Dim,
    Bold,
}
