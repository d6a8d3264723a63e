//! `clausecheck lsp` spoken to as an editor does: the built binary, Content-Length-framed
//! JSON-RPC over its standard input and output, every answer awaited with a timeout so a hang
//! fails the test instead of blocking it. The rules are the bundled ones, copied to a temporary
//! folder (the server reads the folder of the file opened).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Long enough for a debug build on a loaded machine; a hang still ends the test.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else.
    notifications: Vec<Value>,
    dir: tempfile::TempDir,
}

/// Reads one framed message, or `None` at the end of the stream.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length:") {
            length = n.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// The server started on a copy of `rules/`, initialized.
    fn start() -> Client {
        Client::start_with(50)
    }

    /// [`Client::start`], with diagnostics published `debounce_ms` after the last edit.
    fn start_with(debounce_ms: u64) -> Client {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir("rules").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "terms") {
                std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
            .args(["lsp", "--stdio", "--today", "2026-12-01", "--debounce-ms", &debounce_ms.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut c = Client { child, stdin, rx, next_id: 1, notifications: Vec::new(), dir };
        let root = c.uri("");
        let init = c.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": {}}));
        let caps = &init["capabilities"];
        for cap in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "renameProvider",
            "completionProvider",
            "documentFormattingProvider",
            "codeActionProvider",
        ] {
            assert!(!caps[cap].is_null(), "{cap} in {caps}");
        }
        assert_eq!(init["serverInfo"]["name"], "clausecheck");
        c.notify("initialized", json!({}));
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.path(name).display()).trim_end_matches('/').to_string()
    }

    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.rx.recv_timeout(left).unwrap_or_else(|_| panic!("no message from the server within {TIMEOUT:?}"))
    }

    /// The whole response (result or error) to a request.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next(deadline);
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.notifications.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next publication of diagnostics for `uri` (seen already, or awaited), whole.
    fn publication(&mut self, uri: &str, wait: Duration) -> Option<Value> {
        let is_it = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.notifications.iter().position(is_it) {
            return Some(self.notifications.remove(i)["params"].clone());
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self.rx.recv_timeout(left).ok()?;
            if is_it(&m) {
                return Some(m["params"].clone());
            }
            self.notifications.push(m);
        }
    }

    /// The next diagnostics published for `uri` (seen already, or awaited).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_it = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.notifications.iter().position(is_it) {
            let m = self.notifications.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next(deadline);
            if is_it(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.notifications.push(m);
        }
    }

    fn open(&mut self, name: &str, text: &str) -> String {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "clausecheck", "version": 1, "text": text}}),
        );
        uri
    }

    fn at(&mut self, method: &str, uri: &str, (line, character): (u32, u32), extra: Value) -> Value {
        let mut params =
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params)
    }

    /// shutdown, exit, and the process ends with status 0.
    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The LSP position (0-based line, UTF-16 character) of the first `needle` in `text`, plus `skip`
