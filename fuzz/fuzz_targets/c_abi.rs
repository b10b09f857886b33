#![no_main]
//! See `supervisor_planner_fuzzing::c_abi`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| supervisor_planner_fuzzing::c_abi(data));
