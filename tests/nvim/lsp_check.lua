-- Drives `copylint server` from Neovim's own LSP client (headless), for tests/nvim.rs.
-- Env: COPYLINT_BIN, SEED_FILE, OUT_FILE. Writes one line per diagnostic
-- ("rule line character", 0-based, in the negotiated encoding), then "fixed: <line 44>".
local bin, file, out_file = os.getenv("COPYLINT_BIN"), os.getenv("SEED_FILE"), os.getenv("OUT_FILE")
local out = {}
local function finish(status)
  table.insert(out, "status: " .. status)
  local f = io.open(out_file, "w")
  f:write(table.concat(out, "\n") .. "\n")
  f:close()
  vim.cmd("qa!")
end

-- Any Lua error still writes the results and quits, so the test never hangs.
local run
vim.schedule(function()
  local ok, err = pcall(run)
  if not ok then finish("error: " .. tostring(err)) end
end)

function run()
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "copylint", cmd = { bin, "server" }, root_dir = vim.fn.fnamemodify(file, ":h") })
if not id then return finish("no client") end
vim.lsp.buf_attach_client(buf, id)
if not vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  return finish("no diagnostics")
end
local client = vim.lsp.get_client_by_id(id)
table.insert(out, "encoding: " .. client.offset_encoding)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  -- vim.diagnostic columns are bytes; report the LSP (UTF-16) character.
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ""
  local character = vim.str_utfindex(line, d.col)
  table.insert(out, string.format("%s %d %d", d.code, d.lnum, character))
end
-- The diagnostics of line 44 in LSP form, as a code-action request carries them.
local target
for _, lsp in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, 43, {}, id)) do
  if lsp.code == "trailing-whitespace" then target = lsp end
end
if not target then return finish("no trailing-whitespace diagnostic on line 44") end
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = target.range,
  context = { diagnostics = { target } },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
local applied = false
for _, response in pairs(responses) do
  for _, action in ipairs(response.result or {}) do
    if not applied and action.kind == "quickfix" and action.isPreferred and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = true
    end
  end
end
if not applied then return finish("no quick fix") end
table.insert(out, "fixed: " .. vim.api.nvim_buf_get_lines(buf, 43, 44, false)[1])
vim.lsp.stop_client(id)
finish("ok")
end