/// characters into it.
fn pos(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` in the text")) + skip;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u32;
    (line, text[line_start..at].encode_utf16().count() as u32)
}

fn range(v: &Value) -> ((u64, u64), (u64, u64)) {
    let p = |p: &Value| (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
    (p(&v["start"]), p(&v["end"]))
}

/// Applies LSP text edits (of one file) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let (line, ch) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (a, b, t) in edits {
        out.replace_range(a..b, &t);
    }
    out
}

fn labels(completion: &Value) -> Vec<String> {
    completion.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

const NEW: &str = "msft_openai_2026.terms";
const OLD: &str = "msft_openai_2019.terms";
const VOCAB: &str = "vocabulary.terms";

/// A clause on one line after non-ASCII text, with a misspelt value: its diagnostic's range is
/// counted in UTF-16 units (`é` one, `😀` two).
const EMOJI_CLAUSE: &str =
    "  clause emoji \"Clés 😀\" { quote \"é😀\" permit when party = openai and cloud = azrue }\n}\n";

#[test]
fn an_editor_session_over_stdio() {
    let mut c = Client::start();
    let text = c.text(NEW);
    let edited = format!("{}{EMOJI_CLAUSE}", text.trim_end().strip_suffix('}').unwrap());
    let uri = c.open(NEW, &edited);

    // publishDiagnostics: the resolver's error, at `azrue`, in UTF-16 columns.
    let diagnostics = c.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    let (line, character) = pos(&edited, "azrue", 0);
    let byte_column = edited[..edited.find("azrue").unwrap()].len()
        - edited[..edited.find("azrue").unwrap()].rfind('\n').unwrap()
        - 1;
    assert_eq!(character as usize, byte_column - 6, "each é is 1 unit for 2 bytes, each 😀 2 for 4");
    assert_eq!(range(&d["range"]), ((line as u64, character as u64), (line as u64, character as u64 + 5)));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["code"], "unknown-name");
    assert_eq!(d["source"], "clausecheck");
    assert_eq!(d["message"], "unknown cloud `azrue`\nhelp: did you mean `azure`?");
    // The files of the folder not opened get theirs too (none).
    assert!(c.diagnostics(&c.uri(VOCAB)).is_empty());

    // hover on a clause id.
    let hover = c.at("textDocument/hover", &uri, pos(&edited, "azure_first", 3), json!({}));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("**clause `msft_openai_2026.azure_first`**: OpenAI products debut on Azure"),
        "{value}"
    );
    assert!(value.contains("> OpenAI products will continue to debut on Azure"), "{value}");
    assert!(value.contains("msft_openai_2026.terms:25:10"), "{value}");
    assert_eq!(range(&hover["range"]).0, {
        let p = pos(&edited, "azure_first", 0);
        (p.0 as u64, p.1 as u64)
    });

    // definition, in a file that is not open.
    let def =
        c.at("textDocument/definition", &uri, pos(&edited, "supersedes msft_openai_2019", 14), json!({}));
    let def = &def.as_array().unwrap()[0];
    assert_eq!(def["uri"], c.uri(OLD));
    assert_eq!(range(&def["range"]), ((4, 10), (4, 26)));

    // completion after `cloud = `, on the line after the emoji.
    let at = pos(&edited, "cloud = azrue", "cloud = ".len());
    let items = labels(&c.at("textDocument/completion", &uri, at, json!({})));
    assert_eq!(items, ["azure", "aws", "gcp", "oracle"]);

    // formatting: the fmt printer's text for the whole buffer.
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(&edited, edits.as_array().unwrap());
    assert_eq!(formatted, clausecheck::format::format(&edited).unwrap());
    assert_ne!(formatted, edited);

    // An edit that fixes the typo clears the diagnostic (after the debounce).
    let fixed = edited.replace("azrue", "azure");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = c.diagnostics(&uri);
    assert!(after.iter().all(|d| d["code"] != "unknown-name"), "{after:?}");
    c.stop();
}

#[test]
fn hover_on_the_bundled_rules() {
    let mut c = Client::start();
    let (new, vocab) = (c.text(NEW), c.text(VOCAB));
    let uri = c.open(NEW, &new);
    let hover = |c: &mut Client, uri: &str, text: &str, needle: &str, skip: usize| -> String {
        let h = c.at("textDocument/hover", uri, pos(text, needle, skip), json!({}));
        h["contents"]["value"].as_str().unwrap_or_else(|| panic!("a hover on {needle}: {h}")).to_string()
    };
    // A value: its field and classes.
    let azure = hover(&mut c, &uri, &new, "cloud != azure", 10);
    assert!(azure.starts_with("**value `azure`** of the field `cloud`"), "{azure}");
    // A parameter: its value and assumption.
    let cap = hover(&mut c, &uri, &new, "capped at revshare_cap", 12);
    assert!(cap.contains("**parameter `revshare_cap`** of `msft_openai_2026` = `0 USD`"), "{cap}");
    assert!(cap.contains("assumed: the cap is not disclosed"), "{cap}");
    // An agreement: its period of force, and what supersedes it.
    let agreement = hover(&mut c, &uri, &new, "supersedes msft_openai_2019", 14);
    assert!(agreement.contains("in force: `effective 2019-07-22 assumed"), "{agreement}");
    assert!(agreement.contains("superseded by: `msft_openai_2026`"), "{agreement}");
    // Its days, as evaluation decides them: to the day before the one superseding it starts.
    assert!(agreement.contains("days in force: 2019-07-22 through 2026-04-26"), "{agreement}");
    let this = hover(&mut c, &uri, &new, "agreement msft_openai_2026", 12);
    assert!(
        this.contains("in force: `effective  2026-04-27`")
            && this.contains("days in force: from 2026-04-27, with no end")
            && this.contains("supersedes: `msft_openai_2019`"),
        "{this}"
    );
    // A field, from the vocabulary file.
    let vuri = c.uri(VOCAB);
    let cloud = hover(&mut c, &vuri, &vocab, "cloud ", 0);
    assert!(cloud.contains("**field `cloud`**: `azure`, `aws`, `gcp`, `oracle`"), "{cloud}");
    // A flag; and nothing on a keyword or in a quote.
    assert!(hover(&mut c, &uri, &new, "unless azure_declined", 9).contains("**flag `azure_declined`**"));
    assert_eq!(c.at("textDocument/hover", &uri, pos(&new, "permit when", 2), json!({})), Value::Null);
    assert_eq!(c.at("textDocument/hover", &uri, pos(&new, "exclusive license", 3), json!({})), Value::Null);
    c.stop();
}

