import { escapeHtml, type Change } from './format';

/**
 * Email-safe HTML building blocks: tables and inline styles only (no JavaScript, no SVG,
 * no external CSS or images), a 600px fluid column (an MSO ghost table fixes the width in
 * Outlook for Windows), and bars drawn as table cells with bgcolor + background-color so they
 * render in Gmail and Outlook alike. Every colour used for text has a contrast of at least
 * 4.5:1 on the background it sits on (checked by test/browser/summary-email.test.ts).
 */

export const colours = {
  page: '#f3f4f6',
  paper: '#ffffff',
  text: '#111827',
  muted: '#4b5563',
  rule: '#d1d5db',
  banner: '#1e3a8a',
  bannerText: '#ffffff',
  bannerMuted: '#dbeafe',
  card: '#eff6ff',
  better: '#166534',
  worse: '#b91c1c',
  track: '#e5e7eb',
  bar: '#1d4ed8',
  present: '#1d4ed8',
  offSite: '#0e7490',
  authorised: '#b45309',
  unauthorised: '#b91c1c',
} as const;

const font = 'font-family:Arial,Helvetica,sans-serif';
const wrap = 'word-break:break-word;overflow-wrap:anywhere';
/** Numbers break only at spaces ("18 (+12)"), never inside "94.2%". */
const numeric = 'word-break:normal;overflow-wrap:normal';

