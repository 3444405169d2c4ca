//! Indicator formulas: `+ - * /`, parentheses, numbers, measure names and
//! `prev(measure)` (the measure in the previous year present), parsed once
//! and turned into a Polars expression. Division gives no value (null) when
//! the divisor is zero or missing, never an infinity.

use anyhow::{Result, bail};
use polars::prelude::{Expr, NULL, col, lit, when};

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Number(f64),
    Measure(String),
    Prev(String),
    Neg(Box<Node>),
    Binary(char, Box<Node>, Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    root: Node,
    text: String,
}

/// The column holding `measure` in the previous year present.
pub fn prev_column(measure: &str) -> String {
    format!("prev__{measure}")
}

impl Formula {
    pub fn parse(text: &str) -> Result<Self> {
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens, at: 0 };
        let root = parser.sum()?;
        if parser.at != parser.tokens.len() {
            bail!(
                "unexpected {:?} in formula {text:?}",
                parser.tokens[parser.at]
            );
        }
        Ok(Formula {
            root,
            text: text.to_string(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The measures used: (name, whether the previous year's value is used).
    pub fn inputs(&self) -> Vec<(String, bool)> {
        fn walk(n: &Node, out: &mut Vec<(String, bool)>) {
            match n {
                Node::Number(_) => {}
                Node::Measure(m) => push(out, (m.clone(), false)),
                Node::Prev(m) => push(out, (m.clone(), true)),
                Node::Neg(a) => walk(a, out),
                Node::Binary(_, a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        fn push(out: &mut Vec<(String, bool)>, v: (String, bool)) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The formula over Float64 columns named after the measures (and
    /// [`prev_column`] for `prev(…)`).
    pub fn expr(&self) -> Expr {
        fn build(n: &Node) -> Expr {
            match n {
                Node::Number(v) => lit(*v),
                Node::Measure(m) => col(m.as_str()),
                Node::Prev(m) => col(prev_column(m).as_str()),
                Node::Neg(a) => lit(0.0) - build(a),
                Node::Binary(op, a, b) => {
                    let (a, b) = (build(a), build(b));
                    match op {
                        '+' => a + b,
                        '-' => a - b,
                        '*' => a * b,
                        _ => when(b.clone().eq(lit(0.0)))
                            .then(lit(NULL))
                            .otherwise(a / b),
                    }
                }
            }
        }
        build(&self.root)
    }

    /// Evaluates with plain numbers (`None` when an input is missing or a
    /// divisor is zero): the reference the Polars expression is tested against.
    pub fn eval(&self, value: &dyn Fn(&str, bool) -> Option<f64>) -> Option<f64> {
        fn go(n: &Node, value: &dyn Fn(&str, bool) -> Option<f64>) -> Option<f64> {
            match n {
                Node::Number(v) => Some(*v),
                Node::Measure(m) => value(m, false),
                Node::Prev(m) => value(m, true),
                Node::Neg(a) => go(a, value).map(|v| -v),
                Node::Binary(op, a, b) => {
                    let (a, b) = (go(a, value)?, go(b, value)?);
                    match op {
                        '+' => Some(a + b),
                        '-' => Some(a - b),
                        '*' => Some(a * b),
                        _ if b == 0.0 => None,
                        _ => Some(a / b),
                    }
                }
            }
        }
        go(&self.root, value)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Name(String),
    Symbol(char),
}

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*/()".contains(c) {
            tokens.push(Token::Symbol(c));
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            match s.parse() {
                Ok(v) => tokens.push(Token::Number(v)),
                Err(_) => bail!("bad number {s:?} in formula {text:?}"),
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            bail!("unexpected {c:?} in formula {text:?}");
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn symbol(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Symbol(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn sum(&mut self) -> Result<Node> {
        let mut left = self.product()?;
        loop {
            let op = if self.symbol('+') {
                '+'
            } else if self.symbol('-') {
                '-'
            } else {
                return Ok(left);
            };
            left = Node::Binary(op, Box::new(left), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Node> {
        let mut left = self.atom()?;
        loop {
            let op = if self.symbol('*') {
                '*'
            } else if self.symbol('/') {
                '/'
            } else {
                return Ok(left);
            };
            left = Node::Binary(op, Box::new(left), Box::new(self.atom()?));
        }
    }

    fn atom(&mut self) -> Result<Node> {
        if self.symbol('-') {
            return Ok(Node::Neg(Box::new(self.atom()?)));
        }
        if self.symbol('(') {
            let inner = self.sum()?;
            if !self.symbol(')') {
                bail!("missing )");
            }
            return Ok(inner);
        }
        match self.tokens.get(self.at).cloned() {
            Some(Token::Number(v)) => {
                self.at += 1;
                Ok(Node::Number(v))
            }
            Some(Token::Name(name)) => {
                self.at += 1;
                if name == "prev" {
                    if !self.symbol('(') {
                        bail!("prev needs (measure)");
                    }
                    let Some(Token::Name(m)) = self.tokens.get(self.at).cloned() else {
                        bail!("prev(…) takes a measure name");
                    };
                    self.at += 1;
                    if !self.symbol(')') {
                        bail!("missing ) after prev({m}");
                    }
                    Ok(Node::Prev(m))
                } else {
                    Ok(Node::Measure(name))
                }
            }
            other => bail!("expected a number, a measure or ( but found {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_precedence_and_prev() {
        let f = Formula::parse("(sangong_actual - prev(sangong_actual)) / prev(sangong_actual)")
            .expect("parses");
        assert_eq!(
            f.inputs(),
            vec![
                ("sangong_actual".into(), false),
                ("sangong_actual".into(), true)
            ]
        );
        let v = f.eval(&|m, prev| match (m, prev) {
            ("sangong_actual", false) => Some(616_200.0),
            ("sangong_actual", true) => Some(294_000.0),
            _ => None,
        });
        assert!((v.expect("value") - 1.095_918).abs() < 1e-6);
        let f = Formula::parse("a + b * 2 - -c").expect("parses");
        let v = f.eval(&|m, _| {
            Some(match m {
                "a" => 1.0,
                "b" => 3.0,
                _ => 4.0,
            })
        });
        assert_eq!(v, Some(11.0));
    }

    #[test]
    fn a_zero_divisor_or_missing_input_gives_no_value() {
        let f = Formula::parse("a / (b - c)").expect("parses");
        assert_eq!(f.eval(&|m, _| Some(if m == "a" { 1.0 } else { 2.0 })), None);
        assert_eq!(f.eval(&|m, _| (m != "c").then_some(1.0)), None);
    }

    #[test]
    fn refuses_malformed_formulas() {
        for bad in ["a +", "(a", "a $ b", "prev(1)", "a b"] {
            assert!(Formula::parse(bad).is_err(), "{bad}");
        }
    }
}
