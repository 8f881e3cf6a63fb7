//! The `aiact` binary: parses arguments, reads the clock and the
//! environment, runs a command.

use clap::Parser;

fn main() {
    let cli = aiact::cli::Cli::parse();
    let env = aiact::env::Env::from_process();
    let code = aiact::cli::run(
        cli,
        &env,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
