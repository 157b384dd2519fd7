//! Precompressed copies of the console's files, written at build time by `cargo xtask console`:
//! `NAME.br` (brotli, quality 11) and `NAME.gz` (gzip -9) next to each `.wasm`, `.js`, `.css`,
//! `.html`, `.svg` and `.json` file. The proxy sends one of them when the browser accepts that
//! encoding (and the file itself otherwise), so the 1.2 MB wasm crosses the wire at about a
//! third of its size without the proxy compressing anything per request.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file kinds worth compressing (text and wasm; images and fonts are compressed already).
const EXTENSIONS: [&str; 6] = ["wasm", "js", "css", "html", "svg", "json"];

/// Sizes of one file, raw and in each encoding.
pub struct Sizes {
    /// The file's name.
    pub name: String,
    /// Bytes as stored.
    pub raw: usize,
    /// Bytes of `NAME.br`.
    pub br: usize,
    /// Bytes of `NAME.gz`.
    pub gz: usize,
}

/// Writes `NAME.br` and `NAME.gz` beside every compressible file directly in `dir` (copies that
/// already decompress to the file's bytes are kept as they are), removes copies whose file is
/// gone, and returns the sizes.
pub fn precompress(dir: &Path) -> Result<Vec<Sizes>, String> {
    let mut sizes = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in &paths {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "br" | "gz") {
            if !path.with_extension("").is_file() {
                std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            continue;
        }
        if !path.is_file() || !EXTENSIONS.contains(&ext) {
            continue;
        }
        let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let br = refresh(path, "br", &raw, brotli_encode, brotli_decode)?;
        let gz = refresh(path, "gz", &raw, gzip_encode, gzip_decode)?;
        sizes.push(Sizes {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            raw: raw.len(),
            br,
            gz,
        });
    }
    Ok(sizes)
}

type Codec = fn(&[u8]) -> std::io::Result<Vec<u8>>;

/// Makes `path.<suffix>` hold `raw` encoded, unless it already decodes to exactly `raw`
/// (decoding is fast; brotli's best quality is not). Returns its size.
fn refresh(
    path: &Path,
    suffix: &str,
    raw: &[u8],
    encode: Codec,
    decode: Codec,
) -> Result<usize, String> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    let target = PathBuf::from(name);
    if let Ok(existing) = std::fs::read(&target) {
        if decode(&existing).is_ok_and(|d| d == raw) {
            return Ok(existing.len());
        }
    }
    let encoded = encode(raw).map_err(|e| format!("{suffix} of {}: {e}", path.display()))?;
    std::fs::write(&target, &encoded).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(encoded.len())
}

fn brotli_encode(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        // quality 11 (best), window 2^22: what static-site tools use for precompression
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(raw)?;
        w.flush()?;
    }
    Ok(out)
}

fn brotli_decode(encoded: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(encoded, 64 * 1024).read_to_end(&mut out)?;
    Ok(out)
}

fn gzip_encode(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(raw)?;
    gz.finish()
}

/// One gzip member and nothing after it (a file with trailing bytes is written again).
fn gzip_decode(encoded: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut d = flate2::bufread::GzDecoder::new(encoded);
    d.read_to_end(&mut out)?;
    if !d.into_inner().is_empty() {
        return Err(std::io::Error::other("bytes after the gzip member"));
    }
    Ok(out)
}
