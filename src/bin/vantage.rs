//! The native command-line shell: hands its arguments to `vantage::cli` and prints what it returns.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(vantage::cli::main_with_args(&args));
}
