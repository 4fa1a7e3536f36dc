import { describe, expect, it } from 'vitest';
import { folderOf } from '../../src/core/paths.js';

describe('folderOf', () => {
  it.each([
    ['charts/web/values.yaml', 'charts/web'],
    ['overlays/prod/kustomization.yaml', 'overlays/prod'],
    ['main.tf', ''],
    ['<stdin>', ''],
    ['../infra/main.tf', '../infra'],
  ])('%s -> %j', (file, folder) => {
    expect(folderOf(file)).toBe(folder);
  });
});
