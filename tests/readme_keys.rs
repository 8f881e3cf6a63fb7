//! The README's key table is the app's own: generated from the bindings
//! (`aiact::tui::keys::markdown_tables`), so the documentation cannot drift
//! from behaviour. After changing a binding, run
//! `UPDATE_README=1 cargo test --test readme_keys` and commit README.md.

const START: &str = "<!-- keys:start (generated from src/tui/keys.rs) -->\n";
const END: &str = "<!-- keys:end -->";

#[test]
fn the_readme_key_table_matches_the_bindings() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no generated key table between the markers");
    };
    let wanted = aiact::tui::keys::markdown_tables();
    let shown = &readme[a + START.len()..b];
    if shown != wanted {
        let update = std::env::var_os("UPDATE_README").is_some_and(|v| !v.is_empty() && v != "0");
        if update {
            let new = format!("{}{START}{wanted}{}", &readme[..a], &readme[b..]);
            std::fs::write("README.md", new).unwrap();
        } else {
            panic!(
                "README.md's key table differs from the bindings; run UPDATE_README=1 cargo test --test readme_keys\n--- README\n{shown}\n--- bindings\n{wanted}"
            );
        }
    }
}
