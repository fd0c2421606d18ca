fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(mesos::run())
}
