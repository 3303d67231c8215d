import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditExtension, loadCaptured, type AuditReport, type CheckResult } from '../../testing/index.js';
import { readKey } from '../keys.js';
import { styleFor, UsageError, type CliIo } from '../io.js';

export const checkHelp = `Usage: cekit check <url> [--key <file>] [--replay <file>] [--extension-id <id>] [--kind custom|home] [--json]

Audits a running extension like a certification pass.
Black-box (default): hostile requests (unsigned, forged, tampered, wrong content type, malformed,
oversized, wrong method) must each get a 4xx JSON answer, never a 5xx, quickly.
Trusted mode adds valid requests of each type and a wrong application id, and checks status,
content type, schema-valid replies and latency under CEK's 8 s deadline:
  --key <file>          a private key the extension trusts (e.g. .cekit/dev-key.pem from cekit dev)
  --replay <file>       requests captured from real CEK traffic: [{ "body": "<raw>", "signature": "..." }]
  --extension-id <id>   the Extension ID valid requests carry (default: from --replay, else com.example.extension)
  --kind custom|home    which valid requests to send (default custom)
  --json                print the report as JSON
Exit code 0 only when every check passes.
`;

export async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      replay: { type: 'string' },
      'extension-id': { type: 'string' },
      kind: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError('Give the URL of the extension to check');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`Expected an http(s) URL, got ${url}`);
  const kind = values.kind ?? 'custom';
  if (kind !== 'custom' && kind !== 'home') throw new UsageError('--kind is custom or home');
  const keys = values.key ? await readKey(values.key, io.cwd) : undefined;
  const replay = values.replay ? await loadCaptured(resolve(io.cwd, values.replay)) : undefined;

  const style = styleFor(io.stderr, io.env);
  const report = await auditExtension({
    target: url,
    kind,
    ...(keys ? { keys } : {}),
    ...(replay ? { replay } : {}),
    ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
    // Progress goes to stderr so `--json` output stays clean on stdout.
    onProgress: (result, done, total) => io.stderr.write(style.dim(`[${done}/${total}] ${result.title}\n`)),
  });
  io.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, styleFor(io.stdout, io.env)),
  );
  return report.passed ? 0 : 1;
}

export function formatReport(report: AuditReport, style = styleFor({}, {})): string {
  const line = (result: CheckResult) => {
    const mark = result.passed ? style.green('PASS') : style.red('FAIL');
    return `${mark} ${result.title}\n     ${style.dim(result.reason)}\n`;
  };
  const failed = report.checks.filter((result) => !result.passed).length;
  const summary = failed
    ? style.red(`${failed} of ${report.checks.length} checks failed`)
    : style.green(`all ${report.checks.length} checks passed`);
  const hint =
    report.mode === 'black-box'
      ? style.dim(
          '\nBlack-box only: add --key <file> (a key the extension trusts) or --replay <file> for the trusted checks.\n',
        )
      : '';
  return `cekit check ${report.target} (${report.mode})\n\n${report.checks.map(line).join('')}\n${summary}\n${hint}`;
}
