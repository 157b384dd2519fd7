//! Sitemaps for the console, with gzip inflated by the browser (`DecompressionStream`) rather
//! than in the wasm: the core's `sitemap::parse` inflates `.xml.gz` itself, which links `flate2`,
//! `miniz_oxide` and `crc32fast`'s 16 KB table into whatever calls it; the console hands the core
//! plain XML instead ([`sitemap::parse_reader`]) and keeps the core's cap on the inflated size
//! ([`sitemap::DEFAULT_MAX_BYTES`]), counted as the stream comes, so a gzip bomb stops there.

use edgewarm::sources::sitemap::{self, Sitemap, SitemapError};

/// Reads a sitemap or sitemap index, gzipped (`1f 8b`) or not, under the core's size cap.
#[cfg(target_arch = "wasm32")]
pub async fn read_sitemap(bytes: &[u8]) -> Result<Sitemap, SitemapError> {
    let limit = sitemap::DEFAULT_MAX_BYTES;
    let plain;
    let xml = if bytes.starts_with(&[0x1f, 0x8b]) {
        plain = inflate(bytes, limit).await?;
        &plain[..]
    } else {
        bytes
    };
    if xml.len() as u64 > limit {
        return Err(SitemapError::TooLarge { limit });
    }
    sitemap::parse_reader(xml.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(xml))
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The browser's `DecompressionStream` (a readable/writable pair).
        #[wasm_bindgen(js_name = DecompressionStream)]
        pub type Inflater;

        #[wasm_bindgen(catch, constructor, js_class = "DecompressionStream")]
        pub fn new(format: &str) -> Result<Inflater, JsValue>;
    }
}

/// The browser's message for a rejected read (damaged gzip: "incorrect header check", …).
#[cfg(target_arch = "wasm32")]
fn gzip_error(e: wasm_bindgen::JsValue) -> SitemapError {
    use wasm_bindgen::JsCast;
    SitemapError::Gzip(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "the browser could not inflate it".to_string()),
    )
}

/// `bytes` inflated by `DecompressionStream("gzip")`, refused once more than `limit` bytes came.
#[cfg(target_arch = "wasm32")]
async fn inflate(bytes: &[u8], limit: u64) -> Result<Vec<u8>, SitemapError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(gzip_error)?;
    let inflater = browser::Inflater::new("gzip").map_err(gzip_error)?;
    let stream = blob
        .stream()
        .pipe_through(inflater.unchecked_ref::<web_sys::ReadableWritablePair>());
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: web_sys::ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(gzip_error)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(out);
        }
        let chunk = js_sys::Uint8Array::new(&chunk.get_value());
        if (out.len() + chunk.length() as usize) as u64 > limit {
            let _ = reader.cancel();
            return Err(SitemapError::TooLarge { limit });
        }
        let at = out.len();
        out.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut out[at..]);
    }
}

/// Native builds (tests) have no browser: the core inflates.
#[cfg(not(target_arch = "wasm32"))]
pub async fn read_sitemap(bytes: &[u8]) -> Result<Sitemap, SitemapError> {
    sitemap::parse(bytes)
}
