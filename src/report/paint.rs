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
}
