import { escapeHtml } from './format';

/**
 * One email layout for every message: a plain-text part and an HTML part built from the same
 * content. The HTML is a simple table with inline styles (what Gmail and Outlook render
 * reliably: no <style> blocks, no external CSS, no images). Every string here is plain text
 * and is escaped on the way into HTML.
 */
export interface EmailContent {
  subject: string;
  /** Shown in the coloured band at the top (the school's name). */
  banner: string;
  heading: string;
  greeting?: string;
  paragraphs: string[];
  /** A label/value table of the facts. */
  details: [label: string, value: string][];
  /** Text quoted as given (e.g. the school's summary for parents); newlines kept. */
  quote?: { label: string; text: string };
  after: string[];
  footer: string[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const font = 'font-family:Arial,Helvetica,sans-serif;';
const paragraphStyle = `margin:0 0 16px 0;${font}font-size:15px;line-height:22px;color:#1f2328;`;

const htmlText = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

export function renderEmail(content: EmailContent): RenderedEmail {
  // Subjects are a single header line.
  const subject = content.subject.replace(/[\r\n]+/g, ' ').trim();
  const text = [
    content.heading,
    '',
    ...(content.greeting ? [content.greeting, ''] : []),
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(content.details.length ? [...content.details.map(([label, value]) => `${label}: ${value}`), ''] : []),
    ...(content.quote ? [`${content.quote.label}:`, ...content.quote.text.split(/\r?\n/).map((line) => `  ${line}`), ''] : []),
    ...content.after.flatMap((paragraph) => [paragraph, '']),
    '--',
    ...content.footer,
    '',
  ].join('\n');

  const rows = content.details
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top" style="${font}font-size:14px;line-height:20px;color:#57606a;font-weight:bold;padding:8px 12px 8px 0;border-bottom:1px solid #e6e8eb;width:170px;">${escapeHtml(label)}</th>` +
        `<td valign="top" style="${font}font-size:14px;line-height:20px;color:#1f2328;padding:8px 0;border-bottom:1px solid #e6e8eb;">${htmlText(value)}</td></tr>`,
    )
    .join('');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#f3f4f6;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:100%;background-color:#ffffff;border:1px solid #d0d7de;">',
    `<tr><td style="background-color:#1d4f91;padding:16px 24px;${font}font-size:18px;line-height:24px;font-weight:bold;color:#ffffff;">${escapeHtml(content.banner)}</td></tr>`,
    '<tr><td style="padding:24px;">',
    `<h1 style="margin:0 0 16px 0;${font}font-size:20px;line-height:26px;color:#1f2328;">${escapeHtml(content.heading)}</h1>`,
    ...(content.greeting ? [`<p style="${paragraphStyle}">${htmlText(content.greeting)}</p>`] : []),
    ...content.paragraphs.map((paragraph) => `<p style="${paragraphStyle}">${htmlText(paragraph)}</p>`),
    ...(rows
      ? [
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;border-top:1px solid #e6e8eb;">${rows}</table>`,
        ]
      : []),
    ...(content.quote
      ? [
          `<p style="${paragraphStyle}font-weight:bold;margin-bottom:8px;">${escapeHtml(content.quote.label)}</p>`,
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;"><tr><td style="border-left:4px solid #1d4f91;background-color:#f6f8fa;padding:12px 16px;${font}font-size:15px;line-height:22px;color:#1f2328;">${htmlText(content.quote.text)}</td></tr></table>`,
        ]
      : []),
    ...content.after.map((paragraph) => `<p style="${paragraphStyle}">${htmlText(paragraph)}</p>`),
    '</td></tr>',
    `<tr><td style="padding:16px 24px;background-color:#f6f8fa;border-top:1px solid #d0d7de;${font}font-size:12px;line-height:18px;color:#57606a;">${content.footer.map(htmlText).join('<br>')}</td></tr>`,
    '</table>',
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
