#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cloudgate_fuzz::eval_json(data));
