/**
 * The kernel log: structured messages passed to the host's logger (pino
 * through fastify in the service) and the most recent ones kept for
 * diagnostics. The logger is a host handle; the kept lines are not saved.
 */

/** The subset of pino's interface the kernel uses. */
export interface KernelLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A logger that drops everything (tests, benchmarks). */
export const SILENT_LOGGER: KernelLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

const KEEP = 256;

/** Kernel log with a ring of recent messages. */
export class KernelLog {
  private readonly recent: string[] = [];

  constructor(private readonly logger: KernelLogger) {}

  private keep(level: string, obj: object, msg: string): void {
    if (this.recent.length >= KEEP) this.recent.shift();
    this.recent.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  }

  debug(obj: object, msg: string): void {
    this.logger.debug(obj, msg);
  }

  info(obj: object, msg: string): void {
    this.keep('info', obj, msg);
    this.logger.info(obj, msg);
  }

  warn(obj: object, msg: string): void {
    this.keep('warn', obj, msg);
    this.logger.warn(obj, msg);
  }

  error(obj: object, msg: string): void {
    this.keep('error', obj, msg);
    this.logger.error(obj, msg);
  }

  /** The most recent messages, oldest first. */
  lines(): readonly string[] {
    return this.recent;
  }
}