export const html = {
  /** The document: a 600px-max fluid column on a grey page. */
  document(input: { title: string; preheader: string; body: string }): string {
    return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(input.title)}</title>
<!--[if mso]><style>table,td,th{border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt}body,td,th,p,h1,h2,h3{font-family:Arial,Helvetica,sans-serif}</style><![endif]-->
</head>
<body style="margin:0;padding:0;width:100%;background-color:${colours.page};">
<div role="article" aria-roledescription="email" aria-label="${escapeHtml(input.title)}" lang="en-GB" style="${font};background-color:${colours.page};">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;" aria-hidden="true">${escapeHtml(input.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${colours.page}" style="width:100%;background-color:${colours.page};border-collapse:collapse;">
<tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${colours.paper}" style="width:100%;max-width:600px;background-color:${colours.paper};border-collapse:collapse;margin:0 auto;">
${input.body}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</div>
</body>
</html>
`;
  },

  banner(input: { kicker: string; title: string; subtitle: string }): string {
    return `<tr><td bgcolor="${colours.banner}" style="background-color:${colours.banner};padding:20px 20px 18px;${font};">
<p style="margin:0 0 6px;font-size:14px;line-height:20px;color:${colours.bannerMuted};${font};">${escapeHtml(input.kicker)}</p>
<h1 style="margin:0 0 6px;font-size:24px;line-height:30px;font-weight:bold;color:${colours.bannerText};${font};${wrap};">${escapeHtml(input.title)}</h1>
<p style="margin:0;font-size:16px;line-height:22px;color:${colours.bannerText};${font};">${escapeHtml(input.subtitle)}</p>
</td></tr>`;
  },

  /** A section with an h2 and any content (already HTML). */
  section(heading: string, content: string, id?: string): string {
    return `<tr><td style="padding:20px 20px 4px;${font};color:${colours.text};"${id ? ` id="${id}"` : ''}>
<h2 style="margin:0 0 12px;font-size:20px;line-height:26px;font-weight:bold;color:${colours.text};${font};border-bottom:2px solid ${colours.rule};padding-bottom:6px;">${escapeHtml(heading)}</h2>
${content}
</td></tr>`;
  },

  paragraph(content: string, options: { muted?: boolean; small?: boolean } = {}): string {
    const size = options.small ? 'font-size:13px;line-height:19px;' : 'font-size:15px;line-height:22px;';
    return `<p style="margin:0 0 12px;${size}color:${options.muted ? colours.muted : colours.text};${font};${wrap};">${content}</p>`;
  },

  heading3(text: string): string {
    return `<h3 style="margin:16px 0 8px;font-size:16px;line-height:22px;font-weight:bold;color:${colours.text};${font};">${escapeHtml(text)}</h3>`;
  },

  list(items: string[]): string {
    if (items.length === 0) return '';
    return `<ul style="margin:0 0 12px;padding:0 0 0 20px;font-size:15px;line-height:22px;color:${colours.text};${font};">${items
      .map((item) => `<li style="margin:0 0 4px;${wrap};">${item}</li>`)
      .join('')}</ul>`;
  },

  /** Headline numbers, two to a row, each with its change from last week. */
  cards(cards: { value: string; label: string; change: Change; note?: string }[]): string {
    const rows: string[] = [];
    for (let index = 0; index < cards.length; index += 2) {
      const pair = cards.slice(index, index + 2);
      rows.push(
        `<tr>${pair
          .map(
            (
              card,
            ) => `<td width="50%" valign="top" bgcolor="${colours.card}" style="width:50%;background-color:${colours.card};border:4px solid ${colours.paper};padding:10px 10px 12px;${font};${wrap};">
<p style="margin:0;font-size:26px;line-height:32px;font-weight:bold;color:${colours.text};${font};">${escapeHtml(card.value)}</p>
<p style="margin:2px 0 4px;font-size:14px;line-height:19px;color:${colours.text};${font};">${escapeHtml(card.label)}</p>
<p style="margin:0;font-size:13px;line-height:18px;color:${toneColour(card.change.tone)};${font};">${changeMarker(card.change)}${escapeHtml(card.change.text)}</p>${
              card.note ? `\n<p style="margin:4px 0 0;font-size:13px;line-height:18px;color:${colours.muted};${font};">${escapeHtml(card.note)}</p>` : ''
            }
</td>`,
          )
          .join('')}${pair.length === 1 ? `<td width="50%" style="width:50%;border:4px solid ${colours.paper};">&nbsp;</td>` : ''}</tr>`,
      );
    }
    return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:0 0 8px;table-layout:fixed;">${rows.join('\n')}</table>`;
  },

  /**
   * A horizontal bar chart as a real data table: caption, a row header per bar and the value
   * as visible text, so it reads correctly aloud; the bar itself is decorative (aria-hidden).
   */
  barChart(input: { caption: string; rows: { label: string; value: number; display: string; colour?: string }[]; max?: number }): string {
    const max = input.max ?? Math.max(0, ...input.rows.map((row) => row.value));
    const rows = input.rows
      .map(
        (row) => `<tr>
<th scope="row" align="left" valign="middle" style="width:38%;padding:5px 8px 5px 0;text-align:left;font-weight:normal;font-size:14px;line-height:18px;color:${colours.text};${font};${wrap};">${escapeHtml(row.label)}</th>
<td valign="middle" aria-hidden="true" style="width:40%;padding:5px 0;">${bar(row.value, max, row.colour ?? colours.bar)}</td>
<td align="right" valign="middle" style="width:22%;padding:5px 0 5px 8px;text-align:right;font-size:14px;line-height:18px;color:${colours.text};${font};white-space:nowrap;">${escapeHtml(row.display)}</td>
</tr>`,
      )
      .join('\n');
    return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:0 0 14px;table-layout:fixed;">
<caption style="caption-side:top;text-align:left;padding:0 0 6px;font-size:15px;line-height:20px;font-weight:bold;color:${colours.text};${font};">${escapeHtml(input.caption)}</caption>
${rows}
</table>`;
  },

  /** A plain data table with a header row (and optionally a totals row). */
  dataTable(input: {
    caption: string;
    headers: { text: string; align?: 'left' | 'right'; width?: string }[];
    rows: string[][];
    totals?: string[];
    small?: boolean;
  }): string {
    const size = input.small ? 'font-size:12px;line-height:16px;' : 'font-size:14px;line-height:19px;';
    const headSize = input.small ? 'font-size:11px;line-height:14px;' : size;
    // Narrow tables keep a wider gap on the left of each cell, so right-aligned columns never touch.
    const cellPad = input.small ? 'padding:6px 2px 6px 7px;' : 'padding:6px 6px;';
    const align = (index: number) => input.headers[index]?.align ?? 'left';
    const head = input.headers
      .map(
        (header) =>
          // Headers break only where they allow it (spaces, soft hyphens), never mid-syllable.
          `<th scope="col" align="${header.align ?? 'left'}" valign="bottom" style="${header.width ? `width:${header.width};` : ''}${cellPad}text-align:${header.align ?? 'left'};${headSize}font-weight:bold;color:${colours.text};${font};border-bottom:2px solid ${colours.rule};hyphens:manual;-webkit-hyphens:manual;">${header.text}</th>`,
      )
      .join('');
    const look = { cellPad, size, align, total: false };
    const body = input.rows.map((row) => tableRow(row, look)).join('\n');
    const totals = input.totals ? tableRow(input.totals, { ...look, total: true }) : '';
    return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;margin:0 0 14px;table-layout:fixed;">
<caption style="caption-side:top;text-align:left;padding:0 0 6px;font-size:15px;line-height:20px;font-weight:bold;color:${colours.text};${font};">${escapeHtml(input.caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>${totals ? `\n<tfoot>${totals}</tfoot>` : ''}
</table>`;
  },

  footer(paragraphs: string[]): string {
    return `<tr><td bgcolor="${colours.page}" style="background-color:${colours.page};padding:16px 20px 20px;${font};border-top:1px solid ${colours.rule};">
${paragraphs.map((text) => `<p style="margin:0 0 10px;font-size:13px;line-height:19px;color:${colours.muted};${font};${wrap};">${text}</p>`).join('\n')}
</td></tr>`;
  },
};

