//! Build script of the C API crate.
//!
//! Without the `header` feature it does nothing. With it (`make header`, `make header-check`) it
//! generates the C header from `src/` with the pinned cbindgen and `cbindgen.toml`, writing it to
//! the path in `SVP_HEADER_OUT` (or `$OUT_DIR/supervisor_planner.h` when that is unset). The
//! version macros come from this crate's Cargo.toml version.
//!
//! On Linux it also gives the shared library its soname, `libsupervisor_planner.so.<ABI>`:
//! the major version, or `0.<minor>` before 1.0 (where a minor release may break the ABI), the
//! name `make install` gives the versioned file's link.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let part = |p: &str| std::env::var(format!("CARGO_PKG_VERSION_{p}")).expect("set by cargo");
        let abi = match part("MAJOR").as_str() {
            "0" => format!("0.{}", part("MINOR")),
            major => major.to_string(),
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsupervisor_planner.so.{abi}");
    }
    #[cfg(feature = "header")]
    header::generate();
}

#[cfg(feature = "header")]
mod header {
    use std::env;
    use std::path::PathBuf;

    pub fn generate() {
        println!("cargo:rerun-if-env-changed=SVP_HEADER_OUT");
        println!("cargo:rerun-if-changed=src");
        println!("cargo:rerun-if-changed=cbindgen.toml");

        let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
        let out = match env::var_os("SVP_HEADER_OUT") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                let path = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"))
                    .join("supervisor_planner.h");
                println!(
                    "cargo:warning=SVP_HEADER_OUT is not set; writing the header to {}",
                    path.display()
                );
                path
            }
        };
        // A deleted or hand-edited header is regenerated too.
        println!("cargo:rerun-if-changed={}", out.display());
        let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
            .unwrap_or_else(|e| panic!("bindings-c/cbindgen.toml: {e}"));
        let version =
            |part: &str| env::var(format!("CARGO_PKG_VERSION_{part}")).expect("set by cargo");
        let (major, minor, patch) = (version("MAJOR"), version("MINOR"), version("PATCH"));
        let full = env::var("CARGO_PKG_VERSION").expect("set by cargo");
        let macros = format!(
            "\n/** The version of this header (from Cargo.toml); `svp_version()` gives the library's. */\n\
             #define SVP_VERSION_MAJOR {major}\n\
             #define SVP_VERSION_MINOR {minor}\n\
             #define SVP_VERSION_PATCH {patch}\n\
             #define SVP_VERSION_STRING \"{full}\""
        );
        let bindings = cbindgen::Builder::new()
            .with_config(config)
            .with_src(crate_dir.join("src").join("lib.rs"))
            .with_after_include(macros)
            .generate()
            .unwrap_or_else(|e| panic!("cbindgen could not generate the header: {e}"));
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        bindings.write_to_file(&out);
    }
}
