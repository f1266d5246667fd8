//! Evaluating a rule's formula over one parsed file, with Semgrep's semantics for
//! conjunctions: positive ranges are intersected, `pattern-inside` keeps ranges inside
//! another, `pattern-not` removes equal ranges, `pattern-not-inside` removes enclosed ones,
//! and metavariables bound on both sides must agree.

use crate::comparison::{self, Value};
use crate::matcher::{Binding, Env, Match, Matcher};
use crate::rule::{Clause, Formula};
use crate::tree::offset;

/// Where a formula is evaluated: node ids and the bytes they cover.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub(crate) ids: (u32, u32),
    pub(crate) bytes: (u32, u32),
}

impl Matcher<'_, '_> {
    pub(crate) fn whole(&self) -> Scope {
        Scope {
            ids: (0, offset(self.tree.nodes.len())),
            bytes: (0, offset(self.tree.src.len())),
        }
    }

    /// Every match of `formula` in `scope`, deduplicated by span.
    pub(crate) fn eval(&self, formula: &Formula, scope: Scope) -> Vec<Match> {
        let mut out = match formula {
            Formula::Pattern(p) => self.find(p, scope.ids),
            Formula::Regex(re) => self.regex(re, scope),
            Formula::Either(fs) => fs.iter().flat_map(|f| self.eval(f, scope)).collect(),
            Formula::And(clauses) => self.and(clauses, scope),
        };
        dedup(&mut out);
        out
    }

    fn regex(&self, re: &regex::Regex, scope: Scope) -> Vec<Match> {
        let (lo, hi) = (scope.bytes.0 as usize, scope.bytes.1 as usize);
        let hay = &self.tree.src[lo..hi];
        let names: Vec<Option<&str>> = re.capture_names().collect();
        re.captures_iter(hay)
            .filter_map(|caps| {
                let whole = caps.get(0)?;
                if whole.is_empty() {
                    return None;
                }
                let mut env = Env::new();
                for (i, name) in names.iter().enumerate().skip(1) {
                    if let Some(m) = caps.get(i) {
                        let key = name.map_or_else(|| format!("${i}"), |n| format!("${n}"));
                        env.push((
                            key.into(),
                            Binding {
                                start: offset(lo + m.start()),
                                end: offset(lo + m.end()),
                                node: None,
                            },
                        ));
                    }
                }
                Some(Match {
                    start: offset(lo + whole.start()),
                    end: offset(lo + whole.end()),
                    env,
                })
            })
            .collect()
    }

    /// Whether two environments agree on every name they share.
    fn compatible(&self, a: &Env, b: &Env) -> bool {
        b.iter().all(|(name, bb)| {
            a.iter()
                .find(|(n, _)| n == name)
                .is_none_or(|(_, ba)| self.same(ba, bb))
        })
    }