#[test]
fn definition_and_references_across_the_folder() {
    let mut c = Client::start();
    let (new, vocab) = (c.text(NEW), c.text(VOCAB));
    let uri = c.open(NEW, &new);
    // A value's definition is in the vocabulary.
    let def = c.at("textDocument/definition", &uri, pos(&new, "party = openai", 9), json!({}));
    let def = &def.as_array().unwrap()[0];
    assert_eq!(def["uri"], c.uri(VOCAB));
    let (line, ch) = pos(&vocab, "openai", 0);
    assert_eq!(range(&def["range"]), ((line as u64, ch as u64), (line as u64, ch as u64 + 6)));
    // The references of an agreement: its definition and the `supersedes` naming it.
    let refs = c.at(
        "textDocument/references",
        &uri,
        pos(&new, "supersedes msft_openai_2019", 14),
        json!({"context": {"includeDeclaration": true}}),
    );
    let found: Vec<(String, u64)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), range(&l["range"]).0 .0))
        .collect();
    assert_eq!(found, [(c.uri(OLD), 4), (c.uri(NEW), 7)]);
    // The references of the value `azure`: every use in the three files, without the definition.
    let refs = c.at(
        "textDocument/references",
        &uri,
        pos(&new, "launched(product, azure)", 19),
        json!({"context": {"includeDeclaration": false}}),
    );
    let files: Vec<&str> = refs.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 3, "{refs}");
    assert!(
        files.iter().filter(|u| u.ends_with(OLD)).count() == 1
            && files.iter().filter(|u| u.ends_with(NEW)).count() == 2
    );
    // A parameter's definition, in its own agreement.
    let def = c.at("textDocument/definition", &uri, pos(&new, "capped at revshare_cap", 12), json!({}));
    assert_eq!(range(&def.as_array().unwrap()[0]["range"]).0, {
        let p = pos(&new, "param revshare_cap", 6);
        (p.0 as u64, p.1 as u64)
    });
    c.stop();
}

#[test]
fn rename_a_value_and_a_clause_across_the_folder() {
    let mut c = Client::start();
    let new = c.text(NEW);
    let uri = c.open(NEW, &new);
    let at = pos(&new, "cloud != azure", 10);
    let prepared = c.at("textDocument/prepareRename", &uri, at, json!({}));
    assert_eq!(prepared["placeholder"], "azure");
    let edit = c.at("textDocument/rename", &uri, at, json!({"newName": "azure_cloud"}));
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 3, "{edit}");
    // Applied to every file, the rules still load, and `azure_cloud` is a value of `cloud`.
    let mut sources = clausecheck::source::Sources::new();
    for name in [OLD, NEW, VOCAB] {
        let renamed = apply(&c.text(name), changes[&c.uri(name)].as_array().unwrap());
        assert!(!renamed.contains("cloud != azure\n"), "{renamed}");
        sources.add(clausecheck::source::SourceFile::new(name, renamed));
    }
    let rules = clausecheck::load_rules(&sources).expect("the renamed rules load");
    assert!(rules.vocabulary.fields.iter().any(|f| f.values.iter().any(|v| v.as_str() == "azure_cloud")));

    // A clause, and the `exception to` naming it.
    let with_exception = new.replace(
        "    permit when party = openai\n      and product",
        "    exception to azure_first\n    permit when party = openai\n      and product",
    );
    assert_ne!(with_exception, new);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": with_exception}]}),
    );
    let edit = c.at(
        "textDocument/rename",
        &uri,
        pos(&with_exception, "exception to azure_first", 14),
        json!({"newName": "debut_on_azure"}),
    );
    let renamed = apply(&with_exception, edit["changes"][&uri].as_array().unwrap());
    assert_eq!(renamed, with_exception.replace("azure_first", "debut_on_azure"));
    // Not a name: refused with an error, nothing renamed.
    let refused = c.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": pos(&new, "clause any_cloud", 7).0, "character": 9}, "newName": "quote"}),
    );
    assert!(refused["error"]["message"].as_str().unwrap().contains("`quote` is not a name"), "{refused}");
    // A field cannot be renamed.
    let field = c.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": pos(&new, "cloud != azure", 0).0, "character": pos(&new, "cloud != azure", 0).1}, "newName": "x"}),
    );
    assert!(field.get("error").is_some(), "{field}");
    c.stop();
}

