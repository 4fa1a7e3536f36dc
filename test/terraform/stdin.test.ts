import { beforeAll, describe, expect, it } from 'vitest';
import { initTerraform, terraformFormat } from '../../src/formats/terraform/index.js';
import { lintTree, sourceFile } from '../helpers/index.js';

beforeAll(async () => {
  await initTerraform();
});

const SECURITY_GROUP = `variable "search_cidr" {
  type = string
}

resource "aws_security_group" "search" {
  name = "search"

  ingress {
    from_port   = 9200
    to_port     = 9200
    protocol    = "tcp"
    cidr_blocks = [var.search_cidr]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const view = (r: Awaited<ReturnType<typeof lintTree>>) =>
  r.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.region.startLine}:${f.location.region.startColumn}-${f.location.region.endLine}:${f.location.region.endColumn}`);

describe('Terraform on standard input', () => {
  it('is HCL when --stdin-filename ends in .tf', async () => {
    const r = await lintTree({}, { paths: ['-'], stdin: { text: SECURITY_GROUP, filename: 'infra/main.tf' } });
    expect(view(r)).toEqual(['PW010 infra/main.tf:12:20-12:35', 'PW002 infra/main.tf:19:20-19:31']);
  });

  it('is claimed by content without a file name, as a module of its own', async () => {
    // The scan root's terraform.tfvars belongs to the root's module, not to standard input.
    const r = await lintTree({ 'terraform.tfvars': 'search_cidr = "0.0.0.0/0"\n' }, { paths: ['.', '-'], stdin: { text: SECURITY_GROUP } });
    expect(view(r)).toEqual(['PW010 <stdin>:12:20-12:35', 'PW002 <stdin>:19:20-19:31']);
  });

  it('sniffs only labelled top-level blocks', () => {
    const claims = (text: string) => terraformFormat.detect(sourceFile('<stdin>', text));
    expect(claims('resource "google_compute_firewall" "ssh" {\n}\n')).toBe(true);
    expect(claims('# comment\nmodule "sg" {\n  source = "x"\n}\n')).toBe(true);
    expect(claims('variable "x" {}\n')).toBe(true);
    expect(claims('locals {\n  a = 1\n}\n')).toBe(false);
    expect(claims('resource: "x"\nkind: Service\n')).toBe(false);
    expect(claims('  resource "a" "b" {\n')).toBe(false);
    expect(claims('bind 0.0.0.0\nprotected-mode no\n')).toBe(false);
  });
});
