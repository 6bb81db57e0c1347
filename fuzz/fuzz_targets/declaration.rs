//! The declaration loader on untrusted text, read as YAML and as JSON and typed against
//! the built-in packs' shape.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = comply_fuzz::text(data) {
        comply_fuzz::declarations(comply_fuzz::builtin(), text);
    }
});
