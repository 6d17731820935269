//! The example's binary, run as CI runs it: outside Lambda, on its recorded
//! event, on the embedded engine.

use std::process::Command;

#[test]
fn the_handler_runs_on_the_recorded_event() {
    let output = Command::new(env!("CARGO_BIN_EXE_lambda-handler-example"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(
            r#"response: {"batchItemFailures":[{"itemIdentifier":"4421584500000000017450439094"}]}"#
        ),
        "{stdout}"
    );
    assert!(stdout.contains(r#"shipped: ["o-1"]"#), "{stdout}");
}
