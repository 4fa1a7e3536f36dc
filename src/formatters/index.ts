/** Formatters: pure (result, context) => string. chalk is used only by the text formatter. */
import type { Formatter } from './types.js';
import { formatText } from './text.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatGithub } from './github.js';
import { formatJunit } from './junit.js';
import { formatGitlab } from './gitlab.js';

export const FORMATTERS: Record<string, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  gitlab: formatGitlab,
};

export type { Formatter, FormatterContext } from './types.js';
