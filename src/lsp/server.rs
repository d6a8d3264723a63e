//! The protocol's side: tower-lsp-server's `LanguageServer` over stdio, and the state between
//! requests (the open buffers, one analysis per rule folder, the debounce).
//!
//! Every request is answered from the [`Analysis`] of the folder the file belongs to, made again
//! after any change to one of its files and kept until the next. Diagnostics are published for
//! every file of the folder: at once when a file is opened, saved or closed, and 200 ms (the
//! debounce) after the last of a run of edits, so typing does not re-check on every key. The
//! server reads no file itself: the CLI hands it a [`Disk`]. Any URI, position or request is
//! answered without a panic: an unknown file or a place past the end gives an empty answer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use super::workspace::{Analysis, Document};
use super::{actions, completion, hover, navigate};
use crate::source::FileId;

/// What the server may read of the disk: a rule folder's files.
pub trait Disk: Send + Sync + 'static {
    /// Every `.terms` file in `dir` (not in its subfolders, which are folders of their own), with
    /// its text, sorted by path; files that cannot be read are left out.
    fn rule_files(&self, dir: &Path) -> Vec<(PathBuf, String)>;
}

/// How the server runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The day lint takes as today (expired terms).
    pub today: chrono::NaiveDate,
    /// How long after an edit, with no other, diagnostics are published.
    pub debounce: Duration,
}

/// Serves the protocol on standard input and output until the client says `exit`.
pub fn serve_stdio(disk: Arc<dyn Disk>, options: Options) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(|client| Backend::new(client, disk, options));
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}

/// The files a document is checked with: its folder's, or (not a file on disk) itself alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Home {
    Folder(PathBuf),
    Alone(Uri),
}

#[derive(Default)]
struct State {
    /// Open buffers: text and version.
    open: BTreeMap<Uri, (Arc<str>, i32)>,
    analyses: BTreeMap<Home, Arc<Analysis>>,
    /// Edits seen per folder, for the debounce: a check runs only if no edit came after its own.
    edits: BTreeMap<Home, u64>,
    /// The documents diagnostics were last published for, to clear those gone since.
    published: BTreeMap<Home, Vec<Uri>>,
}

#[derive(Clone)]
struct Backend {
    client: Client,
    disk: Arc<dyn Disk>,
    options: Options,
    state: Arc<Mutex<State>>,
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.as_str().starts_with("file:") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned()).filter(|p| p.is_absolute())
}

fn home_of(uri: &Uri) -> Home {
    match file_path(uri).as_deref().and_then(Path::parent) {
        Some(dir) => Home::Folder(dir.to_path_buf()),
        None => Home::Alone(uri.clone()),
    }
}

