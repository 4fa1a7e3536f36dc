/** The action's inputs (action.yml), read and validated once; defaults mirror action.yml. */
import type { Level } from '../core/policy.js';
import { getBooleanInput, getInput, getMultilineInput, InputError, type Env } from './runner.js';

const COMMENT_MODES = ['review', 'annotations', 'summary', 'none'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];
type FailOn = Level | 'none';

export interface ActionInputs {
  paths: string[];
  config?: string;
  failOn: FailOn;
  /** Where to write SARIF; empty means the default under RUNNER_TEMP. */
  sarifFile?: string;
  commentMode: CommentMode;
  onlyChanged: boolean;
  token?: string;
  allowJsRules: boolean;
  /** Whose policy (config file and baseline) judges a pull request: the head's or the base commit's. */
  configFrom: 'head' | 'base';
}

export function readInputs(env: Env): ActionInputs {
  const failOn = getInput(env, 'fail-on') || 'error';
  if (!['error', 'warning', 'note', 'none'].includes(failOn)) {
    throw new InputError(`input "fail-on" must be error, warning, note or none, got "${failOn}"`);
  }
  const commentMode = getInput(env, 'comment-mode') || 'review';
  if (!(COMMENT_MODES as readonly string[]).includes(commentMode)) {
    throw new InputError(`input "comment-mode" must be ${COMMENT_MODES.join(', ')}, got "${commentMode}"`);
  }
  const configFrom = getInput(env, 'config-from') || 'head';
  if (configFrom !== 'head' && configFrom !== 'base') throw new InputError(`input "config-from" must be head or base, got "${configFrom}"`);
  const paths = getMultilineInput(env, 'paths');
  const config = getInput(env, 'config');
  const sarifFile = getInput(env, 'sarif-file');
  const token = getInput(env, 'github-token');
  return {
    paths: paths.length > 0 ? paths : ['.'],
    ...(config ? { config } : {}),
    failOn: failOn as FailOn,
    ...(sarifFile ? { sarifFile } : {}),
    commentMode: commentMode as CommentMode,
    onlyChanged: getBooleanInput(env, 'only-changed', true),
    ...(token ? { token } : {}),
    allowJsRules: getBooleanInput(env, 'allow-js-rules', false),
    configFrom,
  };
}
