//! SQL sink analyser: tainted text must stay inside one literal value.

use std::ops::Range;
use std::time::{Duration, Instant};

use moat_iast::sql::injected;

mod common;

use common::{XorShift, random_ranges, random_text, span};

fn injected_at(query: &str, tainted: Range<usize>) -> bool {
    injected(query, &[tainted])
}

fn assert_injected(query: &str, tainted: &str) {
    common::assert_injected(injected, query, tainted);
}

fn assert_safe(query: &str, tainted: &str) {
    common::assert_safe(injected, query, tainted);
}

#[test]
fn value_inside_quotes_is_safe() {
    assert_safe("SELECT * FROM users WHERE name = 'alice'", "alice");
    assert_safe(
        "SELECT * FROM users WHERE name = 'say \"hi\"'",
        "say \"hi\"",
    );
    assert_safe(
        "SELECT * FROM users WHERE name = 'a -- b /* c */ # d'",
        "a -- b /* c */ # d",
    );
    assert_safe("SELECT * FROM users WHERE name = 'café'", "café");
    assert_safe("SELECT '1'::int", "1");
}

#[test]
fn doubled_quote_inside_literal_is_safe() {
    assert_safe("SELECT * FROM users WHERE name = 'O''Brien'", "O''Brien");
}

#[test]
fn like_pattern_is_safe() {
    assert_safe("SELECT * FROM t WHERE name LIKE '%abc%'", "%abc%");
    assert_safe("SELECT * FROM t WHERE name LIKE '%abc%'", "abc");
}

#[test]
fn number_is_safe() {
    assert_safe("SELECT * FROM t WHERE id = 42", "42");
    assert_safe("SELECT * FROM t WHERE id = 12345", "234");
    assert_safe("SELECT * FROM t WHERE price < 3.14e-2", "3.14e-2");
    assert_safe("SELECT * FROM t WHERE flags = 0x1F", "0x1F");
    assert_safe("SELECT * FROM t LIMIT 10 OFFSET .5", ".5");
}

#[test]
fn negative_number_after_operator_is_safe() {
    assert_safe("SELECT * FROM t WHERE id = -5", "-5");
    assert_safe("INSERT INTO t VALUES (+7, 1)", "+7");
}

#[test]
fn sign_after_name_is_arithmetic_and_injected() {
    assert_injected("SELECT balance-1 FROM t", "-1");
}

#[test]
fn dollar_quoted_body_is_safe() {
    assert_safe("SELECT $$hello world$$", "hello world");
    assert_safe("SELECT $body$it's $$ fine$body$", "it's $$ fine");
}

#[test]
fn tainted_dollar_tag_closing_the_body_is_injected() {
    assert_injected("SELECT $$a$$; DROP TABLE t; --$$", "a$$; DROP TABLE t; --");
}

#[test]
fn escape_string_body_is_safe() {
    assert_safe(r"SELECT * FROM t WHERE name = E'a\'b'", r"a\'b");
}

#[test]
fn quote_breakout_is_injected() {
    assert_injected(
        "SELECT * FROM users WHERE name = '' OR '1'='1'",
        "' OR '1'='1",
    );
}

#[test]
fn boolean_tautology_is_injected() {
    assert_injected("SELECT * FROM t WHERE id = 1 OR 1=1", "1 OR 1=1");
}

#[test]
fn stacked_query_is_injected() {
    assert_injected(
        "SELECT * FROM t WHERE id = 1; DROP TABLE users",
        "1; DROP TABLE users",
    );
}

#[test]
fn comment_after_quote_is_injected() {
    assert_injected(
        "SELECT * FROM users WHERE name = 'admin'--' AND pw = 'x'",
        "admin'--",
    );
}

#[test]
fn comments_are_injected() {
    assert_injected("SELECT * FROM t WHERE id = 1 /* x */", "1 /* x */");
    assert_injected("SELECT * FROM t WHERE id = 1 # x", "1 # x");
}

#[test]
fn union_is_injected() {
    assert_injected(
        "SELECT name FROM t WHERE id = 1 UNION SELECT password FROM users",
        "1 UNION SELECT password FROM users",
    );
}

#[test]
fn whole_identifier_is_injected() {
    assert_injected("SELECT * FROM t ORDER BY name", "name");
    assert_injected("SELECT * FROM `users`", "users");
    assert_injected("SELECT \"col\" FROM t", "col");
}

#[test]
fn placeholder_is_injected() {
    assert_injected("SELECT * FROM t WHERE id = ?", "?");
}

#[test]
fn backslash_escaped_quote_stays_inside_literal() {
    assert_safe(
        r"SELECT * FROM t WHERE name = '\' OR 1=1 -- '",
        r"\' OR 1=1 -- ",
    );
}

