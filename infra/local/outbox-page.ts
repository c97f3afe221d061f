import type { OutboxEntry } from '../../shared/adapters/local/outbox';
import { escapeHtml } from '../../shared/domain/messages/format';

/** `/local/outbox.html`: every message, newest first, each HTML body in a sandboxed frame. */
export function outboxPage(entries: OutboxEntry[]): string {
  const items = [...entries]
    .reverse()
    .map(
      (entry) => `<details>
  <summary><strong>${escapeHtml(entry.subject)}</strong> — to ${escapeHtml(entry.to.join(', '))} <small>${escapeHtml(entry.file)}</small></summary>
  <iframe sandbox title="${escapeHtml(entry.subject)}" srcdoc="${escapeHtml(entry.html)}"></iframe>
  <pre>${escapeHtml(entry.text)}</pre>
</details>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local outbox (${entries.length})</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1b}
details{border:1px solid #ccc;border-radius:6px;margin:.5rem 0;padding:.5rem}
summary{cursor:pointer}iframe{width:100%;height:32rem;border:1px solid #eee;background:#fff}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
</style></head>
<body><h1>Local outbox</h1><p>${entries.length} message(s) the deployed stack would have sent through SES. Newest first.</p>
${items || '<p>No messages yet.</p>'}
</body></html>`;
}
