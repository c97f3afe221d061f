import { logger } from '../../shared/logger';

/**
 * Captures everything the process writes while a flow runs: process.stdout/stderr (the
 * Powertools logger writes there through its own Console) and the global console methods
 * (the SDK's and anyone else's). Nothing captured is echoed, so DEBUG logging stays quiet.
 */
export interface CapturedLogs {
  /** Every chunk written, in order. */
  readonly chunks: string[];
  text(): string;
  /** Chunks split into lines, empty lines dropped. */
  lines(): string[];
  /** Lines containing `needle`, case-insensitively. */
  linesContaining(needle: string): string[];
  restore(): void;
}

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureLogs(options: { level?: 'DEBUG' | 'INFO' | 'WARN' } = {}): CapturedLogs {
  const chunks: string[] = [];
  const toText = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  const originalStdout = process.stdout.write;
  const originalStderr = process.stderr.write;
  const capture = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(toText(chunk));
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  const originalConsole = Object.fromEntries(consoleMethods.map((method) => [method, console[method]])) as Record<
    (typeof consoleMethods)[number],
    (...args: unknown[]) => void
  >;
  for (const method of consoleMethods) {
    console[method] = (...args: unknown[]) =>
      chunks.push(`${args.map((argument) => (typeof argument === 'string' ? argument : safeJson(argument))).join(' ')}\n`);
  }
  const previousLevel = logger.getLevelName();
  if (options.level) logger.setLogLevel(options.level);

  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
  return {
    chunks,
    text: () => chunks.join(''),
    lines,
    linesContaining: (needle) => lines().filter((line) => line.toLowerCase().includes(needle.toLowerCase())),
    restore() {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
      for (const method of consoleMethods) console[method] = originalConsole[method];
      logger.setLogLevel(previousLevel);
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}\n${value.stack ?? ''}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}