#[test]
fn completion_of_keywords_values_clauses_and_agreements() {
    let mut c = Client::start();
    let new = c.text(NEW);
    // A new clause at the end of the agreement, written as far as the cursor.
    let head = new.trim_end().strip_suffix('}').unwrap().to_string();
    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "  clause x \"X\" {\n    ",
            &["quote", "permit", "forbid", "require", "oblige", "exception", "information"],
            &["parties", "vocabulary"],
        ),
        (
            "  clause x \"X\" {\n    quote \"q\"\n    forbid when product in {frontier, ",
            &["api", "chatgpt", "models"],
            &["quote"],
        ),
        (
            "  clause x \"X\" {\n    quote \"q\"\n    exception to ",
            &["azure_first", "any_cloud", "msft_openai_2019.azure_exclusive"],
            &["msft_openai_2026.azure_first"],
        ),
        (
            "  clause x \"X\" {\n    quote \"q\"\n    permit when ",
            &["party", "cloud", "azure_declined", "date", "launched", "not"],
            &["quote"],
        ),
        (
            "  clause x \"X\" {\n    quote \"q\"\n    permit when cloud = azure ",
            &["and", "or", "unless"],
            &["azure"],
        ),
        ("  ", &["clause", "param", "parties", "effective", "ends", "default", "supersedes"], &["quote"]),
    ];
    let uri = c.open(NEW, &new);
    for (version, (tail, want, not)) in cases.iter().enumerate() {
        let text = format!("{head}{tail}");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version + 2}, "contentChanges": [{"text": text}]}),
        );
        let end = pos(&text, tail, tail.len());
        let got = labels(&c.at("textDocument/completion", &uri, end, json!({})));
        for w in *want {
            assert!(got.iter().any(|g| g == w), "`{w}` after {tail:?}: {got:?}");
        }
        for w in *not {
            assert!(!got.iter().any(|g| g == w), "no `{w}` after {tail:?}: {got:?}");
        }
    }
    // `supersedes` in a new agreement offers the others.
    let extra = format!("{new}\nagreement later \"L\" {{\n  supersedes ");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 20}, "contentChanges": [{"text": extra}]}),
    );
    let tail = "agreement later \"L\" {\n  supersedes ";
    let got = labels(&c.at("textDocument/completion", &uri, pos(&extra, tail, tail.len()), json!({})));
    assert!(
        got.contains(&"msft_openai_2026".to_string()) && got.contains(&"msft_openai_2019".to_string()),
        "{got:?}"
    );
    assert!(!got.contains(&"later".to_string()), "{got:?}");
    c.stop();
}

