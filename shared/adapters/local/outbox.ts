import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sesFeedbackSource } from '../../../events/ses-feedback';
import { sesFeedbackRecord, simulatedFeedback } from '../../domain/mail-feedback';
import type { EventPublisher, MailMessage, Mailer } from '../../ports';
import { makePrivateDir, writePrivateFile } from './private-files';

/**
 * The local stand-in for SES: each message becomes one RFC 5322 `.eml` file with
 * text/plain and text/html parts. Parts are 8bit UTF-8 (readable, and searchable raw) unless
 * a line is too long for 8bit, when that part is quoted-printable.
 */

export interface OutboxEntry {
  file: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const maxLine = 998;

function encodeHeader(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, encoded: string) => Buffer.from(encoded, 'base64').toString('utf8'));
}

function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/\r?\n/g, '\n'), 'utf8');
  let out = '';
  let line = '';
  for (const byte of bytes) {
    if (byte === 0x0a) {
      out += `${line}\r\n`;
      line = '';
      continue;
    }
    const char = byte === 0x3d || byte < 0x20 || byte > 0x7e ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
    if (line.length + char.length > 75) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += char;
  }
  return out + line;
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function part(contentType: string, body: string): string {
  const normalised = body.replace(/\r?\n/g, '\n');
  const fits = normalised.split('\n').every((line) => Buffer.byteLength(line) <= maxLine);
  const encoding = fits ? '8bit' : 'quoted-printable';
  const encoded = fits ? normalised.replace(/\n/g, '\r\n') : quotedPrintable(normalised);
  return `Content-Type: ${contentType}; charset=UTF-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${encoded}\r\n`;
}

export function renderEml(message: MailMessage, from: string, messageId: string, date: Date): string {
  const boundary = `=_tracker_${messageId}`;
  return [
    `From: ${from}`,
    `To: ${message.to.join(', ')}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}@tracker.local>`,
    'MIME-Version: 1.0',
    `X-Tracker-Category: ${message.category}`,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    part('text/plain', message.text),
    `--${boundary}`,
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export function parseEml(raw: string, file: string): OutboxEntry {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = new Map(
    head.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type') ?? '')?.[1] ?? '';
  const parts = rest.join('\r\n\r\n').split(`--${boundary}`).slice(1, -1);
  const bodies: Record<string, string> = {};
  for (const section of parts) {
    const [partHead = '', ...partBody] = section.replace(/^\r\n/, '').split('\r\n\r\n');
    const body = partBody.join('\r\n\r\n').replace(/\r\n$/, '');
    const type = /Content-Type: ([^;\r\n]+)/i.exec(partHead)?.[1] ?? '';
    const decoded = /quoted-printable/i.test(partHead) ? decodeQuotedPrintable(body) : body;
    bodies[type] = decoded.replace(/\r\n/g, '\n');
  }
  return {
    file,
    to: (headers.get('to') ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    subject: decodeHeader(headers.get('subject') ?? ''),
    text: bodies['text/plain'] ?? '',
    html: bodies['text/html'] ?? '',
  };
}

/** SES's feedback, simulated: where the outbox publishes it (the local bus) and as which configuration set. */
export interface SimulatedFeedback {
  publisher: EventPublisher;
  configurationSet: string;
  /** After the send returns, as SES's feedback comes after the send (default 100 ms). */
  delayMs?: number;
}

export class OutboxMailer implements Mailer {
  private sequence = 0;
  private readonly pendingFeedback = new Set<Promise<void>>();
  feedback?: SimulatedFeedback;

  constructor(
    private readonly directory: string,
    private readonly from = 'Intervention Tracker <tracker@localhost>',
  ) {}

  /** Resolves once every simulated feedback event has been published. */
  async settled(): Promise<void> {
    while (this.pendingFeedback.size > 0) await Promise.all([...this.pendingFeedback]);
  }

  /**
   * Mail to SES's mailbox simulator (bounce@, complaint@, suppressionlist@
   * simulator.amazonses.com) gets the feedback event SES would publish to the default bus.
   */
  private simulateFeedback(message: MailMessage, messageId: string): void {
    const feedback = this.feedback;
    if (!feedback) return;
    for (const address of message.to) {
      const timestamp = new Date().toISOString();
      const simulated = simulatedFeedback(address, timestamp);
      if (!simulated) continue;
      const record = sesFeedbackRecord(
        simulated.eventType,
        { messageId, to: [address], category: message.category, configurationSet: feedback.configurationSet, timestamp },
        simulated.extra,
      );
      const publish = new Promise<void>((resolve) => setTimeout(resolve, feedback.delayMs ?? 100))
        .then(() => feedback.publisher.publish([{ source: sesFeedbackSource, ...record }]))
        .finally(() => this.pendingFeedback.delete(publish));
      this.pendingFeedback.add(publish);
    }
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const messageId = randomUUID();
    const now = new Date();
    await makePrivateDir(this.directory);
    // Sortable names keep the listing oldest first.
    const file = `${now.toISOString().replace(/[:.]/g, '-')}-${String(++this.sequence).padStart(6, '0')}-${messageId.slice(0, 8)}.eml`;
    await writePrivateFile(join(this.directory, file), renderEml(message, this.from, messageId, now));
    this.simulateFeedback(message, messageId);
    return { messageId };
  }
}

export async function readOutbox(directory: string): Promise<OutboxEntry[]> {
  const files = (await readdir(directory).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(files.map(async (file) => parseEml(await readFile(join(directory, file), 'utf8'), file)));
}
