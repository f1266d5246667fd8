//! `metavariable-comparison` expressions: Python-like arithmetic, comparisons, `and`,
//! `or`, `not`, `in`, and `int()`/`str()`/`float()`/`len()` over bound metavariables.
//!
//! Hand-written because the language is Semgrep's small Python subset: general expression
//! crates use other operators (`&&`, `||`) and would change its meaning.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    List(Vec<Value>),
}

impl Value {
    /// A metavariable's code read as a value: numbers as numbers, string literals as their
    /// content, anything else as its text.
    pub(crate) fn of_code(text: &str) -> Value {
        let t = text.trim();
        if let Some(v) = parse_int(t) {
            return Value::Int(v);
        }
        if let Ok(f) = t.replace('_', "").parse::<f64>() {
            return Value::Float(f);
        }
        for q in ['"', '\'', '`'] {
            if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
                return Value::Str(t[1..t.len() - 1].to_owned());
            }
        }
        Value::Str(t.to_owned())
    }

    fn truthy(&self) -> bool {
        match self {
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::List(l) => !l.is_empty(),
        }
    }

    fn num(&self) -> Option<f64> {
        match self {
            #[expect(clippy::cast_precision_loss, reason = "comparisons of rule constants")]
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }
}

fn parse_int(t: &str) -> Option<i64> {
    let t = t.replace('_', "");
    let (neg, t) = t
        .strip_prefix('-')
        .map_or((false, t.as_str()), |r| (true, r));
    let lower = t.to_ascii_lowercase();
    let v = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        // A JavaScript-style octal literal such as 0777.
        i64::from_str_radix(&lower[1..], 8).ok()?
    } else {
        lower.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Value),
    Str(String),
    Var(String),
    Ident(String),
    Op(&'static str),
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    const OPS: [&str; 19] = [
        "==", "!=", "<=", ">=", "//", "**", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]",
        ",", "!",
    ];
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Num(Value::of_code(&src[start..i])));
            continue;
        }
        if c == b'"' || c == b'\'' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != c {
                i += 1;
            }
            if i >= b.len() {
                return Err("unterminated string".into());
            }
            out.push(Tok::Str(src[start..i].to_owned()));
            i += 1;
            continue;
        }
        if c == b'$' || c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let word = &src[start..i];
            out.push(if c == b'$' {
                Tok::Var(word.to_owned())
            } else {
                Tok::Ident(word.to_owned())
            });
            continue;
        }
        for op in OPS {
            if src[i..].starts_with(op) {
                out.push(Tok::Op(op));
                i += op.len();
                continue 'outer;
            }
        }
        return Err(format!("unexpected `{}`", &src[i..=i]));
    }
    Ok(out)
}

struct Parser<'a, F> {
    toks: Vec<Tok>,
    at: usize,
    lookup: &'a F,
}

