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

export type LoggerOption = boolean | Partial<Record<keyof Logger, (...args: unknown[]) => void>> | undefined;

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

/** Builds the logger for one transport. `component` is added to every entry. */
export function createLogger(option: LoggerOption, component: string): Logger {
  const logger = {} as Logger;
  for (const level of LEVELS) {
    if (!option) {
      logger[level] = noop;
    } else if (option === true) {
      logger[level] = (entry, message, ...args) => {
        const line = `[${new Date().toISOString()}] ${level.toUpperCase()} [${component}] [${entry.tnx}] ${format(message, args)}`;
        // eslint-disable-next-line no-console
        (level === 'error' || level === 'fatal' || level === 'warn' ? console.error : console.log)(line);
      };
    } else {
      const target = option[level];
      logger[level] =
        typeof target === 'function'
          ? (entry, message, ...args) => target.call(option, { component, ...entry }, message, ...args)
          : noop;
    }
  }
  return logger;
}
