//! Python's own text rules where the core must agree with it exactly.

/// `str.isspace()`, so that splitting here gives the tokens `str.split()` gives.
pub fn is_python_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r' | '\u{1c}'..='\u{1f}' | ' ' | '\u{85}' | '\u{a0}'
            | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}'
            | '\u{3000}'
    )
}

/// `[.!?…]`: text_cues.SENTENCE_MARKS, what may end a sentence (for the who-analysis and the lexicon).
pub fn is_sentence_mark(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}')
}

/// The whitespace-separated tokens of `text`, as `str.split()` gives them.
pub fn split_whitespace(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_python_space).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python() {
        let tokens: Vec<&str> = split_whitespace(" a\u{a0}b\u{2003}c\u{1c}d  ").collect();
        assert_eq!(tokens, ["a", "b", "c", "d"]);
    }
}
