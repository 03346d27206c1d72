//! `copylint server` spoken to over its stdio, as an editor would: initialize, didOpen,
//! incremental didChange, codeAction, hover, config reloads, bad input, shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const SEED: &str = "seeds/000_db6636acdd834bc4.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    fn start(dir: &Path, encodings: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_copylint"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0usize;
                loop {
                    let mut header = String::new();
                    if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            backlog: Vec::new(),
            next_id: 1,
        };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(dir), "capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        assert!(
            result["result"]["capabilities"]["codeActionProvider"].is_object(),
            "{result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id)
    }

    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&want) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self
                .messages
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(m) if want(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("timed out; got {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("the server went away"),
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, path: &Path, language: &str, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": language, "version": 1, "text": text}}),
        );
        u
    }

    fn shutdown(mut self) {
        let response = self.request("shutdown", json!(null));
        assert!(response["error"].is_null());
        self.notify("exit", json!(null));
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

/// (rule, line, character) of each diagnostic, sorted.
fn summary(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The same, from `copylint check --format json` on a file, in 0-based LSP terms (the
/// seed has no characters outside the BMP, so character columns equal UTF-16 ones).
fn check_summary(dir: &Path, file: &Path) -> Vec<(String, u64, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_copylint"))
        .args(["check", "--format", "json"])
        .arg(file)
        .current_dir(dir)
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut out: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap() - 1,
                f["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    out.sort();
    out
}

fn workspace() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copylint.toml"), "").unwrap();
    let path = dir.path().join("seed.txt");
    let text = std::fs::read_to_string(root().join(SEED)).unwrap();
    std::fs::write(&path, &text).unwrap();
    (dir, path, text)
}

#[test]
fn open_publishes_what_check_reports() {
    let (dir, path, text) = workspace();
    let mut client = Client::start(dir.path(), &[]);
    let u = client.open(&path, "plaintext", &text);
    let diagnostics = client.diagnostics(&u, 1);
    assert_eq!(summary(&diagnostics), check_summary(dir.path(), &path));
    let nbsp = diagnostics
        .iter()
        .find(|d| d["code"] == "trailing-whitespace")
        .unwrap();
    assert_eq!(nbsp["source"], "copylint");
    assert_eq!(nbsp["severity"], 2);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    let cleared = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["uri"], u);
    client.shutdown();
}

#[test]
fn the_quick_fix_for_trailing_whitespace_removes_it() {
    let (dir, path, text) = workspace();
    let mut client = Client::start(dir.path(), &[]);
    let u = client.open(&path, "plaintext", &text);
    let diagnostics = client.diagnostics(&u, 1);
    let nbsp = diagnostics
        .iter()
        .find(|d| d["code"] == "trailing-whitespace" && d["range"]["start"]["line"] == 43)
        .unwrap()
        .clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": nbsp["range"], "context": {"diagnostics": [nbsp]}}),
    );
    let actions: Vec<&Value> = response["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "quickfix")
        .collect();
    let fix = actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["title"], "Delete the trailing whitespace");
    let edits = &fix["edit"]["documentChanges"][0]["edits"];
    assert_eq!(edits[0]["newText"], "");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 43, "character": 118})
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 43, "character": 119})
    );
    // Plain text has no comments: no "ignore" actions.
    assert_eq!(actions.len(), 1);
    let all = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": nbsp["range"], "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let fix_all = &all["result"][0];
    assert_eq!(fix_all["kind"], "source.fixAll.copylint");
    assert!(
        fix_all["title"]
            .as_str()
            .unwrap()
            .starts_with("Fix all safe problems in this file (")
    );
    client.shutdown();
}

#[test]
fn markdown_offers_ignore_comments_and_positions_are_in_the_source() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copylint.toml"), "").unwrap();
    let path = dir.path().join("a.md");
    let text = "---\ntitle: x\n---\n# Title\n\n  Some `code` and  two spaces.\n";
    let mut client = Client::start(dir.path(), &["utf-8"]);
    let u = client.open(&path, "markdown", text);
    let diagnostics = client.diagnostics(&u, 1);
    assert_eq!(
        summary(&diagnostics),
        vec![("double-space".to_owned(), 5, 17)]
    );
    let d = diagnostics[0].clone();
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let titles: Vec<&str> = response["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Replace them with one space",
            "Ignore `double-space` on this line",
            "Ignore `double-space` in this file",
            "Fix all safe problems in this file (1 fix)"
        ]
    );
    let line = &response["result"][1]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(
        line["newText"],
        "  <!-- copylint-disable-next-line double-space -->\n"
    );
    assert_eq!(line["range"]["start"], json!({"line": 5, "character": 0}));
    let file = &response["result"][2]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(
        file["range"]["start"],
        json!({"line": 3, "character": 0}),
        "after the front matter"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 5, "character": 18}}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("double-space\n")
    );
    client.shutdown();
}

