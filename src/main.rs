//! The `aiact` binary: parses arguments, reads the clock, runs a command.

use clap::Parser;

fn main() {
    let cli = aiact::cli::Cli::parse();
    let today = jiff::Zoned::now().date();
    let code = aiact::cli::run(cli, today, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