impl<F: Fn(&str) -> Option<Value>> Parser<'_, F> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(i)) if i == w) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Value, String> {
        let mut v = self.and()?;
        while self.eat_word("or") {
            let r = self.and()?;
            v = Value::Bool(v.truthy() || r.truthy());
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<Value, String> {
        let mut v = self.not()?;
        while self.eat_word("and") {
            let r = self.not()?;
            v = Value::Bool(v.truthy() && r.truthy());
        }
        Ok(v)
    }
    fn not(&mut self) -> Result<Value, String> {
        if self.eat_word("not") || self.eat_op("!") {
            return Ok(Value::Bool(!self.not()?.truthy()));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Value, String> {
        let left = self.add()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat_op(op) {
                let right = self.add()?;
                let ord = compare(&left, &right);
                return Ok(Value::Bool(match op {
                    "==" => ord == Some(Ordering::Equal),
                    "!=" => ord != Some(Ordering::Equal),
                    "<=" => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                    ">=" => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                    "<" => ord == Some(Ordering::Less),
                    _ => ord == Some(Ordering::Greater),
                }));
            }
        }
        let negate = if self.eat_word("not") {
            if !self.eat_word("in") {
                return Err("expected `in` after `not`".into());
            }
            true
        } else if self.eat_word("in") {
            false
        } else {
            return Ok(left);
        };
        let right = self.add()?;
        let found = match &right {
            Value::List(items) => items
                .iter()
                .any(|i| compare(&left, i) == Some(Ordering::Equal)),
            Value::Str(s) => match &left {
                Value::Str(l) => s.contains(l.as_str()),
                _ => false,
            },
            _ => return Err("`in` needs a list or a string on its right".into()),
        };
        Ok(Value::Bool(found != negate))
    }
    fn add(&mut self) -> Result<Value, String> {
        let mut v = self.mul()?;
        loop {
            if self.eat_op("+") {
                let r = self.mul()?;
                v = arith(&v, &r, "+")?;
            } else if self.eat_op("-") {
                let r = self.mul()?;
                v = arith(&v, &r, "-")?;
            } else {
                return Ok(v);
            }
        }
    }
    fn mul(&mut self) -> Result<Value, String> {
        let mut v = self.unary()?;
        loop {
            let op = ["**", "*", "//", "/", "%"]
                .into_iter()
                .find(|op| self.eat_op(op));
            let Some(op) = op else { return Ok(v) };
            let r = self.unary()?;
            v = arith(&v, &r, op)?;
        }
    }
    fn unary(&mut self) -> Result<Value, String> {
        if self.eat_op("-") {
            let v = self.unary()?;
            return arith(&Value::Int(0), &v, "-");
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Value, String> {
        let tok = self.peek().cloned().ok_or("unexpected end of expression")?;
        self.at += 1;
        match tok {
            Tok::Num(v) => Ok(v),
            Tok::Str(s) => Ok(Value::Str(s)),
            Tok::Var(name) => {
                (self.lookup)(&name).ok_or_else(|| format!("`{name}` is not bound by the pattern"))
            }
            Tok::Op("(") => {
                let v = self.or()?;
                self.expect(")")?;
                Ok(v)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                while !self.eat_op("]") {
                    items.push(self.or()?);
                    if !self.eat_op(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                Ok(Value::List(items))
            }
            Tok::Ident(word) => match word.as_str() {
                "True" | "true" => Ok(Value::Bool(true)),
                "False" | "false" => Ok(Value::Bool(false)),
                "int" | "str" | "float" | "len" | "re.match" => {
                    self.expect("(")?;
                    let arg = self.or()?;
                    let second = if self.eat_op(",") {
                        Some(self.or()?)
                    } else {
                        None
                    };
                    self.expect(")")?;
                    call(&word, arg, second)
                }
                _ => Err(format!("unknown name `{word}`")),
            },
            Tok::Op(op) => Err(format!("unexpected `{op}`")),
        }
    }
    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(format!("expected `{op}`"))
        }
    }
}

fn call(name: &str, arg: Value, second: Option<Value>) -> Result<Value, String> {
    Ok(match (name, arg) {
        ("int", Value::Str(s)) => {
            Value::Int(parse_int(&s).ok_or_else(|| format!("int(): `{s}` is not a number"))?)
        }
        ("int", Value::Float(f)) =>
        {
            #[expect(clippy::cast_possible_truncation, reason = "Python's int() truncates")]
            Value::Int(f as i64)
        }
        ("int", v @ Value::Int(_)) => v,
        ("float", v) => Value::Float(v.num().ok_or("float() needs a number")?),
        ("str", Value::Str(s)) => Value::Str(s),
        ("str", Value::Int(i)) => Value::Str(i.to_string()),
        ("str", Value::Float(f)) => Value::Str(f.to_string()),
        ("len", Value::Str(s)) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
        ("len", Value::List(l)) => Value::Int(i64::try_from(l.len()).unwrap_or(i64::MAX)),
        ("re.match", Value::Str(re)) => {
            let Some(Value::Str(text)) = second else {
                return Err("re.match(pattern, text) needs two strings".into());
            };
            let re = regex::Regex::new(&format!("^(?:{re})")).map_err(|e| e.to_string())?;
            Value::Bool(re.is_match(&text))
        }
        (name, v) => return Err(format!("{name}() cannot take {v:?}")),
    })
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => a.num()?.partial_cmp(&b.num()?),
    }
}

fn arith(a: &Value, b: &Value, op: &str) -> Result<Value, String> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        let r = match op {
            "+" => x.checked_add(*y),
            "-" => x.checked_sub(*y),
            "*" => x.checked_mul(*y),
            "//" | "/" if *y != 0 && op == "//" => Some(x.div_euclid(*y)),
            "%" if *y != 0 => Some(x.rem_euclid(*y)),
            "**" => u32::try_from(*y).ok().and_then(|e| x.checked_pow(e)),
            _ => None,
        };
        if let Some(r) = r {
            return Ok(Value::Int(r));
        }
    }
    if let (Value::Str(x), Value::Str(y), "+") = (a, b, op) {
        return Ok(Value::Str(format!("{x}{y}")));
    }
    let (x, y) = (
        a.num().ok_or("arithmetic on a non-number")?,
        b.num().ok_or("arithmetic on a non-number")?,
    );
    Ok(Value::Float(match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" | "//" if y != 0.0 => {
            if op == "//" {
                (x / y).floor()
            } else {
                x / y
            }
        }
        "%" if y != 0.0 => x.rem_euclid(y),
        "**" => x.powf(y),
        _ => return Err("division by zero".into()),
    }))
}

