//! The command-line definition. Completions and the man page are generated
//! from it, so it is the single source of truth for usage.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "aiact",
    version,
    about = "Where do you stand under the EU AI Act? An offline assessment for people who build and share AI components.",
    long_about = "aiact walks you through how you build and share an AI component (model weights, a dataset, \
training code, a library, an app) and shows which exemptions, obligations and recommendations apply, \
each with the answers that led there and the article it rests on. It is not legal advice."
)]
pub struct Cli {
    /// The assessment date (YYYY-MM-DD); defaults to today. Decides what is already in force.
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<String>,

    /// Where sessions are kept (also AIACT_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR", env = "AIACT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// The interactive app: where `e` writes reports (also AIACT_EXPORT_DIR; default: your documents folder).
    #[arg(long, global = true, value_name = "DIR", env = "AIACT_EXPORT_DIR")]
    pub export_dir: Option<PathBuf>,

    /// The interactive app: capture the mouse (the wheel scrolls). Off by default so copy and paste work.
    #[arg(long, global = true)]
    pub mouse: bool,

    /// The interactive app: offer only this questionnaire (a file or a shipped id).
    #[arg(long, value_name = "FILE|ID")]
    pub questionnaire: Option<String>,

    /// Show the questionnaire in this language: its translation beside the file (x.ron → x.de.ron).
    /// For the app, run, new, resume, report, recheck, present, graph, test and translation-template.
    #[arg(long, global = true, value_name = "LANG")]
    pub language: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check questionnaire files and report every problem (default: the shipped ones).
    ///
    /// A translation file (x.de.ron, with `translation_of`) is checked
    /// against the questionnaire beside it (x.ron); texts not translated yet
    /// are warnings.
    Validate {
        /// Questionnaire or translation files; none means every shipped questionnaire.
        files: Vec<PathBuf>,
    },
    /// Print a translation file for a questionnaire: every text with its key, to fill in.
    ///
    /// Save it beside the questionnaire as x.LANG.ron (x.ron → x.de.ron) and
    /// replace each text with its translation; `--language LANG` then shows
    /// the questionnaire in that language.
    TranslationTemplate {
        /// The questionnaire file (or a shipped id).
        file: String,
    },
    /// Evaluate an answers file without the interactive app.
    Run(RunArgs),
    /// Run scenario files (answers in, expected outcomes out) and print a pass/fail table.
    Test {
        /// Scenario files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Run them against this questionnaire (a file or a shipped id) instead of the one each names.
        #[arg(long, value_name = "FILE|ID")]
        questionnaire: Option<String>,
    },
    /// List the shipped questionnaires.
    Questionnaires,
    /// Start a new saved assessment (session).
    New(NewArgs),
    /// Reopen a saved session where you left it (default: the last changed).
    Resume(ResumeArgs),
    /// List saved sessions: progress, outcomes, follow-up; damaged files are marked.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Write a report of a saved session (a name or a session file).
    Report(ReportArgs),
    /// Compare two sessions side by side: the answers and outcomes that differ.
    Diff {
        /// The first session (a name or a session file).
        a: String,
        /// The second session (a name or a session file).
        b: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = super::compare::DiffFormat::Markdown)]
        format: super::compare::DiffFormat,
    },
    /// Re-evaluate a session against the shipped questionnaire and the date; show what changed.
    Recheck {
        /// The session's name.
        name: String,
    },
    /// Delete a saved session (asks first unless --yes).
    Delete {
        /// The session's name.
        name: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Rename a saved session.
    Rename {
        /// The current name.
        old: String,
        /// The new name.
        new: String,
    },
    /// Write a saved session to a self-contained file (to move it to another machine).
    Export {
        /// The session's name.
        name: String,
        /// The file to write (refused if it exists).
        file: PathBuf,
        /// Replace the file if it exists (never a link).
        #[arg(long)]
        force: bool,
    },
    /// Import a session file written by `export`.
    Import {
        /// The session file.
        file: PathBuf,
        /// Import it under this name (needed when the name is taken).
        #[arg(long = "as", value_name = "NEW")]
        as_name: Option<String>,
    },
    /// Summarise many saved sessions (a workshop's tables): outcomes reached, answers given.
    Aggregate {
        /// Session files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = super::aggregate::AggregateFormat::Markdown)]
        format: super::aggregate::AggregateFormat,
        /// Leave out session names (and never show notes or free text).
        #[arg(long)]
        anonymise: bool,
    },
    /// Draw the decision tree (questions, routes, optionally outcomes) as Mermaid or DOT.
    ///
    /// Labels are in words (question short names, option labels, fact
    /// descriptions) and cut to 60 characters with an ellipsis. Mermaid
    /// renderers refuse more than 500 edges, so with --outcomes Mermaid draws
    /// one box per outcome group and one edge per question and group it reads;
    /// DOT keeps an edge per outcome. A Mermaid diagram that still has more
    /// than 500 edges is printed with a warning on standard error.
    Graph(GraphArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to standard output.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Walk a room through the questions on a projector (facilitator mode; nothing is saved).
    Present(PresentArgs),
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A questionnaire file or shipped id (default: eu-ai-act-oss).
    #[arg(long, value_name = "FILE|ID")]
    pub questionnaire: Option<String>,
    /// Output format: Mermaid renders on code forges, DOT with Graphviz.
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Mermaid)]
    pub format: GraphFormatArg,
    /// Also draw the outcomes, boxed by group, with dashed edges from the
    /// questions they read: to each group's box in Mermaid (its 500-edge
    /// limit), to each outcome in DOT.
    #[arg(long)]
    pub outcomes: bool,
    /// Highlight this saved session's path (a name or a session file); draws its questionnaire.
    #[arg(long, value_name = "NAME|FILE")]
    pub session: Option<String>,
}

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormatArg {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The answers file (RON map of question id to answer).
    #[arg(long, value_name = "FILE", required_unless_present = "from")]
    pub answers: Option<PathBuf>,
    /// Pre-answer from the component's own files in DIR (as `new --from`); an answers file given too wins.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// A questionnaire file or shipped id (default: eu-ai-act-oss).
    #[arg(long, value_name = "FILE|ID")]
    pub questionnaire: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Print provisional results for an incomplete set of answers instead of failing.
    #[arg(long)]
    pub partial: bool,
    /// Also show the single answer changes that would flip an outcome.
    #[arg(long)]
    pub what_if: bool,
}