impl Backend {
    fn new(client: Client, disk: Arc<dyn Disk>, options: Options) -> Backend {
        Backend { client, disk, options, state: Arc::default() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The analysis of a home, made if there is none since the last change.
    fn analysis(&self, home: &Home) -> Arc<Analysis> {
        if let Some(a) = self.state().analyses.get(home) {
            return a.clone();
        }
        let open: Vec<(Uri, Arc<str>)> =
            self.state().open.iter().map(|(u, (t, _))| (u.clone(), t.clone())).collect();
        let mut documents: Vec<Document> = Vec::new();
        match home {
            Home::Folder(dir) => {
                let opened_here: Vec<(PathBuf, Uri, Arc<str>)> = open
                    .iter()
                    .filter_map(|(u, t)| Some((file_path(u)?, u.clone(), t.clone())))
                    .filter(|(p, _, _)| p.parent() == Some(dir.as_path()))
                    .collect();
                for (path, text) in self.disk.rule_files(dir) {
                    if opened_here.iter().any(|(p, _, _)| *p == path) {
                        continue;
                    }
                    let Some(uri) = Uri::from_file_path(&path) else { continue };
                    documents.push(Document { uri, name: path.display().to_string(), text: text.into() });
                }
                for (path, uri, text) in opened_here {
                    documents.push(Document { uri, name: path.display().to_string(), text });
                }
            }
            Home::Alone(uri) => {
                if let Some((_, text)) = open.iter().find(|(u, _)| u == uri) {
                    documents.push(Document {
                        uri: uri.clone(),
                        name: uri.as_str().to_string(),
                        text: text.clone(),
                    });
                }
            }
        }
        let analysis = Arc::new(Analysis::new(documents));
        // A folder with no rule file (a request about a file that is nowhere) is not kept: a
        // client asking about many such places does not fill the memory.
        if !analysis.documents.is_empty() {
            self.state().analyses.insert(home.clone(), analysis.clone());
        }
        analysis
    }

    /// The analysis holding a document, and the document's file in it.
    fn find(&self, uri: &Uri) -> Option<(Arc<Analysis>, FileId)> {
        let analysis = self.analysis(&home_of(uri));
        let file = analysis.file_of(uri).or_else(|| {
            let path = file_path(uri)?;
            let i = analysis
                .documents
                .iter()
                .position(|d| file_path(&d.uri).as_deref() == Some(path.as_path()))?;
            Some(FileId(i as u32))
        })?;
        Some((analysis, file))
    }

    /// The analysis, file and byte offset of a place in a document.
    fn at(&self, uri: &Uri, position: Position) -> Option<(Arc<Analysis>, FileId, usize)> {
        let (analysis, file) = self.find(uri)?;
        let offset = analysis.line_index(file)?.offset(position);
        Some((analysis, file, offset))
    }

    /// Forgets the analysis of a document's home (its text changed), and counts the edit.
    fn changed(&self, uri: &Uri) -> (Home, u64) {
        let home = home_of(uri);
        let mut state = self.state();
        state.analyses.remove(&home);
        let n = state.edits.entry(home.clone()).or_default();
        *n += 1;
        (home, *n)
    }

    /// Checks a home and publishes the diagnostics of every one of its documents.
    async fn publish(&self, home: Home) {
        let analysis = self.analysis(&home);
        let lint = analysis.lint(self.options.today);
        let published = analysis.publishable(&lint);
        let now: Vec<Uri> = published.iter().map(|(u, _)| u.clone()).collect();
        let before = self.state().published.insert(home, now.clone()).unwrap_or_default();
        let versions: BTreeMap<Uri, i32> =
            self.state().open.iter().map(|(u, (_, v))| (u.clone(), *v)).collect();
        for (uri, diagnostics) in published {
            let version = versions.get(&uri).copied();
            self.client.publish_diagnostics(uri, diagnostics, version).await;
        }
        for gone in before.into_iter().filter(|u| !now.contains(u)) {
            self.client.publish_diagnostics(gone, Vec::new(), None).await;
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![" ".into(), "{".into(), ",".into(), ".".into()]),
                    ..CompletionOptions::default()
                }),
                document_formatting_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "clausecheck".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.state().open.insert(doc.uri.clone(), (doc.text.into(), doc.version));
        let (home, _) = self.changed(&doc.uri);
        self.publish(home).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else { return };
        self.state().open.insert(uri.clone(), (change.text.into(), params.text_document.version));
        let (home, edit) = self.changed(&uri);
        let me = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(me.options.debounce).await;
            let latest = me.state().edits.get(&home).copied();
            if latest == Some(edit) {
                me.publish(home).await;
            }
        });
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let (home, _) = self.changed(&params.text_document.uri);
        self.publish(home).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state().open.remove(&uri);
        let (home, _) = self.changed(&uri);
        self.publish(home).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // Files changed on disk by another program (a checkout, a save elsewhere).
        let mut homes: Vec<Home> = params.changes.iter().map(|c| self.changed(&c.uri).0).collect();
        homes.sort();
        homes.dedup();
        for home in homes {
            self.publish(home).await;
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        Ok(self
            .at(&p.text_document.uri, p.position)
            .and_then(|(a, file, offset)| hover::hover(&a, file, offset)))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let Some((a, file, offset)) = self.at(&p.text_document.uri, p.position) else { return Ok(None) };
        let found = navigate::definition(&a, file, offset);
        Ok((!found.is_empty()).then_some(GotoDefinitionResponse::Array(found)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some((a, file, offset)) = self.at(&p.text_document.uri, p.position) else { return Ok(None) };
        Ok(Some(navigate::references(&a, file, offset, params.context.include_declaration)))
    }

    async fn prepare_rename(&self, p: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let Some((a, file, offset)) = self.at(&p.text_document.uri, p.position) else { return Ok(None) };
        Ok(navigate::prepare_rename(&a, file, offset)
            .map(|(range, placeholder)| PrepareRenameResponse::RangeWithPlaceholder { range, placeholder }))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let Some((a, file, offset)) = self.at(&p.text_document.uri, p.position) else { return Ok(None) };
        navigate::rename(&a, file, offset, &params.new_name).map(Some).map_err(Error::invalid_params)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some((a, file, offset)) = self.at(&p.text_document.uri, p.position) else { return Ok(None) };
        Ok(Some(CompletionResponse::Array(completion::completion(&a, file, offset))))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some((a, file)) = self.find(&params.text_document.uri) else { return Ok(None) };
        Ok(actions::formatting(&a, file))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((a, file)) = self.find(&params.text_document.uri) else { return Ok(None) };
        let Some(lines) = a.line_index(file) else { return Ok(None) };
        let range = lines.byte_range(params.range);
        Ok(Some(actions::code_actions(&a, file, range)))
    }
}
