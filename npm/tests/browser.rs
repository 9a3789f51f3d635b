//! wasm-bindgen boundary tests in headless Chromium (`CHROMEDRIVER=/usr/bin/chromedriver`,
//! flags in `npm/webdriver.json`): the same tests as `node.rs`, in a browser.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod boundary;
