export { auditExtension, AuditError, type AuditOptions, type AuditReport } from './audit.js';
export type { CheckResult } from './checks.js';
export { parseCaptured, loadCaptured, type CapturedRequest } from './captured.js';
