import type { ValidationReport } from './ValidationReport';

/**
 * Renders a report as readable lines, one per violation: `<focus node> <path>: <message>`.
 * Warnings and infos get their severity as a prefix. A conforming report gives no lines.
 */
export function formatViolations(report: ValidationReport): string[] {
  return report.violations.map((violation): string => {
    const severity = violation.severity === 'Violation' ? '' : `[${violation.severity}] `;
    const path = violation.path ? ` <${violation.path}>` : '';
    return `${severity}${formatNode(violation.focusNode)}${path}: ${violation.message}`;
  });
}

/** Blank nodes keep their `_:` form; IRIs are written as in Turtle. */
function formatNode(node: string): string {
  return node.startsWith('_:') ? node : `<${node}>`;
}
