/**
 * Nodemailer's logger convention: `logger: true` logs to the console, `false`/absent is silent,
 * and any object with bunyan-style level methods is used as is. Every entry carries `component`
 * and `tnx` fields, as Nodemailer's own transports do.
 */
export interface LogEntry {
  tnx: string;
  [key: string]: unknown;
}

export type LogMethod = (entry: LogEntry, message: string, ...args: unknown[]) => void;

export interface Logger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
}

export type LoggerOption = boolean | Partial<Record<keyof Logger | 'log', (...args: unknown[]) => void>> | undefined;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const noop: LogMethod = () => {};

function format(message: string, args: unknown[]): string {
  let i = 0;
  return message.replace(/%[sdj%]/g, (token) => {
    if (token === '%%') return '%';
    const value = args[i++];
    return token === '%j' ? JSON.stringify(value) : String(value);
  });
}

/**
 * Where a level goes when the user's logger lacks it: the nearest level that says as much. A logger
 * with only `info` and `error` still shows warnings (as errors) and debug lines (as info).
 */
const FALLBACKS: Record<(typeof LEVELS)[number], readonly string[]> = {
  trace: ['trace', 'debug', 'info', 'log'],
  debug: ['debug', 'info', 'log'],
  info: ['info', 'log'],
  warn: ['warn', 'error', 'info', 'log'],
  error: ['error', 'warn', 'info', 'log'],
  fatal: ['fatal', 'error', 'warn', 'info', 'log'],
};

/** Builds the logger for one transport, as Nodemailer's `getLogger` does. `component` is added to every entry. */
export function createLogger(option: LoggerOption, component: string): Logger {
  const logger = {} as Logger;
  for (const level of LEVELS) {
    if (!option) {
      logger[level] = noop;
    } else if (option === true) {
      const print = level === 'error' || level === 'fatal' || level === 'warn' ? console.error : console.log;
      logger[level] = (entry, message, ...args) => {
        print(`[${new Date().toISOString()}] ${level.toUpperCase()} [${component}] [${entry.tnx}] ${format(message, args)}`);
      };
    } else {
      const target = FALLBACKS[level].map((name) => (option as Record<string, unknown>)[name]).find((fn) => typeof fn === 'function') as
        ((...args: unknown[]) => void) | undefined;
      logger[level] = target ? (entry, message, ...args) => target.call(option, { component, ...entry }, message, ...args) : noop;
    }
  }
  return logger;
}
