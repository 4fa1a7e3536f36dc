/** The formatter contract: pure functions of the results and the rule metadata. */
import type { LintResult } from '../core/finding.js';
import type { Rule } from '../core/rule.js';

export interface FormatterContext {
  rules: Rule[];
  version: string;
  /** Colors for the text formatter (decided by the CLI from TTY, NO_COLOR, FORCE_COLOR). */
  color: boolean;
  /** The text of a 1-based line of a scanned file, for code frames. */
  lineText?: (file: string, line: number) => string | undefined;
  /** SARIF automationDetails.id category. */
  category?: string;
}

export type Formatter = (result: LintResult, context: FormatterContext) => string;
