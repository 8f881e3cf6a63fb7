//! Shell completions and the man page are generated from the command-line
//! definition, so they name every subcommand.

mod common;

use common::aiact;

const SUBCOMMANDS: &[&str] = &[
    "run",
    "validate",
    "test",
    "graph",
    "completions",
    "man",
    "report",
];

#[test]
fn completions_are_produced_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef aiact"),
        ("fish", "complete -c aiact"),
    ] {
        let o = aiact(&["completions", shell]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{shell}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = String::from_utf8(o.stdout).expect("UTF-8");
        assert!(text.contains(marker), "{shell} completions lack {marker:?}");
        for sub in SUBCOMMANDS {
            assert!(
                text.contains(sub),
                "{shell} completions do not mention {sub}"
            );
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let o = aiact(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_and_lists_the_subcommands() {
    let o = aiact(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(text.contains(".TH aiact 1"), "{text}");
    for sub in SUBCOMMANDS {
        assert!(
            text.contains(&format!("aiact\\-{sub}")) || text.contains(sub),
            "man page lacks {sub}"
        );
    }
}
