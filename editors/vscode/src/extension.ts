// Starts `copylint server` for plain text, Markdown and HTML documents.
import { workspace, ExtensionContext } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export function activate(context: ExtensionContext): void {
  const command = workspace.getConfiguration("copylint").get<string>("path", "copylint");
  const serverOptions: ServerOptions = { command, args: ["server"], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "plaintext" },
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "html" },
    ],
    synchronize: {
      // A change to a copylint.toml (or a rule pack) reloads the configuration.
      fileEvents: workspace.createFileSystemWatcher("**/*.toml"),
    },
  };
  client = new LanguageClient("copylint", "copylint", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  void client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