#[test]
fn a_broken_file_gets_hover_and_completion_in_its_good_parts() {
    let mut c = Client::start();
    let new = c.text(NEW);
    // A syntax error in one clause.
    let broken = new.replacen("quote  \"the company now", "quoet  \"the company now", 1);
    assert_ne!(broken, new);
    let uri = c.open(NEW, &broken);
    let diagnostics = c.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "syntax");
    assert_eq!(range(&diagnostics[0]["range"]).0, {
        let p = pos(&broken, "quoet", 0);
        (p.0 as u64, p.1 as u64)
    });
    // Hover on another clause, and on a value in it.
    let h = c.at("textDocument/hover", &uri, pos(&broken, "clause azure_first", 8), json!({}));
    assert!(h["contents"]["value"].as_str().unwrap().contains("OpenAI products debut on Azure"), "{h}");
    let h = c.at("textDocument/hover", &uri, pos(&broken, "channel = bedrock", 11), json!({}));
    assert!(h["contents"]["value"].as_str().unwrap().contains("of the field `channel`"), "{h}");
    // Definition still works from the good parts.
    let def =
        c.at("textDocument/definition", &uri, pos(&broken, "supersedes msft_openai_2019", 14), json!({}));
    assert_eq!(def.as_array().unwrap()[0]["uri"], c.uri(OLD));
    // Completion after `cloud = ` in a good clause, and keywords in it.
    let at = pos(&broken, "cloud = aws", "cloud = ".len());
    let got = labels(&c.at("textDocument/completion", &uri, at, json!({})));
    assert!(got.starts_with(&["azure".to_string(), "aws".to_string()]), "{got:?}");
    let at = pos(&broken, "    forbid microsoft pays", 4);
    let got = labels(&c.at("textDocument/completion", &uri, at, json!({})));
    assert!(got.contains(&"permit".to_string()), "{got:?}");
    c.stop();
}

#[test]
fn quick_fixes_did_you_mean_and_a_missing_quote() {
    let mut c = Client::start();
    let new = c.text(NEW);
    let typo = new.replace("cloud != azure", "cloud != azrue");
    let uri = c.open(NEW, &typo);
    let d = c.diagnostics(&uri);
    assert_eq!(d.len(), 1, "{d:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let fix = &actions.as_array().unwrap()[0];
    assert_eq!(fix["title"], "Replace `azrue` with `azure`");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(apply(&typo, fix["edit"]["changes"][&uri].as_array().unwrap()), new);

    // A clause without its quote: the fix adds one, and the error goes.
    let quote_line = "    quote  \"the company now has the flexibility to serve customers across any cloud platform, including Amazon Web Services (AWS)\"\n";
    let unquoted = new.replace(quote_line, "");
    assert_ne!(unquoted, new);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": unquoted}]}),
    );
    let d = c.diagnostics(&uri);
    assert!(
        d.iter().any(|d| d["code"] == "missing" && d["message"].as_str().unwrap().contains("has no `quote`")),
        "{d:?}"
    );
    let at = pos(&unquoted, "clause any_cloud", 8);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": at.0, "character": at.1}, "end": {"line": at.0, "character": at.1}}, "context": {"diagnostics": []}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Add a `quote` to clause `any_cloud`")
        .expect("the fix");
    let quoted = apply(&unquoted, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(quoted.contains("clause any_cloud \"OpenAI may serve its products on any cloud\" {\n    quote \"...\"\n    permit"), "{quoted}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": quoted}]}),
    );
    let d = c.diagnostics(&uri);
    assert!(d.iter().all(|d| d["code"] != "missing"), "{d:?}");
    c.stop();
}

#[test]
fn anything_a_client_sends_gets_an_answer_not_a_crash() {
    let mut c = Client::start();
    let new = c.text(NEW);
    let uri = c.open(NEW, &new);
    // Positions past the end of a line and of the file.
    for (line, character) in [(0, 9999), (9999, 0), (u32::MAX, u32::MAX)] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/references",
        ] {
            let mut params =
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
            if method == "textDocument/references" {
                params["context"] = json!({"includeDeclaration": true});
            }
            let r = c.call(method, params);
            assert!(r.get("error").is_none(), "{method} {r}");
        }
    }
    // A file no one opened, in a folder that does not exist, and a URI that is not a file.
    for other in ["file:///nowhere/at/all.terms", "untitled:Untitled-1", "https://example.invalid/x.terms"] {
        let r = c.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 0}}),
        );
        assert_eq!(r["result"], Value::Null, "{r}");
    }
    // An unsaved buffer is checked on its own.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "clausecheck", "version": 1, "text": "agreement x \"X\" {\n  defualt allow\n}\n"}}),
    );
    let d = c.diagnostics("untitled:Untitled-1");
    assert_eq!(d[0]["code"], "syntax");
    // Garbage in a buffer, and formatting it: no edits, no crash.
    let garbage = "}}}{{ \"é😀\n\u{0}\u{FEFF}agreement";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": garbage}]}),
    );
    let r = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(r["result"], Value::Null, "{r}");
    let r = c.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 1}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    // An unknown method is an error answer, and the server goes on.
    let r = c.call("clausecheck/nothing", json!({}));
    assert!(r.get("error").is_some());
    c.stop();
}

