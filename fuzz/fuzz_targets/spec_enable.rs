#![no_main]
//! See `supervisor_planner_fuzzing::spec_enable`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| supervisor_planner_fuzzing::spec_enable(data));
