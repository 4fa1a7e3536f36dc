import { defineRule } from '../../src/core/rule.js';

export default defineRule({
  meta: {
    id: 'PW000',
    name: 'parse-error',
    level: 'error',
    securitySeverity: 5.0,
    precision: 'very-high',
    tags: ['correctness', 'parse-error'],
    formats: ['compose', 'kubernetes', 'terraform', 'cloudformation', 'cloud-json', 'datastore-config'],
    messages: {
      parseError: '{{problem}}',
    },
    shortDescription: 'A file that looks like a supported format cannot be parsed.',
    fullDescription:
      'portwall could not parse this file, so it cannot tell what it exposes. Every other file is still checked. A broken file in a deployment repository usually breaks the deployment too, or hides an exposure from review.',
    help: `## Why it matters
A configuration file that cannot be parsed cannot be checked: whatever ports or datastores it
opens are invisible to the review. portwall reports the file instead of silently skipping it.

## How to fix
Fix the syntax error at the reported line and column (an indentation slip in YAML, an
unclosed brace in HCL). If the file is not configuration at all, exclude it with \`ignore\` in
\`portwall.config.yml\`.

## Example
\`\`\`yaml
services:
  es:
    image: elasticsearch:7.17.0
    ports:
      - "9200:9200
\`\`\`
The unterminated string is reported at the line and column where the parser stopped.`,
  },
  check(model, context) {
    for (const error of model.parseErrors) {
      context.report({ location: error.location, messageId: 'parseError', data: { problem: error.message }, subjects: [`file:${error.file}`] });
    }
  },
});
