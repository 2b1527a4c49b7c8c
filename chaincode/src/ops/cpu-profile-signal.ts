// Operations hook, not contract logic: a running Node process of the network (a chaincode server, a
// gateway) starts a V8 CPU profile when it receives SIGUSR2 and, on the next SIGUSR2, writes it to
// `<dir>/<pid>.cpuprofile` (the Chrome DevTools format). `npm run bench -- telemetry --profile`
// sends both signals around its load and summarises the files. In-process (node:inspector), so no
// debugger port is opened; only the process owner can send the signal. Nothing here runs inside a
// transaction, so the chaincode's determinism is untouched.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';

export const PROFILE_SIGNAL = 'SIGUSR2';

/** Where a process writes its profile: one file per pid, replaced by each new profile. */
export function cpuProfileFile(dir: string, pid: number): string {
  return path.join(dir, `${pid}.cpuprofile`);
}

/** Microseconds between samples: fine enough for a 10-second window, cheap enough to leave on. */
const SAMPLING_INTERVAL_US = 500;

let installed = false;

/**
 * Installs the SIGUSR2 toggle once per process. `dir` defaults to VPP_PROFILE_DIR (the launcher sets
 * it to the run folder's profiles/), else the system's temporary folder.
 */
export function installCpuProfileOnSignal(
  dir: string = process.env.VPP_PROFILE_DIR ?? os.tmpdir(),
  log: (message: string) => void = (message) => console.error(message),
): void {
  if (installed) return;
  installed = true;
  let session: Session | undefined;
  let busy = false;
  const toggle = async () => {
    if (session === undefined) {
      const started = new Session();
      started.connect();
      await started.post('Profiler.enable');
      await started.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      await started.post('Profiler.start');
      session = started;
      log(`cpu profile started (pid ${process.pid})`);
      return;
    }
    const running = session;
    session = undefined;
    const { profile } = await running.post('Profiler.stop');
    running.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = cpuProfileFile(dir, process.pid);
    // Written aside and renamed, so a reader polling for the file never sees half of it.
    writeFileSync(`${file}.part`, JSON.stringify(profile));
    renameSync(`${file}.part`, file);
    log(`cpu profile written to ${file}`);
  };
  process.on(PROFILE_SIGNAL, () => {
    if (busy) return;
    busy = true;
    toggle()
      .catch((err: unknown) => log(`cpu profile failed: ${String(err)}`))
      .finally(() => {
        busy = false;
      });
  });
}