/// Every place of every bundled file, and of the same files cut short at many places (broken
/// mid-word, mid-quote, mid-clause), gets an answer from every request without a panic: the
/// library's functions called directly, so thousands of places are cheap to try.
#[test]
fn every_place_of_whole_and_cut_files_answers_without_a_panic() {
    use clausecheck::lsp::workspace::{Analysis, Document};
    use clausecheck::lsp::{actions, completion, hover, navigate};
    use clausecheck::source::FileId;
    let names = [NEW, OLD, VOCAB];
    let texts: Vec<String> =
        names.iter().map(|n| std::fs::read_to_string(format!("rules/{n}")).unwrap()).collect();
    let doc = |i: usize, text: &str| Document {
        uri: format!("file:///rules/{}", names[i]).parse().unwrap(),
        name: names[i].to_string(),
        text: text.into(),
    };
    let probe = |a: &Analysis, file: FileId, step: usize| {
        let len = a.text(file).len();
        for offset in (0..=len + 2).step_by(step) {
            let _ = hover::hover(a, file, offset);
            let _ = navigate::definition(a, file, offset);
            let _ = navigate::references(a, file, offset, true);
            let _ = navigate::prepare_rename(a, file, offset);
            let _ = navigate::rename(a, file, offset, "renamed");
            let _ = completion::completion(a, file, offset);
            let _ = actions::code_actions(a, file, offset.saturating_sub(3)..offset);
        }
        let _ = actions::formatting(a, file);
    };
    let whole = Analysis::new((0..3).map(|i| doc(i, &texts[i])).collect());
    for i in 0..3 {
        probe(&whole, FileId(i as u32), 1);
    }
    // The 2026 agreement cut at every 97th byte (on a character boundary), with the others whole.
    let new = &texts[0];
    for cut in (0..new.len()).step_by(97).filter(|c| new.is_char_boundary(*c)) {
        let a = Analysis::new(vec![doc(0, &new[..cut]), doc(1, &texts[1]), doc(2, &texts[2])]);
        let file = a.documents.iter().position(|d| d.name == NEW).unwrap();
        probe(&a, FileId(file as u32), 13);
    }
}

#[test]
fn a_run_of_edits_is_checked_once_after_the_last() {
    let mut c = Client::start_with(1000);
    let new = c.text(NEW);
    let uri = c.open(NEW, &new);
    let opened = c.publication(&uri, TIMEOUT).expect("diagnostics on open");
    assert_eq!(opened["version"], 1);
    // Five edits in a row, well within the debounce; the last one has a typo.
    for version in 2..=6 {
        let text = if version == 6 {
            new.replace("cloud != azure", "cloud != azrue")
        } else {
            format!("{new}\n# {version}\n")
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    let checked = c.publication(&uri, TIMEOUT).expect("diagnostics after the edits");
    assert_eq!(checked["version"], 6, "{checked}");
    assert_eq!(checked["diagnostics"][0]["code"], "unknown-name");
    // And nothing else for that run.
    assert_eq!(c.publication(&uri, Duration::from_millis(2500)), None);
    c.stop();
}

/// The editor's parse says what the CLI's says: on every rule file of the fixtures (broken ones
/// included), `parse_partial` reports exactly the errors of `parse_all`, and on a file that parses
/// gives the very tree of `parse`; on a broken one, what it keeps is a tree the formatter prints.
#[test]
fn the_editors_parse_reports_what_the_cli_does_on_every_fixture() {
    use clausecheck::source::FileId;
    use clausecheck::syntax::{parse, parse_all, parse_partial};
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::from("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "terms") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 50, "{}", files.len());
    let (mut broken, mut kept) = (0, 0);
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let (tree, errors) = parse_partial(FileId(0), &text);
        match parse_all(FileId(0), &text) {
            Ok(whole) => {
                assert!(errors.is_empty(), "{}", path.display());
                assert_eq!(tree, whole, "{}", path.display());
                assert_eq!(Some(&tree), parse(FileId(0), &text).ok().as_ref());
            }
            Err(cli) => {
                broken += 1;
                assert_eq!(errors, cli, "{}", path.display());
                kept += tree.items.len();
                // Every span of what is kept points into the file.
                let _ = clausecheck::format::print(&tree, &text);
            }
        }
    }
    assert!(broken > 10 && kept > 0, "{broken} broken files, {kept} items kept");
}
