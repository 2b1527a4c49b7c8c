/**
 * Self time by function, and by where the code comes from, in a V8 `.cpuprofile` (what node:inspector's
 * Profiler.stop returns). Pure: the bench reads the files, this only counts.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  readonly name: string;
  /** Microseconds of samples whose top frame was this one. */
  readonly micros: number;
  readonly share: number;
}

export interface ProfileSummary {
  /** Microseconds sampled while the process ran code (waiting left out). */
  readonly busyMicros: number;
  readonly topFrames: SelfTime[];
  readonly bySource: SelfTime[];
}

/**
 * V8's pseudo-frames for time outside JavaScript and the engine: `(idle)` where the embedder reports
 * idleness, `(program)` otherwise, which in Node is mostly the event loop waiting. Both are left out,
 * so shares are of the time spent running code (garbage collection included).
 */
const NOT_RUNNING = new Set(['(idle)', '(program)']);

/** A package under node_modules, a Node built-in, the project's own code, or a V8 pseudo-frame. */
export function sourceOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  const project = /\/(chaincode|gateway|platform)\/(?:dist|src)\//.exec(url);
  return project ? `project:${project[1] ?? ''}` : url;
}

function frameName(frame: CallFrame): string {
  const file = frame.url.split('/').pop() ?? '';
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

function ranked(totals: Map<string, number>, busy: number, limit: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, micros]) => ({ name, micros, share: busy > 0 ? micros / busy : 0 }));
}

/** One summary of several processes' profiles (e.g. every chaincode server): their samples added up. */
export function summarizeCpuProfiles(profiles: readonly CpuProfile[], limit = 12): ProfileSummary {
  const byFrame = new Map<string, number>();
  const bySource = new Map<string, number>();
  let busy = 0;
  for (const profile of profiles) busy += addSamples(profile, byFrame, bySource);
  return {
    busyMicros: busy,
    topFrames: ranked(byFrame, busy, limit),
    bySource: ranked(bySource, busy, limit),
  };
}

function addSamples(
  profile: CpuProfile,
  byFrame: Map<string, number>,
  bySource: Map<string, number>,
): number {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  let busy = 0;
  profile.samples.forEach((nodeId, i) => {
    const frame = frames.get(nodeId);
    const micros = profile.timeDeltas[i] ?? 0;
    // node:inspector frames are the profiler's own session (starting, stopping, serialising).
    if (frame === undefined || NOT_RUNNING.has(frame.functionName) || frame.url.startsWith('node:inspector'))
      return;
    busy += micros;
    const name = frameName(frame);
    byFrame.set(name, (byFrame.get(name) ?? 0) + micros);
    const source = sourceOf(frame);
    bySource.set(source, (bySource.get(source) ?? 0) + micros);
  });
  return busy;
}

/** Printable lines: "  12.3%  name". */
export function formatSelfTimes(rows: readonly SelfTime[]): string[] {
  return rows.map((row) => `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`);
}