/// Checks that `expr` parses and names only known functions, with every metavariable bound to 1.
pub(crate) fn check(expr: &str) -> Result<(), String> {
    let toks = lex(expr)?;
    let mut parser = Parser {
        toks,
        at: 0,
        lookup: &|_: &str| Some(Value::Int(1)),
    };
    parser
        .or()
        .map_err(|e| if e.contains("zero") { String::new() } else { e })
        .or_else(|e| {
            if e.is_empty() {
                Ok(Value::Int(0))
            } else {
                Err(e)
            }
        })?;
    if parser.at != parser.toks.len() {
        return Err("unexpected text after the expression".into());
    }
    Ok(())
}

/// Evaluates `expr`; an error (an unbound metavariable, `int("abc")`) counts as false.
pub(crate) fn eval(expr: &str, lookup: &impl Fn(&str) -> Option<Value>) -> bool {
    let Ok(toks) = lex(expr) else { return false };
    let mut parser = Parser {
        toks,
        at: 0,
        lookup,
    };
    parser.or().is_ok_and(|v| v.truthy())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str, x: &str) -> bool {
        eval(expr, &|name: &str| {
            (name == "$X").then(|| Value::of_code(x))
        })
    }

    #[test]
    fn compares_numbers_strings_and_logic() {
        assert!(run("$X > 1024", "2048"));
        assert!(!run("$X > 1024", "80"));
        assert!(run("$X == 0o777", "0o777"));
        assert!(run("$X < 10 and not $X == 3", "4"));
        assert!(run("$X < 10 or $X > 100", "200"));
        assert!(run("int($X) >= 2 * 1000", "\"2000\""));
        assert!(run("$X in [\"md5\", \"sha1\"]", "'md5'"));
        assert!(run("$X not in [1, 2]", "3"));
        assert!(run("str($X) == \"12\"", "12"));
        assert!(run("re.match(\"^a\", $X)", "'abc'"));
        assert!(!run("$Y > 1", "3"));
        assert!(!run("1 / 0", "3"));
    }

    #[test]
    fn malformed_expressions_are_errors() {
        assert!(check("$X >").is_err());
        assert!(check("$X > 'a").is_err());
        assert!(check("$X ? 1").is_err());
        assert!(check("foo($X)").is_err());
        assert!(check("$X > 1 and ($X < 3)").is_ok());
    }
}
