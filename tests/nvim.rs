//! A real LSP client nobody here wrote: Neovim (headless) opens the seed through
//! `copylint server`, must see the same findings as `copylint check`, and applies the
//! quick fix for the trailing no-break space on line 44. Skips, saying why, where Neovim
//! is not installed (`.ci/run` installs it).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const SEED: &str = "seeds/000_db6636acdd834bc4.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn neovim_shows_the_findings_and_applies_the_quick_fix() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copylint.toml"), "").unwrap();
    let seed = dir.path().join("seed.txt");
    std::fs::copy(root().join(SEED), &seed).unwrap();
    let out_file = dir.path().join("out.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root().join("tests/nvim/lsp_check.lua").display()
        ))
        .env("COPYLINT_BIN", env!("CARGO_BIN_EXE_copylint"))
        .env("SEED_FILE", &seed)
        .env("OUT_FILE", &out_file)
        .current_dir(dir.path())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = std::fs::read_to_string(&out_file).expect("the script wrote its results");
    assert!(out.ends_with("status: ok\n"), "{out}");
    assert!(out.contains("encoding: utf-16"), "{out}");
    let mut seen: Vec<String> = out
        .lines()
        .filter(|l| !l.contains(':'))
        .map(str::to_owned)
        .collect();
    seen.sort();
    // The same findings as `copylint check`, in 0-based LSP terms.
    let check = Command::new(env!("CARGO_BIN_EXE_copylint"))
        .args(["check", "--format", "json"])
        .arg(&seed)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut want: Vec<String> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["line"].as_u64().unwrap() - 1,
                f["column"].as_u64().unwrap() - 1
            )
        })
        .collect();
    want.sort();
    assert_eq!(seen, want);
    let fixed = out.lines().find_map(|l| l.strip_prefix("fixed: ")).unwrap();
    assert!(
        fixed.ends_with("simply swap more intelligence."),
        "{fixed:?}"
    );
}