/** A data table's row: the first cell is its row header; the totals row is bold and unruled. */
function tableRow(cells: string[], look: { cellPad: string; size: string; align: (index: number) => 'left' | 'right'; total: boolean }): string {
  const valign = look.total ? '' : ' valign="top"';
  const rule = look.total ? '' : `border-bottom:1px solid ${colours.rule};`;
  const cellHtml = (cell: string, index: number) => {
    if (index === 0) {
      return `<th scope="row" align="left"${valign} style="${look.cellPad}text-align:left;${look.size}font-weight:${look.total ? 'bold' : 'normal'};color:${colours.text};${font};${rule}${wrap};">${cell}</th>`;
    }
    const align = look.align(index);
    return `<td align="${align}"${valign} style="${look.cellPad}text-align:${align};${look.size}${look.total ? 'font-weight:bold;' : ''}color:${colours.text};${font};${rule}${align === 'right' ? numeric : wrap};">${cell}</td>`;
  };
  return `<tr>${cells.map(cellHtml).join('')}</tr>`;
}

function bar(value: number, max: number, colour: string): string {
  const share = max > 0 ? value / max : 0;
  // Never a zero-width cell (Outlook widens those) and never a blank bar for a non-zero value.
  const width = value <= 0 ? 0 : Math.min(100, Math.max(2, Math.round(share * 100)));
  const cell = (percentWidth: number | undefined, fill: string) =>
    `<td${percentWidth !== undefined ? ` width="${percentWidth}%"` : ''} bgcolor="${fill}" style="${percentWidth !== undefined ? `width:${percentWidth}%;` : ''}background-color:${fill};height:14px;line-height:14px;font-size:1px;mso-line-height-rule:exactly;">&nbsp;</td>`;
  const cells = width === 0 ? cell(undefined, colours.track) : width === 100 ? cell(100, colour) : cell(width, colour) + cell(undefined, colours.track);
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;"><tr>${cells}</tr></table>`;
}

export function toneColour(tone: Change['tone']): string {
  return tone === 'better' ? colours.better : tone === 'worse' ? colours.worse : colours.muted;
}

/** A text marker as well as the colour, so the direction never relies on colour alone. */
function changeMarker(change: Change): string {
  if (change.tone === 'none') return '';
  if (change.text.startsWith('up')) return '▲ ';
  if (change.text.startsWith('down')) return '▼ ';
  return '';
}