#[test]
fn escaped_backslash_before_quote_breaks_out() {
    assert_injected(
        r"SELECT * FROM t WHERE name = '\\' OR 1=1 -- '",
        r"\\' OR 1=1 -- ",
    );
}

#[test]
fn tainted_trailing_backslash_swallowing_the_quote_is_injected() {
    assert_injected(r"SELECT * FROM t WHERE a = 'x\' AND b = 'y'", r"x\");
}

#[test]
fn tainted_quote_pairing_with_the_closing_quote_is_injected() {
    assert_injected("SELECT * FROM t WHERE a = 'abc''", "abc'");
}

#[test]
fn unterminated_literal_started_by_tainted_text_is_injected() {
    assert_injected("SELECT * FROM t WHERE a = 'abc", "'abc");
}

#[test]
fn malformed_query_with_untainted_unterminated_literal_does_not_panic() {
    // The literal never ends, so where the value was meant to stop is unknown.
    assert_injected("SELECT * FROM t WHERE a = 'abcd", "cd");
    assert_injected("SELECT * FROM t WHERE a = $$abcd", "cd");
    assert_injected("SELECT * FROM t WHERE a = \"abcd", "cd");
    assert_injected("SELECT * FROM t /* abcd", "cd");
}

#[test]
fn empty_and_reversed_ranges_are_ignored() {
    let query = "SELECT * FROM t WHERE id = 1 OR 1=1";
    assert!(!injected(query, &[]));
    assert!(!injected(query, &[5..5, 0..0]));
    #[expect(
        clippy::reversed_empty_ranges,
        reason = "the analyser must ignore these"
    )]
    let reversed = 30..10;
    assert!(!injected_at(query, reversed));
}

#[test]
fn out_of_bounds_ranges_are_clamped() {
    let query = "SELECT 1";
    assert!(!injected_at(query, 7..100));
    assert!(!injected_at(query, 100..200));
    assert!(injected_at(query, 0..100));
}

#[test]
fn overlapping_ranges_are_each_checked() {
    let query = "SELECT * FROM t WHERE name = 'alice' AND id = 7";
    let name = span(query, "alice");
    let id = span(query, "7");
    assert!(!injected(
        query,
        &[name.clone(), name.start + 1..name.end, id.clone()]
    ));
    assert!(injected(query, &[name.clone(), name.start..name.end + 1]));
}

#[test]
fn ranges_inside_a_multibyte_character_do_not_panic() {
    let query = "SELECT * FROM t WHERE name = 'é€' AND x = ü";
    let start = span(query, "é€").start;
    assert!(!injected_at(query, start + 1..start + 4));
    let u = span(query, "ü").start;
    assert!(injected_at(query, u + 1..u + 2));
}

#[test]
fn empty_query_is_never_injected() {
    assert!(!injected_at("", 0..10));
}

fn random_query(rng: &mut XorShift, len: usize) -> String {
    const PIECES: &[&str] = &[
        "'", "''", "\"", "`", "$", "$$", "$a$", "\\", "-", "--", "#", "/*", "*/", " ", "\n", "a",
        "SELECT", "1", "1.5e3", "0x1f", "é", "€", "(", ")", ";", "E'", ".", "?", "%s", "%(n)s",
        ":name", "$1", "::",
    ];
    random_text(rng, PIECES, len)
}

// Any quadratic step would take minutes on a megabyte; the bound is loose for slow CI.
#[test]
fn megabyte_of_random_input_is_fast_and_never_panics() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let query = random_query(&mut rng, 1 << 20);
    let ranges = random_ranges(&mut rng, query.len(), 100_000);
    let clock = Instant::now();
    let _ = injected(&query, &ranges);
    let _ = injected_at(&query, 0..query.len());
    assert!(clock.elapsed() < Duration::from_secs(20));
}

#[test]
fn small_random_inputs_never_panic() {
    let mut rng = XorShift(42);
    for _ in 0..2_000 {
        let size = rng.next() % 64;
        let query = random_query(&mut rng, size);
        let start = rng.next() % (query.len() + 2);
        let _ = injected(&query, &[start..start + rng.next() % 8, 0..query.len()]);
    }
}

#[test]
fn long_dollar_tags_stay_linear() {
    let tag = format!("${}$", "a".repeat(63));
    let mut query = format!("SELECT {tag}");
    for _ in 0..(1 << 14) {
        // Every chunk matches the closing tag but for its last byte.
        query.push_str(&tag[..tag.len() - 1]);
        query.push(' ');
    }
    let clock = Instant::now();
    assert!(injected_at(&query, 7..query.len()));
    assert!(clock.elapsed() < Duration::from_secs(20));
}
