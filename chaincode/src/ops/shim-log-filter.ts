// fabric-shim and fabric-contract-api log through winston 3, which runs a logger's whole format
// pipeline (timestamp, metadata, colorize, padding, printf: about 10 µs) on every entry and only then
// lets the transport drop the entries below the level. The shim writes several debug entries per
// message exchanged with the peer, so at the default level (info) a busy chaincode server spent a
// tenth of its CPU formatting lines nobody sees (`npm run bench -- telemetry --profile`, before).
// This drops an entry below its logger's level before formatting. What is printed does not change:
// the same entries at the same level (CORE_CHAINCODE_LOGGING_LEVEL), in the same format.

import { createRequire } from 'node:module';

interface WinstonLogger {
  isLevelEnabled(level: string): boolean;
  log(level: unknown, ...rest: unknown[]): WinstonLogger;
  write(chunk: unknown, ...rest: unknown[]): boolean;
}

/** The winston Logger class that fabric-shim's own logger module uses. */
export function shimWinstonLogger(): { prototype: WinstonLogger } {
  const shimLogger = createRequire(__filename).resolve('fabric-shim/lib/logger');
  return (createRequire(shimLogger)('winston') as { Logger: { prototype: WinstonLogger } }).Logger;
}

const FILTERED = new WeakSet<object>();

/** Makes `loggerClass` (winston's Logger) drop entries below a logger's level before formatting them. */
export function filterShimLogsBeforeFormatting(
  loggerClass: { prototype: WinstonLogger } = shimWinstonLogger(),
): void {
  const prototype = loggerClass.prototype;
  if (FILTERED.has(prototype)) return;
  FILTERED.add(prototype);
  // `logger.debug(format, ...args)` goes through log(), which builds the entry (splat, metadata);
  // `logger.debug(entry)` goes straight to write(). Both are cut short.
  const log = prototype.log;
  prototype.log = function logEnabled(
    this: WinstonLogger,
    level: unknown,
    ...rest: unknown[]
  ): WinstonLogger {
    if (typeof level === 'string' && rest.length > 0 && !this.isLevelEnabled(level)) return this;
    return log.call(this, level, ...rest);
  };
  const write = prototype.write;
  prototype.write = function writeEnabled(this: WinstonLogger, chunk: unknown, ...rest: unknown[]): boolean {
    const level = (chunk as { level?: unknown } | null)?.level;
    // Entries that will be filtered anyway are answered as a stream write that needs no drain.
    if (typeof level === 'string' && !this.isLevelEnabled(level)) {
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    }
    return write.call(this, chunk, ...rest);
  };
}
