import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  filterShimLogsBeforeFormatting,
  shimWinstonLogger,
} from '../../../../chaincode/src/ops/shim-log-filter';

// The winston copy fabric-shim logs through, so the test exercises the class the filter changes.
const winston = createRequire(createRequire(__filename).resolve('fabric-shim/lib/logger'))(
  'winston',
) as typeof import('winston');

/** A logger at `level` whose format counts its runs and whose transport keeps the printed lines. */
function countingLogger(level: string) {
  const printed: string[] = [];
  let formatted = 0;
  const counting = winston.format((info) => {
    formatted += 1;
    return info;
  });
  const logger = winston.createLogger({
    level,
    format: winston.format.combine(
      counting(),
      winston.format.printf((info) => `${info.level} ${String(info.message)}`),
    ),
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            printed.push(chunk.toString().trim());
            done();
          },
        }),
      }),
    ],
  });
  return { logger, printed, formatted: () => formatted };
}

describe('ops/shim-log-filter', () => {
  it('should take the winston Logger class that fabric-shim uses', () => {
    assert.equal(shimWinstonLogger(), winston.Logger);
  });

  it('should drop entries below the level before formatting them, and print the rest as before', async () => {
    filterShimLogsBeforeFormatting(winston.Logger);
    filterShimLogsBeforeFormatting(winston.Logger); // a second call changes nothing
    const { logger, printed, formatted } = countingLogger('info');
    logger.debug('not shown %s', 'x');
    logger.debug('not shown either');
    logger.info('shown 7');
    logger.warn('also shown');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(printed, ['info shown 7', 'warn also shown']);
    assert.equal(formatted(), 2, 'only the printed entries went through the format');
  });

  it('should still print debug entries from a logger at debug level', async () => {
    filterShimLogsBeforeFormatting(winston.Logger);
    const { logger, printed, formatted } = countingLogger('debug');
    logger.debug('visible');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(printed, ['debug visible']);
    assert.equal(formatted(), 1);
  });
});
