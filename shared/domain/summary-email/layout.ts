import type { RenderedEmail } from '../messages/layout';
import { escapeHtml, type Change, type Tone } from './format';
import { colours, html, toneColour } from './html';

/**
 * One content model for the leaders' and trust summaries, rendered to both parts of the email,
 * as the parent notices are (messages/layout.ts): a summary is written once, as sections of
 * blocks, so the plain-text part cannot drift from the HTML. Every string here is plain text
 * and is escaped on the way into HTML, so a section's author cannot forget.
 */
export type { RenderedEmail };

/** Plain, bold, or coloured by a change's tone (the words carry the direction too). */
export type Inline = string | { strong: string } | { tone: Tone; text: string };
export type Rich = string | readonly Inline[];

/** A table cell: text, a name with a muted line under it, or lines stacked in one cell. */
export type Cell = Rich | { name: string; detail: string } | { lines: readonly string[] };

export interface Column {
  /** A soft hyphen (\u00ad) marks where a narrow header may break. */
  text: string;
  align?: 'left' | 'right';
  width?: string;
  /** In the text part the value is read after the column's name ("mean change −1.5"). */
  named?: boolean;
}

export type Block =
  | { kind: 'paragraph'; text: Rich; muted?: boolean; small?: boolean }
  | { kind: 'list'; items: readonly Rich[] }
  | { kind: 'cards'; cards: readonly { value: string; label: string; change: Change; note?: string }[] }
  | { kind: 'bars'; caption: string; rows: readonly { label: string; value: number; display: string; colour?: string }[]; max?: number }
  /** `grid`: a dense grid of figures (narrow cells; in text, columns under a header line). */
  | { kind: 'table'; caption: string; columns: readonly Column[]; rows: readonly Cell[][]; totals?: readonly string[]; grid?: boolean };

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface SummaryContent {
  subject: string;
  /** The inbox preview line (HTML only, as mail clients show it). */
  preheader: string;
  banner: { kicker: string; title: string; subtitle: string };
  sections: Section[];
  footer: string[];
}

/** Right-aligned columns of figures, each [header, width]. */
export const figureColumns = (...columns: [text: string, width: string][]): Column[] => columns.map(([text, width]) => ({ text, align: 'right', width }));

export const paragraph = (text: Rich, options: { muted?: boolean; small?: boolean } = {}): Block => ({ kind: 'paragraph', text, ...options });

export function renderSummary(content: SummaryContent): RenderedEmail {
  const body = [
    html.banner(content.banner),
    ...content.sections.map((section) => html.section(section.heading, section.blocks.map(blockHtml).join('\n'))),
    html.footer(content.footer.map(escapeHtml)),
  ].join('\n');
  const text = [
    content.banner.kicker,
    content.banner.title,
    content.banner.subtitle,
    '',
    ...content.sections.flatMap((section) => [section.heading.toUpperCase(), ...section.blocks.flatMap(blockText), '']),
    '--',
    ...content.footer,
    '',
  ];
  return { subject: content.subject, html: html.document({ title: content.subject, preheader: content.preheader, body }), text: text.join('\n') };
}

// ------------------------------------------------------------------------------ HTML

const inlineHtml = (part: Inline) =>
  typeof part === 'string'
    ? escapeHtml(part)
    : 'strong' in part
      ? `<strong>${escapeHtml(part.strong)}</strong>`
      : `<span style="color:${toneColour(part.tone)};">${escapeHtml(part.text)}</span>`;

const richHtml = (text: Rich) => (typeof text === 'string' ? escapeHtml(text) : text.map(inlineHtml).join(''));

const isRich = (cell: Cell): cell is Rich => typeof cell === 'string' || Array.isArray(cell);

function cellHtml(cell: Cell): string {
  if (isRich(cell)) return richHtml(cell);
  if ('lines' in cell) return cell.lines.map((line) => `<div style="margin:0 0 6px;">${escapeHtml(line)}</div>`).join('');
  return `<strong>${escapeHtml(cell.name)}</strong><br><span style="font-size:13px;color:${colours.muted};">${escapeHtml(cell.detail)}</span>`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return html.paragraph(richHtml(block.text), { muted: block.muted, small: block.small });
    case 'list':
      return html.list(block.items.map(richHtml));
    case 'cards':
      return html.cards([...block.cards]);
    case 'bars':
      return html.barChart({ caption: block.caption, rows: [...block.rows], max: block.max });
    case 'table':
      return html.dataTable({
        caption: block.caption,
        small: block.grid,
        headers: block.columns.map(({ text, align, width }) => ({ text: escapeHtml(text).replace(/\u00ad/g, '&shy;'), align, width })),
        rows: block.rows.map((row) => row.map(cellHtml)),
        totals: block.totals?.map(escapeHtml),
      });
  }
}

// ------------------------------------------------------------------------------ text

const richText = (text: Rich) =>
  typeof text === 'string' ? text : text.map((part) => (typeof part === 'string' ? part : 'strong' in part ? part.strong : part.text)).join('');

function cellText(cell: Cell): string {
  if (isRich(cell)) return richText(cell);
  if ('lines' in cell) return cell.lines.join('; ');
  return `${cell.name} (${cell.detail})`;
}

function tableText(block: Extract<Block, { kind: 'table' }>): string[] {
  const names = block.columns.map((column) => column.text.replace(/\u00ad/g, ''));
  const line = (cells: readonly string[]) =>
    `${cells[0]}: ${cells
      .slice(1)
      .map((cell, index) => (block.columns[index + 1]?.named ? `${names[index + 1]!.toLowerCase()} ${cell}` : cell))
      .join(block.grid ? ' | ' : ', ')}`;
  return [
    `${block.caption}:`,
    ...(block.grid ? [line(names)] : []),
    ...block.rows.map((row) => `- ${line(row.map(cellText))}`),
    ...(block.totals ? [`- ${line(block.totals)}`] : []),
  ];
}

function blockText(block: Block): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [richText(block.text)];
    case 'list':
      return block.items.map((item) => `- ${richText(item)}`);
    case 'cards':
      return block.cards.map((card) => `- ${card.label}: ${card.value}, ${card.change.text}${card.note ? `; ${card.note}` : ''}`);
    case 'bars':
      return [`${block.caption}:`, ...block.rows.map((row) => `- ${row.label}: ${row.display}`)];
    case 'table':
      return tableText(block);
  }
}
