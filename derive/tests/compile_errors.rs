//! Mistakes in a model are compile errors with a clear message; the messages
//! are pinned in `tests/ui/*.stderr`.

#[test]
fn model_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