    fn merge(a: &mut Env, b: &Env) {
        for (name, binding) in b {
            if !a.iter().any(|(n, _)| n == name) {
                a.push((name.clone(), *binding));
            }
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per clause kind reads best side by side"
    )]
    fn and(&self, clauses: &[Clause], scope: Scope) -> Vec<Match> {
        let first_positive = clauses
            .iter()
            .position(|c| matches!(c, Clause::Positive(_)))
            .or_else(|| clauses.iter().position(|c| matches!(c, Clause::Inside(_))));
        let Some(first) = first_positive else {
            return Vec::new();
        };
        let (Clause::Positive(f) | Clause::Inside(f)) = &clauses[first] else {
            unreachable!("the position was found for these variants")
        };
        let mut results = self.eval(f, scope);
        let mut focus: Option<&[String]> = None;
        for (i, clause) in clauses.iter().enumerate() {
            if results.is_empty() {
                break;
            }
            if i == first {
                continue;
            }
            match clause {
                // Semgrep keeps a positive match that lies inside a match of every other
                // positive pattern, the same test as `pattern-inside`.
                Clause::Positive(f) | Clause::Inside(f) => {
                    let others = self.eval(f, scope);
                    results = self.intersect(results, &others);
                }
                Clause::Not(f) => {
                    let others = self.eval(f, scope);
                    results.retain(|r| {
                        !others.iter().any(|o| {
                            o.start == r.start && o.end == r.end && self.compatible(&r.env, &o.env)
                        })
                    });
                }
                Clause::NotInside(f) => {
                    let others = self.eval(f, scope);
                    results.retain(|r| {
                        !others.iter().any(|o| {
                            r.start >= o.start && r.end <= o.end && self.compatible(&r.env, &o.env)
                        })
                    });
                }
                Clause::NotRegex(re) => {
                    let others = self.regex(re, scope);
                    results.retain(|r| !others.iter().any(|o| o.start < r.end && r.start < o.end));
                }
                Clause::MetavariableRegex { name, regex } => {
                    results.retain(|r| {
                        lookup(&r.env, name).is_some_and(|b| {
                            let text = self.text(&b);
                            regex.is_match(text) || regex.is_match(unquote(text))
                        })
                    });
                }
                Clause::MetavariablePattern { name, formula } => {
                    results = results
                        .into_iter()
                        .filter_map(|mut r| {
                            let binding = lookup(&r.env, name)?;
                            let scope = self.scope_of(&binding);
                            let inner = self.eval(formula, scope);
                            let found = inner.iter().find(|m| self.compatible(&r.env, &m.env))?;
                            Self::merge(&mut r.env, &found.env);
                            Some(r)
                        })
                        .collect();
                }
                Clause::MetavariableComparison { name, expr, base } => {
                    results.retain(|r| {
                        comparison::eval(expr, &|var: &str| {
                            let binding = lookup(&r.env, var)?;
                            let text = self.text(&binding);
                            if let (Some(base), Some(n)) = (base, name)
                                && n == var
                            {
                                return i64::from_str_radix(unquote(text), *base)
                                    .ok()
                                    .map(Value::Int);
                            }
                            Some(Value::of_code(text))
                        })
                    });
                }
                Clause::Focus(names) => focus = Some(names),
            }
        }
        if let Some(names) = focus {
            results = results
                .into_iter()
                .filter_map(|mut r| {
                    // Several names focus on the span they share (Semgrep intersects them).
                    let mut span: Option<(u32, u32)> = None;
                    for name in names {
                        let b = lookup(&r.env, name)?;
                        span = Some(match span {
                            None => (b.start, b.end),
                            Some((s, e)) => (s.max(b.start), e.min(b.end)),
                        });
                    }
                    let (start, end) = span?;
                    (start < end).then(|| {
                        r.start = start;
                        r.end = end;
                        r
                    })
                })
                .collect();
        }
        results
    }

    /// Keeps each result inside a compatible match of `others`, adding its bindings.
    fn intersect(&self, results: Vec<Match>, others: &[Match]) -> Vec<Match> {
        let inside = |r: &Match, o: &Match| r.start >= o.start && r.end <= o.end;
        results
            .into_iter()
            .filter_map(|mut r| {
                let o = others
                    .iter()
                    .find(|o| inside(&r, o) && self.compatible(&r.env, &o.env))?;
                Self::merge(&mut r.env, &o.env);
                Some(r)
            })
            .collect()
    }

    fn scope_of(&self, binding: &Binding) -> Scope {
        let ids = match binding.node {
            Some(n) => (n, self.tree.node(n).subtree_end),
            None => (0, 0),
        };
        Scope {
            ids,
            bytes: (binding.start, binding.end),
        }
    }
}

fn unquote(text: &str) -> &str {
    crate::tree::string_body(text)
}

pub(crate) fn lookup(env: &Env, name: &str) -> Option<Binding> {
    env.iter().find(|(n, _)| &**n == name).map(|(_, b)| *b)
}

/// Drops repeats: same span and same bindings.
fn dedup(matches: &mut Vec<Match>) {
    matches.sort_by_key(|m| (m.start, m.end));
    matches.dedup_by(|a, b| {
        a.start == b.start
            && a.end == b.end
            && a.env.len() == b.env.len()
            && a.env
                .iter()
                .all(|(n, ba)| b.env.iter().any(|(m, bb)| n == m && ba == bb))
    });
}

/// One match per span, for reporting.
pub(crate) fn one_per_span(matches: &mut Vec<Match>) {
    matches.sort_by_key(|m| (m.start, m.end));
    matches.dedup_by_key(|m| (m.start, m.end));
}
