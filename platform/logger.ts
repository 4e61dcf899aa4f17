import { pino, type Logger, type LoggerOptions } from 'pino';

// Personal data (names, ID numbers, phones, addresses) must never reach a log. Request and response
// bodies are not logged at all, and these paths are censored wherever an object slips through.
export const REDACTED_PATHS = [
  'applicant',
  '*.applicant',
  '*.*.applicant',
  'body',
  '*.body',
  'payload',
  '*.payload',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerSettings {
  readonly level: string;
  /** Human-readable lines (pino-pretty); defaults to whether stdout is a terminal. */
  readonly pretty?: boolean;
  readonly name?: string;
  /** Where to write instead of stdout (tests capture logs this way). */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    name: settings.name ?? 'motcua',
    redact: { paths: REDACTED_PATHS, censor: '[personal data]' },
  };
  if (settings.destination) return pino(options, settings.destination);
  const pretty = settings.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino(options);
}