/// Output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The component's name (also the session's name).
    #[arg(long)]
    pub name: Option<String>,
    /// A questionnaire file or shipped id (default: eu-ai-act-oss).
    #[arg(long, value_name = "FILE|ID")]
    pub questionnaire: Option<String>,
    /// Pre-fill answers from an answers file.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Pre-answer from the component's own files in DIR (model or dataset card, LICENSE, config.json, safetensors headers); each pre-answer is marked until you confirm it. Nothing is fetched from the network.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
}

/// Arguments of `resume`.
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The session's name (default: the one changed last).
    pub name: Option<String>,
    /// Open it read-only even if nobody else has it open.
    #[arg(long)]
    pub read_only: bool,
    /// Take the session over from another aiact (after checking it is not running).
    #[arg(long)]
    pub take_over: bool,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A session's name, or a session file.
    pub session: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (refused if it exists).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists (never a link).
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
    ModelCard,
}

/// Output formats of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// Arguments of `present`.
#[derive(Debug, Args)]
pub struct PresentArgs {
    /// A questionnaire file or shipped id (default: eu-ai-act-oss).
    #[arg(long, value_name = "FILE|ID")]
    pub questionnaire: Option<String>,
    /// Colours for a projector.
    #[arg(long, value_enum, default_value_t = PresentTheme::Light)]
    pub theme: PresentTheme,
}

/// Themes of `present`: projectors wash out dim colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresentTheme {
    /// Dark text on white.
    Light,
    /// White and yellow on black, nothing dimmed.
    HighContrast,
}
