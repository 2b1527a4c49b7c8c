/**
 * systemd units for deployments that run the nodes as services rather than under `npm start`'s
 * keepers: one unit per node, written from the same launch spec the keeper uses, with the same
 * restart policy (systemd restarts after an unexpected exit, with a capped, growing pause).
 */
import type { LaunchSpec } from '../process/supervisor';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from '../process/restart-policy';

/** systemd's own quoting for one word of ExecStart: double quotes, with \ " $ and % escaped. */
function quoteWord(word: string): string {
  const escaped = word
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\$/g, '$$$$')
    .replace(/%/g, '%%');
  return /^[A-Za-z0-9_./:=@+-]+$/.test(word) ? escaped : `"${escaped}"`;
}

function environmentLine(key: string, value: string): string {
  return `Environment=${quoteWord(`${key}=${value}`)}`;
}

/** The unit file's name for a node: `vpp-<node id>.service`. */
export const unitNameOf = (nodeId: string) => `vpp-${nodeId}.service`;

export function systemdUnitOf(
  spec: Pick<LaunchSpec, 'id' | 'command' | 'args' | 'env' | 'cwd' | 'logFile'>,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): string {
  const seconds = (ms: number) => `${Math.max(ms / 1000, 0.1)}s`;
  const lines = [
    '# Generated from network/topology.yaml by npm start; edits are overwritten.',
    '[Unit]',
    `Description=VPP Ledger ${spec.id}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[spec.command, ...spec.args].map(quoteWord).join(' ')}`,
    ...(spec.cwd ? [`WorkingDirectory=${quoteWord(spec.cwd)}`] : []),
    ...Object.entries(spec.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => environmentLine(key, value)),
    `StandardOutput=append:${spec.logFile}`,
    `StandardError=append:${spec.logFile}`,
    // The keeper's policy: a first pause, doubling per crash in a row up to the cap.
    'Restart=on-failure',
    `RestartSec=${seconds(policy.firstDelayMs)}`,
    // systemd grows the pause from RestartSec to RestartMaxDelaySec in this many steps: one doubling each.
    `RestartSteps=${Math.max(1, Math.ceil(Math.log2(policy.maxDelayMs / policy.firstDelayMs)))}`,
    `RestartMaxDelaySec=${seconds(policy.maxDelayMs)}`,
    'StartLimitIntervalSec=0',
    'KillMode=control-group',
    'TimeoutStopSec=15s',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  return lines.join('\n');
}
