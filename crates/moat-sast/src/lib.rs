//! Moat's static analysis: Semgrep-style YAML rules matched over tree-sitter trees.
//!
//! Rules are compiled once ([`RuleSet::load`], [`RuleSet::bundled`]); each file is parsed
//! once for all rules of its language, and a rule is skipped for a file that lacks an
//! identifier the rule requires.
//!
//! ```
//! use moat_sast::{Language, RuleSet, parse_rules};
//! let rules = parse_rules(
//!     "demo.yaml".as_ref(),
//!     "rules:\n  - id: demo.eval\n    message: eval of $X\n    severity: high\n    languages: [python]\n    pattern: eval($X)\n",
//! ).unwrap();
//! let set = RuleSet::new(rules);
//! let report = set.scan_text(Language::Python, "a.py", "eval(user)\n");
//! assert_eq!(report.findings[0].message, "eval of user");
//! ```

mod comparison;
mod eval;
mod imports;
mod language;
mod matcher;
mod pattern;
mod rule;
mod ruleset;
mod syntax;
pub mod testing;
mod tree;

pub use language::Language;
pub use rule::{Rule, RuleError, parse_rules};
pub use ruleset::{RuleSet, is_rule_file, rule_files};
