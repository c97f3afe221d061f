/**
 * Plain-text building blocks for emails: UK long dates ("Monday 23 November 2026"), times in
 * the school's timezone, and HTML escaping. Every value that reaches HTML goes through
 * escapeHtml (layout.ts does it, so a message author cannot forget).
 */

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEntities[char]!);
}

function parts(instant: Date, timeZone: string, withTime: boolean) {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => formatted.find((part) => part.type === type)?.value ?? '';
  return { weekday: get('weekday'), day: get('day'), month: get('month'), year: get('year'), hour: get('hour'), minute: get('minute') };
}

/** A calendar date (YYYY-MM-DD) as "Monday 23 November 2026"; no timezone shift. */
export function longDate(date: string): string {
  const { weekday, day, month, year } = parts(new Date(`${date}T12:00:00Z`), 'UTC', false);
  return `${weekday} ${day} ${month} ${year}`;
}

/** An instant as "Monday 23 November 2026 at 08:50" in the school's timezone. */
export function longDateTime(instant: string | Date, timeZone: string): string {
  const { weekday, day, month, year, hour, minute } = parts(new Date(instant), timeZone, true);
  return `${weekday} ${day} ${month} ${year} at ${hour}:${minute}`;
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
