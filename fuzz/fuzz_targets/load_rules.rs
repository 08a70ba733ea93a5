#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cloudgate_fuzz::load_rules(data));