/// A tiny deterministic generator, so the test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn two_hundred_incremental_edits_end_in_the_diagnostics_of_a_fresh_check() {
    let (dir, path, seed) = workspace();
    // A 5,000-line document: the seed, repeated.
    let mut text = String::new();
    while text.lines().count() < 5000 {
        text.push_str(&seed);
    }
    let mut client = Client::start(dir.path(), &[]);
    let u = client.open(&path, "plaintext", &text);
    client.diagnostics(&u, 1);
    let pieces = [
        "  ",
        "\u{a0}",
        "x",
        "\n",
        "’",
        "Share this @x.com\n",
        "é",
        "",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut mirror: Vec<char> = text.chars().collect();
    for version in 2..=201 {
        // An edit at a random place, in UTF-16 positions computed on the mirror (the seed
        // and the pieces are all in the BMP, so characters are UTF-16 units).
        let current: String = mirror.iter().collect();
        let lines: Vec<&str> = current.split('\n').collect();
        let line = rng.next(lines.len());
        let len = lines[line].chars().count();
        let start = rng.next(len + 1);
        let end = (start + rng.next(4)).min(len);
        let new_text = pieces[rng.next(pieces.len())];
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": u, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}, "text": new_text}],
            }),
        );
        let offset: usize = lines[..line].iter().map(|l| l.chars().count() + 1).sum();
        mirror.splice(offset + start..offset + end, new_text.chars());
    }
    let final_text: String = mirror.iter().collect();
    let diagnostics = client.diagnostics(&u, 201);
    std::fs::write(&path, &final_text).unwrap();
    assert_eq!(summary(&diagnostics), check_summary(dir.path(), &path));
    client.shutdown();
}

#[test]
fn bad_input_never_takes_the_server_down() {
    let (dir, path, text) = workspace();
    let mut client = Client::start(dir.path(), &[]);
    let u = client.open(&path, "plaintext", &text);
    client.diagnostics(&u, 1);
    // Positions past the end, a reversed range, a change for a closed document.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 9999, "character": 5}, "end": {"line": 99999, "character": 0}}, "text": "\ntail  end\n"},
            {"range": {"start": {"line": 0, "character": 500}, "end": {"line": 0, "character": 2}}, "text": ""}
        ]}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.txt", "version": 1}, "contentChanges": []}),
    );
    client.notify("textDocument/didChange", json!({"nonsense": true}));
    let unknown = client.request("copylint/doesNotExist", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let invalid = client.request("textDocument/codeAction", json!({"bad": 1}));
    assert_eq!(invalid["error"]["code"], -32602);
    let diagnostics = client.diagnostics(&u, 2);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "double-space"),
        "the server still lints"
    );
    client.shutdown();
}

#[test]
fn a_broken_config_is_reported_and_the_last_good_one_is_kept() {
    let (dir, path, text) = workspace();
    let config = dir.path().join("copylint.toml");
    std::fs::write(&config, "ignore = [\"boilerplate-line\"]\n").unwrap();
    let mut client = Client::start(dir.path(), &[]);
    let u = client.open(&path, "plaintext", &text);
    let good = summary(&client.diagnostics(&u, 1));
    assert!(good.iter().all(|(rule, ..)| rule != "boilerplate-line"));
    std::fs::write(&config, "ignore = [\"boilerplate-line\"]\nslect = 1\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let problem = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri(&config)
    });
    let d = &problem["params"]["diagnostics"][0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `slect`"),
        "{d}"
    );
    assert_eq!(d["range"]["start"]["line"], 1);
    let message = client.wait(|m| m["method"] == "window/showMessage");
    assert_eq!(message["params"]["type"], 1);
    // The document keeps the last good configuration.
    assert_eq!(summary(&client.diagnostics(&u, 1)), good);
    std::fs::write(&config, "").unwrap();
    client.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    let cleared = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri(&config)
            && m["params"]["diagnostics"] == json!([])
    });
    assert!(cleared.is_object());
    let now = summary(&client.diagnostics(&u, 1));
    assert!(now.iter().any(|(rule, ..)| rule == "boilerplate-line"));
    client.shutdown();
}

#[test]
fn utf8_is_chosen_when_offered() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_copylint"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}}}})
    .to_string();
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut header = String::new();
    out.read_line(&mut header).unwrap();
    let length: usize = header
        .trim()
        .strip_prefix("Content-Length: ")
        .unwrap()
        .parse()
        .unwrap();
    out.read_line(&mut String::new()).unwrap();
    let mut buf = vec![0; length];
    out.read_exact(&mut buf).unwrap();
    let response: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"],
        "utf-8"
    );
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
}
