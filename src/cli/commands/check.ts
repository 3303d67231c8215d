import { parseArgs } from 'node:util';
import {
  AuditError,
  auditExtension,
  loadCaptured,
  type AuditReport,
  type CheckResult,
} from '../../testing/index.js';
import { readKey } from '../keys.js';
import { readFlagged, styleFor, UsageError, type CliIo } from '../io.js';

export const checkHelp = `Usage: cekit check <url> [--key <file>] [--replay <file>] [--extension-id <id>] [--kind custom|home] [--access-token <token>] [--json]

Audits a running extension like a certification pass.
Black-box (default): hostile requests (unsigned, forged, tampered, wrong content type, malformed,
oversized, wrong method) must each get a 4xx JSON answer, never a 5xx, quickly.
Trusted mode adds valid requests of each type and a wrong application id, and checks status,
content type, schema-valid replies and latency under CEK's 8 s deadline:
  --key <file>            a private key the extension trusts (e.g. .cekit/dev-key.pem from cekit dev)
  --replay <file>         requests captured from real CEK traffic: [{ "body": "<raw>", "signature": "..." }]
  --extension-id <id>     the Extension ID valid requests carry (default: from --replay, else com.example.extension)
  --kind custom|home      which valid requests to send (default custom)
  --access-token <token>  Clova Home (--kind home with --key, required there): an account-linking token the
                          extension accepts; a made-up token must then be answered InvalidAccessTokenError
  --json                  print the report as JSON
Exit code 0 only when every check passes.
`;

/** How to give what a failed check lacked, in this command's terms (the audit's reason says what it lacked). */
const tokenFix = ' (--access-token <token>)';

export async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      replay: { type: 'string' },
      'extension-id': { type: 'string' },
      kind: { type: 'string' },
      'access-token': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError('Give the URL of the extension to check');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`Expected an http(s) URL, got ${url}`);
  const kind = values.kind ?? 'custom';
  if (kind !== 'custom' && kind !== 'home') throw new UsageError('--kind is custom or home');
  const token = values['access-token'];
  // A flag that would change nothing is a mistake worth saying, not ignoring.
  if (token !== undefined && kind !== 'home')
    throw new UsageError('--access-token is sent in Clova Home requests: add --kind home');
  if (token !== undefined && !values.key)
    throw new UsageError(
      '--access-token is sent by the trusted Clova Home checks: add --key <file> with a key the extension trusts',
    );
  // Every Clova Home request carries the user's token (spec clova-home-extension.md §3, §4.2). Without
  // one the audit sends a placeholder that an extension doing its job refuses, so the trusted checks
  // would only ever test authentication: say so before running, rather than report a confusing failure.
  if (kind === 'home' && values.key && token === undefined)
    throw new UsageError(
      '--kind home needs --access-token <token>: Clova Home requests carry the account-linking token, ' +
        'so pass one the extension accepts',
    );
  const keys = values.key ? await readKey(values.key, io.cwd) : undefined;
  const replay = values.replay
    ? await readFlagged('--replay', values.replay, io.cwd, loadCaptured)
    : undefined;

  const style = styleFor(io.stderr, io.env);
  let report: AuditReport;
  try {
    report = await auditExtension({
      target: url,
      kind,
      ...(keys ? { keys } : {}),
      ...(replay ? { replay } : {}),
      ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
      ...(token !== undefined ? { accessToken: token } : {}),
      // Progress goes to stderr so `--json` output stays clean on stdout.
      onProgress: (result, done, total) => io.stderr.write(style.dim(`[${done}/${total}] ${result.title}\n`)),
    });
  } catch (error) {
    if (error instanceof AuditError)
      throw new AuditError(`${error.message} (is the extension running? cekit dev <module> serves one)`);
    throw error;
  }
  report = inCliTerms(report);
  io.stdout.write(
    values.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatReport(report, styleFor(io.stdout, io.env), kind),
  );
  return report.passed ? 0 : 1;
}

/** The audit states what is missing in its own terms; the CLI adds the flag that supplies it. */
function inCliTerms(report: AuditReport): AuditReport {
  return {
    ...report,
    checks: report.checks.map((result) =>
      !result.passed && result.accessTokenRefused ? { ...result, reason: result.reason + tokenFix } : result,
    ),
  };
}

export function formatReport(
  report: AuditReport,
  style = styleFor({}, {}),
  kind: 'custom' | 'home' = 'custom',
): string {
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
          kind === 'home'
            ? '\nBlack-box only: add --key <file> (a key the extension trusts) and --access-token <token> for the trusted Clova Home checks.\n'
            : '\nBlack-box only: add --key <file> (a key the extension trusts) or --replay <file> for the trusted checks.\n',
        )
      : '';
  return `cekit check ${report.target} (${report.mode})\n\n${report.checks.map(line).join('')}\n${summary}\n${hint}`;
}
